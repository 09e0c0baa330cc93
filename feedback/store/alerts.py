"""Alerts raised at branches and each branch's alert rule: ``alerts.json``.

An alert's ``key`` names the event (the burst's window, the response, the
kiosk and day), and :meth:`AlertRepository.raise_once` inserts under a lock
only when no alert has that key: however often the worker looks at the same
minutes, a manager is told once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tinydb import where

from ..model import Alert, format_utc

__all__ = ["AlertRepository"]

FILE = "alerts.json"


class AlertRepository:
    def __init__(self, store):
        self._store = store

    def raise_once(self, alert: Alert) -> bool:
        """Store ``alert`` unless one with its key exists; True when it is new."""
        with self._store.lock("alerts"), self._store.table(FILE, "alerts") as t:
            if t.contains(where("key") == alert.key):
                return False
            t.insert(alert.to_doc())
        return True

    def get(self, alert_id: str) -> Alert | None:
        with self._store.table(FILE, "alerts") as t:
            doc = t.get(where("id") == alert_id)
        return Alert.from_doc(doc) if doc else None

    def since(self, moment: datetime, branches: set[str] | None = None) -> list[Alert]:
        """Alerts raised at or after ``moment`` (at ``branches``), newest first."""
        stamp = format_utc(moment)
        with self._store.table(FILE, "alerts") as t:
            docs = t.search(where("raised_at") >= stamp)
        found = [Alert.from_doc(d) for d in docs if branches is None or d["branch"] in branches]
        return sorted(found, key=lambda a: a.raised_at, reverse=True)

    def last_of_kind(self, branch: str, kind: str) -> Alert | None:
        with self._store.table(FILE, "alerts") as t:
            docs = t.search((where("branch") == branch) & (where("kind") == kind))
        return Alert.from_doc(max(docs, key=lambda d: d["raised_at"])) if docs else None

    def remove_before(self, moment: datetime) -> int:
        stamp = format_utc(moment)
        with self._store.lock("alerts"), self._store.table(FILE, "alerts") as t:
            return len(t.remove(where("raised_at") < stamp))

    # -- rules: one document per branch, only the values changed from the defaults ----------------
    def rule(self, branch: str) -> dict[str, Any]:
        with self._store.table(FILE, "rules") as t:
            doc = t.get(where("branch") == branch)
        return {k: v for k, v in (doc or {}).items() if k != "branch"}

    def set_rule(self, branch: str, values: dict[str, Any]) -> None:
        with self._store.lock("alerts"), self._store.table(FILE, "rules") as t:
            t.upsert({"branch": branch, **values}, where("branch") == branch)
