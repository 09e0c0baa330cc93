"""Mystery-shopper scenarios: what the shopper asks, on which channel, and the answer to expect."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ..model import VISIT_CHANNELS

__all__ = ["Scenario", "default_scenarios", "scenarios_for_channel"]


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
    scenarios = {s["id"]: Scenario(**s) for s in raw["scenarios"]}
    for scenario in scenarios.values():
        if scenario.channel not in VISIT_CHANNELS:
            raise ValueError(f"scenario {scenario.id}: unknown channel {scenario.channel!r}")
    return scenarios


def scenarios_for_channel(channel: str) -> list[Scenario]:
    """The scenarios a shopper can play on ``channel`` (a referral one among them)."""
    return [s for s in default_scenarios().values() if s.channel == channel]
