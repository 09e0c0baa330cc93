"""A visit that contradicts itself is refused at submission and cannot be approved; scores agree with accuracy."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from feedback.model import Visit
from feedback.services import shopping
from feedback.services.rubric import default_rubric
from feedback.services.visit_consistency import consistent_answers, contradictions, visit_score
from feedback.store.visits import new_visit_id

from .test_views import complete_form

RUBRIC = default_rubric()
ALL_YES = dict.fromkeys(RUBRIC.item_ids(), "yes") | {"named_place": "na"}


@pytest.mark.parametrize(("accurate", "accuracy", "contradicts"), [
    ("yes", "correct", False), ("partly", "partly_correct", False), ("no", "incorrect", False),
    ("yes", "incorrect", True), ("partly", "incorrect", True), ("no", "correct", True), ("yes", "partly_correct", True),
    ("na", "referred", False), ("yes", "referred", False), ("no", "referred", True),
])
def test_the_accuracy_item_must_agree_with_the_recorded_accuracy(accurate, accuracy, contradicts):
    answers = ALL_YES | {"accurate": accurate, "named_place": "yes"}
    problems = contradictions(RUBRIC, answers, accuracy)
    assert bool(problems) is contradicts
    if contradicts:
        assert problems == {"accuracy": "contradicts_item", "answers.accurate": "contradicts_accuracy"}


def test_a_referral_must_name_the_place():
    assert contradictions(RUBRIC, ALL_YES | {"named_place": "no"}, "referred") == {
        "answers.named_place": "referred_without_place"}


def test_a_shopper_is_told_next_to_both_fields_and_nothing_is_lost(client, auth, store, world):
    auth.login("shopper@example.org")
    path = f"/shop/assignments/{world.assignment.id}/visit"
    response = client.post(path, data=complete_form(world, accuracy="incorrect", submit_report="Submit for review"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'id="accuracy-error">This accuracy does not agree', html)
    assert re.search(r'id="item_accurate-error">This answer does not agree with the accuracy', html)
    visit = store.visits.get(store.assignments.get(world.assignment.id).visit)
    assert visit.status == "draft" and visit.accuracy == "incorrect" and visit.narrative == "Friendly and accurate."


def test_a_reviewer_cannot_approve_a_visit_that_contradicts_itself(client, auth, store, world):
    # Submitted before the check existed: stored as it came.
    visit = Visit(id=new_visit_id(2026), shopper=world.shopper.id, branch="central", channel="in_person",
                  scenario="local-history", visited_at="2026-11-02T10:00:00Z", status="submitted",
                  staff=world.maria.id, accuracy="incorrect", answers=ALL_YES, narrative="Old report",
                  wait_minutes=1, duration_minutes=3, would_return=True)
    store.visits.add(visit)
    auth.login("reviewer@example.org")
    page = client.get(f"/shop/visits/{visit.id}").get_data(as_text=True)
    assert 'id="visit-contradiction"' in page and "contradicts itself" in page
    response = client.post(f"/shop/visits/{visit.id}/review", data={"comment": "", "approve": "Approve"})
    assert response.status_code == 422
    assert re.search(r'id="comment-error">This visit contradicts itself', response.get_data(as_text=True))
    assert store.visits.get(visit.id).status == "submitted"
    with pytest.raises(shopping.VisitIncomplete):
        shopping.approve_visit(store, visit_id=visit.id, reviewer=world.reviewer)


def test_a_visit_stored_with_a_contradiction_never_scores_100_beside_incorrect():
    visit = Visit(id="v", shopper="s", branch="central", channel="in_person", scenario="local-history",
                  visited_at="2026-11-02T10:00:00Z", accuracy="incorrect", answers=ALL_YES)
    score = visit_score(RUBRIC, visit)
    assert score.overall < 1 and score.critical_misses == ("accurate",)
    assert consistent_answers(RUBRIC, ALL_YES, "incorrect")["accurate"] == "no"


def test_a_correct_referral_scores_as_success():
    answers = ALL_YES | {"accurate": "na", "named_place": "yes"}
    visit = Visit(id="v", shopper="s", branch="central", channel="phone", scenario="housing-help",
                  visited_at=(datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                  accuracy="referred", answers=answers)
    score = visit_score(RUBRIC, visit)
    assert score.overall == 1.0 and score.critical_misses == ()
    assert score.by_behaviour["referral"] == 1.0 and score.by_behaviour["helpfulness"] == 1.0
