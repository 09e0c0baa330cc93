"""Reporting periods: ``2026-11`` (a month), ``2026-Q4`` (a quarter), ``2026`` (a year).

A period is a half-open interval of local dates in a branch's time zone;
:meth:`Period.utc_bounds` turns it into the UTC instants the store filters on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

__all__ = ["Period", "PeriodError", "parse_period", "current_period"]

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
# Years a report can be about. Outside them the calendar arithmetic (a trend's earlier periods, a
# period's end) would leave what ``datetime.date`` can hold: ``0000`` and ``9999-12`` are typing errors.
FIRST_YEAR, LAST_YEAR = 1900, 2999


class PeriodError(ValueError):
    """Text that is not a period we understand."""


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + (day.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """Local dates ``start <= d < end`` with the label people typed."""

    label: str
    kind: str  # month | quarter | year
    start: date
    end: date

    def utc_bounds(self, timezone: str = "UTC") -> tuple[datetime, datetime]:
        tz = ZoneInfo(timezone)
        return (
            datetime.combine(self.start, time.min, tz).astimezone(UTC),
            datetime.combine(self.end, time.min, tz).astimezone(UTC),
        )

    def previous(self) -> Period:
        return self.shifted(-1)

    def shifted(self, steps: int) -> Period:
        """The period ``steps`` of the same kind before (negative) or after this one."""
        months = {"month": 1, "quarter": 3, "year": 12}[self.kind] * steps
        start = _add_months(self.start, months)
        return period_of_kind(self.kind, start)

    def months(self) -> list[str]:
        """The ``YYYY-MM`` labels of the months this period covers."""
        labels, start = [], self.start
        while start < self.end:
            labels.append(f"{start:%Y-%m}")
            start = _add_months(start, 1)
        return labels

    def last(self, count: int) -> list[Period]:
        """This period and the ``count - 1`` before it, oldest first."""
        return [self.shifted(-i) for i in range(count - 1, -1, -1)]


def period_of_kind(kind: str, start: date) -> Period:
    if kind == "month":
        return Period(f"{start:%Y-%m}", "month", start, _add_months(start, 1))
    if kind == "quarter":
        return Period(f"{start.year}-Q{(start.month - 1) // 3 + 1}", "quarter", start, _add_months(start, 3))
    return Period(f"{start.year}", "year", start, _add_months(start, 12))


def parse_period(text: str) -> Period:
    """The period ``text`` names; :class:`PeriodError` for anything else, out-of-range years included."""
    text = (text or "").strip().upper()
    match = _MONTH.match(text) or _QUARTER.match(text) or _YEAR.match(text)
    if match and not FIRST_YEAR <= int(match.group(1)) <= LAST_YEAR:
        raise PeriodError(f"not a period: {text!r} (the year must be between {FIRST_YEAR} and {LAST_YEAR})")
    if m := _MONTH.match(text):
        return period_of_kind("month", date(int(m.group(1)), int(m.group(2)), 1))
    if m := _QUARTER.match(text):
        return period_of_kind("quarter", date(int(m.group(1)), (int(m.group(2)) - 1) * 3 + 1, 1))
    if m := _YEAR.match(text):
        return period_of_kind("year", date(int(m.group(1)), 1, 1))
    raise PeriodError(f"not a period: {text!r} (use 2026-11, 2026-Q4 or 2026)")


def current_period(kind: str = "month", today: date | None = None) -> Period:
    today = today or datetime.now(UTC).date()
    if kind == "quarter":
        return period_of_kind("quarter", date(today.year, (today.month - 1) // 3 * 3 + 1, 1))
    if kind == "year":
        return period_of_kind("year", date(today.year, 1, 1))
    return period_of_kind("month", date(today.year, today.month, 1))
