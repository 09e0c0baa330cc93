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


@pytest.mark.parametrize("text", ["0000", "0000-01", "9999-12", "9999", "1899-Q4", "3000-01"])
def test_a_year_outside_what_a_report_can_cover_is_a_period_error_not_a_crash(text):
    with pytest.raises(PeriodError, match="between 1900 and 2999"):
        parse_period(text)


def test_the_first_and_last_years_work_with_their_neighbours():
    assert parse_period("1900-01").last(13)[0].label == "1899-01"
    assert parse_period("2999-12").shifted(1).label == "3000-01"
