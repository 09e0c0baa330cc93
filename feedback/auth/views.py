"""Sign in, sign out, and reset a forgotten password."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, logout_user

from ..links import public_url
from ..services.account_links import send_password_reset
from ..services.accounts import AccountError
from ..services.mail import mail_configured
from ..services.signin import (
    DEVICE_COOKIE_MAX_AGE,
    ResetLinkError,
    SignInClient,
    make_reset_token,
    reset_password,
    sign_in,
    user_for_reset_token,
)
from ..services.user_sessions import end_session
from ..store import current_store
from .forms import NewPasswordForm, ResetRequestForm, SignInForm
from .session import sign_in_fresh

bp = Blueprint("auth", __name__, url_prefix="/auth")

# Marks a browser its user has signed in from, so that others' failed guesses never slow it.
DEVICE_COOKIE = "feedback_device"


def _safe_next(target: str | None) -> str | None:
    """Only a local path may be a redirect target after sign-in."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def _home_for(role: str) -> str:
    if role in ("admin", "manager"):
        return url_for("manage.dashboard")
    if role == "staff":
        return url_for("me.index")
    # Shoppers and reviewers work in the mystery-shopper programme.
    return url_for("shop.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = SignInForm()
    if form.validate_on_submit():
        store, config = current_store(), current_app.config
        client = SignInClient(request.remote_addr or "", request.cookies.get(DEVICE_COOKIE))
        result = sign_in(store, form.email.data, form.password.data, secret_key=config["SECRET_KEY"],
                         client=client)
        if result.user is not None:
            sign_in_fresh(result.user)
            answer = redirect(_safe_next(request.args.get("next")) or _home_for(result.user.role))
            answer.set_cookie(DEVICE_COOKIE, result.device_cookie, max_age=DEVICE_COOKIE_MAX_AGE, path="/auth/",
                              httponly=True, secure=config["SESSION_COOKIE_SECURE"], samesite="Lax")
            return answer
        if result.reason == "locked":
            form.password.errors.append(_("Too many failed attempts from here: this account is locked on this "
                                          "device. Sign in from another device or ask for a reset link."))
        elif result.reason == "wait":
            form.password.errors.append(ngettext(
                "Too many failed attempts: please wait %(num)d second and try again.",
                "Too many failed attempts: please wait %(num)d seconds and try again.", result.wait_seconds))
        else:
            form.password.errors.append(_("E-mail or password is not right."))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    end_session(current_store(), current_user.session_id)
    logout_user()
    session.clear()
    flash(_("You are signed out."))
    return redirect(url_for("auth.login"))


def reset_link_for(user) -> str:
    """The absolute reset link for ``user``; also used by the ``reset-link`` command."""
    token = make_reset_token(user, current_app.config["SECRET_KEY"])
    return public_url("auth.reset_password_page", token=token)


@bp.route("/reset", methods=["GET", "POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = current_store().directory.user_by_email(form.email.data)
        if user is not None and user.active:
            # Queued in the outbox, never on the page: the worker sends it (or an admin reads it there).
            send_password_reset(current_store(), user, secret_key=current_app.config["SECRET_KEY"])
        # The same answer whether or not the account exists.
        if mail_configured(current_app.config):
            flash(_("If that address has an account, a reset link is on its way to it by e-mail."))
        else:
            flash(_("If that address has an account, a reset link is waiting for the administrator, "
                    "who will pass it on to you."))
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password_page(token: str):
    store = current_store()
    secret = current_app.config["SECRET_KEY"]
    try:
        user_for_reset_token(store, token, secret)
    except ResetLinkError:
        return render_template("auth/reset_invalid.html"), 400
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            reset_password(store, token, form.password.data, secret)
        except ResetLinkError:
            return render_template("auth/reset_invalid.html"), 400
        except AccountError as exc:
            form.password.errors.append(str(exc))
        else:
            session.clear()
            flash(_("Your password is changed. Sign in with the new one."))
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


from . import account_views  # noqa: E402,F401  (registers the account page on ``bp``)
