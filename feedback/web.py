"""Wires the web side of the app: extensions, language choice, security headers, blueprints."""

from __future__ import annotations

from flask import Flask, request, session
from flask_login import current_user

from .extensions import babel, csrf, limiter, login_manager

__all__ = ["init_app", "select_locale"]

# Manager and shopper pages must never be kept by a shared browser or proxy.
_PRIVATE_PREFIXES = ("/manage", "/shop", "/auth", "/review")


def select_locale() -> str:
    """``?lang=`` on this request, else a signed-in user's saved language, else an earlier pick, else the browser's.

    A signed-in user's language is a setting on their account (``/auth/account``):
    it beats a guest's earlier pick in the same browser, so staff pages, the
    reports they download and the exports follow the account.
    """
    from flask import current_app

    languages = current_app.config["LANGUAGES"]
    chosen = request.args.get("lang")
    if chosen in languages:
        session["lang"] = chosen
        return chosen
    if current_user and getattr(current_user, "is_authenticated", False):
        if current_user.language in languages:
            return current_user.language
    if session.get("lang") in languages:
        return session["lang"]
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def _security_headers(response):
    headers = response.headers
    headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    )
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    if request.path.startswith(_PRIVATE_PREFIXES):
        headers["Cache-Control"] = "no-store"
    return response


def _allow_logo_upload() -> None:
    if request.endpoint == "manage.poster_branding_save":
        from .services.branding import LOGO_MAX_BYTES

        request.max_content_length = LOGO_MAX_BYTES + 64 * 1024


def init_app(app: Flask) -> None:
    from .auth.session import init_login

    # Before CSRF protection reads the form: the one upload (a poster logo) may be larger than a guest's post.
    app.before_request(_allow_logo_upload)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    limiter.init_app(app)
    login_manager.init_app(app)
    init_login(app)
    app.after_request(_security_headers)

    from . import errors

    errors.init_app(app)

    from flask_babel import get_locale

    app.jinja_env.globals["get_locale"] = get_locale
    from .manage.forms import ROLE_LABELS

    app.jinja_env.globals["role_labels"] = ROLE_LABELS  # the role in the reader's language, on every page
    # A branch's or desk's name in the reader's language where set-up gives one ({{ branch|local_name }}).
    app.jinja_env.filters["local_name"] = lambda record: record.name_in(str(get_locale())) if record else ""

    from . import local_time

    local_time.init_app(app)

    from .auth.views import bp as auth_bp
    from .core.views import bp as core_bp
    from .kiosk.views import bp as kiosk_bp
    from .manage.views import bp as manage_bp
    from .me.views import bp as me_bp
    from .reports.views import bp as reports_bp
    from .shop.views import bp as shop_bp
    from .survey.views import bp as survey_bp

    for blueprint in (core_bp, auth_bp, survey_bp, kiosk_bp, shop_bp, manage_bp, reports_bp, me_bp):
        app.register_blueprint(blueprint)
