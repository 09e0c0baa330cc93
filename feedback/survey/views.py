"""QR survey pages: ``/s/<branch>``, ``/s/<branch>/<desk>``, each with an optional ``?staff=CODE``.

Plain HTML forms that work without JavaScript. Views stay thin: resolve the
link, parse with the form, call ``submit_response``, render.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from ..extensions import limiter
from ..jobs import after_guest_answer
from ..model import utc_now
from ..services.submission import InvalidSubmission, SubmissionRules, submit_response
from ..services.targets import SurveyTarget, UnknownBranchError, find_target, guest_survey, local_day
from ..store import current_store
from .forms import GuestSurveyForm, build_survey_form
from .languages import language_choices

__all__ = ["bp", "client_rate_key"]

bp = Blueprint("survey", __name__)


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


def _form(target: SurveyTarget) -> GuestSurveyForm:
    survey = guest_survey(current_store(), "qr")
    return build_survey_form(survey, _language(), comment_max_length=current_app.config["COMMENT_MAX_LENGTH"])


def _render_form(target: SurveyTarget, form: GuestSurveyForm, status: int, notice: str | None = None):
    languages = language_choices(current_app.config["LANGUAGES"], _language(), request.path, request.args)
    return render_template("survey/form.html", target=target, form=form, languages=languages,
                           notice=notice, show_staff=current_app.config["SHOW_STAFF_NAMES"]), status


@bp.route("/s/<branch>", methods=["GET", "POST"])
@bp.route("/s/<branch>/<desk>", methods=["GET", "POST"])
@limiter.limit(_qr_rate_limit, key_func=client_rate_key, methods=["POST"])
def survey(branch: str, desk: str | None = None):
    target = _target_of_request()
    form = _form(target)
    if form.validate_on_submit():
        try:
            result = submit_response(current_store(), form.submission(target, "qr", _language()),
                                     rules=SubmissionRules.from_config(current_app.config))
        except InvalidSubmission as exc:
            form.add_service_errors(exc.errors)
        else:
            after_guest_answer(result)
            return render_template("survey/thanks.html", target=target, result=result,
                                   answered=local_day(utc_now(), target.branch.timezone))
    return _render_form(target, form, 400 if request.method == "POST" else 200)


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
    return _render_form(target, _form(target), 400, notice)


@bp.errorhandler(404)
def unknown_link(error):
    return render_template("survey/not_found.html"), 404


@bp.errorhandler(429)
def too_many(error):
    return render_template("survey/limited.html"), 429
