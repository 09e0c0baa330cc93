"""The review queue and the visit page show the same local time, and history in words."""

from __future__ import annotations

from datetime import UTC, datetime

from feedback.services import shopping
from feedback.services.rubric import default_rubric
from feedback.services.shopping import VisitInput


def test_queue_and_visit_page_show_one_local_time_and_history_in_words(client, auth, store, world):
    at = datetime(2026, 11, 24, 0, 28, tzinfo=UTC)
    items = default_rubric().item_ids()
    shopping.save_draft(store, assignment_id=world.assignment.id, shopper=world.shopper,
                        data=VisitInput(visited_at=at, narrative="first"), now=at)
    shopping.save_draft(store, assignment_id=world.assignment.id, shopper=world.shopper, now=at, data=VisitInput(
        visited_at=at, narrative="second", answers=dict.fromkeys(items[:4], "yes")))
    visit = store.visits.get(store.assignments.get(world.assignment.id).visit)
    visit.status = "submitted"
    store.visits.replace(visit, expected_audit_length=len(visit.audit))
    auth.login("reviewer@example.org")
    queue = client.get("/shop/review").get_data(as_text=True)
    detail = client.get(f"/shop/visits/{visit.id}").get_data(as_text=True)
    assert "24 Nov 2026, 01:28" in queue and "UTC" not in queue  # Copenhagen is UTC+1 in November
    assert "24 Nov 2026, 01:28" in detail
    assert "changed the narrative and 4 answers" in detail
    assert "answers." not in detail


def test_history_is_written_in_the_readers_language(client, auth, store, world):
    at = datetime(2026, 11, 24, 0, 28, tzinfo=UTC)
    shopping.save_draft(store, assignment_id=world.assignment.id, shopper=world.shopper,
                        data=VisitInput(visited_at=at, narrative="first"), now=at)
    shopping.save_draft(store, assignment_id=world.assignment.id, shopper=world.shopper, now=at,
                        data=VisitInput(visited_at=at, narrative="second", wait_minutes=3))
    visit = store.visits.get(store.assignments.get(world.assignment.id).visit)
    visit.status = "submitted"
    store.visits.replace(visit, expected_audit_length=len(visit.audit))
    auth.login("reviewer@example.org")
    detail = client.get(f"/shop/visits/{visit.id}?lang=da").get_data(as_text=True)
    assert "24. nov. 2026 01.28" in detail
    assert "ændrede ventetiden og beretningen" in detail
