"""The library shapes its survey: edit, add, remove, reorder questions; every save is a new version.

A stored response keeps the survey id and version it answered, so the
definition it was answered under must stay readable for as long as the
response exists: saving never changes a version, it writes the next one
(``settings["surveys"]`` holds the current definition, ``survey_history``
the ones it replaced). Reports read each response with its own version.

Every change is checked here, whatever the page sent: a bad edit raises
:class:`~feedback.services.setup.SetupError` naming the field, and nothing
is stored.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from .setup import SetupError
from .surveys import (
    DIMENSIONS,
    QUESTION_TYPES,
    RATING_TYPES,
    WHY_SUFFIX,
    Survey,
    editing_surveys,
    surveys_from_settings,
)

__all__ = [
    "ADVISED_QUESTIONS",
    "ChoiceEdit",
    "QuestionEdit",
    "add_question",
    "current_survey",
    "edit_question",
    "move_question",
    "remove_question",
    "survey_versions",
]

#: More questions than this before the comment and a walk-by guest gives up (the page says so).
ADVISED_QUESTIONS = 3
TEXT_MAX = 300
_QUESTION_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_CHOICE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
CHOICE_TYPES = ("choice", "multichoice")
#: Words the set-up pages use in their addresses, so not question ids.
_RESERVED_IDS = frozenset({"new", "versions"})


@dataclass(frozen=True)
class ChoiceEdit:
    id: str
    text: dict[str, str]
    remove: bool = False


@dataclass(frozen=True)
class QuestionEdit:
    """What the edit page sends for one question: texts by language, choices, flags, where it is shown."""

    text: dict[str, str]
    required: bool = False
    asked: bool = True
    where: tuple[str, ...] = ()
    why: dict[str, str] = field(default_factory=dict)
    choices: tuple[ChoiceEdit, ...] = ()


def current_survey(store, survey_id: str) -> Survey:
    surveys = surveys_from_settings(store.directory.settings())
    if survey_id not in surveys:
        raise SetupError("survey", _("No such survey."))
    return surveys[survey_id]


def survey_versions(store, survey_id: str) -> list[Survey]:
    """Every version of a survey that stored answers may name, newest first."""
    return surveys_from_settings(store.directory.settings()).history(survey_id)


def _texts(values: Mapping[str, str], languages: Iterable[str], field_prefix: str, *,
           english_required: bool = True) -> dict[str, str]:
    """Texts by language, trimmed; English is what other languages fall back to, so it may not be empty."""
    texts: dict[str, str] = {}
    for language in languages:
        value = (values.get(language) or "").strip()
        if len(value) > TEXT_MAX:
            raise SetupError(f"{field_prefix}_{language}", _("Keep a text under %(max)d characters.", max=TEXT_MAX))
        if value:
            texts[language] = value
    if english_required and not texts.get("en"):
        raise SetupError(f"{field_prefix}_en", _("The English text cannot be empty: it is what other languages "
                                                 "fall back to."))
    return texts


def _places(store, where: Iterable[str]) -> tuple[str, ...]:
    known = set()
    for branch in store.directory.branches(include_inactive=True):
        known.add(branch.slug)
        for desk in store.directory.desks(branch.slug):
            known.add(f"{branch.slug}/{desk.slug}")
    chosen = tuple(dict.fromkeys(w for w in where if w))
    if any(w not in known for w in chosen):
        raise SetupError("where", _("Choose branches and desks from the list."))
    return chosen


def _choices(edits: Iterable[ChoiceEdit], languages: list[str]) -> list[dict[str, Any]]:
    kept: list[dict[str, Any]] = []
    for n, edit in enumerate(edits):
        if edit.remove:
            continue
        choice_id = (edit.id or "").strip()
        if not choice_id and not any((t or "").strip() for t in edit.text.values()):
            continue  # the empty "new choice" row
        if not _CHOICE_ID.match(choice_id):
            raise SetupError(f"choice_{n}_id", _("Use lower-case letters, digits, - or _ (up to 40)."))
        if any(c["id"] == choice_id for c in kept):
            raise SetupError(f"choice_{n}_id", _("Each choice needs its own id."))
        kept.append({"id": choice_id, "text": _texts(edit.text, languages, f"choice_{n}")})
    if len(kept) < 2:
        raise SetupError("choices", _("A question with choices needs at least two."))
    return kept


def _save(store, survey: Survey, questions: list[dict[str, Any]]) -> Survey:
    """Store ``questions`` as the next version of ``survey``; the version it replaces stays readable."""
    settings = store.directory.settings()
    catalogue = surveys_from_settings(settings)
    version = max(s.version for s in catalogue.history(survey.id)) + 1
    data = {**survey.to_dict(), "version": version, "questions": questions}
    new = Survey.from_dict(data)  # a definition guests can answer, or an error before anything is stored
    if not new.asked_questions:
        raise SetupError("questions", _("Keep at least one question asked."))
    others = [s for s in settings.get("surveys", []) if s.get("id") != survey.id]
    history = list(settings.get("survey_history", []))
    replaced = [s for s in settings.get("surveys", []) if s.get("id") == survey.id]
    history.extend(replaced)  # shipped versions stay readable from the package itself
    store.directory.update_settings(surveys=[*others, data], survey_history=history)
    return new


def _one_change_at_a_time(change):
    """Run an editor change under the survey lock: it reads the current version and saves the next."""

    @functools.wraps(change)
    def run(store, *args, **kwargs):
        with editing_surveys(store):
            return change(store, *args, **kwargs)

    return run


def _question_index(survey_data: dict[str, Any], question_id: str) -> int:
    for n, question in enumerate(survey_data["questions"]):
        if question["id"] == question_id:
            return n
    raise SetupError("question", _("No such question."))


@_one_change_at_a_time
def edit_question(store, survey_id: str, question_id: str, edit: QuestionEdit, *, languages: list[str]) -> Survey:
    """Change one question's texts, choices, flags and places; saved as the survey's next version."""
    survey = current_survey(store, survey_id)
    data = survey.to_dict()
    index = _question_index(data, question_id)
    question = dict(data["questions"][index])
    question["text"] = _texts(edit.text, languages, "text")
    question["required"] = bool(edit.required) and question["type"] != "comment"
    question["asked"] = bool(edit.asked)
    where = _places(store, edit.where)
    if where:
        question["where"] = list(where)
    else:
        question.pop("where", None)
    why = _texts(edit.why, languages, "why", english_required=False)
    if why and question["type"] != "smiley":
        raise SetupError("why_en", _("Only a question answered with faces can ask why."))
    if why and not why.get("en"):
        raise SetupError("why_en", _("The English text cannot be empty: it is what other languages fall back to."))
    if why:
        question["why"] = why
    else:
        question.pop("why", None)
    if question["type"] in CHOICE_TYPES:
        question["choices"] = _choices(edit.choices, languages)
    if question["asked"] is False:
        question["required"] = False
    data["questions"][index] = question
    return _save(store, survey, data["questions"])


@_one_change_at_a_time
def add_question(store, survey_id: str, *, question_id: str, kind: str, text_en: str, dimension: str | None,
                 languages: list[str]) -> Survey:
    """Add a question at the end, before the comment, not yet asked: its texts in every language (and its
    choices) are written on its edit page, and it reaches guests once it is turned on there."""
    survey = current_survey(store, survey_id)
    data = survey.to_dict()
    question_id = (question_id or "").strip()
    if not _QUESTION_ID.match(question_id) or question_id.endswith(WHY_SUFFIX) or question_id in _RESERVED_IDS:
        raise SetupError("question_id", _("Use lower-case letters, digits and _ (up to 40), starting with a "
                                          "letter, not ending in _why."))
    # Any version counts: an id that once meant something else must not be reused for a new meaning.
    used = {q.id for s in survey_versions(store, survey_id) for q in s.questions}
    if question_id in used:
        raise SetupError("question_id", _("This survey has (or had) a question with this id: choose another."))
    if kind not in QUESTION_TYPES:
        raise SetupError("kind", _("Choose one of the kinds of question."))
    if kind == "comment" and any(q["type"] == "comment" for q in data["questions"]):
        raise SetupError("kind", _("The survey has its comment already."))
    if dimension and (dimension not in DIMENSIONS or kind not in RATING_TYPES):
        raise SetupError("dimension", _("Only a question answered with faces or 0-10 measures something."))
    question: dict[str, Any] = {"id": question_id, "type": kind,
                                "text": _texts({"en": text_en}, languages, "text"), "required": False,
                                "asked": False}
    if dimension:
        question["dimension"] = dimension
    if kind in CHOICE_TYPES:  # placeholders until the edit page; the question is not asked meanwhile
        question["choices"] = [{"id": "first", "text": {"en": "First choice"}},
                               {"id": "second", "text": {"en": "Second choice"}}]
    comment_at = next((n for n, q in enumerate(data["questions"]) if q["type"] == "comment"), len(data["questions"]))
    data["questions"].insert(comment_at, question)
    return _save(store, survey, data["questions"])


@_one_change_at_a_time
def remove_question(store, survey_id: str, question_id: str) -> Survey:
    """Take a question out of the survey; answers already given to it keep their version and meaning."""
    survey = current_survey(store, survey_id)
    data = survey.to_dict()
    del data["questions"][_question_index(data, question_id)]
    return _save(store, survey, data["questions"])


@_one_change_at_a_time
def move_question(store, survey_id: str, question_id: str, direction: str) -> Survey:
    """Move a question one place ``"up"`` or ``"down"`` in the order guests meet them."""
    if direction not in ("up", "down"):
        raise SetupError("direction", _("Move a question up or down."))
    survey = current_survey(store, survey_id)
    data = survey.to_dict()
    index = _question_index(data, question_id)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(data["questions"]):
        return survey
    questions = data["questions"]
    questions[index], questions[other] = questions[other], questions[index]
    return _save(store, survey, questions)
