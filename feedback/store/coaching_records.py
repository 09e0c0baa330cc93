"""Coaching records, one small TinyDB file a staff member: ``coaching/<staff id>.json``.

A record is read and rewritten whole (conversations, plans, audit), so a file
stays the size of one person's coaching history and a write costs the same
for the hundredth staff member as for the first. Every change appends to the
record's audit, so its length is the record's revision: :meth:`replace` with
``expected_audit_length`` writes only if nobody changed the record meanwhile.
"""

from __future__ import annotations

import re

from tinydb import where

from ..model import CoachingRecord

__all__ = ["CoachingRecordConflictError", "CoachingRecordRepository"]

TABLE = "record"
_STAFF_ID = re.compile(r"^[0-9a-zA-Z_-]{1,64}$")


class CoachingRecordConflictError(RuntimeError):
    """Someone else changed the record between our read and our write."""


class CoachingRecordRepository:
    """Named functions over ``coaching/*.json``."""

    def __init__(self, store):
        self._store = store
        self.root = store.data_dir / "coaching"

    @staticmethod
    def _file_of(staff_id: str) -> str:
        if not _STAFF_ID.match(staff_id or ""):
            raise ValueError(f"not a staff id: {staff_id!r}")
        return f"coaching/{staff_id}.json"

    def get(self, staff_id: str) -> CoachingRecord:
        """The staff member's record; an empty one when nothing was recorded yet."""
        path = self._file_of(staff_id)
        if not (self._store.data_dir / path).exists():
            return CoachingRecord(staff=staff_id)
        with self._store.table(path, TABLE) as t:
            doc = t.get(where("staff") == staff_id)
        return CoachingRecord.from_doc(doc) if doc else CoachingRecord(staff=staff_id)

    def replace(self, record: CoachingRecord, *, expected_audit_length: int) -> None:
        """Save the whole record if its stored audit still has ``expected_audit_length`` entries."""
        path = self._file_of(record.staff)
        (self._store.data_dir / "coaching").mkdir(parents=True, exist_ok=True)
        with self._store.lock(f"coaching-{record.staff}"), self._store.table(path, TABLE) as t:
            stored = t.get(where("staff") == record.staff)
            if len((stored or {}).get("audit") or []) != expected_audit_length:
                raise CoachingRecordConflictError(f"coaching record of {record.staff} changed meanwhile")
            if stored is None:
                t.insert(record.to_doc())
            else:
                t.update(record.to_doc(), where("staff") == record.staff)

    def staff_with_records(self) -> list[str]:
        """The ids of staff members who have a record (for reminders and backups)."""
        if not self.root.exists():
            return []
        return sorted(p.stem for p in self.root.glob("*.json") if _STAFF_ID.match(p.stem))
