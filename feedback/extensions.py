"""Flask extensions, created once and bound to the app in ``create_app``."""

from flask import session
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_wtf import CSRFProtect

__all__ = ["babel", "csrf", "limiter", "login_manager"]



class SignInLoginManager(LoginManager):
    """Flask-Login's "strong" session protection, applied to sessions that carry a sign-in.

    Flask-Login checks every non-empty session, and a guest's anonymous one
    (its CSRF token and form key) fails the check on every page: it is
    emptied of nothing, marked changed, and sent back as a new cookie plus a
    remember-me deletion with every survey answer. A session with nothing
    signed in has nothing to protect, so it is left as it is.
    """

    def _session_protection_failed(self):
        if "_user_id" not in session:
            return False
        return super()._session_protection_failed()


babel = Babel()
csrf = CSRFProtect()
login_manager = SignInLoginManager()
# Keyed per view (see the survey views): never by a client-supplied header.
limiter = Limiter(key_func=lambda: "global", default_limits=[], storage_uri="memory://")
