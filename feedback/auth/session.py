"""Flask-Login glue: how a signed-in user is loaded and what a role may do.

The session holds the user's id *and* a fingerprint of their password hash,
so changing a password (for example through a reset link) ends every session
signed in with the old one.
"""

from __future__ import annotations

from functools import wraps

from flask import Flask, abort
from flask_login import UserMixin, current_user, login_required

from ..extensions import login_manager
from ..model import User
from ..services.signin import session_fingerprint
from ..store import current_store

__all__ = ["SignedInUser", "init_login", "role_required"]


class SignedInUser(UserMixin):
    """A stored :class:`User` as Flask-Login sees it."""

    def __init__(self, user: User):
        self.user = user

    def get_id(self) -> str:
        return f"{self.user.id}:{session_fingerprint(self.user)}"

    @property
    def is_active(self) -> bool:
        return self.user.active

    def __getattr__(self, name):
        return getattr(self.user, name)


def init_login(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(session_id: str):
        user_id, _, fingerprint = session_id.partition(":")
        user = current_store().directory.user(user_id)
        if user is None or not user.active or fingerprint != session_fingerprint(user):
            return None
        return SignedInUser(user)


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
