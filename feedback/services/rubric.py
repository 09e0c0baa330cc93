"""The mystery-shopper rubric and how a visit is scored.

A visit's score is the weighted share of points achieved: ``yes`` earns the
item's weight, ``partly`` half of it, ``no`` nothing, and ``na`` (not
applicable) leaves the item out of the denominator. Scores are given overall
and per behaviour. Critical items missed (``no``) are listed on their own so a
reviewer and a coach see them whatever the total. Accuracy of the answer is
recorded apart from the score: behaviour and accuracy are judged separately.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

__all__ = [
    "ANSWERS",
    "ACCURACY",
    "RubricItem",
    "Behaviour",
    "Rubric",
    "VisitScore",
    "default_rubric",
    "score_visit",
]

ANSWERS = ("yes", "partly", "no", "na")
ACCURACY = ("correct", "partly_correct", "incorrect", "referred")
_POINTS = {"yes": 1.0, "partly": 0.5, "no": 0.0}


@dataclass(frozen=True)
class RubricItem:
    id: str
    text: str
    weight: float = 1.0
    critical: bool = False
    # "accuracy": this item must agree with the visit's accuracy; "referral": what a correct referral means.
    judges: str | None = None


@dataclass(frozen=True)
class Behaviour:
    id: str
    title: str
    items: tuple[RubricItem, ...]


@dataclass(frozen=True)
class Rubric:
    id: str
    version: int
    behaviours: tuple[Behaviour, ...]

    @property
    def items(self) -> tuple[RubricItem, ...]:
        return tuple(i for b in self.behaviours for i in b.items)

    def item_ids(self) -> list[str]:
        return [i.id for i in self.items]

    def behaviour(self, behaviour_id: str) -> Behaviour | None:
        return next((b for b in self.behaviours if b.id == behaviour_id), None)

    def item_judging(self, what: str) -> RubricItem | None:
        """The item that records the accuracy (``"accuracy"``) or the referral (``"referral"``), if any."""
        return next((i for i in self.items if i.judges == what), None)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Rubric:
        behaviours = tuple(
            Behaviour(
                id=b["id"],
                title=b["title"],
                items=tuple(
                    RubricItem(i["id"], i["text"], float(i.get("weight", 1)), bool(i.get("critical", False)),
                               i.get("judges"))
                    for i in b["items"]
                ),
            )
            for b in data["behaviours"]
        )
        ids = [i.id for b in behaviours for i in b.items]
        if len(ids) != len(set(ids)):
            raise ValueError("rubric item ids must be unique")
        # A zero or negative weight would let an item move the score the wrong way or not at all.
        if any(i.weight <= 0 for b in behaviours for i in b.items):
            raise ValueError("rubric item weights must be positive")
        return cls(id=data["id"], version=int(data["version"]), behaviours=behaviours)


@cache
def default_rubric() -> Rubric:
    raw = json.loads(resources.files("feedback.data").joinpath("rubric.json").read_text("utf-8"))
    return Rubric.from_dict(raw)


@dataclass(frozen=True)
class VisitScore:
    """Scores as fractions 0..1; ``None`` where every item was not applicable."""

    overall: float | None
    by_behaviour: dict[str, float | None]
    critical_misses: tuple[str, ...]


def _weighted_share(items: tuple[RubricItem, ...], answers: dict[str, str]) -> float | None:
    earned = possible = 0.0
    for item in items:
        answer = answers.get(item.id, "na")
        if answer not in _POINTS:
            continue
        earned += item.weight * _POINTS[answer]
        possible += item.weight
    return earned / possible if possible else None


def score_visit(rubric: Rubric, answers: dict[str, str]) -> VisitScore:
    """Score rubric answers (item id -> yes|partly|no|na); unanswered items count as na."""
    unknown = set(answers.values()) - set(ANSWERS)
    if unknown:
        raise ValueError(f"unknown rubric answers: {sorted(unknown)}")
    return VisitScore(
        overall=_weighted_share(rubric.items, answers),
        by_behaviour={b.id: _weighted_share(b.items, answers) for b in rubric.behaviours},
        critical_misses=tuple(i.id for i in rubric.items if i.critical and answers.get(i.id) == "no"),
    )
