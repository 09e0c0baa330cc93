"""The dashboard keeps each branch-month's figures, and sees every new answer the moment it is stored."""

import os
from datetime import UTC, datetime

from feedback.services.dashboard import Scope, build_dashboard
from feedback.services.periods import parse_period


def _settle(store):
    """Make every response folder look as if it was last written a minute ago (no racy stamps)."""
    for folder in [*(f for _m, f in store.responses.month_folders("central", None, None)),
                   *(f for _d, f in store.responses.day_folders("central", None, None))]:
        past = os.stat(folder).st_mtime_ns - 60 * 10**9
        os.utime(folder, ns=(past, past))


def test_a_cached_month_counts_an_answer_appended_later(app, store, factory):
    branch = factory.branch("central")
    period = parse_period("2026-09")
    for _ in range(3):
        factory.response(at=datetime(2026, 9, 14, 10, tzinfo=UTC))
    with app.test_request_context():
        assert build_dashboard(store, Scope((branch,), period)).summary.responses == 3
        _settle(store)
        assert build_dashboard(store, Scope((branch,), period)).summary.responses == 3
        factory.response(at=datetime(2026, 9, 14, 11, tzinfo=UTC))  # the same day's log, one line more
        assert build_dashboard(store, Scope((branch,), period)).summary.responses == 4
        _settle(store)
        store.responses.compact_closed()
        factory.response(at=datetime(2026, 9, 20, 11, tzinfo=UTC))  # a late answer to a compacted month
        assert build_dashboard(store, Scope((branch,), period)).summary.responses == 5
