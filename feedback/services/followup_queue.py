"""The follow-up queue: guests who asked to be contacted, per branch, until a manager is done.

Closing a follow-up erases the guest's contact details in the same write
(``store.followups.mark_done``); contacts not closed within the follow-up
retention period are erased by the ``purge`` command.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ..model import FollowUp
from ..store import NotFoundError

__all__ = ["NOTE_MAX_LENGTH", "FollowUpError", "followup_queue", "complete_followup"]

NOTE_MAX_LENGTH = 2000


class FollowUpError(LookupError):
    """No follow-up the user may close (unknown id, or another branch's)."""


def followup_queue(store, branch: str) -> tuple[list[FollowUp], list[FollowUp]]:
    """Open follow-ups oldest first (the queue), and done ones newest first."""
    every = store.followups.for_branch(branch)
    open_ = [f for f in every if f.status == "open"]
    done = sorted((f for f in every if f.status == "done"), key=lambda f: f.done_at or "", reverse=True)
    return open_, done


def complete_followup(store, followup_id: str, *, branches: set[str] | None, by: str, note: str,
                      now: datetime | None = None) -> FollowUp:
    """Mark done with a note; ``branches`` are those the user may act on (None: all)."""
    followup = store.followups.get(followup_id)
    if followup is None or (branches is not None and followup.branch not in branches):
        raise FollowUpError(followup_id)
    try:
        store.followups.mark_done(followup_id, by=by, note=note.strip()[:NOTE_MAX_LENGTH],
                                  at=now or datetime.now(UTC))
    except NotFoundError:
        raise FollowUpError(followup_id) from None
    return store.followups.get(followup_id)
