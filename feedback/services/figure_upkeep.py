"""Closed months' dashboard figures worked out ahead of any manager: the background worker's nightly round.

A closed month's roll-up is kept on disk the first time a page needs it
(``evidence.cells.branch_month_rollup``); until then the first view of a
hundred branches works out a year of answers (some forty seconds). The
worker does that instead, when it starts (after an upgrade or a restore)
and every night (a month that has just closed), so a manager's first view
reads only small files.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ..evidence.cells import branch_month_rollup, passing_through
from .periods import period_of_kind
from .surveys import surveys_from_settings

__all__ = ["MONTHS_KEPT_AHEAD", "keep_closed_months"]

#: A year's dashboard compares with the year before: two years and the month before them.
MONTHS_KEPT_AHEAD = 25


def keep_closed_months(store, *, months: int = MONTHS_KEPT_AHEAD, now: datetime | None = None) -> int:
    """Work out (or find kept) every branch's roll-up of the last ``months`` closed months; returns how many."""
    now = now or datetime.now(UTC)
    this_month = period_of_kind("month", now.date())
    labels = [this_month.shifted(-n).label for n in range(1, months + 1)]
    surveys = surveys_from_settings(store.directory.settings())
    done = 0
    with passing_through():  # the cells of a hundred branches' two years are not kept in the worker
        for branch in store.directory.branches(include_inactive=True):
            for month in labels:
                branch_month_rollup(store, branch, month, surveys)
                done += 1
    return done
