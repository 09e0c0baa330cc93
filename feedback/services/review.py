"""Answers held for review: holding one, the review queue, and a manager's decision.

Abuse control never refuses an answer a person could have given; it holds it
instead. A held answer is stored and exported but counts in no figure until a
manager of its branch (or an admin) confirms it as genuine; one discarded as
abuse stays stored, counted in nothing. Every hold and decision is written to
the answer's own audit trail (who, when, what).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from ..model import Response, format_utc, parse_utc
from ..store import Store
from .privacy import mask_contact_details
from .surveys import surveys_from_settings

__all__ = ["DECISIONS", "HeldAnswer", "ReviewError", "decide", "held_answer", "held_answers", "held_count", "hold"]

#: What a reviewer may decide, and the review state each leads to.
DECISIONS = {"confirm": "confirmed", "discard": "discarded"}
SYSTEM = "system"


class ReviewError(LookupError):
    """No held answer with this id in the branches the reviewer may see."""


@dataclass(frozen=True)
class HeldAnswer:
    """A held answer as the review page shows it: contact details masked, answers labelled."""

    response: Response
    reasons: tuple[str, ...]
    comment: str
    answers: tuple[tuple[str, str], ...] = ()  # (question, answer) in the survey's order
    staff_name: str = ""
    audit: tuple[tuple[str, str, str, str], ...] = ()  # (at, who, action, note), oldest first
    sent_local: str = ""  # when it was sent, in the branch's time zone
    desk_name: str = ""


def _labelled(store: Store, response: Response, language: str) -> HeldAnswer:
    surveys = surveys_from_settings(store.directory.settings())
    survey = surveys.get(response.survey)
    rows: list[tuple[str, str]] = []
    if survey is not None:
        for question in survey.questions:
            if question.id not in response.answers:
                continue
            value = response.answers[question.id]
            labels = {c.id: c.label(language) for c in question.choices}
            scale = {"smiley": " / 5", "nps": " / 10"}.get(question.type, "")
            shown = ", ".join(labels.get(v, str(v)) for v in value) if isinstance(value, list) \
                else labels.get(value, f"{value}{scale}")
            rows.append((question.label(language), shown))
    else:
        rows = [(key, str(value)) for key, value in response.answers.items()]
    member = store.directory.staff_member(response.staff) if response.staff else None
    branch = store.directory.branch(response.branch)
    zone = ZoneInfo(branch.timezone if branch else "UTC")
    audit = []
    for entry in response.review_audit:
        user = store.directory.user(entry.get("by", "")) if entry.get("by") != SYSTEM else None
        who = (user.display_name or user.email) if user else entry.get("by", "")
        at = entry.get("at", "")
        when = f"{parse_utc(at).astimezone(zone):%Y-%m-%d %H:%M}" if at else ""
        audit.append((when, who, entry.get("action", ""), entry.get("note", "")))
    desk = store.directory.desk(response.branch, response.desk) if response.desk else None
    local = response.submitted.astimezone(zone)
    return HeldAnswer(response, tuple(response.hold_reasons), mask_contact_details(response.comment),
                      tuple(rows), member.display_name if member else "", tuple(audit), f"{local:%Y-%m-%d %H:%M}",
                      desk.name if desk else (response.desk or ""))


def _audit(at: datetime, by: str, action: str, note: str = "") -> dict[str, str]:
    """One entry of an answer's review trail, in ``AuditEntry``'s shape (stored inside the answer)."""
    return {"at": format_utc(at), "by": by, "action": action, "note": note}


def hold(store: Store, response: Response, reasons: Iterable[str], *, now: datetime) -> Response:
    """Hold a stored answer for review (or add reasons to its hold); idempotent.

    An answer a manager already confirmed or discarded keeps that decision.
    The answer is written first, its pointer in the review queue second, so
    running this again completes a hold a crash interrupted.
    """
    wanted = sorted(set(reasons))
    if response.review in ("confirmed", "discarded") or not wanted:
        return response
    current = sorted(set(response.hold_reasons)) if response.review == "held" else []
    merged = sorted(set(current) | set(wanted))
    if merged != current:
        updated = store.responses.set_review(response, "held", merged,
                                             _audit(now, SYSTEM, "held", ", ".join(merged)))
        response = updated or response
    if not store.review_queue.contains(response.id) or merged != current:
        store.review_queue.add(response.id, response.branch, response.submitted_at, merged)
    return response


def _still_held(store: Store, pointer: dict) -> Response | None:
    response = store.responses.get(pointer["branch"], pointer["id"], pointer["submitted_at"])
    if response is None or response.review != "held":
        # Decided (the pointer's removal was interrupted) or purged: the pointer goes.
        store.review_queue.remove(pointer["id"])
        return None
    return response


def held_answers(store: Store, branches: Iterable[str], *, language: str = "en") -> list[HeldAnswer]:
    """The answers held for review in ``branches``, oldest first."""
    found = []
    for pointer in store.review_queue.for_branches(branches):
        response = _still_held(store, pointer)
        if response is not None:
            found.append(_labelled(store, response, language))
    return found


def held_count(store: Store, branches: Iterable[str]) -> int:
    """How many answers wait for review in ``branches`` (the dashboard tile); reads only the queue file."""
    return len(store.review_queue.for_branches(branches))


def held_answer(store: Store, response_id: str, *, branches: Iterable[str], language: str = "en") -> HeldAnswer:
    """One held answer of ``branches``; :class:`ReviewError` for any other (decided, unknown, elsewhere)."""
    pointer = store.review_queue.get(response_id)
    if pointer is None or pointer["branch"] not in set(branches):
        raise ReviewError(response_id)
    response = _still_held(store, pointer)
    if response is None:
        raise ReviewError(response_id)
    return _labelled(store, response, language)


def decide(store: Store, response_id: str, decision: str, *, branches: Iterable[str], by: str,
           now: datetime, note: str = "") -> Response:
    """Confirm a held answer as genuine (it then counts) or discard it as abuse; audited.

    Raises :class:`ReviewError` when the answer is not held in a branch of ``branches``.
    """
    if decision not in DECISIONS:
        raise ValueError(f"unknown decision {decision!r}")
    held = held_answer(store, response_id, branches=branches)
    state = DECISIONS[decision]
    updated = store.responses.set_review(held.response, state, held.response.hold_reasons,
                                         _audit(now, by, state, note.strip()))
    if updated is None:
        raise ReviewError(response_id)
    store.review_queue.remove(response_id)
    return updated
