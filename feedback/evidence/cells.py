"""Guest figures by branch-month cell, kept in this process while the month's files are unchanged.

A report compares a person with their branch and the branch with the system;
to keep a staff report's cost independent of how many responses *other*
branches hold, each branch-month's cells are kept while the stamp of its
response files (``store.response_stamps``) is unchanged: another worker's
write changes the stamp, so a cached month is never stale.
"""

from __future__ import annotations

import contextvars
import heapq
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

from ..model import Branch, Response
from ..services.aggregate import ResponseSummary, Tally
from ..services.monthly_cells import (
    CellKey,
    cells_from_responses,
    merge_summaries,
    summary_from_doc,
    summary_to_doc,
    tally_from_doc,
    tally_to_doc,
)
from ..services.periods import Period, period_of_kind
from ..services.surveys import Survey

__all__ = ["Cells", "MonthRollup", "Rollups", "month_rollups", "monthly_satisfaction_of", "branch_month_cells",
           "branch_month_rollup", "newest_comments", "period_cells",
           "select", "counted", "of_staff", "everything", "passing_through", "forget_branch"]

Cells = list[tuple[CellKey, ResponseSummary]]

# Enough for two years of a hundred branches (the dashboard of a year compares with the one before).
_CACHE_SIZE = 2600


class _StampedMemo:
    """Values kept in this process while the stamp they were made under is unchanged; the least used go first."""

    def __init__(self, size: int):
        self._items: OrderedDict[tuple, tuple[tuple, object]] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: tuple, stamp: tuple):
        with self._lock:
            hit = self._items.get(key)
            if hit and hit[0] == stamp:
                self._items.move_to_end(key)
                return hit[1]
        return None

    def put(self, key: tuple, stamp: tuple, value) -> None:
        with self._lock:
            self._items[key] = (stamp, value)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def forget(self, matches: Callable[[tuple], bool]) -> int:
        with self._lock:
            keys = [key for key in self._items if matches(key)]
            for key in keys:
                del self._items[key]
        return len(keys)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __iter__(self):
        with self._lock:
            return iter(list(self._items))


_cache = _StampedMemo(_CACHE_SIZE)  # each branch-month's cells
_rollups = _StampedMemo(_CACHE_SIZE)  # each branch-month's roll-up
# Inside ``passing_through()``: months not kept already are computed for the caller but not kept.
_passing = contextvars.ContextVar("cells_passing_through", default=False)


def _month_period(month: str) -> Period:
    return period_of_kind("month", date.fromisoformat(f"{month}-01"))


def _stamp(store, branch: Branch, month: str, surveys: dict[str, Survey]) -> tuple:
    lo, hi = _month_period(month).utc_bounds(branch.timezone)
    # A purge deletes response files as it keeps their cells, so the file stamp covers kept figures too.
    return (store.response_stamps.of_period(branch.slug, lo, hi),
            tuple(sorted((s.id, s.version) for s in surveys.values())))


def branch_month_cells(store, branch: Branch, month: str, surveys: dict[str, Survey]) -> Cells:
    """A branch's cells for one local month: stored responses plus figures kept after a purge."""
    lo, hi = _month_period(month).utc_bounds(branch.timezone)
    stamp = _stamp(store, branch, month, surveys)
    key = (str(store.data_dir), branch.slug, branch.timezone, month)
    hit = _cache.get(key, stamp)
    if hit is not None:
        return hit
    found = list(cells_from_responses(store.responses.in_period(branch.slug, lo, hi), surveys,
                                      branch.timezone).items())
    for doc in store.aggregates.for_months([month], [branch.slug]):
        found.append((CellKey.from_doc(doc), summary_from_doc(doc["summary"])))
    if not _passing.get():
        _cache.put(key, stamp, found)
    return found


#: What a roll-up keeps apart from its core figures, decoded only for the period a page shows in detail.
_DETAIL = ("heatmap", "heatmap_counts", "by_month", "month_counts")

#: The newest comments a roll-up keeps: what a dashboard lists (its latest ten) never needs more.
ROLLUP_COMMENTS = 10


class MonthRollup:
    """One branch-month merged: the total of every cell, and each person's counted answers.

    A view of every branch with no desk or channel filter merges a hundred
    branches' months, not the tens of thousands of cells inside them.
    ``staff`` holds, per person, the answers that count towards figures about
    them (held answers left out) and their tally on the behaviour questions.
    ``comments`` are the ``ROLLUP_COMMENTS`` newest, newest first.

    Read back from disk, a roll-up decodes only what is asked of it: a trend
    needs ``responses`` and ``satisfaction``, a comparison the ``figures``,
    and a list of the ten latest comments the comments of a few months
    (``newest_comment`` says which).
    """

    __slots__ = ("_figures", "_core", "_comments", "_packed", "responses", "satisfaction", "staff",
                 "newest_comment")

    def __init__(self, figures: ResponseSummary | None, staff: dict[str, tuple[int, Tally]], *,
                 packed: tuple[str, str, str] | None = None, responses: int = 0, satisfaction: Tally | None = None,
                 newest_comment: str = ""):
        self._figures, self._core, self._packed, self.staff = figures, None, packed, staff
        self._comments = list(figures.comments) if figures is not None else None
        self.responses = figures.responses if figures is not None else responses
        self.satisfaction = figures.satisfaction if figures is not None else (satisfaction or Tally())
        self.newest_comment = self._comments[0].submitted_at if self._comments else newest_comment

    @property
    def figures(self) -> ResponseSummary:
        """Every figure of the month (its comments may or may not be in it: see ``comments``)."""
        if self._figures is None:
            core, detail, _comments = self._packed
            self._figures = summary_from_doc({**json.loads(core), **json.loads(detail)}, kept_cell=False)
        return self._figures

    @property
    def core(self) -> ResponseSummary:
        """The figures a comparison shows (counts, satisfaction, NPS, dimensions, outcomes), without the
        weekday-and-hour and month-by-month detail: decoding that was most of a year's first view."""
        if self._figures is not None:
            return self._figures
        if self._core is None:
            self._core = summary_from_doc(json.loads(self._packed[0]), kept_cell=False)
        return self._core

    @property
    def comments(self) -> list[Response]:
        if self._comments is None:
            self._comments = [Response.from_doc(r) for r in json.loads(self._packed[2])]
        return self._comments

    def to_doc(self) -> dict:
        figures = self.figures
        core = summary_to_doc(figures)
        detail = {key: core.pop(key) for key in _DETAIL}
        return {"responses": figures.responses, "satisfaction": tally_to_doc(figures.satisfaction),
                "staff": {k: [n, tally_to_doc(t)] for k, (n, t) in self.staff.items()},
                "newest_comment": self.newest_comment,
                # Kept as JSON text inside the document: read back, each is decoded only when used.
                "figures": json.dumps(core, separators=(",", ":")),
                "detail": json.dumps(detail, separators=(",", ":")),
                "comments": json.dumps([r.to_doc() for r in self.comments], separators=(",", ":"))}

    @classmethod
    def from_doc(cls, doc: dict) -> MonthRollup:
        if not all(isinstance(doc[k], str) for k in ("figures", "detail", "comments")):
            raise ValueError("not a roll-up of this version")
        return cls(None, {k: (int(n), tally_from_doc(t)) for k, (n, t) in doc["staff"].items()},
                   packed=(doc["figures"], doc["detail"], doc["comments"]), responses=int(doc["responses"]),
                   satisfaction=tally_from_doc(doc["satisfaction"]), newest_comment=str(doc["newest_comment"]))


def newest_comments(rollups: Iterable[MonthRollup], count: int) -> list[Response]:
    """The ``count`` newest comments of some months, newest first, decoding only the months that hold them."""
    chosen: list[Response] = []
    for rollup in sorted(rollups, key=lambda r: r.newest_comment, reverse=True):
        if not rollup.newest_comment or (len(chosen) >= count and rollup.newest_comment < chosen[-1].submitted_at):
            break
        chosen = heapq.nlargest(count, [*chosen, *rollup.comments], key=lambda r: r.submitted_at)
    return chosen


def _rollup(found: Cells) -> MonthRollup:
    staff: dict[str, tuple[int, Tally]] = {}
    for key, summary in found:
        if key.staff and counted(key):
            responses, tally = staff.get(key.staff, (0, Tally()))
            tally.merge(summary.behaviour_tally())
            staff[key.staff] = (responses + summary.responses, tally)
    total = merge_summaries((summary for _key, summary in found), latest_comments=ROLLUP_COMMENTS)
    return MonthRollup(total, staff)


def branch_month_rollup(store, branch: Branch, month: str, surveys: dict[str, Survey]) -> MonthRollup:
    """The roll-up of one branch-month, kept while its files are unchanged; on disk once the month is over.

    A closed month's roll-up is written to the store's figure cache, so the
    first view after a start (and each new web worker) reads a small file per
    branch-month instead of a month of answers.
    """
    stamp = _stamp(store, branch, month, surveys)
    key = (str(store.data_dir), branch.slug, branch.timezone, month)
    hit = _rollups.get(key, stamp)
    if hit is not None:
        return hit
    _lo, hi = _month_period(month).utc_bounds(branch.timezone)
    closed = hi <= datetime.now(UTC)
    kept_stamp = [ROLLUP_VERSION, branch.timezone, stamp]
    kept = store.figure_cache.get("rollups", branch.slug, month, kept_stamp) if closed else None
    rollup = None
    if kept is not None:
        try:
            rollup = MonthRollup.from_doc(kept)
        except (KeyError, TypeError, ValueError):
            rollup = None  # written by other code: worked out again below
    if rollup is None:
        rollup = _rollup(branch_month_cells(store, branch, month, surveys))
        if closed:
            store.figure_cache.put("rollups", branch.slug, month, kept_stamp, rollup.to_doc())
    _rollups.put(key, stamp, rollup)
    return rollup


#: Changed whenever what a roll-up holds changes, so files kept by older code are worked out again.
ROLLUP_VERSION = 4


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
    """Drop every kept month of one branch (a batch is done with them); return how many went."""
    return _cache.forget(lambda key: key[0] == str(store.data_dir) and key[1] == slug)


Rollups = dict[tuple[str, str], MonthRollup]


def month_rollups(store, branches: Iterable[Branch], months: Iterable[str], surveys: dict[str, Survey]) -> Rollups:
    """Each branch-month's roll-up, by ``(branch slug, month)``, looked up once for a whole view."""
    months = list(months)
    return {(b.slug, m): branch_month_rollup(store, b, m, surveys) for b in branches for m in months}


def monthly_satisfaction_of(rollups: Rollups, branches: Iterable[Branch], months: Iterable[str]
                            ) -> list[tuple[int, Tally]]:
    """Month by month, the answers and the satisfaction tally of ``branches`` together: what a trend plots."""
    branches = list(branches)
    found = []
    for month in months:
        tally, responses = Tally(), 0
        for branch in branches:
            rollup = rollups[(branch.slug, month)]
            responses += rollup.responses
            tally.merge(rollup.satisfaction)
        found.append((responses, tally))
    return found


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
