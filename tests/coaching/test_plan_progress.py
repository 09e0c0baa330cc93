"""A plan recorded in the console appears word for word in the next report, with evidence before and after."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest

from feedback.services import coaching_record as cr
from feedback.services.periods import parse_period
from feedback.services.plan_progress import plan_progress
from tests.coaching.conftest import add_visit, utc

ACTION = "Before a guest leaves, ask \u201cDoes this fully answer your question?\u201d & wait for the answer"
SUPPORT = "Shadow Ahmed at the information desk for one afternoon"
HOW = "Shoppers hear the question in most visits"
GREETING = "Greet every guest who comes within two metres of the desk"


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return " ".join(text.split())


@pytest.fixture
def april_and_may(store, factory, coaching_world):
    """Maria: follow-up seen in 1 of 4 April visits and 3 of 4 May visits; welcome 3.0 in April, 4.6 in May."""
    maria = coaching_world.maria
    for day, seen in ((3, True), (8, False), (14, False), (22, False)):
        add_visit(store, maria, utc(2026, 4, day, 10), answers={"fully_answered": "yes" if seen else "no"})
    for day, seen in ((4, True), (11, True), (18, False), (25, True)):
        add_visit(store, maria, utc(2026, 5, day, 10), answers={"fully_answered": "yes" if seen else "no"})
    for day, score in ((6, 3), (7, 3), (9, 3), (13, 3), (15, 3)):
        factory.response("central", staff=maria.id, answers={"welcome": score, "helpful": 4}, at=utc(2026, 4, day, 9))
    for day, score in ((5, 5), (6, 5), (12, 4), (19, 5), (20, 4)):
        factory.response("central", staff=maria.id, answers={"welcome": score, "helpful": 4}, at=utc(2026, 5, day, 9))


def _record_plan_over_http(client, member):
    return client.post(f"/manage/staff/{member.id}/coaching/plans", data={
        "agreed_on": "2026-05-01", "review_on": "2026-06-01",
        "actions-0-behaviour": "follow_up", "actions-0-action": ACTION, "actions-0-by_when": "2026-05-31",
        "actions-0-support": SUPPORT, "actions-0-how_we_know": HOW,
        "actions-1-behaviour": "welcome", "actions-1-action": GREETING, "actions-1-by_when": "2026-05-15",
        "actions-2-behaviour": "", "actions-2-action": "", "actions-2-by_when": "",
    })


def test_a_plan_recorded_over_http_appears_verbatim_in_the_next_report_with_its_progress(
        store, coaching_world, april_and_may, sign_in, tmp_path):
    manager = sign_in(coaching_world.email("manager_a"))
    assert _record_plan_over_http(manager, coaching_world.maria).status_code == 302
    report = manager.get("/manage/reports/staff/MARIA.pdf?period=2026-05")
    assert report.status_code == 200
    text = _pdf_text(report.data, tmp_path)
    assert "Progress on the last plan Agreed on 2026-05-01." in text
    assert ACTION in text and SUPPORT in text and HOW in text and GREETING in text
    assert "Follow-up, shoppers: 1 of 4 visits, now 3 of 4 visits" in text
    assert "Welcome, guests: 3.0 (n=5), now 4.6 (n=5)" in text
    assert "Follow-up, guests: too few answers (n=0), now too few answers (n=0)" in text


def test_a_report_for_a_period_before_the_plan_shows_no_progress(store, coaching_world, april_and_may, sign_in,
                                                                 tmp_path):
    manager = sign_in(coaching_world.email("manager_a"))
    _record_plan_over_http(manager, coaching_world.maria)
    text = _pdf_text(manager.get("/manage/reports/staff/MARIA.pdf?period=2026-04").data, tmp_path)
    assert "No earlier plan recorded." in text and ACTION not in text


def test_only_open_actions_of_the_last_plan_show(store, coaching_world, april_and_may):
    maria, manager = coaching_world.maria, coaching_world.users["manager_a"]
    first = cr.record_plan(store, maria, agreed_on=date(2026, 3, 1), review_on=date(2026, 4, 1), by=manager,
                           now=utc(2026, 3, 1, 12), actions=[cr.ActionInput("courtesy", "Old plan", date(2026, 3, 30))])
    plan = cr.record_plan(store, maria, agreed_on=date(2026, 5, 1), review_on=date(2026, 6, 1), by=manager,
                          now=utc(2026, 5, 1, 12), actions=[
                              cr.ActionInput("follow_up", ACTION, date(2026, 5, 31)),
                              cr.ActionInput("welcome", GREETING, date(2026, 5, 15))])
    cr.set_action_status(store, maria, plan_id=plan.id, action_id=plan.action_list()[1].id, status="done",
                         reason="", by=manager, now=utc(2026, 5, 16))
    progress = plan_progress(store, maria, parse_period("2026-05"))
    assert [(p.plan.id, p.action) for p in progress] == [(plan.id, ACTION)]
    before, after = progress[0].before, progress[0].after
    assert (before.start, before.end, after.start, after.end) == (
        date(2026, 4, 1), date(2026, 5, 1), date(2026, 5, 1), date(2026, 6, 1))
    assert (before.visits, before.seen, after.visits, after.seen) == (4, 1, 4, 3)
    # A quarter's report: three months before the plan's month, and the quarter from that month on.
    [quarter] = plan_progress(store, maria, parse_period("2026-Q2"))
    assert (quarter.before.start, quarter.before.end, quarter.after.start, quarter.after.end) == (
        date(2026, 2, 1), date(2026, 5, 1), date(2026, 5, 1), date(2026, 7, 1))
    # The April report sees the March plan, the last agreed before April ended.
    assert [p.plan.id for p in plan_progress(store, maria, parse_period("2026-04"))] == [first.id]


def test_the_staff_member_sees_the_same_plan_and_adds_a_comment_that_the_report_prints(
        store, coaching_world, april_and_may, sign_in, tmp_path):
    _record_plan_over_http(sign_in(coaching_world.email("manager_a")), coaching_world.maria)
    maria = sign_in(coaching_world.email("staff_maria"))
    page = maria.get("/me/?period=2026-05").get_data(as_text=True)
    assert "Before a guest leaves, ask \u201cDoes this fully answer your question?\u201d &amp; wait" in page
    [plan] = store.coaching.get(coaching_world.maria.id).plan_list()
    empty = maria.post(f"/me/plans/{plan.id}/comment", data={f"c-{plan.id}-comment": " "})
    assert empty.status_code == 400 and "Write your comment." in empty.get_data(as_text=True)
    saved = maria.post(f"/me/plans/{plan.id}/comment", data={f"c-{plan.id}-comment": "I want to try this at the desk"})
    assert saved.status_code == 302
    text = _pdf_text(maria.get("/me/report.pdf?period=2026-05").data, tmp_path)
    assert "The staff member's comment: I want to try this at the desk" in text
    assert ACTION in text
