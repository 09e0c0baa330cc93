"""Alert rules: HappyOrNot's default, a very low score with a comment, a silent kiosk; each raised once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from feedback.model import Kiosk
from feedback.services.alerts import (
    DEFAULT_RULE,
    AlertRuleError,
    alert_rule,
    evaluate_branch,
    rule_from_form,
    save_alert_rule,
)

NOW = datetime(2026, 11, 24, 11, 0, tzinfo=UTC)  # 12:00 in Copenhagen: open


@pytest.fixture
def central(factory):
    return factory.branch("central")


def answer(factory, minutes_ago: float, face: int, comment: str = ""):
    return factory.response("central", answers={"welcome": face, "helpful": face}, comment=comment,
                            at=NOW - timedelta(minutes=minutes_ago))


def test_half_of_four_answers_unhappy_within_15_minutes_raises_one_alert(app, store, factory, central):
    for minutes, face in ((14, 5), (10, 1), (5, 2), (1, 4)):
        answer(factory, minutes, face)
    with app.app_context():
        raised = evaluate_branch(store, central, now=NOW)
        again = evaluate_branch(store, central, now=NOW + timedelta(minutes=1))
    assert [(a.kind, a.answers, a.unhappy) for a in raised] == [("unhappy_burst", 4, 2)]
    assert again == []


@pytest.mark.parametrize("answers", [
    [(10, 1), (5, 1), (1, 1)],  # three answers: too few
    [(14, 1), (10, 4), (5, 5), (1, 5)],  # one in four unhappy
    [(40, 1), (30, 1), (5, 1), (1, 1)],  # four unhappy, but not within 15 minutes
])
def test_no_burst_alert_below_the_rule(app, store, factory, central, answers):
    for minutes, face in answers:
        answer(factory, minutes, face)
    with app.app_context():
        assert [a.kind for a in evaluate_branch(store, central, now=NOW)] == []


def test_the_rule_is_editable_per_branch_and_checked(app, store, factory, central):
    save_alert_rule(store, "central", rule_from_form({"min_answers": 2, "unhappy_share": 1.0}))
    assert alert_rule(store, "central").min_answers == 2
    assert alert_rule(store, "riverside") == DEFAULT_RULE
    answer(factory, 3, 2)
    answer(factory, 1, 1)
    with app.app_context():
        assert [a.kind for a in evaluate_branch(store, central, now=NOW)] == ["unhappy_burst"]
    with pytest.raises(AlertRuleError) as problem:
        save_alert_rule(store, "central", rule_from_form({"opens": "18:00", "closes": "09:00"}))
    assert problem.value.field == "closes"


def test_a_lowest_score_with_a_comment_raises_an_alert_naming_the_response(app, store, factory, central):
    quiet = answer(factory, 30, 1)
    loud = answer(factory, 20, 1, "Nobody helped me at all")
    with app.app_context():
        raised = evaluate_branch(store, central, now=NOW)
    assert [(a.kind, a.response) for a in raised] == [("low_score_comment", loud.id)]
    assert quiet.id not in {a.response for a in raised}


def test_a_kiosk_silent_during_opening_hours_raises_one_alert_a_day(app, store, factory, central):
    factory.desk("central", "info")
    store.directory.add_kiosk(Kiosk("tok-1", "central", "info", "By the door", created_at="2026-11-01T00:00:00Z"))
    store.kiosk_activity.record("tok-1", NOW - timedelta(hours=3))
    store.directory.add_kiosk(Kiosk("tok-2", "central", "info", "Chatty", created_at="2026-11-01T00:00:00Z"))
    store.kiosk_activity.record("tok-2", NOW - timedelta(minutes=5))
    with app.app_context():
        raised = evaluate_branch(store, central, now=NOW)
        assert evaluate_branch(store, central, now=NOW + timedelta(minutes=30)) == []
        night = datetime(2026, 11, 24, 22, 0, tzinfo=UTC)  # 23:00 local: closed
        assert evaluate_branch(store, central, now=night) == []
    assert [(a.kind, a.kiosk) for a in raised] == [("kiosk_silent", "tok-1")]


def test_a_kiosk_answer_at_its_desk_counts_as_a_sign_of_life(app, store, factory, central):
    factory.desk("central", "info")
    store.directory.add_kiosk(Kiosk("tok-1", "central", "info", "By the door", created_at="2026-11-01T00:00:00Z"))
    factory.response("central", desk="info", channel="kiosk", survey="kiosk", at=NOW - timedelta(minutes=20))
    with app.app_context():
        assert [a.kind for a in evaluate_branch(store, central, now=NOW)] == []
