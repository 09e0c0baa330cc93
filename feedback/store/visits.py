"""Mystery-shopper visits, one TinyDB file a year: ``visits/<YYYY>.json``.

Visits are few (tens a month) but are edited (draft, submitted, returned,
approved), so they are found by id: the id starts with the year of the file
that holds it, and a year's file stays small.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tinydb import where

from ..model import Visit, new_id
from .directory import NotFoundError

__all__ = ["VisitConflictError", "VisitRepository", "new_visit_id"]

TABLE = "visits"
_YEAR_FILE = re.compile(r"^(\d{4})\.json$")
_VISIT_ID = re.compile(r"^(\d{4})-[0-9a-f]{32}$")


class VisitConflictError(RuntimeError):
    """Someone else changed the visit between our read and our write."""


def new_visit_id(year: int, suffix: str | None = None) -> str:
    """``YYYY-<32 hex>``; a given ``suffix`` (an assignment id) makes one visit per assignment."""
    return f"{year:04d}-{suffix or new_id()}"


class VisitRepository:
    """Named functions over the yearly visit files."""

    def __init__(self, store):
        self._store = store
        self.root = store.data_dir / "visits"

    def _file_of(self, visit_id: str) -> str:
        match = _VISIT_ID.match(visit_id)
        if not match:
            raise NotFoundError(f"not a visit id: {visit_id!r}")
        return f"visits/{match.group(1)}.json"

    def add(self, visit: Visit) -> Visit:
        with self._store.lock("visits"), self._store.table(self._file_of(visit.id), TABLE) as t:
            t.insert(visit.to_doc())
        return visit

    def add_if_absent(self, visit: Visit) -> Visit:
        """Insert ``visit`` unless one with its id exists; return the stored one.

        Under the lock, so a double-clicked "save" makes one visit, not two.
        """
        with self._store.lock("visits"), self._store.table(self._file_of(visit.id), TABLE) as t:
            existing = t.get(where("id") == visit.id)
            if existing:
                return Visit.from_doc(existing)
            t.insert(visit.to_doc())
        return visit

    def add_many(self, visits: list[Visit]) -> None:
        by_file: dict[str, list[dict]] = {}
        for visit in visits:
            by_file.setdefault(self._file_of(visit.id), []).append(visit.to_doc())
        with self._store.lock("visits"):
            for path, docs in by_file.items():
                with self._store.table(path, TABLE) as t:
                    t.insert_multiple(docs)

    def get(self, visit_id: str) -> Visit | None:
        try:
            path = self._file_of(visit_id)
        except NotFoundError:
            return None
        with self._store.table(path, TABLE) as t:
            doc = t.get(where("id") == visit_id)
        return Visit.from_doc(doc) if doc else None

    def replace(self, visit: Visit, *, expected_audit_length: int | None = None) -> None:
        """Save a whole edited visit (the service decides what may change).

        Every change appends to the audit trail, so its length is the visit's
        revision: with ``expected_audit_length`` the write happens only if the
        stored visit is still the one the caller read, else
        :class:`VisitConflictError` (a reviewer and a shopper acting at once).
        """
        with self._store.lock("visits"), self._store.table(self._file_of(visit.id), TABLE) as t:
            stored = t.get(where("id") == visit.id)
            if stored is None:
                raise NotFoundError(f"no visit {visit.id}")
            if expected_audit_length is not None and len(stored.get("audit") or []) != expected_audit_length:
                raise VisitConflictError(f"visit {visit.id} changed meanwhile")
            t.update(visit.to_doc(), where("id") == visit.id)

    def all(self) -> Iterator[Visit]:
        if not self.root.exists():
            return
        for path in sorted(self.root.glob("*.json")):
            if _YEAR_FILE.match(path.name):
                with self._store.table(f"visits/{path.name}", TABLE) as t:
                    docs = t.all()
                yield from (Visit.from_doc(d) for d in docs)

    def matching(self, *, branch: str | None = None, shopper: str | None = None,
                 status: str | None = None) -> list[Visit]:
        """Visits filtered by branch, shopper and status, newest visit first."""
        found = [
            v for v in self.all()
            if (branch is None or v.branch == branch)
            and (shopper is None or v.shopper == shopper)
            and (status is None or v.status == status)
        ]
        return sorted(found, key=lambda v: v.visited_at, reverse=True)
