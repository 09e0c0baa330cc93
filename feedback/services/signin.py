"""Signing in safely: per-account throttling and single-use password-reset links.

Throttling is per account, not per address: guessing one manager's password
from many machines is still stopped, and no client address is ever stored.
After ``MAX_FAILURES`` wrong passwords within ``FAILURE_WINDOW`` the account
is locked for ``LOCK_FOR``, even against the right password.

A reset link carries a signed, timed token naming the user and a fingerprint
of their current password hash: once the password changes the fingerprint no
longer matches, so the link works once, and it expires after an hour.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.security import check_password_hash, generate_password_hash

from ..model import User, format_utc, parse_utc
from .accounts import MIN_PASSWORD_LENGTH, AccountError

__all__ = [
    "MAX_FAILURES",
    "FAILURE_WINDOW",
    "LOCK_FOR",
    "RESET_MAX_AGE",
    "SignInResult",
    "sign_in",
    "session_fingerprint",
    "make_reset_token",
    "user_for_reset_token",
    "reset_password",
    "ResetLinkError",
]

MAX_FAILURES = 10
FAILURE_WINDOW = timedelta(minutes=15)
LOCK_FOR = timedelta(minutes=15)
RESET_MAX_AGE = 3600  # seconds
_RESET_SALT = "password-reset"
# Checked against when no account has the e-mail, so that answering takes as
# long for an unknown address as for a known one.
_DUMMY_HASH = generate_password_hash("not a real password, only for timing")


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    reason: str  # ok | wrong | locked


def _is_locked(user: User, now: datetime) -> bool:
    return bool(user.locked_until) and parse_utc(user.locked_until) > now


def sign_in(store, email: str, password: str, *, now: datetime | None = None) -> SignInResult:
    """Check a password, counting failures per account and locking after too many."""
    now = now or datetime.now(UTC)
    user = store.directory.user_by_email(email)
    if user is None or not user.active:
        check_password_hash(_DUMMY_HASH, password)
        return SignInResult(None, "wrong")
    if _is_locked(user, now):
        return SignInResult(None, "locked")
    if check_password_hash(user.password_hash, password):
        if user.failed_logins or user.locked_until:
            store.directory.update_user(user.id, failed_logins=[], locked_until=None)
        return SignInResult(user, "ok")
    window_start = now - FAILURE_WINDOW
    recent = [t for t in user.failed_logins if parse_utc(t) > window_start] + [format_utc(now)]
    fields: dict = {"failed_logins": recent}
    if len(recent) >= MAX_FAILURES:
        fields = {"failed_logins": [], "locked_until": format_utc(now + LOCK_FOR)}
    store.directory.update_user(user.id, **fields)
    return SignInResult(None, "locked" if "locked_until" in fields else "wrong")


def session_fingerprint(user: User) -> str:
    """Short digest of the password hash: a session or link made before a password change stops working."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=_RESET_SALT)


def make_reset_token(user: User, secret_key: str) -> str:
    return _serializer(secret_key).dumps({"u": user.id, "f": session_fingerprint(user)})


class ResetLinkError(ValueError):
    """A reset link that is expired, used, altered or for no account."""


def user_for_reset_token(store, token: str, secret_key: str, *, max_age: int = RESET_MAX_AGE) -> User:
    try:
        data = _serializer(secret_key).loads(token, max_age=max_age)
    except SignatureExpired:
        raise ResetLinkError("expired") from None
    except BadSignature:
        raise ResetLinkError("invalid") from None
    user = store.directory.user(data.get("u", "")) if isinstance(data, dict) else None
    if user is None or not user.active or session_fingerprint(user) != data.get("f"):
        raise ResetLinkError("used")
    return user


def reset_password(store, token: str, new_password: str, secret_key: str, *,
                   now: datetime | None = None, max_age: int = RESET_MAX_AGE) -> User:
    """Set a new password through a reset link; the link (and every session) stops working."""
    user = user_for_reset_token(store, token, secret_key, max_age=max_age)
    if len(new_password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    now = now or datetime.now(UTC)
    store.directory.update_user(user.id, password_hash=generate_password_hash(new_password),
                                password_changed_at=format_utc(now), failed_logins=[], locked_until=None)
    return store.directory.user(user.id)
