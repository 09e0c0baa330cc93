"""Signing in safely: throttling that slows an attacker without locking out the user, and reset links.

Failures are counted twice, under keyed hashes (HMAC with a key derived from
the app's secret) so that the store holds neither e-mail addresses nor client
addresses:

* per account and client (the client is the browser's device cookie when it
  has one for this account, else its IP address): after ``free_failures``
  each further attempt must wait twice as long as the last, up to
  ``max_client_delay``; after ``client_lock_after`` that client alone is locked
  out of that account for ``client_lock_for``. The lock is on a pair, so the
  user still gets in from any other device, and a reset link clears it;
* per account, over all clients (guessing from many machines): after
  ``account_free_failures`` within ``account_window`` every client without a
  device cookie for the account waits a growing delay of at most
  ``max_account_delay``, never a lock. A browser the user has signed in from
  before carries a device cookie and is never slowed by others' failures.

An attempt made during a delay is refused before the password is checked, so
it costs the attacker a try without giving an answer, and costs the store no write.

A reset link carries a signed, timed token naming the user and a fingerprint
of their current password hash: once the password changes the fingerprint no
longer matches, so the link works once, and it expires after an hour.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.security import check_password_hash, generate_password_hash

from ..model import User, format_utc
from .accounts import MIN_PASSWORD_LENGTH, AccountError

__all__ = [
    "DEFAULT_POLICY",
    "ThrottlePolicy",
    "DEVICE_COOKIE_MAX_AGE",
    "RESET_MAX_AGE",
    "SignInClient",
    "SignInResult",
    "sign_in",
    "session_fingerprint",
    "make_reset_token",
    "user_for_reset_token",
    "reset_password",
    "ResetLinkError",
]



@dataclass(frozen=True)
class ThrottlePolicy:
    """The numbers of the throttle (see the module's docstring); the defaults are the production ones."""

    free_failures: int = 3
    max_client_delay: timedelta = timedelta(minutes=15)
    client_lock_after: int = 20
    client_lock_for: timedelta = timedelta(hours=24)
    client_window: timedelta = timedelta(hours=24)
    account_free_failures: int = 30
    account_window: timedelta = timedelta(minutes=15)
    max_account_delay: timedelta = timedelta(seconds=30)


DEFAULT_POLICY = ThrottlePolicy()
DEVICE_COOKIE_MAX_AGE = 365 * 24 * 3600  # seconds
RESET_MAX_AGE = 3600  # seconds
_RESET_SALT = "password-reset"
_DEVICE_SALT = "signin-device"
# Checked against when no account has the e-mail, so that answering takes as
# long for an unknown address as for a known one. Written out rather than made
# at import (a hash costs a tenth of a second of every process start, every CLI
# command's too); made with werkzeug's default method, which a test keeps true.
_DUMMY_HASH = ("scrypt:32768:8:1$lMfsgGJEsua1V0TC$07fab6e130a8eb16c686be809ffa722e52b0015a43cfb6fd05cd6eb088b0fb8869"
               "69479a181e85e8f3b316fe568e5d00e58ddf2033237e4f1554b5f08d033c77")


@dataclass(frozen=True)
class SignInClient:
    """Who is trying, as the request shows it: never stored, only hashed with a key."""

    address: str  # the client's IP address
    device_cookie: str | None = None  # the device cookie this browser sent, if any


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    reason: str  # ok | wrong | wait | locked
    wait_seconds: int = 0
    device_cookie: str | None = None  # on ok: the cookie to (re)set, which marks this browser as known


def _key(secret_key: str, *parts: str) -> str:
    """A keyed hash of ``parts``: the same input gives the same key, but nobody without the secret can test a guess."""
    derived = hashlib.sha256(b"signin-throttle:" + secret_key.encode()).digest()
    return hmac.new(derived, "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()[:32]


def _device_serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=_DEVICE_SALT)


def _device_for(account_key: str, cookie: str | None, secret_key: str) -> str | None:
    """The device id in ``cookie`` if it is ours and was issued for this account, else None."""
    if not cookie:
        return None
    try:
        data = _device_serializer(secret_key).loads(cookie, max_age=DEVICE_COOKIE_MAX_AGE)
    except BadSignature:
        return None
    if isinstance(data, dict) and data.get("a") == account_key[:16] and isinstance(data.get("d"), str):
        return data["d"]
    return None


def _client_delay(failures: int, policy: ThrottlePolicy) -> timedelta:
    if failures < policy.free_failures:
        return timedelta(0)
    return min(timedelta(seconds=2 ** (failures - policy.free_failures)), policy.max_client_delay)


def _account_delay(failures: int, policy: ThrottlePolicy) -> timedelta:
    if failures < policy.account_free_failures:
        return timedelta(0)
    return min(timedelta(seconds=2 ** ((failures - policy.account_free_failures) / 4)), policy.max_account_delay)


def _wait(record, delay_of, policy: ThrottlePolicy, now: datetime) -> timedelta:
    if record is None or not record.failures:
        return timedelta(0)
    return max(record.failures[-1] + delay_of(len(record.failures), policy) - now, timedelta(0))


def _account_key(email: str, secret_key: str) -> str:
    return _key(secret_key, "account", email.strip().lower())


def sign_in(store, email: str, password: str, *, secret_key: str, client: SignInClient,
            now: datetime | None = None, policy: ThrottlePolicy = DEFAULT_POLICY) -> SignInResult:
    """Check a password, slowing repeated failures per account and client (see the module's docstring)."""
    now = now or datetime.now(UTC)
    account = _account_key(email, secret_key)
    device = _device_for(account, client.device_cookie, secret_key)
    pair = f"{account}:" + _key(secret_key, "client", account, f"device:{device}" if device else client.address)
    records = store.signin_attempts.records([account, pair], since=now - policy.client_window)
    pair_record, account_record = records.get(pair), records.get(account)
    if account_record:
        account_record.failures = [t for t in account_record.failures if t >= now - policy.account_window]
    if pair_record and pair_record.locked_until and pair_record.locked_until > now:
        return SignInResult(None, "locked")
    wait = _wait(pair_record, _client_delay, policy, now)
    if device is None:
        wait = max(wait, _wait(account_record, _account_delay, policy, now))
    if wait > timedelta(0):
        return SignInResult(None, "wait", wait_seconds=math.ceil(wait.total_seconds()))

    user = store.directory.user_by_email(email)
    if user is not None and user.active and check_password_hash(user.password_hash, password):
        if pair_record:
            store.signin_attempts.clear([pair])
        cookie = _device_serializer(secret_key).dumps({"a": account[:16], "d": device or secrets.token_hex(16)})
        return SignInResult(user, "ok", device_cookie=cookie)
    if user is None or not user.active:
        check_password_hash(_DUMMY_HASH, password)
    failures = len(pair_record.failures) + 1 if pair_record else 1
    lock = {pair: now + policy.client_lock_for} if failures >= policy.client_lock_after else None
    store.signin_attempts.add_failure([account, pair], at=now, keep_since=now - policy.client_window, lock=lock)
    return SignInResult(None, "locked" if lock else "wrong")


def forget_failures(store, email: str, secret_key: str) -> None:
    """Clear every count and lock on an account (its password was just changed by its owner)."""
    account = _account_key(email, secret_key)
    store.signin_attempts.clear_prefix(account)


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
    """Set a new password through a reset link: the link, every session and every sign-in lock end."""
    from .user_sessions import end_all_sessions

    user = user_for_reset_token(store, token, secret_key, max_age=max_age)
    if len(new_password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    now = now or datetime.now(UTC)
    store.directory.update_user(user.id, password_hash=generate_password_hash(new_password),
                                password_changed_at=format_utc(now))
    end_all_sessions(store, user.id)
    forget_failures(store, user.email, secret_key)
    return store.directory.user(user.id)
