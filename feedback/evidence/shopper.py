"""What mystery shoppers saw of each behaviour, visit by visit.

A behaviour is *seen* in a visit when every item of it that arose was
answered yes, *missed* when any was answered no, *partly* otherwise; items
that did not arise (n/a) leave the visit out for that behaviour. Answers are
read through ``visit_consistency`` so a correct referral is a success and an
answer judged incorrect is never "found an accurate answer".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from ..model import Visit, parse_utc
from ..services.rubric import Rubric, default_rubric, score_visit
from ..services.visit_consistency import consistent_answers

__all__ = ["SEEN", "PARTLY", "MISSED", "ItemObservation", "ShopperObservation", "VisitScorecard",
           "behaviour_outcome", "observe_behaviours", "visit_scorecards"]

SEEN, PARTLY, MISSED = "seen", "partly", "missed"
JUDGED = ("yes", "partly", "no")


@dataclass
class ItemObservation:
    id: str
    text: str
    critical: bool
    judged: int = 0
    seen: int = 0
    partly: int = 0
    missed: int = 0


@dataclass
class ShopperObservation:
    """One behaviour across a person's approved visits."""

    behaviour: str
    visits: int = 0  # visits in which the behaviour arose
    seen: int = 0
    partly: int = 0
    missed: int = 0
    critical_missed: int = 0  # visits in which a critical item of the behaviour was missed
    items: list[ItemObservation] = field(default_factory=list)
    visit_ids: list[str] = field(default_factory=list)

    @property
    def seen_every_time(self) -> bool:
        """Seen in every visit, with at least two: what a shopper-based strength needs."""
        return self.visits >= 2 and self.seen == self.visits

    @property
    def missed_repeatedly(self) -> bool:
        """Missed in two or more visits, or a critical item once: what a shopper-based focus area needs."""
        return self.missed >= 2 or self.critical_missed >= 1

    def as_json(self) -> dict:
        return {"visits": self.visits, "seen": self.seen, "partly": self.partly, "missed": self.missed,
                "critical_missed": self.critical_missed, "visit_ids": list(self.visit_ids),
                "items": [item.__dict__ for item in self.items]}


def behaviour_outcome(rubric: Rubric, behaviour_id: str, answers: dict[str, str]) -> str | None:
    """``seen``, ``partly`` or ``missed`` for one visit's (consistent) answers; None when it did not arise."""
    behaviour = rubric.behaviour(behaviour_id)
    judged = [answers.get(i.id, "na") for i in behaviour.items] if behaviour else []
    judged = [a for a in judged if a in JUDGED]
    if not judged:
        return None
    if "no" in judged:
        return MISSED
    return SEEN if all(a == "yes" for a in judged) else PARTLY


def observe_behaviours(visits: Iterable[Visit], rubric: Rubric | None = None) -> dict[str, ShopperObservation]:
    """Per behaviour id, what approved ``visits`` show (visits that are not approved are ignored)."""
    rubric = rubric or default_rubric()
    found = {b.id: ShopperObservation(b.id, items=[ItemObservation(i.id, i.text, i.critical) for i in b.items])
             for b in rubric.behaviours}
    for visit in visits:
        if visit.status != "approved":
            continue
        answers = consistent_answers(rubric, visit.answers, visit.accuracy)
        for behaviour in rubric.behaviours:
            obs = found[behaviour.id]
            outcome = behaviour_outcome(rubric, behaviour.id, answers)
            if outcome is None:
                continue
            obs.visits += 1
            obs.visit_ids.append(visit.id)
            setattr(obs, outcome, getattr(obs, outcome) + 1)
            if any(i.critical and answers.get(i.id) == "no" for i in behaviour.items):
                obs.critical_missed += 1
            for item, item_obs in zip(behaviour.items, obs.items, strict=True):
                answer = answers.get(item.id, "na")
                if answer in JUDGED:
                    item_obs.judged += 1
                    attr = {"yes": "seen", "partly": "partly", "no": "missed"}[answer]
                    setattr(item_obs, attr, getattr(item_obs, attr) + 1)
    return found


@dataclass
class VisitScorecard:
    """One approved visit as a coach reads it: behaviour by behaviour, with the score and accuracy together."""

    id: str
    when: str  # local date
    channel: str
    scenario: str
    score: float | None  # share 0..1 of rubric points, from consistent answers
    accuracy: str | None  # correct | partly_correct | incorrect | referred
    outcomes: list[tuple[str, str | None]]  # (behaviour id, seen | partly | missed | None when it did not arise)
    observed: list[str]
    partly: list[str]
    missed: list[str]
    critical_missed: list[str]
    narrative: str = ""
    wait_minutes: int | None = None
    duration_minutes: int | None = None


def visit_scorecards(visits: Iterable[Visit], timezone: str, rubric: Rubric | None = None) -> list[VisitScorecard]:
    rubric = rubric or default_rubric()
    tz = ZoneInfo(timezone)
    cards = []
    for visit in visits:
        answers = consistent_answers(rubric, visit.answers, visit.accuracy)
        score = score_visit(rubric, answers)
        by_answer: dict[str, list[str]] = {"yes": [], "partly": [], "no": []}
        for item in rubric.items:
            if answers.get(item.id, "na") in by_answer:
                by_answer[answers[item.id]].append(item.text)
        texts = {item.id: item.text for item in rubric.items}
        cards.append(VisitScorecard(
            id=visit.id, when=f"{parse_utc(visit.visited_at).astimezone(tz):%Y-%m-%d}", channel=visit.channel,
            scenario=visit.scenario, score=score.overall, accuracy=visit.accuracy,
            outcomes=[(b.id, behaviour_outcome(rubric, b.id, answers)) for b in rubric.behaviours],
            observed=by_answer["yes"], partly=by_answer["partly"], missed=by_answer["no"],
            critical_missed=[texts[i] for i in score.critical_misses], narrative=visit.narrative,
            wait_minutes=visit.wait_minutes, duration_minutes=visit.duration_minutes,
        ))
    return cards
