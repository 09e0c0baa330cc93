"""The visit lifecycle: draft, submit, return, resubmit, approve; with its audit trail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from feedback.services import shopping
from feedback.services.aggregate import summarise_visits
from feedback.services.rubric import default_rubric
from feedback.services.shopping import VisitIncomplete, VisitInput, VisitNotFound, VisitStateError

# One moment for every complete report of a test: a second ticking over between two calls would read
# as a changed date in the audit trail.
TWO_HOURS_AGO = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)


def complete_input(world, **changes) -> VisitInput:
    data = VisitInput(
        visited_at=TWO_HOURS_AGO,
        wait_minutes=3,
        duration_minutes=7,
        staff=world.maria.id,
        answers=dict.fromkeys(default_rubric().item_ids(), "yes") | {"named_place": "na"},
        accuracy="correct",
        narrative="Greeted at once; she showed me how to renew in the app.",
        would_return=True,
    )
    for name, value in changes.items():
        setattr(data, name, value)
    return data


def submit(store, world, **changes):
    return shopping.submit_visit(store, assignment_id=world.assignment.id, shopper=world.shopper,
                                 data=complete_input(world, **changes))


AN_HOUR_AGO = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)


def draft(**fields) -> VisitInput:
    return VisitInput(visited_at=AN_HOUR_AGO, **fields)


def test_a_half_filled_draft_is_saved_and_stays_a_draft(store, world):
    visit = shopping.save_draft(store, assignment_id=world.assignment.id, shopper=world.shopper,
                                data=draft(wait_minutes=4, answers={"greeting": "partly"}))
    stored = store.visits.get(visit.id)
    assert stored.status == "draft"
    assert stored.wait_minutes == 4 and stored.answers == {"greeting": "partly"}
    assert stored.visited_at == AN_HOUR_AGO.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert store.assignments.get(world.assignment.id).visit == visit.id


def test_even_a_draft_needs_its_date_so_every_stored_visit_has_one(store, world):
    with pytest.raises(VisitIncomplete) as caught:
        shopping.save_draft(store, assignment_id=world.assignment.id, shopper=world.shopper,
                            data=VisitInput(wait_minutes=4))
    assert caught.value.problems == {"visited_at": "missing"}
    assert list(store.visits.all()) == []


def test_saving_twice_edits_the_same_visit(store, world):
    first = shopping.save_draft(store, assignment_id=world.assignment.id, shopper=world.shopper,
                                data=draft(wait_minutes=4))
    second = shopping.save_draft(store, assignment_id=world.assignment.id, shopper=world.shopper,
                                 data=draft(wait_minutes=6))
    assert first.id == second.id
    assert [v.wait_minutes for v in store.visits.all()] == [6]


def test_submitting_an_incomplete_visit_names_every_missing_field_and_keeps_the_input(store, world):
    with pytest.raises(VisitIncomplete) as caught:
        shopping.submit_visit(store, assignment_id=world.assignment.id, shopper=world.shopper,
                              data=draft(wait_minutes=2, answers={"greeting": "yes"}))
    problems = caught.value.problems
    assert problems["duration_minutes"] == problems["staff"] == "missing"
    assert problems["accuracy"] == problems["narrative"] == problems["would_return"] == "missing"
    assert "visited_at" not in problems and "wait_minutes" not in problems and "answers.greeting" not in problems
    assert problems["answers.acknowledged"] == "missing"
    visit = store.visits.get(store.assignments.get(world.assignment.id).visit)
    assert visit.status == "draft" and visit.wait_minutes == 2 and visit.answers == {"greeting": "yes"}


def test_submitting_without_a_date_names_it_with_everything_else_and_stores_nothing(store, world):
    with pytest.raises(VisitIncomplete) as caught:
        shopping.submit_visit(store, assignment_id=world.assignment.id, shopper=world.shopper,
                              data=VisitInput(wait_minutes=2, narrative="Quick chat"))
    problems = caught.value.problems
    assert problems["visited_at"] == problems["accuracy"] == "missing"
    assert "narrative" not in problems and "wait_minutes" not in problems
    assert list(store.visits.all()) == []


def test_a_described_staff_member_is_enough_when_no_badge_was_seen(store, world):
    visit = submit(store, world, staff=None, staff_description="Tall, red scarf, at the lending desk")
    assert visit.status == "submitted" and visit.staff is None


def test_a_staff_member_of_another_branch_cannot_be_chosen(store, world):
    with pytest.raises(VisitIncomplete) as caught:
        submit(store, world, staff=world.emil.id)
    assert caught.value.problems == {"staff": "not_in_branch"}


@pytest.mark.parametrize(("moment", "problem"), [
    (datetime.now(UTC) + timedelta(days=1), "future"),
    (datetime.now(UTC) - timedelta(days=10), "before_window"),
])
def test_the_visit_time_must_be_past_and_inside_the_window(store, world, moment, problem):
    with pytest.raises(VisitIncomplete) as caught:
        submit(store, world, visited_at=moment)
    assert caught.value.problems == {"visited_at": problem}


def test_only_the_assigned_shopper_may_write_the_visit(store, world):
    with pytest.raises(VisitNotFound):
        shopping.save_draft(store, assignment_id=world.assignment.id, shopper=world.other_shopper,
                            data=draft(wait_minutes=1))
    with pytest.raises(VisitNotFound):
        shopping.shopper_visit_page(store, world.assignment.id, world.other_shopper)


def test_the_whole_review_cycle_and_its_audit_trail(store, world):
    visit = submit(store, world)
    assert visit.status == "submitted"
    with pytest.raises(VisitStateError):
        shopping.save_draft(store, assignment_id=world.assignment.id, shopper=world.shopper,
                            data=complete_input(world, wait_minutes=9))

    with pytest.raises(VisitIncomplete):
        shopping.return_visit(store, visit_id=visit.id, reviewer=world.reviewer, comment="  ")
    shopping.return_visit(store, visit_id=visit.id, reviewer=world.reviewer, comment="Which desk was it?")
    page = shopping.shopper_visit_page(store, world.assignment.id, world.shopper)
    assert page.visit.status == "returned" and page.editable
    assert page.return_comment == "Which desk was it?"

    shopping.submit_visit(store, assignment_id=world.assignment.id, shopper=world.shopper,
                          data=complete_input(world, narrative="At the lending desk: greeted at once."))
    approved = shopping.approve_visit(store, visit_id=visit.id, reviewer=world.reviewer)
    assert approved.status == "approved"
    assert store.assignments.get(world.assignment.id).status == "done"
    with pytest.raises(VisitStateError):
        shopping.approve_visit(store, visit_id=visit.id, reviewer=world.reviewer)

    audit = store.visits.get(visit.id).audit
    assert [(e["action"], e["by"]) for e in audit] == [
        ("created", world.shopper.id), ("saved", world.shopper.id), ("submitted", world.shopper.id),
        ("returned", world.reviewer.id),
        ("saved", world.shopper.id), ("submitted", world.shopper.id),
        ("approved", world.reviewer.id),
    ]
    assert audit[3]["note"] == "Which desk was it?"
    assert audit[4]["note"] == "changed: narrative"  # what changed, and nothing else
    assert all(e["at"].endswith("Z") for e in audit)


def test_only_a_reviewer_decides(store, world):
    visit = submit(store, world)
    for someone in (world.shopper, world.manager):
        with pytest.raises(PermissionError):
            shopping.approve_visit(store, visit_id=visit.id, reviewer=someone)
    assert store.visits.get(visit.id).status == "submitted"


def test_a_reviewer_resolves_a_described_staff_member_on_approval(store, world):
    visit = submit(store, world, staff=None, staff_description="Glasses, children's desk")
    shopping.approve_visit(store, visit_id=visit.id, reviewer=world.reviewer, staff=world.ahmed.id)
    stored = store.visits.get(visit.id)
    assert stored.staff == world.ahmed.id
    assert [e["action"] for e in stored.audit][-2:] == ["staff_resolved", "approved"]


def test_only_approved_visits_count_in_the_figures(store, world):
    visit = submit(store, world, answers=dict.fromkeys(default_rubric().item_ids(), "yes") | {"accurate": "no"},
                   accuracy="incorrect")
    assert summarise_visits(store.visits.matching(branch="central"), default_rubric()).visits == 0
    shopping.approve_visit(store, visit_id=visit.id, reviewer=world.reviewer)
    summary = summarise_visits(store.visits.matching(branch="central"), default_rubric())
    assert summary.visits == 1
    assert summary.mean_score == pytest.approx(23 / 26)
    assert summary.critical_misses["accurate"] == 1


def test_a_stale_write_is_refused_rather_than_lost(store, world):
    visit = submit(store, world)
    stale = store.visits.get(visit.id)
    shopping.return_visit(store, visit_id=visit.id, reviewer=world.reviewer, comment="Add the desk")
    stale.status = "approved"
    with pytest.raises(shopping.VisitConflictError):
        store.visits.replace(stale, expected_audit_length=len(stale.audit))
    assert store.visits.get(visit.id).status == "returned"


def test_who_sees_staff_names(store, world):
    visit = submit(store, world)
    shopping.approve_visit(store, visit_id=visit.id, reviewer=world.reviewer)
    assert shopping.visit_detail(store, visit.id, world.reviewer).staff_name == "Maria Jensen"
    assert shopping.visit_detail(store, visit.id, world.manager).staff_name == "Maria Jensen"
    for outsider in (world.other_manager, world.shopper, world.other_shopper):
        with pytest.raises(VisitNotFound):
            shopping.visit_detail(store, visit.id, outsider)


def test_managers_see_only_approved_visits_of_their_branches(store, world):
    visit = submit(store, world)
    with pytest.raises(VisitNotFound):
        shopping.visit_detail(store, visit.id, world.manager)
    assert shopping.approved_visits_for(store, world.manager) == []
    shopping.approve_visit(store, visit_id=visit.id, reviewer=world.reviewer)
    assert [v.id for v, _ in shopping.approved_visits_for(store, world.manager)] == [visit.id]
    assert shopping.approved_visits_for(store, world.other_manager) == []
