"""Flask-Login glue: how a signed-in user is loaded and what a role may do."""

from __future__ import annotations

from functools import wraps

from flask import Flask, abort
from flask_login import UserMixin, current_user, login_required

from ..extensions import login_manager
from ..model import User
from ..store import current_store

__all__ = ["SignedInUser", "init_login", "role_required"]


class SignedInUser(UserMixin):
    """A stored :class:`User` as Flask-Login sees it."""

    def __init__(self, user: User):
        self.user = user

    def get_id(self) -> str:
        return self.user.id

    @property
    def is_active(self) -> bool:
        return self.user.active

    def __getattr__(self, name):
        return getattr(self.user, name)


def init_login(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str):
        user = current_store().directory.user(user_id)
        return SignedInUser(user) if user and user.active else None


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
