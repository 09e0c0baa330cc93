"""Follow-ups owed to guests who asked to be contacted: ``followups.json``.

Contact details are kept only here, never in the response, and are erased
when the follow-up is done or after the retention period.
"""

from __future__ import annotations

from datetime import datetime

from tinydb import where

from ..model import FollowUp, format_utc
from .directory import NotFoundError

__all__ = ["FollowUpRepository"]

FILE = "followups.json"
TABLE = "followups"


class FollowUpRepository:
    def __init__(self, store):
        self._store = store

    def add(self, followup: FollowUp) -> FollowUp:
        with self._store.lock("followups"), self._store.table(FILE, TABLE) as t:
            t.insert(followup.to_doc())
        return followup

    def get(self, followup_id: str) -> FollowUp | None:
        with self._store.table(FILE, TABLE) as t:
            doc = t.get(where("id") == followup_id)
        return FollowUp.from_doc(doc) if doc else None

    def for_response(self, response_id: str) -> FollowUp | None:
        """The follow-up opened for one response, if any (a retry must not open a second)."""
        if not (self._store.data_dir / FILE).exists():
            return None
        with self._store.table(FILE, TABLE) as t:
            doc = t.get(where("response") == response_id)
        return FollowUp.from_doc(doc) if doc else None

    def for_branch(self, branch: str, status: str | None = None) -> list[FollowUp]:
        """A branch's follow-ups, oldest first (the queue order)."""
        with self._store.table(FILE, TABLE) as t:
            docs = t.search(where("branch") == branch)
        found = [FollowUp.from_doc(d) for d in docs if status is None or d["status"] == status]
        return sorted(found, key=lambda f: f.created_at)

    def all(self) -> list[FollowUp]:
        with self._store.table(FILE, TABLE) as t:
            return [FollowUp.from_doc(d) for d in t.all()]

    def mark_done(self, followup_id: str, *, by: str, note: str, at: datetime) -> None:
        """Close a follow-up and erase the guest's contact details in the same write."""
        fields = {"status": "done", "done_by": by, "done_at": format_utc(at), "note": note, "contact": None}
        with self._store.lock("followups"), self._store.table(FILE, TABLE) as t:
            if not t.update(fields, where("id") == followup_id):
                raise NotFoundError(f"no follow-up {followup_id}")

    def mark_notified(self, followup_id: str, at: datetime) -> None:
        """The managers were told about this follow-up (the worker announces each once)."""
        with self._store.lock("followups"), self._store.table(FILE, TABLE) as t:
            t.update({"notified_at": format_utc(at)}, where("id") == followup_id)

    def claim_notice(self, followup_ids: list[str], at: datetime) -> list[str]:
        """Mark as announced those of ``followup_ids`` nobody has announced yet; return them.

        Two workers may look for new follow-ups at once; only the one that
        claims a follow-up here announces it, so managers are told once.
        """
        with self._store.lock("followups"), self._store.table(FILE, TABLE) as t:
            fresh = [doc["id"] for doc in t.search(where("id").one_of(list(followup_ids)))
                     if not doc.get("notified_at")]
            if fresh:
                t.update({"notified_at": format_utc(at)}, where("id").one_of(fresh))
        return fresh

    def erase_contacts_before(self, cutoff: datetime) -> int:
        """Erase contact details of follow-ups created before ``cutoff``; returns how many."""
        stamp = format_utc(cutoff)
        with self._store.lock("followups"), self._store.table(FILE, TABLE) as t:
            ids = t.update({"contact": None}, (where("created_at") < stamp) & (where("contact") != None))  # noqa: E711
        return len(ids)
