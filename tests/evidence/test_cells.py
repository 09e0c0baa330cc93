"""The kept branch-month cells: a one-off sweep keeps nothing new, and a batch lets a branch's months go."""

from __future__ import annotations

from datetime import UTC, datetime

from feedback.evidence import cells
from feedback.services.periods import parse_period
from feedback.services.surveys import surveys_from_settings

QUARTER = parse_period("2026-Q2")


def _kept(store, slug: str) -> list[str]:
    return sorted(key[3] for key in cells._cache if key[0] == str(store.data_dir) and key[1] == slug)


def _two_branches(factory):
    central, riverside = factory.branch("central"), factory.branch("riverside")
    for month in (4, 5, 6):
        factory.response("central", answers={"welcome": 5}, at=datetime(2026, month, 3, 10, tzinfo=UTC))
        factory.response("riverside", answers={"welcome": 2}, at=datetime(2026, month, 3, 10, tzinfo=UTC))
    return central, riverside


def test_a_sweep_passing_through_gives_the_same_cells_and_keeps_none(app, store, factory):
    central, _riverside = _two_branches(factory)
    surveys = surveys_from_settings(store.directory.settings())
    with app.test_request_context():
        with cells.passing_through():
            swept = cells.select(cells.period_cells(store, central, QUARTER, surveys), cells.counted)
        assert _kept(store, "central") == []
        kept = cells.select(cells.period_cells(store, central, QUARTER, surveys), cells.counted)
    assert _kept(store, "central") == ["2026-04", "2026-05", "2026-06"]
    assert swept.responses == kept.responses == 3
    assert swept.dimensions["welcome"].mean == kept.dimensions["welcome"].mean == 5.0


def test_a_sweep_passing_through_still_reads_what_is_kept(app, store, factory):
    central, _riverside = _two_branches(factory)
    surveys = surveys_from_settings(store.directory.settings())
    with app.test_request_context():
        kept = cells.period_cells(store, central, QUARTER, surveys)
        with cells.passing_through():
            again = cells.period_cells(store, central, QUARTER, surveys)
    assert all(a is b for (_k1, a), (_k2, b) in zip(kept, again, strict=True))  # the kept objects, not new ones


def test_forgetting_a_branch_drops_its_months_and_no_other_branchs(app, store, factory):
    central, riverside = _two_branches(factory)
    surveys = surveys_from_settings(store.directory.settings())
    with app.test_request_context():
        cells.period_cells(store, central, QUARTER, surveys)
        cells.period_cells(store, riverside, QUARTER, surveys)
    assert cells.forget_branch(store, "central") == 3
    assert _kept(store, "central") == []
    assert _kept(store, "riverside") == ["2026-04", "2026-05", "2026-06"]
