"""Mystery-shopper assignments: ``assignments.json``.

Assignments are few (tens a month) and small, so they share one file. A
manager creates them; the visit lifecycle marks them done. Writes hold the
``assignments`` lock across read-modify-write.
"""

from __future__ import annotations

from typing import Any

from tinydb import where

from ..model import Assignment
from .directory import NotFoundError

__all__ = ["AssignmentRepository"]

FILE = "assignments.json"
TABLE = "assignments"


class AssignmentRepository:
    """Named functions over ``assignments.json``."""

    def __init__(self, store):
        self._store = store

    def add(self, assignment: Assignment) -> Assignment:
        with self._store.lock("assignments"), self._store.table(FILE, TABLE) as t:
            t.insert(assignment.to_doc())
        return assignment

    def get(self, assignment_id: str) -> Assignment | None:
        with self._store.table(FILE, TABLE) as t:
            doc = t.get(where("id") == assignment_id)
        return Assignment.from_doc(doc) if doc else None

    def matching(self, *, shopper: str | None = None, branches: list[str] | None = None,
                 status: str | None = None) -> list[Assignment]:
        """Assignments of one shopper and/or some branches, soonest window first."""
        with self._store.table(FILE, TABLE) as t:
            docs = t.all()
        found = [
            Assignment.from_doc(d) for d in docs
            if (shopper is None or d["shopper"] == shopper)
            and (branches is None or d["branch"] in branches)
            and (status is None or d["status"] == status)
        ]
        return sorted(found, key=lambda a: (a.window_end, a.window_start, a.created_at))

    def update(self, assignment_id: str, **fields: Any) -> None:
        with self._store.lock("assignments"), self._store.table(FILE, TABLE) as t:
            if not t.update(fields, where("id") == assignment_id):
                raise NotFoundError(f"no assignment {assignment_id}")
