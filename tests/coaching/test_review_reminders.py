"""A plan past its review date: the branch's managers are e-mailed once per review date, through the outbox."""

from __future__ import annotations

from datetime import date

from feedback.services import coaching_record as cr
from feedback.services.coaching_reminders import send_review_reminders
from tests.coaching.conftest import utc


def test_managers_are_emailed_once_per_review_date(app, store, coaching_world):
    maria = coaching_world.maria
    plan = cr.record_plan(store, maria, agreed_on=date(2026, 5, 1), review_on=date(2026, 6, 1),
                          by=coaching_world.users["manager_a"], now=utc(2026, 5, 2),
                          actions=[cr.ActionInput("listening", "Ask one open question", date(2026, 5, 30))])
    with app.test_request_context():
        assert send_review_reminders(store, now=utc(2026, 6, 1, 12)) == 0  # due today: not yet passed
        assert send_review_reminders(store, now=utc(2026, 6, 3, 7)) == 1
        [message] = store.outbox.pending()
        assert message.to == ["manager-a@test.library"] and message.kind == "review_due"
        assert message.subject == "Coaching plans due for review"
        assert "Maria Jensen: review was due on 2026-06-01 (2 days ago)" in message.body
        assert f"/manage/staff/{maria.id}/coaching" in message.body
        assert send_review_reminders(store, now=utc(2026, 6, 4, 7)) == 0  # once per review date
        record = store.coaching.get(maria.id)
        assert record.audit[-1]["action"] == "review_reminder"
        assert "reminder e-mailed to manager-a@test.library" in record.audit[-1]["note"]

        cr.set_review_date(store, maria, plan_id=plan.id, review_on=date(2026, 6, 10),
                           by=coaching_world.users["manager_a"], now=utc(2026, 6, 4, 8))
        assert send_review_reminders(store, now=utc(2026, 6, 8, 7)) == 0
        assert send_review_reminders(store, now=utc(2026, 6, 11, 7)) == 1  # the new date passed
        assert len(store.outbox.pending()) == 2
