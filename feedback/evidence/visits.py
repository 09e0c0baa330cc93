"""Which mystery-shopper visits count: approved, inside the period in the branch's own time zone.

Every report, the dashboard's evidence and the coaching pages ask this one
function, so a rule about what counts (approval today; the date staff were
told about the programme, appeals upheld) has one home.
"""

from __future__ import annotations

from ..model import Branch, Visit, parse_utc
from ..services.periods import Period

__all__ = ["counted_visits"]


def counted_visits(store, branches: dict[str, Branch], period: Period, staff: str | None = None) -> list[Visit]:
    """Approved visits to ``branches`` within ``period`` (optionally of one staff member), oldest first."""
    bounds = {slug: period.utc_bounds(b.timezone) for slug, b in branches.items()}
    found = [v for v in store.visits.all()
             if v.status == "approved" and v.branch in bounds and (staff is None or v.staff == staff)
             and bounds[v.branch][0] <= parse_utc(v.visited_at) < bounds[v.branch][1]]
    return sorted(found, key=lambda v: (v.visited_at, v.id))
