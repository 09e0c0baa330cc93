"""What guests wrote: praise or suggestion, the themes and behaviours a comment speaks of, and names in it.

Themes are matched as whole words in the comment's own language
(``reports/comment_themes.json``), so "rar" (Danish: nice) never matches
"library" and "vent" (Danish: wait) never matches "event". A comment on a
person's QR code that names *another* member of staff praises or criticises
that colleague: it is not credited to the person on the code, and is shown to
the manager as mentioning a colleague instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from ..model import Response, StaffMember, parse_utc
from ..resources import resource_path
from ..services.privacy import mask_contact_details
from ..services.surveys import Survey, definition_of

__all__ = [
    "THEME_LABELS",
    "Theme",
    "Comment",
    "themes",
    "themes_of",
    "behaviours_of",
    "classify_comment",
    "colleagues_named",
    "is_service_only",
    "response_mood",
    "clip",
    "quote",
    "most_written",
]

THEMES_FILE = resource_path("reports") / "comment_themes.json"
COMMENT_MAX_CHARS = 400
THEME_LABELS = {
    "acknowledgement": _l("Being noticed"), "friendliness": _l("Friendliness"), "listening": _l("Being understood"),
    "help": _l("Help and answers"), "rushed": _l("Time and attention"), "follow_up": _l("Follow-up"),
    "wait": _l("Waiting"), "noise": _l("Noise"), "hours": _l("Opening hours"), "collections": _l("Collections"),
    "technology": _l("Technology"),
}


@dataclass(frozen=True)
class Theme:
    id: str
    behaviours: tuple[str, ...]  # staff behaviours the theme speaks of
    service: str | None  # the service dimension it belongs to, when no person controls it
    patterns: dict[str, re.Pattern]  # language -> one compiled alternation of its words

    @property
    def label(self) -> str:
        return str(THEME_LABELS.get(self.id, self.id))


@dataclass
class Comment:
    """A guest's words as a report quotes them: masked, clipped, repeats counted once."""

    text: str
    guests: int  # how many guests wrote (nearly) these words
    latest: str  # local date of the latest
    score: float | None = None  # the guest's own mean 1-5 on that response
    themes: tuple[str, ...] = ()
    behaviours: tuple[str, ...] = ()


def _word_pattern(word: str) -> str:
    stem = word.casefold().removesuffix("*")
    body = r"\s+".join(re.escape(part) for part in stem.split())
    tail = r"[\w-]*" if word.endswith("*") else ""
    return body + tail


def _compile(words: Iterable[str]) -> re.Pattern:
    alternatives = "|".join(sorted((_word_pattern(w) for w in words), key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


@cache
def themes() -> tuple[Theme, ...]:
    """Every theme of the lexicon, in its order."""
    raw = json.loads(THEMES_FILE.read_text("utf-8"))["themes"]
    return tuple(
        Theme(theme_id, tuple(entry.get("behaviours", [])), entry.get("service"),
              {language: _compile(words) for language, words in entry["words"].items() if words})
        for theme_id, entry in raw.items()
    )


def themes_of(text: str, language: str) -> tuple[str, ...]:
    """The themes ``text`` speaks of, matched as whole words in ``language`` (every language when unknown)."""
    folded = text.casefold()
    found = []
    for theme in themes():
        patterns = [theme.patterns[language]] if language in theme.patterns else list(theme.patterns.values())
        if any(p.search(folded) for p in patterns):
            found.append(theme.id)
    return tuple(found)


def behaviours_of(theme_ids: Iterable[str]) -> tuple[str, ...]:
    by_id = {t.id: t for t in themes()}
    seen: list[str] = []
    for theme_id in theme_ids:
        for behaviour in by_id[theme_id].behaviours if theme_id in by_id else ():
            if behaviour not in seen:
                seen.append(behaviour)
    return tuple(seen)


def is_service_only(theme_ids: Iterable[str]) -> bool:
    """Whether every theme of a comment is one no person controls (wait, noise, hours ...)."""
    by_id = {t.id: t for t in themes()}
    ids = [t for t in theme_ids if t in by_id]
    return bool(ids) and all(by_id[t].service for t in ids)


def response_mood(response: Response, surveys: dict[str, Survey]) -> float | None:
    """The guest's own mean smiley (1-5) on this response, or their 0-10 answer scaled to 1-5."""
    survey = definition_of(surveys, response.survey, response.survey_version)  # the version it answered
    if survey is None:
        return None
    smileys, nps = [], None
    for question in survey.questions:
        value = response.answers.get(question.id)
        if not isinstance(value, int):
            continue
        if question.type == "smiley":
            smileys.append(value)
        elif question.type == "nps":
            nps = value
    if smileys:
        return sum(smileys) / len(smileys)
    if nps is not None:
        return 1 + 4 * nps / 10
    return None


def classify_comment(response: Response, surveys: dict[str, Survey]) -> str | None:
    """``praise`` when the guest's own scores average 4 or more, else ``suggestion``; None without scores.

    A guest who scored below 4 and wrote something was telling us what to do better.
    """
    mood = response_mood(response, surveys)
    if mood is None:
        return None
    return "praise" if mood >= 4 else "suggestion"


@cache
def _name_pattern(name: str) -> re.Pattern:
    return re.compile(rf"(?<![\w-]){re.escape(name.casefold())}(?![\w-])")


@cache
def _folded_names(display_name: str) -> tuple[str, ...]:
    """The full and the first name a comment may use for a person, case-folded (as the text is)."""
    full = " ".join(display_name.split())
    first = full.split(" ")[0] if full else ""
    return tuple(n.casefold() for n in {full, first} if len(n) >= 2)


def colleagues_named(text: str, subject: StaffMember | None, directory: Iterable[StaffMember]) -> list[StaffMember]:
    """Members of staff other than ``subject`` whom ``text`` names (full or first name, whole words).

    A comment that also names the subject is about them too, and names no one *else* for this purpose.
    """
    folded = text.casefold()

    def named(member: StaffMember) -> bool:
        # The plain substring test first: a whole-word match needs it, and it costs a fraction of the search,
        # which matters when a comment is held against a directory of a thousand names.
        return any(n in folded and _name_pattern(n).search(folded) for n in _folded_names(member.display_name))

    if subject is not None and named(subject):
        return []
    return [m for m in directory if (subject is None or m.id != subject.id) and named(m)]


def clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= COMMENT_MAX_CHARS else text[: COMMENT_MAX_CHARS - 1].rstrip() + "…"


def quote(response: Response, surveys: dict[str, Survey], timezone: str) -> Comment:
    """One response's comment as a report may print it: contact details masked, clipped, themes found."""
    text = clip(mask_contact_details(response.comment))
    found = themes_of(response.comment, response.language)
    return Comment(text=text, guests=1,
                   latest=f"{parse_utc(response.submitted_at).astimezone(ZoneInfo(timezone)):%Y-%m-%d}",
                   score=response_mood(response, surveys), themes=found, behaviours=behaviours_of(found))


def most_written(comments: Iterable[Comment], limit: int) -> list[Comment]:
    """Repeats counted once (most often written first, then the most recent), at most ``limit``."""
    merged: dict[str, Comment] = {}
    for c in comments:
        key = c.text.casefold()
        if key in merged:
            merged[key].guests += 1
            merged[key].latest = max(merged[key].latest, c.latest)
        else:
            merged[key] = Comment(c.text, 1, c.latest, c.score, c.themes, c.behaviours)
    ordered = sorted(merged.values(), key=lambda c: c.text)
    ordered.sort(key=lambda c: c.latest, reverse=True)
    ordered.sort(key=lambda c: c.guests, reverse=True)
    return ordered[:limit]
