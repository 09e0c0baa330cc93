"""Kiosk pages: ``/kiosk/<token>``, the touch-screen survey at a desk.

The page works as a plain form; ``kiosk.js`` makes it a kiosk: it sends
answers in the background, queues them on the device while the network is
down, fetches a fresh CSRF token whenever the old one has expired (a kiosk
stays open for weeks), and clears partial answers after an idle time. The
same view answers the script in JSON and a browser without it in HTML.
"""

from __future__ import annotations

import hashlib

from flask import Blueprint, abort, current_app, jsonify, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, generate_csrf

from ..jobs import after_guest_answer
from ..model import Kiosk, utc_now
from ..services.guest_limits import GuestLimits, screen_submission
from ..services.kiosk_fleet import record_kiosk_contact
from ..services.kiosks import active_kiosk
from ..services.submission import InvalidSubmission, SubmissionRules, submit_response
from ..services.targets import SurveyTarget, UnknownBranchError, find_target, guest_survey, local_day
from ..store import current_store
from ..survey.forms import GuestSurveyForm, build_survey_form
from ..survey.languages import language_choices

__all__ = ["bp"]

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")

#: Seconds the "are you still there?" question waits before clearing answers.
IDLE_WARNING_SECONDS = 15
#: Seconds the thank-you screen stays before the next guest's start screen.
THANKS_SECONDS = 6


def kiosk_rate_key() -> str:
    """Kiosks are counted per terminal, by token: many guests share one device and one address.

    The token is hashed so that the secret never appears in the shared counters.
    """
    token = (request.view_args or {}).get("token", "")
    return "kiosk:" + hashlib.sha256(token.encode()).hexdigest()[:24]


def _wants_json() -> bool:
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


def _language() -> str:
    return str(get_locale())


def _find_kiosk(token: str) -> tuple[Kiosk, SurveyTarget] | None:
    """The active kiosk and where its answers go, or None for a revoked or unknown one."""
    store = current_store()
    kiosk = active_kiosk(store, token)
    if kiosk is None:
        return None
    try:
        return kiosk, find_target(store, kiosk.branch, kiosk.desk)
    except UnknownBranchError:
        return None


def _kiosk_and_target(token: str) -> tuple[Kiosk, SurveyTarget]:
    found = _find_kiosk(token)
    if found is None:
        abort(404)
    return found


def _form() -> GuestSurveyForm:
    return build_survey_form(guest_survey(current_store(), "kiosk"), _language(),
                             comment_max_length=current_app.config["COMMENT_MAX_LENGTH"])


def _render(kiosk: Kiosk, target: SurveyTarget, form: GuestSurveyForm, status: int, notice: str | None = None):
    config = current_app.config
    languages = language_choices(config["LANGUAGES"], _language(), request.path, {})
    timing = {
        "idle": config["KIOSK_IDLE_SECONDS"],
        "warning": config.get("KIOSK_IDLE_WARNING_SECONDS", IDLE_WARNING_SECONDS),
        "thanks": config.get("KIOSK_THANKS_SECONDS", THANKS_SECONDS),
    }
    return render_template("kiosk/form.html", kiosk=kiosk, target=target, form=form, languages=languages,
                           timing=timing, notice=notice), status


@bp.route("/<token>", methods=["GET", "POST"])
def kiosk(token: str):
    kiosk, target = _kiosk_and_target(token)
    form = _form()
    if form.validate_on_submit():
        screening = screen_submission(current_store().counters, GuestLimits.for_kiosk(current_app.config),
                                      kiosk_rate_key())
        if screening.refuse:  # the script keeps the answer queued and sends it again later
            if _wants_json():
                return jsonify(status="limited"), 429
            notice = _("Your answers were not sent yet. They are still here: please press Send again in a minute.")
            return _render(kiosk, target, form, 429, notice)
        try:
            result = submit_response(current_store(), form.submission(target, "kiosk", _language()),
                                     rules=SubmissionRules.from_config(current_app.config))
        except InvalidSubmission as exc:
            form.add_service_errors(exc.errors)
        else:
            after_guest_answer(result)
            if _wants_json():
                return jsonify(status="stored" if result.created else "duplicate")
            return render_template("kiosk/thanks.html", kiosk=kiosk, target=target, result=result,
                                   answered=local_day(utc_now(), target.branch.timezone))
    if request.method == "POST" and _wants_json():
        return jsonify(status="invalid", errors=form.errors), 400
    return _render(kiosk, target, form, 400 if request.method == "POST" else 200)


@bp.get("/<token>/csrf")
def fresh_token(token: str):
    """A new CSRF token for a kiosk page that has been open longer than a token lives."""
    _kiosk_and_target(token)
    response = jsonify(csrf_token=generate_csrf())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<token>/seen")
def seen(token: str):
    """The kiosk checks in (``kiosk.js``, every few minutes): when it was last seen, how many answers wait on it."""
    kiosk, _target = _kiosk_and_target(token)
    queue = request.args.get("queue", type=int)
    record_kiosk_contact(current_store(), kiosk, queue)
    response = current_app.response_class(status=204)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(CSRFError)
def expired_form(error):
    found = _find_kiosk((request.view_args or {}).get("token", ""))
    if found is None:
        return unknown_kiosk(error)
    if _wants_json():
        return jsonify(status="csrf"), 400
    kiosk, target = found
    notice = _("Your answers were not sent yet. They are still here: please press Send again.")
    return _render(kiosk, target, _form(), 400, notice)


@bp.errorhandler(404)
def unknown_kiosk(error):
    """A revoked or unknown kiosk: the script keeps what it holds unless an admin chose to discard it."""
    token = (request.view_args or {}).get("token")
    known = current_store().directory.kiosk(token) if token else None
    discard = bool(known and not known.active and known.discard_queued)
    if _wants_json():
        return jsonify(status="unknown_kiosk", discard=discard), 404
    path = url_for("kiosk.kiosk", token=token) if token else None
    return render_template("kiosk/unknown.html", kiosk_path=path, discard=discard), 404


