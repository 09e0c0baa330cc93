"""Sign in and sign out."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_required, login_user, logout_user

from ..services.accounts import password_matches
from ..store import current_store
from .forms import SignInForm
from .session import SignedInUser

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _safe_next(target: str | None) -> str | None:
    """Only a local path may be a redirect target after sign-in."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = SignInForm()
    if form.validate_on_submit():
        user = current_store().directory.user_by_email(form.email.data)
        if user and password_matches(user, form.password.data):
            # A fresh session at sign-in: nothing from before carries over.
            lang = session.get("lang")
            session.clear()
            if lang:
                session["lang"] = lang
            login_user(SignedInUser(user))
            return redirect(_safe_next(request.args.get("next")) or url_for("core.index"))
        form.password.errors.append(_("E-mail or password is not right."))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    session.clear()
    flash(_("You are signed out."))
    return redirect(url_for("auth.login"))
