"""The periods people pick from (this month, last month, this quarter ...), and fair comparisons.

One service for the dashboard, the staff pages and the reports, so "last
quarter" means the same everywhere. A preset resolves to a
:class:`~feedback.services.periods.Period` for a given day; ``custom`` is any
month, quarter or year typed as ``2026-11``, ``2026-Q4`` or ``2026``.

A period that is still running is compared with the *same number of days* at
the start of the period before (:func:`comparison_window`): 24 days of
November against 1-24 October, never against all of October.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from .periods import Period, current_period, parse_period

__all__ = ["PRESETS", "PRESET_LABELS", "DEFAULT_PRESET", "resolve_preset", "preset_of", "Comparison",
           "comparison_window", "last_complete_month"]

PRESETS = ("this_month", "last_month", "this_quarter", "last_quarter", "this_year", "custom")
PRESET_LABELS = {
    "this_month": _l("This month (to date)"),
    "last_month": _l("Last month"),
    "this_quarter": _l("This quarter (to date)"),
    "last_quarter": _l("Last quarter"),
    "this_year": _l("This year (to date)"),
    "custom": _l("Another month, quarter or year"),
}
#: What the dashboard and the reports page show first: the same for both.
DEFAULT_PRESET = "this_month"


def resolve_preset(preset: str, today: date, custom: str | None = None) -> Period:
    """The period a preset names on ``today``; ``custom`` text for ``custom`` (PeriodError if not one)."""
    if preset == "this_month":
        return current_period("month", today)
    if preset == "last_month":
        return current_period("month", today).previous()
    if preset == "this_quarter":
        return current_period("quarter", today)
    if preset == "last_quarter":
        return current_period("quarter", today).previous()
    if preset == "this_year":
        return current_period("year", today)
    if preset == "custom":
        return parse_period(custom or "")
    raise ValueError(f"unknown preset {preset!r}")


def preset_of(period: Period, today: date) -> str:
    """The preset that names ``period`` on ``today`` (``custom`` when none does)."""
    for preset in PRESETS[:-1]:
        if resolve_preset(preset, today) == period:
            return preset
    return "custom"


def last_complete_month(today: date) -> str:
    """``YYYY-MM`` of the current month: charts plot no month after it."""
    return f"{today:%Y-%m}"


@dataclass(frozen=True)
class Comparison:
    """The stretch of the period before that a period is fairly compared with."""

    start: date
    end: date  # exclusive
    label: str
    partial: bool  # True: only the same first days of the previous period


def comparison_window(period: Period, today: date) -> Comparison:
    """The previous period, cut to as many days as ``period`` has had when it is still running."""
    previous = period.previous()
    if not (period.start <= today < period.end):
        return Comparison(previous.start, previous.end, previous.label, False)
    elapsed = (today - period.start).days + 1
    end = min(previous.start + timedelta(days=elapsed), previous.end)
    last = end - timedelta(days=1)
    if last == previous.start:
        label = f"{previous.start:%Y-%m-%d}"
    else:
        label = str(_l("%(first)s to %(last)s", first=f"{previous.start:%Y-%m-%d}", last=f"{last:%Y-%m-%d}"))
    return Comparison(previous.start, end, label, True)
