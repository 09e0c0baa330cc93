"""Purging old responses keeps the monthly figures that dashboards and reports need."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from feedback.model import FollowUp, new_id
from feedback.services.dashboard import Scope, build_dashboard, build_staff_page
from feedback.services.periods import parse_period
from feedback.services.retention import purge

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def history(factory, store):
    branch = factory.branch("central")
    factory.desk("central", "info")
    member = factory.staff("Maria Jensen")
    scores = [5, 4, 2, 5, 3, 4, 1, 5]
    for day in range(1, 29, 3):  # January to March 2026, old enough to purge
        for month in (1, 2, 3):
            for i, score in enumerate(scores):
                factory.response(answers={"welcome": score, "helpful": 6 - score, "nps": score * 2},
                                 at=datetime(2026, month, day, 8 + i, 15, tzinfo=UTC), desk="info",
                                 channel="qr" if i % 2 else "kiosk", staff=member.id if i < 6 else None,
                                 flagged=(i == 0 and day == 1), comment="kept words" if i == 1 else "")
    factory.response(answers={"welcome": 4}, at=NOW - timedelta(days=3))  # recent: stays
    return branch, member


def _figures(board):
    s = board.summary
    return (s.responses, s.flagged, s.satisfaction.count, s.satisfaction.high, s.satisfaction.total,
            dict(s.nps_counts), {k: (t.count, t.total) for k, t in s.dimensions.items()},
            dict(s.heatmap_counts), [(r.member.id, r.count, r.satisfaction) for r in board.staff],
            board.trend_counts, board.trend_satisfaction)


def test_purged_months_show_the_same_figures_as_before(history, store):
    branch, member = history
    scopes = [Scope((branch,), parse_period(p), desk=d, channel=c)
              for p in ("2026-02", "2026-Q1", "2026") for d, c in ((None, None), ("info", "kiosk"))]
    before = [_figures(build_dashboard(store, s)) for s in scopes]
    staff_before = build_staff_page(store, member, branch, parse_period("2026-Q1")).summary
    result = purge(store, days=180, followup_days=30, now=NOW)
    assert result.responses_removed == 3 * 10 * 8
    assert store.responses.count() == 1
    assert [_figures(build_dashboard(store, s)) for s in scopes] == before
    staff_after = build_staff_page(store, member, branch, parse_period("2026-Q1")).summary
    assert (staff_after.responses, staff_after.satisfaction_share) == (staff_before.responses,
                                                                       staff_before.satisfaction_share)
    # Figures are kept, words are not.
    assert build_dashboard(store, scopes[0]).comments == []


def test_purging_twice_counts_nothing_twice(history, store):
    branch, _member = history
    scope = Scope((branch,), parse_period("2026-Q1"))
    before = _figures(build_dashboard(store, scope))
    purge(store, days=180, followup_days=30, now=NOW)
    second = purge(store, days=180, followup_days=30, now=NOW)
    assert second.responses_removed == 0 and second.cells_kept == 0
    assert _figures(build_dashboard(store, scope)) == before


def test_a_purge_that_stopped_before_deleting_is_safe_to_run_again(history, store, monkeypatch):
    branch, _member = history
    scope = Scope((branch,), parse_period("2026-Q1"))
    before = _figures(build_dashboard(store, scope))

    def crash(cutoff):
        raise OSError("disk went away")

    monkeypatch.setattr(store.responses, "remove_days_before", crash)
    with pytest.raises(OSError):
        purge(store, days=180, followup_days=30, now=NOW)
    monkeypatch.undo()
    purge(store, days=180, followup_days=30, now=NOW)
    assert _figures(build_dashboard(store, scope)) == before


class KilledBetweenWrites(BaseException):
    """Stands for SIGKILL: nothing after it runs, no ``except Exception`` catches it."""


def test_a_purge_killed_inside_aggregates_add_counts_no_day_twice(history, store, monkeypatch):
    """The reported crash: cells written, then killed before the kept days were; the rerun gave 480, not 240."""
    branch, _member = history
    scope = Scope((branch,), parse_period("2026-Q1"))
    before = _figures(build_dashboard(store, scope))
    assert before[:2] == (237, 3)  # 240 stored; the 3 held (flagged) ones count in no figure
    real_table = store.table
    written: list[str] = []

    def table_that_dies_before_the_days(relative_path, table):
        if relative_path == "aggregates/days.json" and written:
            raise KilledBetweenWrites()
        if relative_path.startswith("aggregates/2"):
            written.append(relative_path)
        return real_table(relative_path, table)

    monkeypatch.setattr(store, "table", table_that_dies_before_the_days)
    with pytest.raises(KilledBetweenWrites):
        purge(store, days=180, followup_days=30, now=NOW)
    monkeypatch.undo()
    assert written == ["aggregates/2026.json"]  # the cells did land
    # Until the purge is run again, nothing is lost and nothing counts twice.
    assert _figures(build_dashboard(store, scope)) == before
    # The next day's run completes it: every day counted once, and the stray cells are gone.
    result = purge(store, days=181, followup_days=30, now=NOW + timedelta(days=1))
    assert result.responses_removed == 240
    assert _figures(build_dashboard(store, scope)) == before
    with real_table("aggregates/2026.json", "cells") as cells:
        assert len({doc["batch"] for doc in cells.all()}) == 1


def test_purge_erases_contacts_of_old_follow_ups_only(store, factory, runner):
    factory.branch("central")
    old = store.followups.add(FollowUp(id=new_id(), branch="central", response=new_id(),
                                       created_at="2020-01-01T10:00:00Z", contact="old@example.org"))
    fresh = store.followups.add(FollowUp(id=new_id(), branch="central", response=new_id(),
                                         created_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                                         contact="new@example.org"))
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "erased 1 follow-up contacts" in result.output
    assert store.followups.get(old.id).contact is None
    assert store.followups.get(fresh.id).contact == "new@example.org"


def test_the_purge_command_uses_the_retention_set_by_the_administrator(store, factory, runner):
    factory.branch("central")
    factory.response(at=datetime.now(UTC) - timedelta(days=100))
    factory.response(at=datetime.now(UTC) - timedelta(days=10))
    store.directory.update_settings(retention_days=60)
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert store.responses.count() == 1
    assert runner.invoke(args=["purge", "--days", "3"]).exit_code != 0  # below the minimum
