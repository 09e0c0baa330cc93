"""The one behaviour vocabulary: the rubric's behaviours, their RUSA sections, and the guest questions on them.

Guest answers and shopper observations speak of the same behaviour under one
name, so a report can put them side by side and a label names a behaviour a
person can practise. The mapping is data (``feedback/data/behaviours.json``);
the names people read are translated here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from flask_babel import lazy_gettext as _l

from ..services.rubric import default_rubric
from ..services.surveys import DIMENSION_LABELS

__all__ = ["RUSA_SECTIONS", "BehaviourTerm", "BEHAVIOUR_IDS", "behaviours", "behaviour", "service_dimensions"]

#: The six sections of the RUSA guidelines (2023), in their order.
RUSA_SECTIONS = {
    "inclusion": _l("Inclusion"),
    "approachability": _l("Approachability"),
    "engagement": _l("Engagement"),
    "searching": _l("Searching"),
    "evaluation": _l("Evaluation"),
    "closure": _l("Closure"),
}
BEHAVIOUR_IDS = ("welcome", "approachability", "listening", "helpfulness", "follow_up", "referral", "farewell",
                 "courtesy")


@dataclass(frozen=True)
class BehaviourTerm:
    """One behaviour of the vocabulary."""

    id: str
    rusa: str  # a key of RUSA_SECTIONS
    guest_dimensions: tuple[str, ...]  # survey question dimensions that measure it
    item_sections: tuple[tuple[str, str], ...] = ()  # rubric items that belong to another RUSA section

    @property
    def label(self) -> str:
        return str(DIMENSION_LABELS.get(self.id, self.id))

    @property
    def rusa_label(self) -> str:
        return str(RUSA_SECTIONS[self.rusa])

    @property
    def rubric_title(self) -> str:
        found = default_rubric().behaviour(self.id)
        return found.title if found else self.label


@cache
def _load() -> tuple[tuple[BehaviourTerm, ...], tuple[str, ...]]:
    raw = json.loads(resources.files("feedback.data").joinpath("behaviours.json").read_text("utf-8"))
    terms = tuple(
        BehaviourTerm(b["id"], b["rusa"], tuple(b.get("guest_dimensions", [])),
                      tuple(sorted(b.get("item_sections", {}).items())))
        for b in raw["behaviours"]
    )
    if tuple(t.id for t in terms) != BEHAVIOUR_IDS:
        raise ValueError("behaviours.json must list the rubric's behaviours in their order")
    unknown = {t.rusa for t in terms} - set(RUSA_SECTIONS)
    if unknown:
        raise ValueError(f"unknown RUSA sections: {sorted(unknown)}")
    return terms, tuple(raw.get("service_dimensions", []))


def behaviours() -> tuple[BehaviourTerm, ...]:
    """Every behaviour, in the vocabulary's order."""
    return _load()[0]


def behaviour(behaviour_id: str) -> BehaviourTerm | None:
    return next((t for t in behaviours() if t.id == behaviour_id), None)


def service_dimensions() -> tuple[str, ...]:
    """Guest dimensions no person controls (wait, hours, collections ...): branch reports only."""
    return _load()[1]
