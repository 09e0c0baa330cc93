"""The worker keeps closed months' figures ahead of any manager, so a first view reads no answers."""

from __future__ import annotations

from datetime import UTC, datetime

from feedback.evidence import cells
from feedback.services.dashboard import Scope, build_dashboard
from feedback.services.figure_upkeep import keep_closed_months
from feedback.services.periods import parse_period


def test_kept_ahead_the_first_view_of_a_new_worker_reads_no_answers(app, store, factory):
    branches = (factory.branch("central"), factory.branch("riverside"))
    for day in (3, 17):
        factory.response("central", at=datetime(2026, 9, day, 10, tzinfo=UTC))
        factory.response("riverside", at=datetime(2026, 10, day, 11, tzinfo=UTC))
    with app.test_request_context():
        assert keep_closed_months(store, months=3, now=datetime(2026, 11, 15, tzinfo=UTC)) == 6
        kept = sorted(p.relative_to(store.figure_cache.root).as_posix()
                      for p in store.figure_cache.root.rglob("*.json"))
        assert kept == [f"rollups/{b}/{m}.json" for b in ("central", "riverside")
                        for m in ("2026-08", "2026-09", "2026-10")]
        # The worker kept the small roll-ups, not the months' cells.
        assert not [key for key in cells._cache if key[0] == str(store.data_dir)]
        cells._rollups.clear()  # a new web worker
        board = build_dashboard(store, Scope(branches, parse_period("2026-Q3")))
        assert board.summary.responses == 2
        assert not [key for key in cells._cache if key[0] == str(store.data_dir) and key[3] in ("2026-08", "2026-09")]
