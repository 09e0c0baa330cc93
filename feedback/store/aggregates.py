"""Monthly figures kept after their responses are purged: ``aggregates/<YYYY>.json``.

Retention deletes old responses but reports still compare with last year, so
before a day's responses are deleted their monthly cells (see
``services.monthly_cells``) are stored here, together with the days they
cover. Recording the days makes a purge that stopped half-way safe to run
again: a day already kept is never counted twice.

Cells and days are separate files (cells by year), so one ``add`` is several
writes and a crash can fall between them. Each ``add`` is therefore a batch
committed by its last write: the cells carry a batch id, and only the days
record (written last) names the batch as kept. Readers count only cells of a
committed batch, and the next ``add`` deletes the cells of batches never
committed; so a purge killed half-way leaves figures as if it had not run,
and the next run counts each day once. Cells stored before batches existed
carry none and always count.
"""

from __future__ import annotations

import re
import uuid
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
        """Store cells (documents with ``month``) and mark ``(branch, YYYY-MM-DD)`` days as kept, as one batch."""
        batch = uuid.uuid4().hex
        by_file: dict[str, list[dict]] = {}
        for doc in cells:
            by_file.setdefault(self._file_of(doc["month"]), []).append({**doc, "batch": batch})
        day_docs = [{"branch": b, "day": d, "batch": batch} for b, d in days]
        with self._store.lock("aggregates"):
            committed = self._committed_batches()
            self._drop_uncommitted(committed)
            for path, docs in sorted(by_file.items()):
                with self._store.table(path, CELLS) as t:
                    t.insert_multiple(docs)
            if day_docs:  # the commit: until this write lands, the cells above count nowhere
                with self._store.table(DAYS_FILE, DAYS) as t:
                    t.insert_multiple(day_docs)

    def _committed_batches(self) -> set[str]:
        if not (self._store.data_dir / DAYS_FILE).exists():
            return set()
        with self._store.table(DAYS_FILE, DAYS) as t:
            return {d["batch"] for d in t.all() if "batch" in d}

    def _cell_files(self) -> list[str]:
        if not self.root.exists():
            return []
        return [f"aggregates/{p.name}" for p in sorted(self.root.glob("[0-9][0-9][0-9][0-9].json"))]

    def _drop_uncommitted(self, committed: set[str]) -> None:
        """Delete cells a crashed ``add`` wrote but never committed (called under the lock)."""
        orphan = where("batch").test(lambda b: b not in committed)
        for path in self._cell_files():
            with self._store.table(path, CELLS) as t:
                if t.contains(orphan):
                    t.remove(orphan)

    @staticmethod
    def _counts(doc: dict, committed: set[str]) -> bool:
        return "batch" not in doc or doc["batch"] in committed

    def for_months(self, months: Iterable[str], branches: Iterable[str] | None = None) -> list[dict]:
        """Cells of the given months (and branches), in stored order."""
        wanted = set(months)
        allowed = set(branches) if branches is not None else None
        committed = self._committed_batches()
        found: list[dict] = []
        for path in sorted({self._file_of(m) for m in wanted}):
            if not (self._store.data_dir / path).exists():
                continue
            with self._store.table(path, CELLS) as t:
                docs = t.search(where("month").one_of(sorted(wanted)))
            found.extend(d for d in docs if (allowed is None or d["branch"] in allowed)
                         and self._counts(d, committed))
        return found

    def kept_days(self, branch: str) -> set[str]:
        """UTC days (``YYYY-MM-DD``) of ``branch`` whose responses are already kept as cells."""
        if not (self._store.data_dir / DAYS_FILE).exists():
            return set()
        with self._store.table(DAYS_FILE, DAYS) as t:
            return {d["day"] for d in t.search(where("branch") == branch)}

    def months(self) -> list[str]:
        """Every month with kept cells, oldest first."""
        committed = self._committed_batches()
        months: set[str] = set()
        for path in self._cell_files():
            with self._store.table(path, CELLS) as t:
                months.update(d["month"] for d in t.all() if self._counts(d, committed))
        return sorted(months)
