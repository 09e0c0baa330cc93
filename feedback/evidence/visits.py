"""Which mystery-shopper visits count: the one rule every figure, report and page uses.

A visit counts when a reviewer approved it, no appeal against it was upheld
(``services.visit_appeals``), and it was made on or after the day its
branch's staff were told that a shopper programme runs (the programme notice
register, ``services.programme_notices``). A branch with no notice on the
register is not held back: its approved visits count, and the set-up page and
the dashboard say plainly that no notice is recorded.

Every report, the dashboard's evidence and the coaching pages ask
:func:`counted_visits` (or :func:`visit_counts` for a list in hand), so the
rule has one home.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from ..model import Branch, Visit, parse_utc
from ..services.periods import Period

__all__ = ["CountingRule", "counting_rule", "not_counted_reason", "visit_counts", "counted_visits",
           "counted_among"]


@dataclass(frozen=True)
class CountingRule:
    """What the rule needs beside the visit: each branch's time zone and first day visits count."""

    timezones: dict[str, str]
    notice_dates: dict[str, date]  # branch slug -> the day staff were first told

    def local_date(self, visit: Visit) -> date:
        zone = ZoneInfo(self.timezones.get(visit.branch, "UTC"))
        return parse_utc(visit.visited_at).astimezone(zone).date()


def counting_rule(store) -> CountingRule:
    """The rule as the store holds it now: two small reads (branches, notice register)."""
    notices: dict[str, date] = {}
    for notice in store.programme_notices.all():
        told = date.fromisoformat(notice.told_on)
        notices[notice.branch] = min(told, notices.get(notice.branch, told))
    branches = store.directory.branches(include_inactive=True)
    return CountingRule({b.slug: b.timezone for b in branches}, notices)


def not_counted_reason(visit: Visit, rule: CountingRule) -> str | None:
    """Why ``visit`` does not count (``not_approved``, ``appeal_upheld``, ``before_notice``), or None."""
    if visit.status != "approved":
        return "not_approved"
    if any(appeal.get("status") == "upheld" for appeal in visit.appeals):
        return "appeal_upheld"
    told = rule.notice_dates.get(visit.branch)
    if told is not None and rule.local_date(visit) < told:
        return "before_notice"
    return None


def visit_counts(visit: Visit, rule: CountingRule) -> bool:
    return not_counted_reason(visit, rule) is None


def counted_among(store, visits: Iterable[Visit]) -> list[Visit]:
    """The visits of an already loaded list that count, in the list's order."""
    rule = counting_rule(store)
    return [v for v in visits if visit_counts(v, rule)]


def counted_visits(store, branches: dict[str, Branch], period: Period, staff: str | None = None) -> list[Visit]:
    """Visits that count to ``branches`` within ``period`` (each branch's own time zone), optionally of one
    staff member, oldest first."""
    rule = counting_rule(store)
    bounds = {slug: period.utc_bounds(b.timezone) for slug, b in branches.items()}
    found = [v for v in store.visits.all()
             if v.branch in bounds and (staff is None or v.staff == staff)
             and bounds[v.branch][0] <= parse_utc(v.visited_at) < bounds[v.branch][1]
             and visit_counts(v, rule)]
    return sorted(found, key=lambda v: (v.visited_at, v.id))
