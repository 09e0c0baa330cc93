"""Mystery-shopper scenarios: what the shopper asks, on which channel, and the answer to expect."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["Scenario", "default_scenarios"]


@dataclass(frozen=True)
class Scenario:
    id: str
    channel: str
    title: str
    question: str
    expected: str
    referral: bool = False


@cache
def default_scenarios() -> dict[str, Scenario]:
    raw = json.loads(resources.files("feedback.data").joinpath("scenarios.json").read_text("utf-8"))
    return {s["id"]: Scenario(**s) for s in raw["scenarios"]}
