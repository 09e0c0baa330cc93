"""A period's stamp changes with every write to its responses, and costs one stat a day once settled."""

import os
from datetime import UTC, datetime

from feedback.model import Response, format_utc, new_id

DAY = datetime(2026, 9, 14, 10, tzinfo=UTC)
SPAN = (datetime(2026, 9, 1, tzinfo=UTC), datetime(2026, 10, 1, tzinfo=UTC))


def _add(store, at=DAY):
    response = Response(id=new_id(), survey="qr", survey_version=1, branch="central",
                        submitted_at=format_utc(at), channel="qr", language="en", answers={"welcome": 3})
    store.responses.add(response)
    return response


def _settle(store):
    """Make every day folder look as if it was last written a minute ago."""
    for _day, folder in store.responses.day_folders("central", None, None):
        past = os.stat(folder).st_mtime_ns - 60 * 10**9
        os.utime(folder, ns=(past, past))


def test_every_write_changes_the_stamp_even_within_one_clock_tick(store):
    _add(store)
    first = store.response_stamps.of_period("central", *SPAN)
    _add(store)  # same folder, possibly the same coarse mtime: stamped file by file
    assert store.response_stamps.of_period("central", *SPAN) != first


def test_a_settled_day_is_stamped_by_its_folder_alone_and_still_sees_changes(store):
    for _ in range(5):
        kept = _add(store)
    _settle(store)
    settled = store.response_stamps.of_period("central", *SPAN)
    assert len(settled) == 1  # one entry for the day, not one per file
    assert store.response_stamps.of_period("central", *SPAN) == settled
    store.responses.set_review(kept, "held", ["burst"], {"at": "2026-01-01T00:00:00Z", "by": "test", "action": "held"})
    assert store.response_stamps.of_period("central", *SPAN) != settled


def test_days_outside_the_period_do_not_count(store):
    _add(store)
    _settle(store)
    before = store.response_stamps.of_period("central", *SPAN)
    _add(store, at=datetime(2026, 10, 3, tzinfo=UTC))
    assert store.response_stamps.of_period("central", *SPAN) == before


def _settle_months(store):
    _settle(store)
    for _month, folder in store.responses.month_folders("central", None, None):
        past = os.stat(folder).st_mtime_ns - 60 * 10**9
        os.utime(folder, ns=(past, past))


def test_a_settled_month_is_stamped_by_its_month_folder_and_an_append_still_changes_it(store):
    _add(store)
    _add(store, at=datetime(2026, 9, 20, 10, tzinfo=UTC))
    _settle_months(store)
    settled = store.response_stamps.of_period("central", *SPAN)
    assert len(settled) == 1  # one entry for the month, not one per day
    _add(store)  # one more line in the 14th's existing log: no folder is created or renamed
    assert store.response_stamps.of_period("central", *SPAN) != settled
    _settle_months(store)
    again = store.response_stamps.of_period("central", *SPAN)
    store.responses.compact_closed(now=datetime(2026, 11, 1, tzinfo=UTC))
    assert store.response_stamps.of_period("central", *SPAN) != again
