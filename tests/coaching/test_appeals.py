"""Appeals: nothing changes until a reviewer decides; upheld stops a visit counting; both go in the audit."""

from __future__ import annotations

import pytest

from feedback.evidence.visits import counted_among
from feedback.services import visit_appeals
from feedback.services.coaching import build_staff_report
from feedback.services.periods import parse_period
from tests.coaching.conftest import add_visit, utc

QUARTER = parse_period("2026-Q2")


@pytest.fixture
def visit(store, coaching_world):
    return add_visit(store, coaching_world.maria, utc(2026, 5, 20, 10), default="no")


def test_an_appeal_changes_nothing_until_a_reviewer_decides(store, coaching_world, visit):
    before = build_staff_report(store, "MARIA", QUARTER)
    visit_appeals.request_appeal(store, visit_id=visit.id, reason="The shopper came during the fire drill",
                                 by=coaching_world.users["staff_maria"], now=utc(2026, 5, 21))
    stored = store.visits.get(visit.id)
    assert stored.status == "approved" and stored.answers == visit.answers
    assert [v.id for v in counted_among(store, store.visits.all())] == [visit.id]
    after = build_staff_report(store, "MARIA", QUARTER)
    assert (after.headline.visits, after.headline.visit_score) == (before.headline.visits, before.headline.visit_score)
    assert stored.audit[-1]["action"] == "appeal_requested"
    assert "fire drill" in stored.audit[-1]["note"]
    assert [p.visit.id for p in visit_appeals.pending_appeals(store, coaching_world.users["reviewer"])] == [visit.id]


def test_an_upheld_appeal_stops_the_visit_counting_with_the_outcome_in_the_audit(store, coaching_world, visit):
    visit_appeals.request_appeal(store, visit_id=visit.id, reason="Not me: I was on leave that day",
                                 by=coaching_world.users["manager_a"], now=utc(2026, 5, 21))
    visit_appeals.decide_appeal(store, visit_id=visit.id, upheld=True, note="Rota confirms the leave",
                                by=coaching_world.users["reviewer"], now=utc(2026, 5, 22))
    assert counted_among(store, store.visits.all()) == []
    assert build_staff_report(store, "MARIA", QUARTER).headline.visits == 0
    stored = store.visits.get(visit.id)
    assert [e["action"] for e in stored.audit[-2:]] == ["appeal_requested", "appeal_upheld"]
    assert "on the staff member's behalf" in stored.audit[-2]["note"]
    assert "Rota confirms the leave" in stored.audit[-1]["note"]
    assert stored.audit[-1]["by"] == coaching_world.users["reviewer"].id
    assert visit_appeals.pending_appeals(store, coaching_world.users["reviewer"]) == []


def test_a_rejected_appeal_leaves_the_visit_counting(store, coaching_world, visit):
    visit_appeals.request_appeal(store, visit_id=visit.id, reason="I think the shopper was unfair",
                                 by=coaching_world.users["staff_maria"], now=utc(2026, 5, 21))
    visit_appeals.decide_appeal(store, visit_id=visit.id, upheld=False, note="The narrative is specific",
                                by=coaching_world.users["admin"], now=utc(2026, 5, 22))
    assert [v.id for v in counted_among(store, store.visits.all())] == [visit.id]
    assert store.visits.get(visit.id).audit[-1]["action"] == "appeal_rejected"


@pytest.mark.parametrize("who", ["staff_emil", "manager_b", "shopper", "reviewer"])
def test_only_the_observed_staff_member_or_their_manager_may_appeal(store, coaching_world, visit, who):
    with pytest.raises(visit_appeals.AppealNotAllowed):
        visit_appeals.request_appeal(store, visit_id=visit.id, reason="x", by=coaching_world.users[who],
                                     now=utc(2026, 5, 21))
    assert store.visits.get(visit.id).appeals == []


@pytest.mark.parametrize("who", ["manager_a", "staff_maria", "shopper"])
def test_only_a_reviewer_or_admin_decides(store, coaching_world, visit, who):
    visit_appeals.request_appeal(store, visit_id=visit.id, reason="Please look again",
                                 by=coaching_world.users["staff_maria"], now=utc(2026, 5, 21))
    with pytest.raises(visit_appeals.AppealNotAllowed):
        visit_appeals.decide_appeal(store, visit_id=visit.id, upheld=True, note="x", by=coaching_world.users[who])
    assert counted_among(store, store.visits.all()) != []


def test_an_appeal_needs_a_reason_and_one_at_a_time(store, coaching_world, visit):
    with pytest.raises(visit_appeals.AppealError):
        visit_appeals.request_appeal(store, visit_id=visit.id, reason="  ", by=coaching_world.users["staff_maria"])
    visit_appeals.request_appeal(store, visit_id=visit.id, reason="Look again", by=coaching_world.users["staff_maria"])
    with pytest.raises(visit_appeals.AppealError):
        visit_appeals.request_appeal(store, visit_id=visit.id, reason="Again", by=coaching_world.users["manager_a"])
    with pytest.raises(visit_appeals.AppealError):
        visit_appeals.decide_appeal(store, visit_id=visit.id, upheld=True, note="",
                                    by=coaching_world.users["reviewer"])
    assert len(store.visits.get(visit.id).appeals) == 1


def test_the_reviewer_decides_over_http_and_the_staff_member_sees_the_outcome(store, coaching_world, visit, sign_in):
    maria = sign_in(coaching_world.email("staff_maria"))
    asked = maria.post(f"/me/visits/{visit.id}/appeal?period=2026-Q2",
                       data={f"a-{visit.id}-reason": "The shopper came during the fire drill"})
    assert asked.status_code == 302
    assert "Appeal waiting for a reviewer" in maria.get("/me/?period=2026-Q2").get_data(as_text=True)
    assert counted_among(store, store.visits.all()) != []
    reviewer = sign_in(coaching_world.email("reviewer"))
    queue = reviewer.get("/shop/appeals").get_data(as_text=True)
    assert "fire drill" in queue
    detail = reviewer.get(f"/shop/visits/{visit.id}").get_data(as_text=True)
    assert "Decide the appeal" in detail
    refused = reviewer.post(f"/shop/visits/{visit.id}/appeal-decision", data={"decision": "upheld"})
    assert refused.status_code == 400 and counted_among(store, store.visits.all()) != []
    decided = reviewer.post(f"/shop/visits/{visit.id}/appeal-decision",
                            data={"decision": "upheld", "decision_note": "Drill confirmed by the branch log"})
    assert decided.status_code == 302
    assert counted_among(store, store.visits.all()) == []
    page = maria.get("/me/?period=2026-Q2").get_data(as_text=True)
    assert "Appeal upheld: Drill confirmed by the branch log" in page
    assert "does not count: appeal upheld" in page
    assert sign_in(coaching_world.email("manager_a")).post(
        f"/shop/visits/{visit.id}/appeal-decision", data={"decision": "rejected", "decision_note": "x"}
    ).status_code == 403
