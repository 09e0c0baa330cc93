"""One question a screen: the order in which a guest meets a survey's questions, and the progress cue.

A walk-by guest answers one question, sees the next, and can stop at any
point with what they gave already counted. The screens of a survey (as shown
at one branch or desk) are its questions one by one, then a last screen with
the free comment and the "contact me" details. A smiley's "why?" follow-up is
a screen of its own that appears only after a low face. The QR survey walks
these screens with one small form post each (no JavaScript needed); the kiosk
script walks the same order on the device.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .surveys import LOW_FACE, Question, Survey

__all__ = ["END", "Screen", "first_screen", "next_screen", "previous_screen", "screen_named", "screens"]

#: The name of the last screen: the free comment and contact details.
END = "end"


@dataclass(frozen=True)
class Screen:
    """One screen: its name (a question id, or :data:`END`), its questions, and where it sits."""

    name: str
    questions: tuple[Question, ...]
    number: int  # the question's position for the progress cue ("2 of 3"); the end screen is total + 1
    total: int  # how many questions (not counting "why?" follow-ups and the comment)
    follows: str | None = None  # a "why?" screen: the question whose low face opens it

    @property
    def is_end(self) -> bool:
        return self.name == END

    @property
    def question_ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)

    @property
    def optional(self) -> bool:
        return not any(q.required for q in self.questions)


def screens(survey: Survey) -> list[Screen]:
    """The screens of ``survey`` (already :meth:`~Survey.shown_at` a target), in order."""
    asked = [q for q in survey.questions if q.type != "comment"]
    total = len(asked)
    found: list[Screen] = []
    number = 0
    for question in survey.questions:
        if question.type != "comment":
            number += 1
            found.append(Screen(question.id, (question,), number, total))
        elif question.follows:
            found.append(Screen(question.id, (question,), number, total, follows=question.follows))
    comments = tuple(q for q in survey.questions if q.type == "comment" and not q.follows)
    if comments:
        found.append(Screen(END, comments, total + 1, total))
    return found


def screen_named(survey: Survey, name: str) -> Screen | None:
    return next((s for s in screens(survey) if s.name == name), None)


def first_screen(survey: Survey) -> Screen | None:
    found = screens(survey)
    return found[0] if found else None


def _opens(screen: Screen, answers: Mapping[str, Any]) -> bool:
    """Whether a guest who gave ``answers`` sees ``screen`` (a "why?" only after a low face)."""
    if screen.follows is None:
        return True
    value = answers.get(screen.follows)
    return isinstance(value, int) and not isinstance(value, bool) and value <= LOW_FACE


def next_screen(survey: Survey, name: str, answers: Mapping[str, Any]) -> Screen | None:
    """The screen after ``name`` for a guest whose latest answers are ``answers``; None when done."""
    order = screens(survey)
    position = next((n for n, s in enumerate(order) if s.name == name), None)
    if position is None:
        return None
    for screen in order[position + 1:]:
        if screen.follows is None or (screen.follows == name and _opens(screen, answers)):
            return screen
    return None


def previous_screen(survey: Survey, name: str) -> Screen | None:
    """The question screen before ``name`` (never a "why?" one: going back, the guest re-answers its face)."""
    order = [s for s in screens(survey) if s.follows is None or s.name == name]
    position = next((n for n, s in enumerate(order) if s.name == name), None)
    if not position:
        return None
    return order[position - 1]
