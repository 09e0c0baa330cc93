"""Signed-in sessions that can end: one server-side record per sign-in.

A Flask session lives in a signed cookie, and a copy of that cookie works as
long as the signature does. So every sign-in also creates a record in the
store, the cookie names it, and each request checks it (see ``auth.session``).
Signing out ends the record (every copy of that cookie with it); a password
change or an administrator's "sign out everywhere" ends all of a user's
records. A record also expires after ``SESSION_HOURS`` however it is used.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

__all__ = ["start_session", "session_is_live", "end_session", "end_all_sessions"]


def start_session(store, user_id: str, *, hours: float, now: datetime | None = None) -> str:
    """Record a new session for ``user_id`` and return its id (the cookie carries it)."""
    now = now or datetime.now(UTC)
    session_id = secrets.token_urlsafe(24)
    store.user_sessions.add(session_id, user_id, now=now, expires=now + timedelta(hours=hours))
    return session_id


def session_is_live(store, session_id: str, user_id: str, *, now: datetime | None = None) -> bool:
    return bool(session_id) and store.user_sessions.is_live(session_id, user_id, now=now or datetime.now(UTC))


def end_session(store, session_id: str) -> None:
    store.user_sessions.remove(session_id)


def end_all_sessions(store, user_id: str) -> int:
    """Sign ``user_id`` out everywhere; returns how many sessions ended."""
    return store.user_sessions.remove_all_of(user_id)
