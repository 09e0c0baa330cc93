"""Batches of PDF reports the background worker renders: ``report_batches.json``.

The worker writes progress here after each report, and the console reads it,
so the page a manager watches shows the worker's real state (and survives a
restart of either side). The PDFs and the ZIP live in the instance's
``batches/<id>/`` folder, not in TinyDB.
"""

from __future__ import annotations

from typing import Any

from tinydb import where

from ..model import ReportBatch

__all__ = ["ReportBatchRepository"]

FILE = "report_batches.json"
TABLE = "batches"


class ReportBatchRepository:
    def __init__(self, store):
        self._store = store

    def add(self, batch: ReportBatch) -> ReportBatch:
        with self._store.lock("report_batches"), self._store.table(FILE, TABLE) as t:
            t.insert(batch.to_doc())
        return batch

    def get(self, batch_id: str) -> ReportBatch | None:
        with self._store.table(FILE, TABLE) as t:
            doc = t.get(where("id") == batch_id)
        return ReportBatch.from_doc(doc) if doc else None

    def update(self, batch_id: str, **fields: Any) -> None:
        with self._store.lock("report_batches"), self._store.table(FILE, TABLE) as t:
            t.update(fields, where("id") == batch_id)

    def claim(self, batch_id: str) -> bool:
        """Move a queued batch to running; False when it is not queued (another task took it)."""
        with self._store.lock("report_batches"), self._store.table(FILE, TABLE) as t:
            return bool(t.update({"status": "running"}, (where("id") == batch_id) & (where("status") == "queued")))

    def waiting(self) -> list[ReportBatch]:
        with self._store.table(FILE, TABLE) as t:
            return [ReportBatch.from_doc(d) for d in t.search(where("status") == "queued")]

    def for_user(self, user_id: str, limit: int = 10) -> list[ReportBatch]:
        with self._store.table(FILE, TABLE) as t:
            docs = t.search(where("requested_by") == user_id)
        found = sorted((ReportBatch.from_doc(d) for d in docs), key=lambda b: b.created_at, reverse=True)
        return found[:limit]
