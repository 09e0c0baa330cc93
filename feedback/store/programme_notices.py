"""The programme notice register: ``programme_notices.json``.

When, and how, each branch's staff were told that a mystery-shopper
programme runs (the MRS and MSPA codes require they are told). Entries are
few and never removed: the register is a record of what was said, kept.
"""

from __future__ import annotations

from tinydb import where

from ..model import ProgrammeNotice

__all__ = ["ProgrammeNoticeRepository"]

FILE = "programme_notices.json"
TABLE = "notices"


class ProgrammeNoticeRepository:
    """Named functions over ``programme_notices.json``."""

    def __init__(self, store):
        self._store = store

    def add(self, notice: ProgrammeNotice) -> ProgrammeNotice:
        with self._store.lock("programme_notices"), self._store.table(FILE, TABLE) as t:
            t.insert(notice.to_doc())
        return notice

    def for_branch(self, branch: str) -> list[ProgrammeNotice]:
        """A branch's entries, earliest date first."""
        with self._store.table(FILE, TABLE) as t:
            docs = t.search(where("branch") == branch)
        return sorted((ProgrammeNotice.from_doc(d) for d in docs), key=lambda n: (n.told_on, n.recorded_at))

    def all(self) -> list[ProgrammeNotice]:
        with self._store.table(FILE, TABLE) as t:
            docs = t.all()
        return sorted((ProgrammeNotice.from_doc(d) for d in docs), key=lambda n: (n.branch, n.told_on))
