"""Reporting periods as people type them."""

from datetime import UTC, date, datetime

import pytest

from feedback.services.periods import PeriodError, parse_period


def test_a_quarter_covers_three_months_and_knows_the_one_before():
    q = parse_period("2026-q1")
    assert (q.label, q.start, q.end) == ("2026-Q1", date(2026, 1, 1), date(2026, 4, 1))
    assert q.months() == ["2026-01", "2026-02", "2026-03"]
    assert q.previous().label == "2025-Q4"
    assert [p.label for p in q.last(4)] == ["2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1"]


def test_a_month_in_copenhagen_starts_an_hour_before_midnight_utc():
    start, end = parse_period("2026-11").utc_bounds("Europe/Copenhagen")
    assert start == datetime(2026, 10, 31, 23, tzinfo=UTC)
    assert end == datetime(2026, 11, 30, 23, tzinfo=UTC)


def test_a_year_is_twelve_months():
    assert len(parse_period("2026").months()) == 12


@pytest.mark.parametrize("text", ["2026-13", "2026-Q5", "26", "", "2026-11-01", "Q3"])
def test_anything_else_is_refused_with_the_forms_it_accepts(text):
    with pytest.raises(PeriodError, match="2026-Q4"):
        parse_period(text)
