"""QR survey pages: ``/s/<branch>``, ``/s/<branch>/<desk>``, each with an optional ``?staff=CODE``.

Plain HTML forms that work without JavaScript, one question a screen: each
answer is a button that posts that screen (so a guest who stops early is
still counted, as a partial response), and the next screen follows by
redirect (so Back and reload never re-post). Views stay thin: resolve the
link, parse with the form, call ``submit_response``, render.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, redirect, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from ..extensions import limiter
from ..jobs import after_guest_answer
from ..model import utc_now
from ..services.submission import InvalidSubmission, SubmissionRules, submit_response
from ..services.survey_screens import Screen, first_screen, next_screen, previous_screen, screen_named
from ..services.surveys import Survey
from ..services.targets import SurveyTarget, UnknownBranchError, find_target, guest_survey, local_day
from ..store import current_store
from .forms import GuestSurveyForm, build_survey_form
from .languages import language_choices

__all__ = ["bp", "client_rate_key"]

bp = Blueprint("survey", __name__)

_KEY = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def client_rate_key() -> str:
    """A QR guest's rate-limit key: from the connecting address, never a header the client can forge.

    The address is keyed-hashed first, so it appears neither in the limiter's
    counters nor in its log line when a limit is hit: no guest IP is kept.
    """
    address = (request.remote_addr or "unknown").encode()
    return hmac.new(str(current_app.secret_key).encode(), address, hashlib.sha256).hexdigest()[:24]


def _qr_rate_limit() -> str:
    return current_app.config["QR_RATELIMIT"]


def _language() -> str:
    return str(get_locale())


def _target_of_request() -> SurveyTarget:
    args = request.view_args or {}
    try:
        return find_target(current_store(), args.get("branch", ""), args.get("desk"), request.args.get("staff"))
    except UnknownBranchError:
        abort(404)


def _shown_survey(target: SurveyTarget) -> Survey:
    """The QR survey as a guest at this branch and desk sees it."""
    return guest_survey(current_store(), "qr").shown_at(target.branch.slug, target.desk_slug)


def _form(target: SurveyTarget, screen: Screen | None = None, **kwargs) -> GuestSurveyForm:
    return build_survey_form(_shown_survey(target), _language(),
                             comment_max_length=current_app.config["COMMENT_MAX_LENGTH"],
                             only=screen.question_ids if screen else None, **kwargs)


def _render_form(target: SurveyTarget, form: GuestSurveyForm, status: int, notice: str | None = None):
    languages = language_choices(current_app.config["LANGUAGES"], _language(), request.path, request.args)
    return render_template("survey/form.html", target=target, form=form, languages=languages,
                           notice=notice, show_staff=current_app.config["SHOW_STAFF_NAMES"]), status


def _render_screen(target: SurveyTarget, screen: Screen, form: GuestSurveyForm, status: int,
                   notice: str | None = None):
    survey = form.full_survey
    back = previous_screen(survey, screen.name)
    languages = language_choices(current_app.config["LANGUAGES"], _language(), request.path, request.args)
    return render_template("survey/screen.html", target=target, form=form, screen=screen, languages=languages,
                           back_url=_screen_url(back.name, form.idempotency_key.data) if back else None,
                           first=screen.name == first_screen(survey).name, notice=notice,
                           show_staff=current_app.config["SHOW_STAFF_NAMES"]), status


def _screen_url(step: str, key: str | None) -> str:
    """This survey link at screen ``step`` for the guest whose answers carry ``key``, other arguments kept."""
    args = {k: v for k, v in request.args.items() if k not in ("step", "key", "lang")}
    args["step"] = step
    if key:
        args["key"] = key
    return f"{request.path}?{urlencode(args)}"


def _key_of_link() -> str | None:
    key = request.args.get("key", "")
    return key if _KEY.match(key) else None


def _thanks(target: SurveyTarget, result):
    return render_template("survey/thanks.html", target=target, result=result,
                           answered=local_day(utc_now(), target.branch.timezone))


def _submit(form: GuestSurveyForm, target: SurveyTarget, **kwargs):
    return submit_response(current_store(), form.submission(target, "qr", _language(), **kwargs),
                           rules=SubmissionRules.from_config(current_app.config))


def _continues_a_response() -> bool:
    """A later screen of an answer already stored: the rate limit counts a guest once, not once a screen."""
    key = request.form.get("idempotency_key", "")
    branch = (request.view_args or {}).get("branch", "")
    if not request.form.get("step") or not _KEY.match(key):
        return False
    try:
        return current_store().responses.holds_key(branch, utc_now(), key)
    except ValueError:
        return False


@bp.route("/s/<branch>", methods=["GET", "POST"])
@bp.route("/s/<branch>/<desk>", methods=["GET", "POST"])
@limiter.limit(_qr_rate_limit, key_func=client_rate_key, methods=["POST"], exempt_when=_continues_a_response)
def survey(branch: str, desk: str | None = None):
    """One question a screen, each a small form post; a post without ``step`` answers the whole survey."""
    target = _target_of_request()
    survey = _shown_survey(target)
    if first_screen(survey) is None:  # nothing is asked here (every question limited to other places)
        abort(404)
    if request.method == "GET":
        screen = screen_named(survey, request.args.get("step", "")) or first_screen(survey)
        key = _key_of_link()
        form = _form(target, screen, formdata=None, step=screen.name, **({"idempotency_key": key} if key else {}))
        return _render_screen(target, screen, form, 200)
    step = request.form.get("step", "")
    if not step:
        return _whole_survey(target)
    screen = screen_named(survey, step)
    if screen is None:  # the survey changed between two screens (or a damaged page): start again
        screen = first_screen(survey)
        form = _form(target, screen, formdata=None, step=screen.name)
        return _render_screen(target, screen, form, 400, _("This survey has just changed. Please answer "
                                                            "from its first question."))
    form = _form(target, screen)
    if form.validate_on_submit():
        following = next_screen(survey, screen.name, form.answers())
        result = None
        try:
            if following is None or not form.is_empty():
                result = _submit(form, target, finished=following is None, required=screen.question_ids)
        except InvalidSubmission as exc:
            form.add_service_errors(exc.errors)
        else:
            if result is not None:
                after_guest_answer(result)  # each stored part wakes the branch's alerts
            if following is None:
                return _thanks(target, result)
            return redirect(_screen_url(following.name, form.idempotency_key.data), 303)
    return _render_screen(target, screen, form, 400)


def _whole_survey(target: SurveyTarget):
    form = _form(target)
    if form.validate_on_submit():
        try:
            result = _submit(form, target)
        except InvalidSubmission as exc:
            form.add_service_errors(exc.errors)
        else:
            after_guest_answer(result)
            return _thanks(target, result)
    return _render_form(target, form, 400)


@bp.errorhandler(CSRFError)
def expired_form(error):
    """A form left open too long: show the guest's answers again with a fresh token, nothing lost."""
    try:
        target = find_target(current_store(), (request.view_args or {}).get("branch", ""),
                             (request.view_args or {}).get("desk"), request.args.get("staff"))
    except UnknownBranchError:
        return unknown_link(error)
    notice = _("This page was open for a long time, so your answers were not sent yet. "
               "They are still here: please check them and press Send again.")
    screen = screen_named(_shown_survey(target), request.form.get("step", ""))
    if screen is not None:
        notice = _("This page was open for a long time, so your answer was not sent yet. "
                   "Please answer again.")
        return _render_screen(target, screen, _form(target, screen), 400, notice)
    return _render_form(target, _form(target), 400, notice)


@bp.errorhandler(404)
def unknown_link(error):
    return render_template("survey/not_found.html"), 404


@bp.errorhandler(429)
def too_many(error):
    return render_template("survey/limited.html"), 429
