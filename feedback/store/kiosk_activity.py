"""When each kiosk was last in touch, and how many answers wait on it: ``kiosk_activity.json``.

Kept apart from ``directory.json`` so that a kiosk's frequent check-ins never
rewrite the directory. A check-in is written at most once a minute per kiosk
(unless its queue length changed), so the cost stays flat however chatty the
kiosks are.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tinydb import where

from ..model import format_utc, parse_utc

__all__ = ["KioskActivityRepository"]

FILE = "kiosk_activity.json"
TABLE = "kiosks"
_WRITE_EVERY = timedelta(seconds=60)


class KioskActivityRepository:
    def __init__(self, store):
        self._store = store

    def get(self, token: str) -> dict[str, Any] | None:
        with self._store.table(FILE, TABLE) as t:
            doc = t.get(where("token") == token)
        return dict(doc) if doc else None

    def all(self) -> dict[str, dict[str, Any]]:
        with self._store.table(FILE, TABLE) as t:
            return {d["token"]: dict(d) for d in t.all()}

    def record(self, token: str, at: datetime, *, queue: int | None = None) -> bool:
        """Note that the kiosk was in touch at ``at`` (with ``queue`` answers waiting on it); True if written."""
        known = self.get(token)
        if known and known.get("last_seen"):
            recent = at - parse_utc(known["last_seen"]) < _WRITE_EVERY
            if recent and (queue is None or queue == known.get("queue")):
                return False
        fields: dict[str, Any] = {"token": token, "last_seen": format_utc(at)}
        if queue is not None:
            fields["queue"] = queue
            fields["queue_at"] = format_utc(at)
        with self._store.lock("kiosk_activity"), self._store.table(FILE, TABLE) as t:
            t.upsert(fields, where("token") == token)
        return True
