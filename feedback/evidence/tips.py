"""The coaching words of ``reports/tips.json``: what good looks like, and how to practise it, per behaviour."""

from __future__ import annotations

import json
from functools import cache

from ..resources import resource_path

__all__ = ["TIPS_FILE", "tips_for"]

TIPS_FILE = resource_path("reports") / "tips.json"


@cache
def _tips() -> dict:
    return json.loads(TIPS_FILE.read_text("utf-8"))


def tips_for(behaviour: str, language: str) -> tuple[list[str], list[str]]:
    """What good looks like, and how to practise it, for ``behaviour`` in ``language`` (else English)."""
    entry = _tips().get(behaviour, {})

    def pick(kind: str) -> list[str]:
        texts = entry.get(kind, {})
        return list(texts.get(language) or texts.get("en") or [])

    return pick("behaviours"), pick("tips")
