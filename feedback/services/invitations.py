"""Inviting mystery shoppers by a signed, expiring, single-use link.

An administrator invites an e-mail address: that makes a shopper account that
cannot sign in yet (inactive, with a random password nobody knows) and a link
signed with the app's secret key. Opening the link lets the shopper choose a
password, which activates the account.

Why nothing else is stored: the signed token carries the user id, the time it
was issued and a fingerprint of the account's current password hash. Setting a
password, or inviting the same address again, changes that hash, so every
earlier link stops working; the issue time makes links expire.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.security import generate_password_hash

from ..model import User, format_utc, utc_now
from .accounts import MIN_PASSWORD_LENGTH, AccountError, create_user

__all__ = [
    "INVITATION_VALID_FOR",
    "Invitation",
    "InvitationError",
    "invite_shopper",
    "read_invitation",
    "accept_invitation",
]

#: How long an invitation link works.
INVITATION_VALID_FOR = timedelta(days=7)
_SALT = "shopper-invitation"


class InvitationError(ValueError):
    """The link cannot be used. ``reason`` is ``invalid``, ``expired`` or ``used``."""

    def __init__(self, reason: str):
        super().__init__(f"invitation {reason}")
        self.reason = reason


@dataclass(frozen=True)
class Invitation:
    user: User
    token: str


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=_SALT)


def _fingerprint(user: User) -> str:
    """Changes whenever the password hash changes, which retires older links."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def _unguessable_hash() -> str:
    return generate_password_hash(secrets.token_urlsafe(32))


def invite_shopper(store, *, email: str, display_name: str, secret_key: str,
                   now: datetime | None = None) -> Invitation:
    """Create (or re-invite) a shopper who has not set a password yet; return the link token.

    An address that already belongs to an active account, or to anyone who is
    not a shopper, is refused: an invitation must never take over an account.
    """
    now = now or utc_now()
    existing = store.directory.user_by_email(email)
    if existing is None:
        user = create_user(store, email=email, password=secrets.token_urlsafe(32), role="shopper",
                           display_name=display_name)
        user.active = False
        store.directory.update_user(user.id, active=False)
    elif existing.role != "shopper" or existing.active:
        raise AccountError("this e-mail address already has an account")
    else:
        user = existing
        user.password_hash = _unguessable_hash()
        if display_name:
            user.display_name = display_name
        store.directory.update_user(user.id, password_hash=user.password_hash, display_name=user.display_name)
    payload = {"user": user.id, "issued": int(now.timestamp()), "fp": _fingerprint(user)}
    return Invitation(user=user, token=_serializer(secret_key).dumps(payload))


def read_invitation(store, token: str, *, secret_key: str, now: datetime | None = None,
                    valid_for: timedelta = INVITATION_VALID_FOR) -> User:
    """The invited user, if ``token`` is genuine, unexpired and unused; else :class:`InvitationError`."""
    now = now or utc_now()
    try:
        payload = _serializer(secret_key).loads(token)
        user_id, issued, fingerprint = payload["user"], int(payload["issued"]), payload["fp"]
    except (BadSignature, KeyError, TypeError, ValueError):
        raise InvitationError("invalid") from None
    user = store.directory.user(user_id)
    if user is None or user.role != "shopper":
        raise InvitationError("invalid")
    if user.active or fingerprint != _fingerprint(user):
        raise InvitationError("used")
    if now.timestamp() - issued > valid_for.total_seconds():
        raise InvitationError("expired")
    return user


def accept_invitation(store, token: str, *, password: str, secret_key: str, now: datetime | None = None,
                      valid_for: timedelta = INVITATION_VALID_FOR) -> User:
    """Set the shopper's password and activate the account; the link is then spent."""
    now = now or utc_now()
    user = read_invitation(store, token, secret_key=secret_key, now=now, valid_for=valid_for)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    user.password_hash = generate_password_hash(password)
    user.active = True
    user.password_changed_at = format_utc(now)
    store.directory.update_user(user.id, password_hash=user.password_hash, active=True,
                                password_changed_at=user.password_changed_at)
    return user
