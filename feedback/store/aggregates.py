"""Monthly figures kept after their responses are purged: ``aggregates/<YYYY>.json``.

Retention deletes old responses but reports still compare with last year, so
before a day's responses are deleted their monthly cells (see
``services.monthly_cells``) are stored here, together with the days they
cover. Recording the days makes a purge that stopped half-way safe to run
again: a day already kept is never counted twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tinydb import where

__all__ = ["AggregateRepository"]

CELLS = "cells"
DAYS_FILE = "aggregates/days.json"
DAYS = "days"
_MONTH = re.compile(r"^(\d{4})-\d\d$")


class AggregateRepository:
    """Append-only monthly cells; a month's figures are the merge of all its cells."""

    def __init__(self, store):
        self._store = store
        self.root = store.data_dir / "aggregates"

    @staticmethod
    def _file_of(month: str) -> str:
        match = _MONTH.match(month)
        if not match:
            raise ValueError(f"not a month: {month!r}")
        return f"aggregates/{match.group(1)}.json"

    def add(self, cells: Iterable[dict], days: Iterable[tuple[str, str]]) -> None:
        """Store cells (documents with ``month``) and mark ``(branch, YYYY-MM-DD)`` days as kept."""
        by_file: dict[str, list[dict]] = {}
        for doc in cells:
            by_file.setdefault(self._file_of(doc["month"]), []).append(doc)
        with self._store.lock("aggregates"):
            for path, docs in sorted(by_file.items()):
                with self._store.table(path, CELLS) as t:
                    t.insert_multiple(docs)
            day_docs = [{"branch": b, "day": d} for b, d in days]
            if day_docs:
                with self._store.table(DAYS_FILE, DAYS) as t:
                    t.insert_multiple(day_docs)

    def for_months(self, months: Iterable[str], branches: Iterable[str] | None = None) -> list[dict]:
        """Cells of the given months (and branches), in stored order."""
        wanted = set(months)
        allowed = set(branches) if branches is not None else None
        found: list[dict] = []
        for path in sorted({self._file_of(m) for m in wanted}):
            if not (self._store.data_dir / path).exists():
                continue
            with self._store.table(path, CELLS) as t:
                docs = t.search(where("month").one_of(sorted(wanted)))
            found.extend(d for d in docs if allowed is None or d["branch"] in allowed)
        return found

    def kept_days(self, branch: str) -> set[str]:
        """UTC days (``YYYY-MM-DD``) of ``branch`` whose responses are already kept as cells."""
        if not (self._store.data_dir / DAYS_FILE).exists():
            return set()
        with self._store.table(DAYS_FILE, DAYS) as t:
            return {d["day"] for d in t.search(where("branch") == branch)}

    def months(self) -> list[str]:
        """Every month with kept cells, oldest first."""
        if not self.root.exists():
            return []
        months: set[str] = set()
        for path in sorted(self.root.glob("[0-9][0-9][0-9][0-9].json")):
            with self._store.table(f"aggregates/{path.name}", CELLS) as t:
                months.update(d["month"] for d in t.all())
        return sorted(months)
