"""The QR survey's form token: one signed idempotency key per form page, kept across Back and reload.

A guest who presses Back after sending, or reloads, or sends twice, must not
store the answers twice. So the key a form page carries is not made anew for
every page shown: it is kept in the guest's session for the target (branch,
desk, staff member) for ``FORM_KEY_REUSE_MINUTES``, and every copy of the page
in that time carries the same key; the store keeps one answer per key.

The key is signed with the installation's secret and carries the time it
was issued, so the server can tell a key it gave out (the "form token") from
a missing, invented or stale one. Such an answer is still stored, but held
for review (reason ``form_token``). A browser that keeps no cookies gets a
fresh, still valid key with each page.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from datetime import UTC, date, datetime

from flask import current_app, session

__all__ = ["check_form_key", "issue_form_key", "new_form_key"]

_SESSION = "form_keys"
_KEEP_TARGETS = 8
_STAMP, _RANDOM, _SIGNATURE = 8, 16, 20


def _signature(body: str) -> str:
    secret = str(current_app.secret_key).encode()
    return hmac.new(secret, b"form-key:" + body.encode(), hashlib.sha256).hexdigest()[:_SIGNATURE]


def new_form_key(now: float | None = None) -> str:
    """A fresh signed key, as a form page hands out (needs the app context for the secret)."""
    body = f"{int(time.time() if now is None else now):08x}{secrets.token_hex(_RANDOM // 2)}"
    return body + _signature(body)


def _issued_at(key: str) -> float | None:
    """When a key we signed was issued; None for anything we did not sign."""
    if len(key) != _STAMP + _RANDOM + _SIGNATURE:
        return None
    body, signature = key[:-_SIGNATURE], key[-_SIGNATURE:]
    if not hmac.compare_digest(signature, _signature(body)):
        return None
    try:
        return float(int(body[:_STAMP], 16))
    except ValueError:
        return None


def issue_form_key(target: str, *, now: float | None = None) -> str:
    """The key for a form page about ``target``: the session's recent one, else a new one."""
    now = time.time() if now is None else now
    reuse = float(current_app.config["FORM_KEY_REUSE_MINUTES"]) * 60
    keys = dict(session.get(_SESSION) or {})
    current = keys.get(target)
    issued = _issued_at(current) if isinstance(current, str) else None
    if issued is not None and 0 <= now - issued <= reuse:
        return current
    key = new_form_key(now)
    keys.pop(target, None)
    keys[target] = key
    session[_SESSION] = dict(list(keys.items())[-_KEEP_TARGETS:])
    return key


def check_form_key(key: str | None, *, now: float | None = None) -> tuple[date | None, bool]:
    """The UTC day a key we signed was issued on (None if not ours), and whether it is still fresh.

    A stale key's day still matters: an answer sent again days later is found
    by it, and stays one answer.
    """
    issued = _issued_at(key) if key else None
    if issued is None:
        return None, False
    now = time.time() if now is None else now
    max_age = float(current_app.config["FORM_KEY_MAX_HOURS"]) * 3600
    return datetime.fromtimestamp(issued, UTC).date(), -300 <= now - issued <= max_age
