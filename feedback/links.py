"""Links that leave the app: built on ``PUBLIC_URL``, never on the request's Host header.

A reset link, an invitation, a kiosk link, a poster's QR code or a link in an
e-mail is read somewhere else, later; a request's ``Host`` header is chosen by
whoever sent it, so a link built from it could send a valid token to an
attacker's site. Every such link goes through :func:`public_url`.
"""

from __future__ import annotations

from flask import current_app, has_request_context, url_for

__all__ = ["public_base", "public_url"]


def public_base() -> str:
    """``PUBLIC_URL`` without a trailing slash."""
    return str(current_app.config["PUBLIC_URL"]).rstrip("/")


def public_url(endpoint: str, *, base: str | None = None, **values) -> str:
    """The absolute address of ``endpoint`` as guests and staff reach the app (or on ``base``).

    Works in a request and outside one (CLI commands, background jobs) alike.
    """
    root = base.rstrip("/") if base else public_base()
    if has_request_context():
        return root + url_for(endpoint, _external=False, **values)
    with current_app.test_request_context():
        return root + url_for(endpoint, _external=False, **values)
