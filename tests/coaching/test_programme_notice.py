"""Visits made before a branch's staff were told about the programme count nowhere; the register is kept."""

from __future__ import annotations

from datetime import date

import pytest

from feedback.evidence.visits import counted_among, counted_visits
from feedback.services import programme_notices
from feedback.services.branch_report import build_branch_report
from feedback.services.coaching import build_staff_report
from feedback.services.dashboard import Scope, build_dashboard, build_staff_page
from feedback.services.periods import parse_period
from feedback.services.plan_progress import behaviour_figures
from feedback.services.shopping import approved_visits_for
from tests.coaching.conftest import add_visit, utc

QUARTER = parse_period("2026-Q2")


@pytest.fixture
def told_in_may(store, coaching_world):
    """Maria: a visit on 2 April (before the notice), one on 20 May (after); Central told on 15 May."""
    early = add_visit(store, coaching_world.maria, utc(2026, 4, 2, 10), default="no")
    late = add_visit(store, coaching_world.maria, utc(2026, 5, 20, 10), default="yes")
    programme_notices.record_notice(store, branch="central", told_on=date(2026, 5, 15),
                                    how="Staff meeting and e-mail", by=coaching_world.users["admin"],
                                    now=utc(2026, 5, 15, 16))
    return early, late


def test_the_one_rule_leaves_out_visits_before_the_notice(store, coaching_world, told_in_may):
    early, late = told_in_may
    assert [v.id for v in counted_visits(store, {b.slug: b for b in store.directory.branches()}, QUARTER)] == [late.id]


def test_no_figure_report_or_page_counts_a_visit_before_the_notice(app, store, coaching_world, told_in_may):
    central = store.directory.branch("central")
    manager = coaching_world.users["manager_a"]
    assert build_dashboard(store, Scope((central,), QUARTER)).visits.visits == 1
    assert build_staff_page(store, coaching_world.maria, central, QUARTER).visits.visits == 1
    staff_report = build_staff_report(store, "MARIA", QUARTER)
    assert staff_report.headline.visits == 1 and staff_report.headline.visit_score == 1.0
    assert [v.when for v in staff_report.visits] == ["2026-05-20"]
    with app.test_request_context():
        assert build_branch_report(store, "central", QUARTER).visits == 1
    assert [v.id for v, _score in approved_visits_for(store, manager)] == [told_in_may[1].id]
    figures = behaviour_figures(store, coaching_world.maria, "follow_up", QUARTER.start, QUARTER.end)
    assert (figures.visits, figures.seen) == (1, 1)


def test_the_notice_day_counts_in_the_branch_time_zone(store, coaching_world):
    # 22:30 UTC on 14 May is 00:30 on 15 May in Copenhagen: the day staff were told.
    visit = add_visit(store, coaching_world.maria, utc(2026, 5, 14, 22, 30))
    programme_notices.record_notice(store, branch="central", told_on=date(2026, 5, 15), how="Meeting",
                                    by=coaching_world.users["admin"], now=utc(2026, 5, 20))
    assert [v.id for v in counted_among(store, store.visits.all())] == [visit.id]


def test_a_branch_without_a_notice_is_named_and_its_visits_still_count(store, coaching_world, told_in_may):
    riverside_visit = add_visit(store, coaching_world.emil, utc(2026, 4, 1, 10))
    assert riverside_visit.id in {v.id for v in counted_among(store, store.visits.all())}
    register = {entry.branch.slug: entry.counts_from for entry in programme_notices.notice_register(store)}
    assert register == {"central": "2026-05-15", "riverside": None}


def test_the_earliest_notice_of_the_register_is_the_one_that_counts(store, coaching_world, told_in_may):
    programme_notices.record_notice(store, branch="central", told_on=date(2026, 6, 1), how="Reminder e-mail",
                                    by=coaching_world.users["admin"], now=utc(2026, 6, 1, 9))
    assert programme_notices.branch_notices(store, "central").counts_from == "2026-05-15"
    assert len(counted_visits(store, {b.slug: b for b in store.directory.branches()}, QUARTER)) == 1


@pytest.mark.parametrize(("told_on", "how", "field"), [
    (None, "Meeting", "told_on"), (date(2026, 6, 2), "Meeting", "told_on"), (date(2026, 5, 1), "  ", "how")])
def test_a_notice_with_a_problem_names_the_field(store, coaching_world, told_on, how, field):
    with pytest.raises(programme_notices.NoticeError) as problem:
        programme_notices.record_notice(store, branch="central", told_on=told_on, how=how,
                                        by=coaching_world.users["admin"], now=utc(2026, 6, 1))
    assert problem.value.field == field
    assert store.programme_notices.all() == []


def test_only_an_administrator_keeps_the_register(store, coaching_world):
    with pytest.raises(PermissionError):
        programme_notices.record_notice(store, branch="central", told_on=date(2026, 5, 1), how="Meeting",
                                        by=coaching_world.users["manager_a"], now=utc(2026, 6, 1))


def test_the_set_up_page_records_a_notice_and_shows_errors_next_to_the_field(store, coaching_world, sign_in):
    admin = sign_in(coaching_world.email("admin"))
    page = admin.post("/manage/setup/programme-notices", data={"branch": "central", "told_on": "", "how": ""})
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert "Write a date like 2026-11-30." in text and "Say how staff were told" in text
    assert store.programme_notices.all() == []
    done = admin.post("/manage/setup/programme-notices",
                      data={"branch": "central", "told_on": "2026-05-15", "how": "Staff meeting <b>and</b> e-mail"})
    assert done.status_code == 302
    listing = admin.get("/manage/setup/programme-notices").get_data(as_text=True)
    assert "2026-05-15: Staff meeting &lt;b&gt;and&lt;/b&gt; e-mail" in listing
    assert sign_in(coaching_world.email("manager_a")).get("/manage/setup/programme-notices").status_code == 403


def test_reports_say_they_are_for_coaching_not_discipline_and_when_staff_were_told(app, store, coaching_world,
                                                                                    told_in_may):
    from feedback.reports.documents import branch_report_html, staff_report_html

    with app.test_request_context():
        for html in (staff_report_html(store, "MARIA", QUARTER), branch_report_html(store, "central", QUARTER)):
            assert "For coaching and development, not discipline." in html
            assert "told about the mystery-shopper programme on 2026-05-15 (Staff meeting and e-mail)" in html
