"""Pointers to answers held for review: ``review_queue.json``.

The answer itself (in its day's response chunk) holds the truth: its review
state, reasons and audit trail. This small file lets the review page and the
dashboard tile find held answers without reading every stored day. It is
written after the answer, so a crash between the two leaves an answer held
but not listed; the guest's retry re-adds the pointer (see
``services.submission``), and a pointer whose answer is no longer held is
dropped when next read (see ``services.review``).
"""

from __future__ import annotations

from collections.abc import Iterable

from tinydb import where

__all__ = ["ReviewQueueRepository"]

FILE = "review_queue.json"
TABLE = "held"


class ReviewQueueRepository:
    def __init__(self, store):
        self._store = store

    def _exists(self) -> bool:
        return (self._store.data_dir / FILE).exists()

    def ensure(self) -> int:
        """Create the file once, listing answers held before it existed; returns how many were listed.

        Answers stored with the old ``flagged: true`` read as held (see
        ``Response.from_doc``) but were never listed; the first reader of the
        queue lists them. Later calls only see that the file exists.
        """
        if self._exists():
            return 0
        with self._store.lock("review-queue"):
            if self._exists():
                return 0
            docs = [{"id": r.id, "branch": r.branch, "submitted_at": r.submitted_at, "reasons": sorted(r.hold_reasons)}
                    for r in self._store.responses.all() if r.review == "held"]
            with self._store.table(FILE, TABLE) as t:
                t.truncate()  # writes the file even when nothing is held
                if docs:
                    t.insert_multiple(docs)
        return len(docs)

    def add(self, response_id: str, branch: str, submitted_at: str, reasons: Iterable[str]) -> None:
        """List a held answer (or update its reasons); idempotent."""
        doc = {"id": response_id, "branch": branch, "submitted_at": submitted_at, "reasons": sorted(set(reasons))}
        self.ensure()
        with self._store.lock("review-queue"), self._store.table(FILE, TABLE) as t:
            current = t.get(where("id") == response_id)
            if current == doc:
                return
            # Not ``upsert``: for a new pointer it updates nothing and then inserts, writing the file twice.
            if current is None:
                t.insert(doc)
            else:
                t.update(doc, doc_ids=[current.doc_id])

    def contains(self, response_id: str) -> bool:
        self.ensure()
        with self._store.table(FILE, TABLE) as t:
            return t.contains(where("id") == response_id)

    def remove(self, response_id: str) -> None:
        if not self._exists():
            return
        with self._store.lock("review-queue"), self._store.table(FILE, TABLE) as t:
            t.remove(where("id") == response_id)

    def remove_before(self, submitted_before: str) -> int:
        """Drop pointers to answers sent before a UTC time (retention removed them); returns how many."""
        if not self._exists():
            return 0
        with self._store.lock("review-queue"), self._store.table(FILE, TABLE) as t:
            return len(t.remove(where("submitted_at") < submitted_before))

    def for_branches(self, branches: Iterable[str]) -> list[dict]:
        """Pointers of the given branches, oldest answer first."""
        self.ensure()
        wanted = set(branches)
        with self._store.table(FILE, TABLE) as t:
            docs = [dict(d) for d in t.all() if d["branch"] in wanted]
        return sorted(docs, key=lambda d: (d["submitted_at"], d["id"]))

    def get(self, response_id: str) -> dict | None:
        self.ensure()
        with self._store.table(FILE, TABLE) as t:
            doc = t.get(where("id") == response_id)
        return dict(doc) if doc else None
