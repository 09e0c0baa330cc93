"""Survey definitions: questions as data, versioned, in several languages.

The shipped defaults live in ``feedback/data/surveys.json``; an installation
may override a survey by storing a definition with the same id in its
settings (``surveys``). Forms, exports and aggregates are all built from
these definitions, so adding a question needs no code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from flask_babel import lazy_gettext as _l

__all__ = [
    "DIMENSION_LABELS",
    "QUESTION_TYPES",
    "RATING_TYPES",
    "STAFF_DIMENSIONS",
    "SERVICE_DIMENSIONS",
    "DIMENSIONS",
    "Choice",
    "Question",
    "Survey",
    "default_surveys",
    "surveys_from_settings",
    "export_question_ids",
]

QUESTION_TYPES = ("smiley", "nps", "yesno", "choice", "multichoice", "comment")
RATING_TYPES = ("smiley", "nps")
STAFF_DIMENSIONS = (
    "welcome", "approachability", "listening", "helpfulness",
    "follow_up", "referral", "farewell", "courtesy",
)
SERVICE_DIMENSIONS = ("wait_time", "environment", "collections", "technology", "hours")
DIMENSIONS = STAFF_DIMENSIONS + SERVICE_DIMENSIONS
#: How a dimension is named to people, on the dashboard and in reports alike.
DIMENSION_LABELS = {
    "welcome": _l("Welcome"), "approachability": _l("Approachability"), "listening": _l("Listening"),
    "helpfulness": _l("Helpfulness and accuracy"), "follow_up": _l("Follow-up"), "referral": _l("Referral"),
    "farewell": _l("Farewell"), "courtesy": _l("Courtesy and fairness"), "wait_time": _l("Wait time"),
    "environment": _l("Environment"), "collections": _l("Collections"), "technology": _l("Technology"),
    "hours": _l("Opening hours"),
}


def _in_language(texts: dict[str, str], language: str) -> str:
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")


@dataclass(frozen=True)
class Choice:
    id: str
    text: dict[str, str]

    def label(self, language: str) -> str:
        return _in_language(self.text, language)


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    text: dict[str, str]
    required: bool = False
    dimension: str | None = None
    choices: tuple[Choice, ...] = ()

    def label(self, language: str) -> str:
        return _in_language(self.text, language)

    @property
    def choice_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.choices)

    @property
    def valid_values(self) -> tuple[Any, ...] | None:
        """The answers this question accepts, or None for free text."""
        if self.type == "smiley":
            return (1, 2, 3, 4, 5)
        if self.type == "nps":
            return tuple(range(11))
        if self.type == "yesno":
            return ("yes", "no")
        if self.type in ("choice", "multichoice"):
            return self.choice_ids
        return None


@dataclass(frozen=True)
class Survey:
    id: str
    version: int
    title: dict[str, str]
    questions: tuple[Question, ...] = field(default_factory=tuple)

    def title_in(self, language: str) -> str:
        return _in_language(self.title, language)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    @property
    def rating_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.type in RATING_TYPES)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Survey:
        questions = []
        for q in data["questions"]:
            if q["type"] not in QUESTION_TYPES:
                raise ValueError(f"survey {data['id']}: unknown question type {q['type']!r}")
            if q.get("dimension") and q["dimension"] not in DIMENSIONS:
                raise ValueError(f"survey {data['id']}: unknown dimension {q['dimension']!r}")
            questions.append(
                Question(
                    id=q["id"],
                    type=q["type"],
                    text=dict(q["text"]),
                    required=bool(q.get("required", False)),
                    dimension=q.get("dimension"),
                    choices=tuple(Choice(c["id"], dict(c["text"])) for c in q.get("choices", ())),
                )
            )
        return cls(id=data["id"], version=int(data["version"]), title=dict(data["title"]),
                   questions=tuple(questions))


@cache
def default_surveys() -> dict[str, Survey]:
    """The surveys shipped with the package, by id."""
    raw = json.loads(resources.files("feedback.data").joinpath("surveys.json").read_text("utf-8"))
    return {s["id"]: Survey.from_dict(s) for s in raw["surveys"]}


def surveys_from_settings(settings: dict[str, Any]) -> dict[str, Survey]:
    """Shipped surveys, with any the installation stored in its settings taking their place."""
    surveys = dict(default_surveys())
    for data in settings.get("surveys", []):
        surveys[data["id"]] = Survey.from_dict(data)
    return surveys


def export_question_ids(surveys: dict[str, Survey]) -> list[str]:
    """One export column a question id, in the order questions first appear; comments excluded.

    The free comment has its own fixed column, so it is not repeated here.
    """
    ids: list[str] = []
    for survey in surveys.values():
        for question in survey.questions:
            if question.type != "comment" and question.id not in ids:
                ids.append(question.id)
    return ids
