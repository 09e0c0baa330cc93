"""What the manager's dashboard reminds them of in the coaching cycle.

Plans whose review date has passed with an action still open, and branches
whose staff are not on the programme notice register (their visits count,
but the codes ask that staff are told first).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..model import Branch
from .coaching_record import DueReview, reviews_due

__all__ = ["CoachingReminders", "coaching_reminders"]


@dataclass(frozen=True)
class CoachingReminders:
    due_reviews: list[DueReview]
    branches_without_notice: list[Branch]

    def __bool__(self) -> bool:
        return bool(self.due_reviews or self.branches_without_notice)


def coaching_reminders(store, branches: list[Branch], *, now: datetime | None = None) -> CoachingReminders:
    told = {n.branch for n in store.programme_notices.all()}
    return CoachingReminders(reviews_due(store, branches, now=now),
                             [b for b in branches if b.active and b.slug not in told])
