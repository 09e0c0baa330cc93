"""A small branch built by hand, whose right answer is known before the evidence layer is asked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import cycle, islice

import pytest

from feedback.model import Visit
from feedback.services.periods import parse_period
from feedback.store.visits import new_visit_id

PERIOD = parse_period("2026-05")
TYPICAL = [3, 4, 4, 5, 4]  # mean 4.0: what a typical colleague hears from guests
QUESTIONS = {"welcome": "welcome", "listening": "listening", "helpfulness": "helpful", "courtesy": "courtesy"}
ALL_YES = {"acknowledged": "yes", "eye_contact": "yes", "greeting": "yes", "full_attention": "yes",
           "unhurried": "yes", "let_finish": "yes", "open_questions": "yes", "restated": "yes", "explained": "yes",
           "offered_show": "yes", "accurate": "yes", "source_checked": "yes", "fully_answered": "yes",
           "invited_back": "yes", "named_place": "na", "said_goodbye": "yes", "respectful": "yes", "positive": "yes"}


class Team:
    """Central with five typical colleagues (40 answers each) and a subject whose answers a test chooses."""

    def __init__(self, factory, store):
        self.factory, self.store = factory, store
        factory.branch("central", "Central Library")
        self.colleagues = [factory.staff(name, "central", code=code) for name, code in
                           [("Ahmed Hassan", "AHMED"), ("Sofie Nielsen", "SOFIE"), ("Lucas Berg", "LUCAS"),
                            ("Carmen Ruiz", "CARMEN"), ("Emil Larsen", "EMIL")]]
        self.subject = factory.staff("Maria Jensen", "central", code="MARIA")
        self._day = 0
        for member in self.colleagues:
            self.answers(member, 40)

    def answers(self, member, count: int, scores: dict[str, list[int]] | None = None, comments=()):
        """``count`` QR answers about ``member``: each behaviour's scores cycle through its list (TYPICAL)."""
        scores = scores or {}
        comments = list(comments)
        series = {b: list(islice(cycle(scores.get(b, TYPICAL)), count)) for b in QUESTIONS}
        batch = []
        for i in range(count):
            self._day += 1
            at = datetime(2026, 5, 1, 9, tzinfo=UTC) + timedelta(minutes=37 * self._day)
            batch.append(self.factory.response(
                "central", staff=member.id, at=at, store=False, comment=comments[i] if i < len(comments) else "",
                answers={q: series[b][i] for b, q in QUESTIONS.items()}))
        self.store.responses.add_many(batch)

    def visit(self, member, day: int, accuracy: str = "correct", **answers) -> Visit:
        visit = Visit(id=new_visit_id(2026), shopper="s1", branch="central", channel="in_person",
                      scenario="local-history", visited_at=f"2026-05-{day:02d}T10:00:00Z", status="approved",
                      staff=member.id, accuracy=accuracy, answers=ALL_YES | answers)
        self.store.visits.add(visit)
        return visit


@pytest.fixture
def team(factory, store, app):
    with app.test_request_context():
        yield Team(factory, store)
