"""The review queue: held answers listed with their reasons, read masked, confirmed or discarded, audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from feedback.model import Response, new_id
from feedback.services.dashboard import Scope, build_dashboard, build_staff_page
from feedback.services.periods import parse_period
from feedback.services.review import ReviewError, decide, held_answers, held_count, hold
from tests.conftest import LiveServer

MOMENT = datetime(2026, 3, 10, 10, 30, tzinfo=UTC)
MARCH = parse_period("2026-03")


def _held(factory, store, member, *, branch="central", comment="Call me on +45 20 30 40 50", reasons=("burst",)):
    response = factory.response(branch, answers={"welcome": 1, "helpful": 1}, at=MOMENT, staff=member.id,
                                comment=comment)
    return hold(store, response, reasons, now=MOMENT)


def test_a_held_answer_is_listed_masked_and_counts_nowhere_until_confirmed(world, factory, store):
    held = _held(factory, store, world.staff_a)
    branch = store.directory.branch("central")
    before = build_staff_page(store, world.staff_a, branch, MARCH, min_count=1)
    [item] = held_answers(store, ["central"])
    assert item.response.id == held.id and item.reasons == ("burst",)
    assert "+45" not in item.comment and "[phone removed]" in item.comment
    assert held_answers(store, ["riverside"]) == [] and held_count(store, ["central"]) == 1
    assert before.summary.responses == 3
    board = build_dashboard(store, Scope((branch,), MARCH), min_count=1)
    assert board.summary.responses == 3 and board.summary.flagged == 1

    manager = store.directory.user_by_email(world.users["manager_a"])
    confirmed = decide(store, held.id, "confirm", branches={"central"}, by=manager.id, now=MOMENT + timedelta(days=1))
    assert confirmed.review == "confirmed" and confirmed.counted
    assert confirmed.review_audit[-1] == {"at": "2026-03-11T10:30:00Z", "by": manager.id, "action": "confirmed",
                                          "note": ""}
    after = build_staff_page(store, world.staff_a, branch, MARCH, min_count=1)
    assert after.summary.responses == 4
    assert build_dashboard(store, Scope((branch,), MARCH), min_count=1).summary.responses == 4
    assert held_answers(store, ["central"]) == [] and held_count(store, ["central"]) == 0
    with pytest.raises(ReviewError):
        decide(store, held.id, "discard", branches={"central"}, by=manager.id, now=MOMENT)


def test_a_discarded_answer_stays_stored_and_counts_in_no_figure(world, factory, store):
    held = _held(factory, store, world.staff_a)
    decide(store, held.id, "discard", branches={"central"}, by="someone", now=MOMENT, note="bot")
    [stored] = [r for r in store.responses.all("central") if r.id == held.id]
    assert stored.review == "discarded" and stored.review_audit[-1]["note"] == "bot"
    board = build_dashboard(store, Scope((store.directory.branch("central"),), MARCH), min_count=1)
    assert board.summary.responses == 3 and board.summary.flagged == 1


def test_a_manager_may_decide_only_in_their_own_branches(world, factory, store):
    held = _held(factory, store, world.staff_a)
    with pytest.raises(ReviewError):
        decide(store, held.id, "confirm", branches={"riverside"}, by="manager-b", now=MOMENT)
    assert next(r for r in store.responses.all("central") if r.id == held.id).review == "held"


def test_an_answer_stored_flagged_before_review_states_reads_as_held_and_is_listed(world, store):
    doc = Response(id=new_id(), survey="qr", survey_version=1, branch="central", submitted_at="2026-03-10T09:00:00Z",
                   channel="qr", language="en", answers={"welcome": 1}, staff=world.staff_a.id).to_doc()
    for key in ("review", "hold_reasons", "review_audit"):
        doc.pop(key)
    doc["flagged"] = True  # the shape every earlier version wrote
    with store.table("responses/central/2026-03/10/009.json", "responses") as t:
        t.insert(doc)
    [item] = held_answers(store, ["central"])
    assert item.response.id == doc["id"] and item.reasons == ("burst",)
    board = build_dashboard(store, Scope((store.directory.branch("central"),), MARCH), min_count=1)
    assert board.summary.responses == 3 and board.summary.flagged == 1
    decide(store, doc["id"], "confirm", branches={"central"}, by="m", now=MOMENT)
    stored = next(r for r in store.responses.all("central") if r.id == doc["id"])
    assert stored.review == "confirmed" and stored.counted


def test_the_queue_pages_check_the_branch_and_record_the_decision(world, factory, store, sign_in):
    held = _held(factory, store, world.staff_a)
    outsider = sign_in(world.users["manager_b"])
    assert outsider.get(f"/manage/review/{held.id}").status_code == 404
    assert outsider.post(f"/manage/review/{held.id}", data={"decision": "confirm"}).status_code == 404
    assert held.id not in outsider.get("/manage/review/").get_data(as_text=True)
    for role in ("shopper", "reviewer"):
        assert sign_in(world.users[role]).get("/manage/review/").status_code == 403
    manager = sign_in(world.users["manager_a"])
    dashboard = manager.get("/manage/?period=2026-03").get_data(as_text=True)
    assert 'id="tile-held"' in dashboard and "/manage/review/" in dashboard
    listing = manager.get("/manage/review/").get_data(as_text=True)
    assert held.id in listing and "identical low scores" in listing
    page = manager.get(f"/manage/review/{held.id}").get_data(as_text=True)
    assert "[phone removed]" in page and "+45 20" not in page
    done = manager.post(f"/manage/review/{held.id}", data={"decision": "confirm", "note": "A real guest"})
    assert done.status_code == 302
    stored = next(r for r in store.responses.all("central") if r.id == held.id)
    me = store.directory.user_by_email(world.users["manager_a"])
    assert stored.review == "confirmed" and stored.review_audit[-1]["by"] == me.id
    assert stored.review_audit[-1]["note"] == "A real guest"
    assert 'id="tile-held"' not in manager.get("/manage/?period=2026-03").get_data(as_text=True)


@pytest.mark.browser
def test_a_flagged_answer_confirmed_by_a_manager_appears_in_the_persons_figures(csrf_app, page):
    store = csrf_app.extensions["feedback_store"]
    from tests.conftest import Factory

    factory = Factory(store)
    factory.branch("central", "Central Library")
    maria = factory.staff("Maria Jensen", "central")
    factory.user("manager@test.library", "manager", ["central"])
    now = datetime.now(UTC).replace(microsecond=0)
    for minute in range(5):
        factory.response(answers={"welcome": 4, "helpful": 4}, at=now - timedelta(minutes=minute + 1),
                         staff=maria.id)
    factory.response(answers={"welcome": 1, "helpful": 1}, at=now - timedelta(minutes=30), staff=maria.id,
                     flagged=True)
    with LiveServer(csrf_app) as server:
        page.goto(f"{server.url}/auth/login")
        page.get_by_label("E-mail").fill("manager@test.library")
        page.get_by_label("Password").fill("correct-horse-battery")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/manage/")
        page.goto(f"{server.url}/manage/staff/{maria.id}")
        assert page.locator("#staff-responses").inner_text() == "5"
        page.goto(f"{server.url}/manage/")
        page.locator("#tile-held a").click()
        page.get_by_role("link", name="Read and decide").click()
        assert "identical low scores" in page.content()
        page.get_by_label("Decision").select_option("confirm")
        page.get_by_role("button", name="Record the decision").click()
        page.wait_for_url("**/manage/review/")
        assert page.locator("#no-held-answers").is_visible()
        page.goto(f"{server.url}/manage/staff/{maria.id}")
        assert page.locator("#staff-responses").inner_text() == "6"


def test_retention_takes_held_answers_out_of_the_queue_with_their_day(world, factory, store):
    from feedback.services.retention import purge

    _held(factory, store, world.staff_a)
    assert held_count(store, ["central"]) == 1
    purge(store, days=30, followup_days=30, now=MOMENT + timedelta(days=60))
    assert held_count(store, ["central"]) == 0 and held_answers(store, ["central"]) == []
