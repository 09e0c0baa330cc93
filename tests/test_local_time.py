"""One moment, one look: stored UTC times shown in the branch's zone, in the reader's language."""

from __future__ import annotations

from datetime import date

import pytest

from feedback.local_time import format_local


@pytest.mark.parametrize(("language", "shown"), [
    ("en", "24 Nov 2026, 01:28"), ("da", "24. nov. 2026 01.28"), ("es", "24 nov 2026, 1:28")])
def test_a_utc_stamp_is_shown_in_the_branch_zone_in_each_language(language, shown):
    assert format_local("2026-11-24T00:28:00Z", "Europe/Copenhagen", language) == shown


def test_summer_time_moves_the_clock_by_two_hours():
    assert format_local("2026-07-04T13:05:00Z", "Europe/Copenhagen", "en") == "4 Jul 2026, 15:05"


def test_a_local_date_stays_that_date_whatever_the_zone():
    assert format_local("2026-11-24", "Pacific/Auckland", "en", kind="date") == "24 Nov 2026"
    assert format_local(date(2026, 11, 24), "UTC", "da") == "24. nov. 2026"


def test_nothing_stays_nothing_and_an_unknown_zone_falls_back_to_utc():
    assert format_local(None, "Europe/Copenhagen", "en") == ""
    assert format_local("2026-11-24T00:28:00Z", "Mars/Olympus", "en") == "24 Nov 2026, 00:28"
