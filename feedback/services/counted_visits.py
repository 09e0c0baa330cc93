"""Which mystery-shopper visits count: the one rule every figure, report and page uses.

A visit counts when a reviewer approved it, no appeal against it was upheld,
and it was made on or after the day its branch's staff were told that a
shopper programme runs (the programme notice register). A branch with no
notice on the register is not held back: its approved visits count, and the
set-up page and the dashboard say plainly that no notice is recorded.

Every visit query that feeds a figure goes through :func:`counted_visits`
(or :func:`visit_counts` for a list already in hand), so the rule lives here
and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from ..model import Branch, Visit, parse_utc
from .periods import Period

__all__ = ["CountingRule", "counting_rule", "visit_counts", "counted_visits", "not_counted_reason"]


@dataclass(frozen=True)
class CountingRule:
    """What :func:`visit_counts` needs: each branch's time zone and notice date."""

    timezones: dict[str, str]
    notice_dates: dict[str, date]  # branch slug -> first day visits count

    def local_date(self, visit: Visit) -> date:
        zone = ZoneInfo(self.timezones.get(visit.branch, "UTC"))
        return parse_utc(visit.visited_at).astimezone(zone).date()


def counting_rule(store) -> CountingRule:
    """The rule as the store holds it now: two small reads (branches, notice register)."""
    branches = store.directory.branches(include_inactive=True)
    notices: dict[str, date] = {}
    for notice in store.programme_notices.all():
        told = date.fromisoformat(notice.told_on)
        notices[notice.branch] = min(told, notices.get(notice.branch, told))
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


def counted_visits(store, *, branches: Iterable[Branch] | None = None, period: Period | None = None,
                   staff: str | None = None, visits: Iterable[Visit] | None = None) -> list[Visit]:
    """The visits that count, oldest first: of ``branches`` (default all), within ``period`` in each
    branch's own time zone, of one ``staff`` member when given.

    ``visits`` narrows an already loaded list instead of reading the store's.
    """
    rule = counting_rule(store)
    slugs = None if branches is None else {b.slug for b in branches}
    bounds = {}
    if period is not None:
        for slug, zone in rule.timezones.items():
            bounds[slug] = period.utc_bounds(zone)
    found = []
    for visit in (store.visits.all() if visits is None else visits):
        if slugs is not None and visit.branch not in slugs:
            continue
        if staff is not None and visit.staff != staff:
            continue
        if period is not None:
            lo, hi = bounds.get(visit.branch) or period.utc_bounds("UTC")
            if not lo <= parse_utc(visit.visited_at) < hi:
                continue
        if visit_counts(visit, rule):
            found.append(visit)
    return sorted(found, key=lambda v: (v.visited_at, v.id))
