"""Guest figures by branch-month cell, kept in this process while the month's files are unchanged.

A report compares a person with their branch and the branch with the system;
to keep a staff report's cost independent of how many responses *other*
branches hold, each branch-month's cells are kept while the stamp of its
response files (``store.response_stamps``) is unchanged: another worker's
write changes the stamp, so a cached month is never stale.
"""

from __future__ import annotations

import contextvars
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from ..model import Branch
from ..services.aggregate import ResponseSummary, Tally
from ..services.monthly_cells import CellKey, cells_from_responses, merge_summaries, summary_from_doc
from ..services.periods import Period, period_of_kind
from ..services.surveys import Survey

__all__ = ["Cells", "MonthRollup", "branch_month_cells", "branch_month_rollup", "period_cells", "select", "counted",
           "of_staff", "everything", "passing_through", "forget_branch"]

Cells = list[tuple[CellKey, ResponseSummary]]

# Enough for two years of a hundred branches (the dashboard of a year compares with the one before).
_CACHE_SIZE = 2600
_cache: OrderedDict[tuple, tuple[tuple, Cells]] = OrderedDict()
_rollups: OrderedDict[tuple, tuple[Cells, MonthRollup]] = OrderedDict()
_lock = threading.Lock()
# Inside ``passing_through()``: months not kept already are computed for the caller but not kept.
_passing = contextvars.ContextVar("cells_passing_through", default=False)


def _month_period(month: str) -> Period:
    return period_of_kind("month", date.fromisoformat(f"{month}-01"))


def branch_month_cells(store, branch: Branch, month: str, surveys: dict[str, Survey]) -> Cells:
    """A branch's cells for one local month: stored responses plus figures kept after a purge."""
    lo, hi = _month_period(month).utc_bounds(branch.timezone)
    # A purge deletes response files as it keeps their cells, so the file stamp covers kept figures too.
    stamp = (store.response_stamps.of_period(branch.slug, lo, hi),
             tuple(sorted((s.id, s.version) for s in surveys.values())))
    key = (str(store.data_dir), branch.slug, branch.timezone, month)
    with _lock:
        hit = _cache.get(key)
        if hit and hit[0] == stamp:
            _cache.move_to_end(key)
            return hit[1]
    found = list(cells_from_responses(store.responses.in_period(branch.slug, lo, hi), surveys,
                                      branch.timezone).items())
    for doc in store.aggregates.for_months([month], [branch.slug]):
        found.append((CellKey.from_doc(doc), summary_from_doc(doc["summary"])))
    if _passing.get():
        return found
    with _lock:
        _cache[key] = (stamp, found)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return found


@dataclass(frozen=True)
class MonthRollup:
    """One branch-month merged: the total of every cell, and each person's counted answers.

    A view of every branch with no desk or channel filter merges a hundred
    branches' months, not the tens of thousands of cells inside them.
    ``staff`` holds, per person, the answers that count towards figures about
    them (held answers left out) and their tally on the behaviour questions.
    """

    total: ResponseSummary
    staff: dict[str, tuple[int, Tally]]


def _rollup(found: Cells) -> MonthRollup:
    staff: dict[str, tuple[int, Tally]] = {}
    for key, summary in found:
        if key.staff and counted(key):
            responses, tally = staff.get(key.staff, (0, Tally()))
            tally.merge(summary.behaviour_tally())
            staff[key.staff] = (responses + summary.responses, tally)
    return MonthRollup(merge_summaries(summary for _key, summary in found), staff)


def branch_month_rollup(store, branch: Branch, month: str, surveys: dict[str, Survey]) -> MonthRollup:
    """The roll-up of one branch-month, kept for the very list of cells it was made from (renewed with them)."""
    found = branch_month_cells(store, branch, month, surveys)
    key = (str(store.data_dir), branch.slug, branch.timezone, month)
    with _lock:
        hit = _rollups.get(key)
        if hit and hit[0] is found:
            _rollups.move_to_end(key)
            return hit[1]
    rollup = _rollup(found)
    if _passing.get():
        return rollup
    with _lock:
        _rollups[key] = (found, rollup)
        while len(_rollups) > _CACHE_SIZE:
            _rollups.popitem(last=False)
    return rollup


@contextmanager
def passing_through() -> Iterator[None]:
    """Within the block (this thread only), months not kept already are computed but not kept.

    For a sweep over every branch that is made once (the system's figures in
    a batch of reports): it would otherwise fill the cache with a hundred
    branches' years that nothing reads again, and hold them in memory.
    """
    token = _passing.set(True)
    try:
        yield
    finally:
        _passing.reset(token)


def forget_branch(store, slug: str) -> int:
    """Drop every kept month of one branch and its roll-ups (a batch is done with them); return how many went."""
    with _lock:
        keys = [key for key in _cache if key[0] == str(store.data_dir) and key[1] == slug]
        for key in keys:
            del _cache[key]
        for key in [key for key in _rollups if key[0] == str(store.data_dir) and key[1] == slug]:
            del _rollups[key]
    return len(keys)


def period_cells(store, branch: Branch, period: Period, surveys: dict[str, Survey]) -> Cells:
    cells: Cells = []
    for month in period.months():
        cells.extend(branch_month_cells(store, branch, month, surveys))
    return cells


def select(cells: Cells, keep: Callable[[CellKey], bool]) -> ResponseSummary:
    return merge_summaries(summary for key, summary in cells if keep(key))


def counted(key: CellKey) -> bool:
    """Whether a cell's answers count in figures about people: a suspected burst (flagged) does not."""
    return not key.flagged


def of_staff(member_id: str) -> Callable[[CellKey], bool]:
    return lambda key: key.staff == member_id and counted(key)


def everything(key: CellKey) -> bool:
    return True
