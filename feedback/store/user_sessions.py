"""Signed-in sessions kept on the server: ``sessions.json``.

The session cookie is signed but a copy of it stays valid wherever it is
kept; a record here is what makes it count. Signing out removes the record,
so every copy of that cookie stops working; a password change or an
administrator's "sign out everywhere" removes all of a user's records. Only a
digest of the session id is stored, so this file cannot be used to forge one.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from tinydb import where

from ..model import format_utc

__all__ = ["SessionRepository"]

FILE = "sessions.json"
TABLE = "sessions"


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


class SessionRepository:
    def __init__(self, store):
        self._store = store

    def add(self, session_id: str, user_id: str, *, now: datetime, expires: datetime) -> None:
        """Record a new session, dropping sessions that have expired (which keeps the file small)."""
        with self._store.lock("sessions"), self._store.table(FILE, TABLE) as t:
            t.remove(where("expires_at") <= format_utc(now))
            t.insert({"id": _digest(session_id), "user": user_id, "started_at": format_utc(now),
                      "expires_at": format_utc(expires)})

    def is_live(self, session_id: str, user_id: str, *, now: datetime) -> bool:
        with self._store.table(FILE, TABLE) as t:
            doc = t.get(where("id") == _digest(session_id))
        return bool(doc) and doc["user"] == user_id and doc["expires_at"] > format_utc(now)

    def remove(self, session_id: str) -> None:
        with self._store.lock("sessions"), self._store.table(FILE, TABLE) as t:
            t.remove(where("id") == _digest(session_id))

    def remove_all_of(self, user_id: str) -> int:
        """End every session of ``user_id``; returns how many there were."""
        with self._store.lock("sessions"), self._store.table(FILE, TABLE) as t:
            return len(t.remove(where("user") == user_id))

    def count_of(self, user_id: str, *, now: datetime) -> int:
        with self._store.table(FILE, TABLE) as t:
            return t.count((where("user") == user_id) & (where("expires_at") > format_utc(now)))
