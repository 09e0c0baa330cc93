"""A face score (1-5) in words, for pages where a bare "2.0" says too little."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

__all__ = ["SCORE_WORDS", "score_in_words", "SCORE_BANDS", "in_band"]

SCORE_WORDS = {1: _l("very unhappy"), 2: _l("unhappy"), 3: _l("neither happy nor unhappy"), 4: _l("happy"),
               5: _l("very happy")}
#: Filters of the comments browser: a band of mean face scores.
SCORE_BANDS = {"unhappy": (1.0, 2.5), "neutral": (2.5, 3.5), "happy": (3.5, 5.01)}


def score_in_words(score: float | None) -> str:
    """``2.0`` -> "unhappy"; None (no face answered) -> ""."""
    if score is None:
        return ""
    return str(SCORE_WORDS[min(5, max(1, int(score + 0.5)))])


def in_band(score: float | None, band: str) -> bool:
    if score is None:
        return False
    low, high = SCORE_BANDS[band]
    return low <= score < high
