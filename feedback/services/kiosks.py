"""Kiosks: registering a touch-screen terminal for a desk, and revoking it.

The kiosk's secret token is its only credential (a kiosk has nobody to sign
in), so the token is long and random, shown once as a link, and a revoked
kiosk stops accepting answers at once. The admin pages and the ``kiosk`` CLI
both call these functions.
"""

from __future__ import annotations

from ..model import Kiosk, format_utc, utc_now
from ..store import NotFoundError, Store

__all__ = [
    "KioskError",
    "active_kiosk",
    "discard_kiosk_queue",
    "register_kiosk",
    "reregister_kiosk",
    "revoke_kiosk",
]


class KioskError(ValueError):
    """A kiosk cannot be registered as asked (unknown branch or desk)."""


def register_kiosk(store: Store, branch: str, desk: str, label: str = "") -> Kiosk:
    """Register a kiosk for ``branch``/``desk`` and return it with its new token."""
    if store.directory.branch(branch) is None:
        raise KioskError(f"no branch {branch!r}")
    if store.directory.desk(branch, desk) is None:
        raise KioskError(f"no desk {desk!r} at branch {branch!r}")
    token = Kiosk.new_token()
    while token.startswith("-"):  # a leading dash would read as an option on the command line
        token = Kiosk.new_token()
    kiosk = Kiosk(token=token, branch=branch, desk=desk, label=label.strip(),
                  created_at=format_utc(utc_now()))
    return store.directory.add_kiosk(kiosk)


def revoke_kiosk(store: Store, token: str) -> None:
    """Stop a kiosk at once; its link then answers 404. Raises ``NotFoundError`` for an unknown token."""
    if store.directory.kiosk(token) is None:
        raise NotFoundError("no such kiosk")
    store.directory.update_kiosk(token, active=False)


def reregister_kiosk(store: Store, token: str) -> None:
    """Accept a revoked kiosk's link again; the answers it kept meanwhile are then delivered."""
    if store.directory.kiosk(token) is None:
        raise NotFoundError("no such kiosk")
    store.directory.update_kiosk(token, active=True, discard_queued=False)


def discard_kiosk_queue(store: Store, token: str) -> None:
    """Tell a revoked kiosk to discard the answers it still holds (on purpose: they are never sent).

    The kiosk learns it the next time it reaches the server; an active kiosk
    is revoked by this first, since its waiting answers could otherwise still arrive.
    """
    if store.directory.kiosk(token) is None:
        raise NotFoundError("no such kiosk")
    store.directory.update_kiosk(token, active=False, discard_queued=True)


def active_kiosk(store: Store, token: str) -> Kiosk | None:
    """The kiosk with this token, if it is registered and not revoked."""
    kiosk = store.directory.kiosk(token)
    return kiosk if kiosk is not None and kiosk.active else None
