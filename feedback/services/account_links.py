"""Reset and invitation links, sent by e-mail: what the sign-in page and the Users page call.

The link is built on ``PUBLIC_URL`` (:func:`feedback.links.public_url`) and
queued in the outbox; with no mail server configured it waits there, and the
console's outbox page shows it to an administrator, never the server log.
"""

from __future__ import annotations

from ..links import public_url
from ..model import User
from .invitations import INVITATION_VALID_FOR, invite_shopper
from .notices import send_invitation, send_reset_link
from .signin import make_reset_token

__all__ = ["reset_link", "send_password_reset", "resend_invitation", "invitation_link"]


def reset_link(user: User, secret_key: str) -> str:
    return public_url("auth.reset_password_page", token=make_reset_token(user, secret_key))


def send_password_reset(store, user: User, *, secret_key: str):
    """Queue a reset link for an active user; None (nothing sent) for an inactive one."""
    if not user.active:
        return None
    return send_reset_link(store, user, reset_link(user, secret_key))


def invitation_link(token: str) -> str:
    return public_url("shop.welcome", token=token)


def resend_invitation(store, user: User, *, secret_key: str):
    """A fresh invitation for a shopper who has not set a password yet (older links stop working)."""
    invitation = invite_shopper(store, email=user.email, display_name=user.display_name, secret_key=secret_key)
    link = invitation_link(invitation.token)
    return send_invitation(store, invitation.user, link, INVITATION_VALID_FOR.days), link
