"""Survey definitions: questions as data, versioned, in several languages.

The shipped definitions live in ``feedback/data/surveys.json``, every version
ever shipped; an installation may override a survey by storing a definition
with the same id in its settings (``surveys``), and keeps the versions it
replaced (``survey_history``). A response stores its survey id and version,
and is always read with that version's definition (:class:`SurveyCatalogue`),
so an answer keeps the meaning it was given under. Forms, exports and
aggregates are all built from these definitions, so adding a question needs
no code.
"""

from __future__ import annotations

import dataclasses
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
    "LOW_FACE",
    "Choice",
    "Question",
    "Survey",
    "SurveyCatalogue",
    "default_surveys",
    "shipped_versions",
    "surveys_from_settings",
    "all_definitions",
    "definition_of",
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
#: A face at or below this asks the question's "why?" follow-up, when it has one.
LOW_FACE = 2
#: The id suffix of a question's "why?" follow-up (a comment shown after a low face).
WHY_SUFFIX = "_why"
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
    """One question. ``asked`` off keeps it in the definition without showing it (a library turns it on);
    ``where`` limits it to branches (``"central"``) or desks (``"central/info"``), empty meaning everywhere;
    ``why`` is the text of a comment asked only after a low face (smiley questions); ``follows`` marks that
    follow-up comment, which :meth:`Survey.shown_at` builds from its parent."""

    id: str
    type: str
    text: dict[str, str]
    required: bool = False
    dimension: str | None = None
    choices: tuple[Choice, ...] = ()
    asked: bool = True
    where: tuple[str, ...] = ()
    why: dict[str, str] = field(default_factory=dict)
    follows: str | None = None

    def label(self, language: str) -> str:
        return _in_language(self.text, language)

    def shown_at(self, branch: str | None, desk: str | None) -> bool:
        """Whether a guest at ``branch`` (and ``desk``) is asked this question."""
        if not self.asked:
            return False
        if not self.where:
            return True
        return branch in self.where or (desk is not None and f"{branch}/{desk}" in self.where)

    def why_question(self) -> Question | None:
        """The "why?" comment asked after a low face on this question, if it has one."""
        if self.type != "smiley" or not any(t.strip() for t in self.why.values()):
            return None
        return Question(id=self.id + WHY_SUFFIX, type="comment", text=dict(self.why), follows=self.id)

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

    @property
    def asked_questions(self) -> tuple[Question, ...]:
        """The questions guests are asked somewhere (those turned off left out)."""
        return tuple(q for q in self.questions if q.asked)

    def shown_at(self, branch: str | None = None, desk: str | None = None) -> Survey:
        """The survey as a guest at ``branch``/``desk`` sees it: same id and version, only the questions
        shown there, each smiley's "why?" follow-up placed right after it."""
        shown: list[Question] = []
        for question in self.questions:
            if question.shown_at(branch, desk):
                shown.append(question)
                why = question.why_question()
                if why is not None:
                    shown.append(why)
        return dataclasses.replace(self, questions=tuple(shown))

    def to_dict(self) -> dict[str, Any]:
        """The stored shape of this definition, as :meth:`from_dict` reads it (defaults left out)."""
        questions = []
        for q in self.questions:
            if q.follows:
                continue  # built from its parent's ``why``
            data: dict[str, Any] = {"id": q.id, "type": q.type, "text": dict(q.text), "required": q.required}
            if q.dimension:
                data["dimension"] = q.dimension
            if q.choices:
                data["choices"] = [{"id": c.id, "text": dict(c.text)} for c in q.choices]
            if not q.asked:
                data["asked"] = False
            if q.where:
                data["where"] = list(q.where)
            if q.why:
                data["why"] = dict(q.why)
            questions.append(data)
        return {"id": self.id, "version": self.version, "title": dict(self.title), "questions": questions}

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
                    asked=bool(q.get("asked", True)),
                    where=tuple(q.get("where", ())),
                    why=dict(q.get("why") or {}),
                )
            )
        return cls(id=data["id"], version=int(data["version"]), title=dict(data["title"]),
                   questions=tuple(questions))


class SurveyCatalogue(dict):
    """The current survey of each id (it *is* that dict), and every version a response may name.

    Reading a stored response goes through :meth:`definition`: the version it
    was answered under, never today's wording of a question that may since
    have changed. A version nobody kept (a hand-edited file) falls back to
    the current one of the same id.
    """

    def __init__(self, current: dict[str, Survey], versions: dict[tuple[str, int], Survey]):
        super().__init__(current)
        self.versions = dict(versions)
        for survey in current.values():
            self.versions.setdefault((survey.id, survey.version), survey)

    def definition(self, survey_id: str, version: int | None = None) -> Survey | None:
        """The definition of ``survey_id`` at ``version`` (the current one if that version is unknown)."""
        found = self.versions.get((survey_id, version)) if version is not None else None
        return found or self.get(survey_id)

    def all_versions(self) -> list[Survey]:
        """Every known definition, by id then version: what exports and report headings cover."""
        return [self.versions[key] for key in sorted(self.versions)]

    def history(self, survey_id: str) -> list[Survey]:
        """Every known version of one survey, newest first."""
        return sorted((s for (sid, _v), s in self.versions.items() if sid == survey_id),
                      key=lambda s: s.version, reverse=True)


@cache
def shipped_versions() -> dict[tuple[str, int], Survey]:
    """Every survey version ever shipped with the package, by (id, version)."""
    raw = json.loads(resources.files("feedback.data").joinpath("surveys.json").read_text("utf-8"))
    return {(s["id"], int(s["version"])): Survey.from_dict(s) for s in raw["surveys"]}


def _newest(versions: dict[tuple[str, int], Survey]) -> dict[str, Survey]:
    current: dict[str, Survey] = {}
    for survey in versions.values():
        if survey.id not in current or survey.version > current[survey.id].version:
            current[survey.id] = survey
    return current


@cache
def default_surveys() -> SurveyCatalogue:
    """The surveys shipped with the package: the newest version of each id, every older one readable."""
    versions = shipped_versions()
    return SurveyCatalogue(_newest(versions), versions)


def surveys_from_settings(settings: dict[str, Any]) -> SurveyCatalogue:
    """Shipped surveys, with any the installation stored in its settings taking their place.

    Versions the installation replaced (``survey_history``) stay readable; an
    installation's definition of a version number we also ship wins for that
    version (it holds the installation's own wording of the same meaning).
    """
    versions = dict(shipped_versions())
    current = _newest(versions)
    for data in settings.get("survey_history", []):
        survey = Survey.from_dict(data)
        versions[(survey.id, survey.version)] = survey
    for data in settings.get("surveys", []):
        survey = Survey.from_dict(data)
        versions[(survey.id, survey.version)] = survey
        current[survey.id] = survey
    return SurveyCatalogue(current, versions)


def all_definitions(surveys: dict[str, Survey]) -> list[Survey]:
    """Every version in a catalogue (or the surveys of a plain dict): what a reader must understand."""
    if isinstance(surveys, SurveyCatalogue):
        return surveys.all_versions()
    return list(surveys.values())


def definition_of(surveys: dict[str, Survey], survey_id: str, version: int | None) -> Survey | None:
    """The definition a response (``survey_id``, ``version``) was answered under."""
    if isinstance(surveys, SurveyCatalogue):
        return surveys.definition(survey_id, version)
    return surveys.get(survey_id)


def export_question_ids(surveys: dict[str, Survey]) -> list[str]:
    """One export column a question id, in the order questions first appear; comments excluded.

    Every version counts, so an answer given under an older version keeps its
    column. The free comment has its own fixed column, so it is not repeated here.
    """
    ids: list[str] = []
    for survey in sorted(all_definitions(surveys), key=lambda s: -s.version):
        for question in survey.questions:
            if question.type != "comment" and question.id not in ids:
                ids.append(question.id)
    return ids


def editing_surveys(store):
    """The lock every change to the survey definitions holds, from reading the current version to saving the next.

    Two administrators saving at the same moment then each keep their change
    (the second edits the version the first saved), and no version number is
    ever given to two different definitions.
    """
    return store.lock("surveys")
