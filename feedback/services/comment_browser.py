"""The comments browser: every guest comment of a period, searchable, filtered and in pages.

Managers read what guests wrote with its context (when, where, about whom,
in which language, how happy). Contact details are masked again on the way
out, so even a comment stored before masking existed shows none. Flagged,
held and discarded answers are left out unless asked for; alerts link here
with ``since``/``until`` and every answer (with or without a comment).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from ..evidence.comments import THEME_LABELS, themes, themes_of
from ..local_time import format_local
from ..model import Branch, Response
from .alerts import smiley_mean
from .faces import in_band, score_in_words
from .followup_queue import language_name
from .privacy import mask_contact_details
from .surveys import Survey

__all__ = ["CommentQuery", "CommentItem", "CommentPage", "browse_comments", "theme_choices", "PER_PAGE"]

PER_PAGE = 25


@dataclass(frozen=True)
class CommentQuery:
    branches: tuple[Branch, ...]
    start: datetime  # UTC, inclusive
    end: datetime  # UTC, exclusive
    desk: str | None = None
    staff: str | None = None
    language: str | None = None
    score: str | None = None  # a band of faces.SCORE_BANDS
    theme: str | None = None
    text: str | None = None
    with_comment: bool = True  # False: every answer (what an alert links to)
    page: int = 1


@dataclass(frozen=True)
class CommentItem:
    when: str  # local time at the branch
    branch: str
    desk: str
    staff: str
    language: str  # named in the reader's language
    language_code: str
    score: float | None
    score_words: str
    text: str


@dataclass(frozen=True)
class CommentPage:
    items: list[CommentItem]
    total: int
    page: int
    pages: int


def theme_choices() -> list[tuple[str, str]]:
    """The comment themes of the evidence layer (the same as the reports), for the theme filter."""
    return [(theme.id, str(THEME_LABELS.get(theme.id, theme.id))) for theme in themes()]


def _counts(response: Response) -> bool:
    return not response.flagged and getattr(response, "review", None) not in ("held", "discarded")


def _matches(response: Response, score: float | None, query: CommentQuery) -> bool:
    if query.with_comment and not response.comment.strip():
        return False
    if query.desk and response.desk != query.desk:
        return False
    if query.staff and response.staff != query.staff:
        return False
    if query.language and response.language != query.language:
        return False
    if query.score and not in_band(score, query.score):
        return False
    if query.theme and query.theme not in themes_of(response.comment, response.language):
        return False
    return not (query.text and query.text.casefold() not in response.comment.casefold())


def browse_comments(store, query: CommentQuery, surveys: dict[str, Survey], *, per_page: int = PER_PAGE,
                    viewer_language: str = "en") -> CommentPage:
    """One page of the comments ``query`` selects, newest first."""
    found: list[tuple[Response, float | None, Branch]] = []
    for branch in query.branches:
        for response in store.responses.in_period(branch.slug, query.start, query.end):
            if not _counts(response):
                continue
            score = smiley_mean(surveys.get(response.survey), response)
            if _matches(response, score, query):
                found.append((response, score, branch))
    found.sort(key=lambda item: item[0].submitted_at, reverse=True)
    pages = max(1, math.ceil(len(found) / per_page))
    page = min(max(1, query.page), pages)
    names = _names(store, query.branches)
    items = [_item(r, s, b, names, viewer_language) for r, s, b in found[(page - 1) * per_page: page * per_page]]
    return CommentPage(items, len(found), page, pages)


def _names(store, branches: Iterable[Branch]) -> dict[str, str]:
    names = {m.id: m.display_name for m in store.directory.staff(include_inactive=True)}
    for branch in branches:
        for desk in store.directory.desks(branch.slug):
            names[f"desk:{branch.slug}:{desk.slug}"] = desk.name
    return names


def _item(response: Response, score: float | None, branch: Branch, names: dict[str, str],
          viewer_language: str) -> CommentItem:
    return CommentItem(
        when=format_local(response.submitted_at, branch.timezone, viewer_language), branch=branch.name,
        desk=names.get(f"desk:{branch.slug}:{response.desk}", response.desk or "") if response.desk else "",
        staff=names.get(response.staff or "", ""), language=language_name(response.language, viewer_language),
        language_code=response.language, score=score,
        score_words=score_in_words(score), text=mask_contact_details(response.comment),
    )
