"""Periods and months as people read them, in the reader's language: "October 2026", not "2026-10".

Reports and charts print these; the machine labels (``2026-Q4``) stay for
file names and the command line. Uses the locale Flask-Babel has chosen
(reports render inside ``force_locale``).
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import format_date
from flask_babel import gettext as _

from .periods import Period

__all__ = ["month_name", "month_tick", "period_name", "day_name", "partial_days"]


def _first(month: str) -> date:
    return date.fromisoformat(f"{month}-01")


def month_name(month: str) -> str:
    """``2026-10`` as "October 2026" (Danish "oktober 2026")."""
    return format_date(_first(month), "LLLL y")


def month_tick(month: str, *, with_year: bool) -> str:
    """A two-line tick label under a chart: "Oct" and, at January or the first tick, the year."""
    first = _first(month)
    short = format_date(first, "LLL").rstrip(".")
    return f"{short}\n{first.year}" if with_year else short


def day_name(day: date) -> str:
    """A date as "24 November 2026" in the reader's language."""
    return format_date(day, "long")


def period_name(period: Period) -> str:
    """"October 2026", "October-December 2026" or "2026"."""
    if period.kind == "month":
        return month_name(period.label)
    if period.kind == "quarter":
        months = period.months()
        return _("%(first)s-%(last)s %(year)s", first=format_date(_first(months[0]), "LLLL"),
                 last=format_date(_first(months[-1]), "LLLL"), year=period.start.year)
    return str(period.start.year)


def partial_days(period: Period, today: date) -> tuple[int, int] | None:
    """(days elapsed, days in period) when ``today`` falls inside ``period``; None when it is over or ahead."""
    if not (period.start <= today < period.end):
        return None
    return (today - period.start).days + 1, (period.end - period.start).days


def last_day(period: Period) -> date:
    return period.end - timedelta(days=1)
