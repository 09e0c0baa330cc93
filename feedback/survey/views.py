"""QR survey pages: ``/s/<branch>``, ``/s/<branch>/<desk>``, each with an optional ``?staff=CODE``.

Plain HTML forms that work without JavaScript, one question a screen: each
answer is a button that posts that screen (so a guest who stops early is
still counted, as a partial response), and the next screen follows by
redirect (so Back and reload never re-post). A post without ``step``
answers the whole survey at once. Views stay thin: resolve the link, parse
with the form, call ``submit_response``, render.

No well-formed answer is refused for suspicion: the view checks the CSRF
token and the signed form key itself (the survey is exempt from the global
CSRF check only so that a failure can *hold* the answer instead of losing
it), counts the address in the shared counters (``services.guest_limits``),
and passes what it found to the service as hold reasons. Only a flood is
refused, on the survey page itself with the answers kept.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import re
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, g, redirect, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import validate_csrf
from wtforms.validators import ValidationError

from ..extensions import csrf
from ..jobs import after_guest_answer
from ..model import utc_now
from ..services.guest_limits import GuestLimits, screen_submission
from ..services.submission import InvalidSubmission, SubmissionRules, submit_response
from ..services.survey_screens import Screen, first_screen, next_screen, previous_screen, screen_named
from ..services.surveys import Survey
from ..services.targets import SurveyTarget, UnknownBranchError, find_target, guest_survey, local_day
from ..store import current_store
from .form_keys import check_form_key, issue_form_key
from .forms import GuestSurveyForm, build_survey_form
from .languages import language_choices
from .thanks_page import thanks_page

__all__ = ["bp", "client_rate_key"]

bp = Blueprint("survey", __name__)

_KEY = re.compile(r"^[A-Za-z0-9_-]{8,64}$")  # as the form checks it


def client_rate_key() -> str:
    """A QR guest's counting key: from the connecting address, never a header the client can forge.

    The address is keyed-hashed first, so it appears neither in the shared
    counters nor in any log line: no guest IP is kept.
    """
    address = (request.remote_addr or "unknown").encode()
    return hmac.new(str(current_app.secret_key).encode(), address, hashlib.sha256).hexdigest()[:24]


def _language() -> str:
    return str(get_locale())


def _target_of_request() -> SurveyTarget:
    args = request.view_args or {}
    try:
        return find_target(current_store(), args.get("branch", ""), args.get("desk"), request.args.get("staff"))
    except UnknownBranchError:
        abort(404)


def _shown_survey(target: SurveyTarget) -> Survey:
    """The QR survey as a guest at this branch and desk sees it (worked out once a request)."""
    shown = g.get("shown_survey")
    if shown is None or shown[0] is not target:
        shown = g.shown_survey = (target, guest_survey(current_store(), "qr").shown_at(target.branch.slug,
                                                                                       target.desk_slug))
    return shown[1]


def _form(target: SurveyTarget, screen: Screen | None = None, **kwargs) -> GuestSurveyForm:
    # CSRF is checked by the view itself: a failed check holds the answer instead of losing it.
    return build_survey_form(_shown_survey(target), _language(),
                             comment_max_length=current_app.config["COMMENT_MAX_LENGTH"],
                             only=screen.question_ids if screen else None, meta={"csrf": False}, **kwargs)


def _form_target_key() -> str:
    return f"{request.path}?staff={request.args.get('staff', '')}"


def _render_form(target: SurveyTarget, form: GuestSurveyForm, status: int, notice: str | None = None):
    if request.method == "GET" or not form.idempotency_key.data:
        # A re-shown form keeps the key it was sent with, so its answers are still stored once.
        form.idempotency_key.data = issue_form_key(_form_target_key())
    languages = language_choices(current_app.config["LANGUAGES"], _language(), request.path, request.args)
    return render_template("survey/form.html", target=target, form=form, languages=languages,
                           notice=notice, show_staff=current_app.config["SHOW_STAFF_NAMES"]), status


def _suspicion(form: GuestSurveyForm) -> tuple[list[str], object]:
    """Hold reasons found before storing, and the day the form key was issued."""
    reasons: list[str] = []
    issued_on, fresh = check_form_key(form.idempotency_key.data)
    if not fresh:
        reasons.append("form_token")
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        try:
            validate_csrf(request.form.get("csrf_token"))
        except ValidationError:
            reasons.append("form_token")
    return reasons, issued_on


def _render_screen(target: SurveyTarget, screen: Screen, form: GuestSurveyForm, status: int,
                   notice: str | None = None):
    if not form.idempotency_key.data:
        form.idempotency_key.data = issue_form_key(_form_target_key())
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
    return thanks_page(target, result, _language(), local_day(utc_now(), target.branch.timezone))


def _continues_a_response(form: GuestSurveyForm) -> bool:
    """A later screen of an answer already stored: the address is counted once a guest, not once a screen."""
    key = form.idempotency_key.data or ""
    if not form.step.data or not key:
        return False
    try:
        return current_store().responses.holds_key((request.view_args or {}).get("branch", ""), utc_now(), key)
    except ValueError:
        return False


def _store(form: GuestSurveyForm, target: SurveyTarget, **parts):
    """Screen the sender, then store what the form holds (held for review where suspicion says so).

    Returns the result, or a page to show instead (a flood from one address: refused, answers kept).
    """
    limits = GuestLimits.for_qr(current_app.config)
    screening = None if _continues_a_response(form) else screen_submission(current_store().counters, limits,
                                                                            client_rate_key())
    if screening is not None and screening.refuse:
        notice = _("We received a very large number of answers from this connection in the last minute, "
                   "so yours were not stored yet. They are still here: please wait a minute, "
                   "then press Send again.")
        return None, _render_form(target, form, 429, notice)
    reasons, issued_on = _suspicion(form)
    submission = dataclasses.replace(form.submission(target, "qr", _language(), **parts),
                                     hold_reasons=tuple([*reasons, *(screening.reasons if screening else ())]),
                                     key_issued_on=issued_on)
    result = submit_response(current_store(), submission, rules=SubmissionRules.from_config(current_app.config))
    after_guest_answer(result)
    return result, None


@bp.route("/s/<branch>", methods=["GET", "POST"])
@bp.route("/s/<branch>/<desk>", methods=["GET", "POST"])
@csrf.exempt
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
        if not key:
            form.idempotency_key.data = issue_form_key(_form_target_key())
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
    if form.validate():
        following = next_screen(survey, screen.name, form.answers())
        result = page = None
        try:
            if following is None or not form.is_empty():
                result, page = _store(form, target, finished=following is None, required=screen.question_ids)
        except InvalidSubmission as exc:
            form.add_service_errors(exc.errors)
        else:
            if page is not None:
                return page
            if following is None:
                return _thanks(target, result)
            return redirect(_screen_url(following.name, form.idempotency_key.data), 303)
    return _render_screen(target, screen, form, 400)


def _whole_survey(target: SurveyTarget):
    form = _form(target)
    if form.validate():
        try:
            result, page = _store(form, target)
        except InvalidSubmission as exc:
            form.add_service_errors(exc.errors)
        else:
            return page if page is not None else _thanks(target, result)
    return _render_form(target, form, 400)


@bp.errorhandler(413)
def too_large(error):
    """A body no survey page can produce: refused, on the survey page itself, in the guest's language."""
    try:
        target = find_target(current_store(), (request.view_args or {}).get("branch", ""),
                             (request.view_args or {}).get("desk"), request.args.get("staff"))
    except UnknownBranchError:
        return unknown_link(error)
    notice = _("What was sent is longer than this survey's answers can be, so it was not stored. "
               "Please answer again, with a shorter comment, and press Send.")
    form = _form(target, formdata=None)  # the body is not read: it is what was too large
    form.idempotency_key.data = issue_form_key(_form_target_key())
    return _render_form(target, form, 413, notice)


@bp.errorhandler(404)
def unknown_link(error):
    return render_template("survey/not_found.html"), 404
