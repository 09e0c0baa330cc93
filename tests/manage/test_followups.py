"""The follow-up queue: a manager marks a guest's request done and the contact details go."""

from __future__ import annotations


def test_the_queue_shows_open_requests_with_contact_score_and_comment(world, sign_in):
    page = sign_in(world.users["manager_a"]).get("/manage/followups/central").get_data(as_text=True)
    assert "guest-central@example.org" in page and "Please call me" in page
    assert "guest-riverside@example.org" not in page


def test_marking_done_with_a_note_erases_the_contact(world, sign_in, store):
    client = sign_in(world.users["manager_a"])
    response = client.post(f"/manage/followups/central/{world.followup_a.id}/done",
                           data={"note": "Phoned, renewed her loans"})
    assert response.status_code == 302
    done = store.followups.get(world.followup_a.id)
    assert done.status == "done" and done.contact is None and done.note == "Phoned, renewed her loans"
    page = client.get("/manage/followups/central").get_data(as_text=True)
    assert "guest-central@example.org" not in page and "Phoned, renewed her loans" in page


def test_a_missing_note_is_asked_for_next_to_the_field_and_nothing_changes(world, sign_in, store):
    client = sign_in(world.users["manager_a"])
    response = client.post(f"/manage/followups/central/{world.followup_a.id}/done", data={"note": "  "})
    assert response.status_code == 400
    assert 'id="note-error"' in response.get_data(as_text=True)
    assert store.followups.get(world.followup_a.id).contact == "guest-central@example.org"


def test_notes_are_escaped(world, sign_in):
    client = sign_in(world.users["manager_a"])
    client.post(f"/manage/followups/central/{world.followup_a.id}/done", data={"note": "<script>x()</script>"})
    page = client.get("/manage/followups/central").get_data(as_text=True)
    assert "<script>x()" not in page and "&lt;script&gt;" in page
