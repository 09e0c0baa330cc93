"""What goes out by e-mail: the weekly digest per manager, and follow-up notices sent once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from feedback.model import FollowUp, new_id
from feedback.services.notices import send_followup_notices, send_weekly_digest


def test_the_weekly_digest_gives_each_manager_their_branches_only(app, store, factory):
    factory.branch("central", "Central Library")
    factory.branch("riverside", "Riverside Library")
    factory.user("boss@test.library", "manager", ["central"])
    now = datetime(2026, 11, 30, 6, tzinfo=UTC)
    for day in range(6):
        factory.response("central", answers={"welcome": 5, "helpful": 4}, at=now - timedelta(days=day, hours=2))
    factory.response("central", answers={"welcome": 1, "helpful": 1}, at=now - timedelta(days=9))  # last week
    with app.test_request_context():
        assert send_weekly_digest(store, now=now) == 1
    message = store.outbox.pending()[0]
    assert message.to == ["boss@test.library"] and message.kind == "digest"
    assert "Central Library" in message.body and "Riverside" not in message.body
    assert "answers: 6" in message.body and "happy (faces 4-5): 100 % of 6" in message.body
    assert "http://127.0.0.1:5000/manage/?branch=central" in message.body


def test_a_follow_up_is_announced_once_and_old_ones_not_at_all(app, store, factory):
    factory.branch("central", "Central Library")
    factory.user("boss@test.library", "manager", ["central"])
    now = datetime(2026, 11, 30, 6, tzinfo=UTC)
    for created in (now - timedelta(minutes=5), now - timedelta(days=10)):
        store.followups.add(FollowUp(id=new_id(), branch="central", response=new_id(),
                                     created_at=created.strftime("%Y-%m-%dT%H:%M:%SZ"), contact="g@example.org"))
    with app.test_request_context():
        assert send_followup_notices(store, now=now) == 1
        assert send_followup_notices(store, now=now + timedelta(minutes=1)) == 0
    [message] = store.outbox.pending()
    assert "A guest at Central Library asked to be contacted." in message.body
    assert "g@example.org" not in message.body
