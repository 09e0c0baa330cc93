"""Flask-Login glue: how a signed-in user is loaded and what a role may do.

The session holds the user's id, the id of a server-side session record (see
``services.user_sessions``) and a fingerprint of their password hash. Every
request checks all three, so signing out, a password change or an
administrator's "sign out everywhere" ends every copy of the session cookie.
"""

from __future__ import annotations

from functools import wraps

from flask import Flask, abort, current_app, session
from flask_login import UserMixin, current_user, login_required, login_user

from ..extensions import login_manager
from ..model import User
from ..services.signin import session_fingerprint
from ..services.user_sessions import session_is_live, start_session
from ..store import current_store

__all__ = ["SignedInUser", "init_login", "role_required", "sign_in_fresh"]


class SignedInUser(UserMixin):
    """A stored :class:`User` as Flask-Login sees it."""

    def __init__(self, user: User, session_id: str):
        self.user = user
        self.session_id = session_id

    def get_id(self) -> str:
        return f"{self.user.id}:{self.session_id}:{session_fingerprint(self.user)}"

    @property
    def is_active(self) -> bool:
        return self.user.active

    def __getattr__(self, name):
        return getattr(self.user, name)


def sign_in_fresh(user: User) -> None:
    """Sign ``user`` in on a new session: nothing from before carries over (no fixation) but the language."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    session_id = start_session(current_store(), user.id, hours=current_app.config["SESSION_HOURS"])
    login_user(SignedInUser(user, session_id))


def init_login(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(login_id: str):
        user_id, _, rest = login_id.partition(":")
        session_id, _, fingerprint = rest.partition(":")
        store = current_store()
        user = store.directory.user(user_id)
        if user is None or not user.active or fingerprint != session_fingerprint(user):
            return None
        if not session_is_live(store, session_id, user.id):
            return None
        return SignedInUser(user, session_id)


def role_required(*roles: str):
    """A view decorator: signed in, and one of ``roles`` (admins pass every check)."""

    def decorate(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role != "admin" and current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorate
