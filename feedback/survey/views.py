"""QR survey pages: ``/s/<branch>``, ``/s/<branch>/<desk>``, each with an optional ``?staff=CODE``.

Plain HTML forms that work without JavaScript. Views stay thin: resolve the
link, parse with the form, call ``submit_response``, render.

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

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import validate_csrf
from wtforms.validators import ValidationError

from ..extensions import csrf
from ..jobs import after_guest_answer
from ..model import utc_now
from ..services.guest_limits import GuestLimits, screen_submission
from ..services.submission import InvalidSubmission, SubmissionRules, submit_response
from ..services.targets import SurveyTarget, UnknownBranchError, find_target, guest_survey, local_day
from ..store import current_store
from .form_keys import check_form_key, issue_form_key
from .forms import GuestSurveyForm, build_survey_form
from .languages import language_choices

__all__ = ["bp", "client_rate_key"]

bp = Blueprint("survey", __name__)


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


def _form(target: SurveyTarget, **kwargs) -> GuestSurveyForm:
    # CSRF is checked by the view itself: a failed check holds the answer instead of losing it.
    survey = guest_survey(current_store(), "qr")
    return build_survey_form(survey, _language(), comment_max_length=current_app.config["COMMENT_MAX_LENGTH"],
                             meta={"csrf": False}, **kwargs)


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


@bp.route("/s/<branch>", methods=["GET", "POST"])
@bp.route("/s/<branch>/<desk>", methods=["GET", "POST"])
@csrf.exempt
def survey(branch: str, desk: str | None = None):
    target = _target_of_request()
    form = _form(target)
    if form.is_submitted() and form.validate():
        screening = screen_submission(current_store().counters, GuestLimits.for_qr(current_app.config),
                                      client_rate_key())
        if screening.refuse:
            notice = _("We received a very large number of answers from this connection in the last minute, "
                       "so yours were not stored yet. They are still here: please wait a minute, "
                       "then press Send again.")
            return _render_form(target, form, 429, notice)
        reasons, issued_on = _suspicion(form)
        submission = dataclasses.replace(form.submission(target, "qr", _language()),
                                         hold_reasons=tuple([*reasons, *screening.reasons]),
                                         key_issued_on=issued_on)
        try:
            result = submit_response(current_store(), submission,
                                     rules=SubmissionRules.from_config(current_app.config))
        except InvalidSubmission as exc:
            form.add_service_errors(exc.errors)
        else:
            after_guest_answer(result)
            return render_template("survey/thanks.html", target=target, result=result,
                                   answered=local_day(utc_now(), target.branch.timezone))
    return _render_form(target, form, 400 if request.method == "POST" else 200)


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
