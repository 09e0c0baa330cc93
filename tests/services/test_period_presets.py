"""Period presets and fair comparisons: one definition for the dashboard, staff pages and reports."""

from __future__ import annotations

from datetime import date

import pytest

from feedback.services.period_presets import comparison_window, preset_of, resolve_preset
from feedback.services.periods import PeriodError, parse_period

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize("preset, label", [
    ("this_month", "2026-11"), ("last_month", "2026-10"), ("this_quarter", "2026-Q4"),
    ("last_quarter", "2026-Q3"), ("this_year", "2026"),
])
def test_each_preset_names_one_period(preset, label):
    assert resolve_preset(preset, TODAY).label == label
    assert preset_of(parse_period(label), TODAY) == preset


def test_january_s_last_month_and_quarter_are_in_the_year_before():
    assert resolve_preset("last_month", date(2027, 1, 3)).label == "2026-12"
    assert resolve_preset("last_quarter", date(2027, 1, 3)).label == "2026-Q4"


def test_custom_is_any_month_quarter_or_year_and_nothing_else():
    assert resolve_preset("custom", TODAY, "2025-Q2").label == "2025-Q2"
    assert preset_of(parse_period("2025-Q2"), TODAY) == "custom"
    with pytest.raises(PeriodError):
        resolve_preset("custom", TODAY, "last month")


def test_a_running_month_is_compared_with_the_same_days_of_the_month_before():
    window = comparison_window(parse_period("2026-11"), TODAY)
    assert (window.start, window.end, window.partial) == (date(2026, 10, 1), date(2026, 10, 25), True)
    assert window.label == "2026-10-01 to 2026-10-24"


def test_a_finished_month_is_compared_with_the_whole_month_before():
    window = comparison_window(parse_period("2026-10"), TODAY)
    assert (window.start, window.end, window.partial, window.label) == (
        date(2026, 9, 1), date(2026, 10, 1), False, "2026-09")


def test_the_31st_of_a_month_compares_with_all_of_a_shorter_month_before():
    window = comparison_window(parse_period("2026-12"), date(2026, 12, 31))
    assert (window.start, window.end) == (date(2026, 11, 1), date(2026, 12, 1))
