"""The dashboard keeps each branch-month's figures, and sees every new answer the moment it is stored."""

import os
import random
from datetime import UTC, date, datetime, timedelta

from feedback.evidence import cells
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


def _cells_oracle(store, scope, today):
    """The dashboard's headline figures by merging every cell, as the filtered path does."""
    from feedback.services.dashboard import _previous_summary, _staff_rows, _trend, _window_start, load_cells
    from feedback.services.monthly_cells import select

    period = scope.period
    cells = load_cells(store, scope.branches, _window_start(period), period.end)
    months = set(period.months())
    summary = select(cells, lambda k: k.month in months)
    _label, previous = _previous_summary(store, scope.branches, cells, period, today, lambda k: True)
    members = store.directory.staff(include_inactive=True)
    staff = [(r.member.id, r.count, r.answers, r.mean) for r in _staff_rows(cells, members, months, scope, 5)
             if r.count]
    return summary, previous, _trend(cells, scope, today=today), staff


def _figures(summary):
    return (summary.responses, summary.flagged, summary.satisfaction, dict(summary.dimensions),
            dict(summary.nps_counts), dict(summary.heatmap_counts), dict(summary.outcomes))


def _random_answers(factory):
    """Three branches, six people and 400 answers over fourteen months: staff, desks, channels, held ones."""
    rng = random.Random(7)
    branches = [factory.branch(slug) for slug in ("central", "riverside", "northside")]
    people = [factory.staff(f"Person {n}", branches[n % 3].slug) for n in range(6)]
    start = datetime(2025, 10, 1, 9, tzinfo=UTC)
    for n in range(400):
        member = rng.choice([*people, None])
        branch = member.branch if member else rng.choice(branches).slug
        factory.response(branch, at=start + timedelta(hours=rng.randrange(0, 24 * 420)),
                         answers={"welcome": rng.randint(1, 5), "helpful": rng.randint(1, 5),
                                  "nps": rng.randint(0, 10)},
                         staff=member.id if member else None, desk=rng.choice([None, "info"]),
                         channel=rng.choice(["qr", "kiosk"]), comment=f"comment {n}" if n % 3 == 0 else "",
                         flagged=n % 17 == 0)
    return branches


def test_every_branch_unfiltered_gives_the_figures_of_merging_every_cell(app, store, factory):
    """The roll-ups a hundred-branch view reads add up to exactly what merging each cell gives."""
    seen: set[str] = set()
    branches = _random_answers(factory)
    today = date(2026, 11, 20)  # the year and the month still running: compared with the same days before
    with app.test_request_context():
        for label in ("2026", "2026-11", "2026-10", "2026-Q3", "2026", "2026-10"):
            if label in seen:  # the second time round, as a new worker: closed months' roll-ups read from disk
                cells._cache.clear()
                cells._rollups.clear()
            seen.add(label)
            scope = Scope(tuple(branches), parse_period(label))
            board = build_dashboard(store, scope, today=today)
            summary, previous, trend, staff = _cells_oracle(store, scope, today)
            assert board.summary.responses > 0
            assert _figures(board.summary) == _figures(summary), label
            # A comparison shows no weekday-and-hour or month-by-month detail, so none is decoded for it.
            assert _figures(board.previous)[:5] == _figures(previous)[:5], label
            assert board.previous.outcomes == previous.outcomes, label
            assert (board.trend_months, board.trend_counts, board.trend_satisfaction) == trend, label
            assert [(r.member.id, r.count, r.answers, r.mean) for r in board.staff if r.count] == staff, label
            assert [c.text for c in board.comments] == [
                r.comment for r in summary.comments[:10]], label


def test_a_closed_months_figures_kept_on_disk_give_way_to_a_late_answer(app, store, factory):
    from feedback.evidence import cells

    central = factory.branch("central")
    riverside = factory.branch("riverside")
    period = parse_period("2026-09")
    for hour in range(3):
        factory.response(at=datetime(2026, 9, 14, 10 + hour, tzinfo=UTC))
    both = Scope((central, riverside), period)
    with app.test_request_context():
        assert build_dashboard(store, both).summary.responses == 3
        kept = store.data_dir / ".figures" / "rollups" / "central" / "2026-09.json"
        assert kept.exists()  # a closed month: its roll-up is kept for the next worker
        _settle(store)
        cells._cache.clear()
        cells._rollups.clear()
        factory.response(at=datetime(2026, 9, 20, 11, tzinfo=UTC))  # a late answer to that closed month
        assert build_dashboard(store, both).summary.responses == 4
        cells._cache.clear()
        cells._rollups.clear()
        kept.write_text("{not json")  # a damaged cache file is worked out again, never trusted or fatal
        assert build_dashboard(store, both).summary.responses == 4
        assert store.corrupt_files() == []  # the cache is not data: `check` never sees it


def test_the_system_a_branch_report_compares_with_is_the_merge_of_every_counted_cell(app, store, factory):
    """Read from the roll-ups (and, as a new worker, from disk), the system's figures stay exact."""
    from feedback.services.report_figures import monthly_satisfaction, period_summary, system_comparison
    from feedback.services.surveys import surveys_from_settings

    branches = _random_answers(factory)
    surveys = surveys_from_settings(store.directory.settings())
    with app.test_request_context():
        for label in ("2026-Q3", "2026-10", "2026", "2026-Q3"):
            cells._rollups.clear()  # as a new worker: closed months' roll-ups come from disk
            period = parse_period(label)
            system = system_comparison(store, branches, period, surveys, 5)
            expected = period_summary(store, branches, period, surveys)
            assert system.summary.responses > 0
            assert _figures(system.summary) == _figures(expected), label
            assert system.summary.behaviour_tally() == expected.behaviour_tally(), label
            assert system.months == monthly_satisfaction(store, branches, period, surveys, 5), label
