"""Flask extensions, created once and bound to the app in ``create_app``."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_wtf import CSRFProtect

__all__ = ["babel", "csrf", "limiter", "login_manager"]

babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
# Keyed per view (see the survey views): never by a client-supplied header.
limiter = Limiter(key_func=lambda: "global", default_limits=[], storage_uri="memory://")
