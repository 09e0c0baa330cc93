"""Storing a guest's answers: validate, mask contact details, store once, hold bursts, open a follow-up.

``submit_response`` is the one way a guest response enters the store, from
the QR survey and the kiosk alike. It trusts nothing from the form layer: the
answers are checked again against the survey definition here, so a test (or
a future API) that skips the form still cannot store an answer the survey
does not define.

A submission is several writes: the response, its pointer in the review
queue when held, the follow-up, the holds of a burst. A worker can be killed
between any two. So the response goes first, keyed by the guest's
idempotency key, and every later step is idempotent and run again whenever
the same key comes back: the guest's retry (a kiosk retries by itself)
completes what a crash interrupted, and never does anything twice.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from ..model import RESPONSE_CHANNELS, FollowUp, Response, format_utc, new_id, utc_now
from ..store import Store
from .privacy import find_contact_details, mask_contact_details
from .review import hold
from .surveys import Survey
from .targets import SurveyTarget

__all__ = [
    "InvalidSubmission",
    "Submission",
    "SubmissionResult",
    "SubmissionRules",
    "is_burst_candidate",
    "submit_response",
]

_IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class InvalidSubmission(ValueError):
    """The answers break the survey's rules; ``errors`` maps a field to a reason code."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class SubmissionRules:
    """The installation's limits; built from app config by :meth:`from_config`."""

    comment_max_length: int = 2000
    contact_max_length: int = 200
    # A burst: at least ``burst_min_responses`` identical low-scoring responses
    # about one staff member within ``burst_window`` of each other.
    burst_min_responses: int = 3
    burst_window: timedelta = timedelta(minutes=60)
    low_score: int = 2
    # An offline kiosk may send answers given this long ago; older claimed times are not believed.
    max_answer_age: timedelta = timedelta(days=7)
    max_clock_skew: timedelta = timedelta(minutes=5)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SubmissionRules:
        defaults = cls()
        return cls(
            comment_max_length=int(config.get("COMMENT_MAX_LENGTH", defaults.comment_max_length)),
            burst_min_responses=int(config.get("BURST_MIN_RESPONSES", defaults.burst_min_responses)),
            burst_window=timedelta(minutes=float(config.get("BURST_WINDOW_MINUTES", 60))),
        )


@dataclass(frozen=True)
class Submission:
    """What a guest sent, already parsed into Python values (ints for ratings, lists for multi-choice)."""

    survey: Survey
    target: SurveyTarget
    channel: str
    language: str
    answers: dict[str, Any] = field(default_factory=dict)
    comment: str = ""
    contact_me: bool = False
    contact: str = ""
    idempotency_key: str | None = None
    answered_at: datetime | None = None
    # Suspicion found before storing (many answers from one address, no valid form token):
    # the answer is stored held for review, never refused.
    hold_reasons: tuple[str, ...] = ()
    # The day the form page (and so its key) was issued, when earlier than today.
    key_issued_on: date | None = None


@dataclass(frozen=True)
class SubmissionResult:
    response: Response
    created: bool  # False: this idempotency key was stored before; only unfinished steps were completed
    followup: FollowUp | None = None

    @property
    def held(self) -> bool:
        return self.response.review == "held"

    @property
    def flagged(self) -> bool:
        """Held for review as part of a burst (the name this result has always used)."""
        return self.held and "burst" in self.response.hold_reasons


def _clean_text(text: str) -> str:
    """Normalise newlines and drop control characters a guest cannot have meant."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc").strip()


def _validated_answers(survey: Survey, answers: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for question_id, value in answers.items():
        question = survey.question(question_id)
        if question is None or question.type == "comment":
            errors[question_id] = "unknown_question"
            continue
        if value is None or value == [] or value == "":
            continue
        allowed = question.valid_values or ()
        if question.type == "multichoice":
            values = list(dict.fromkeys(value if isinstance(value, list | tuple) else [value]))
            if any(v not in allowed for v in values):
                errors[question_id] = "not_a_choice"
            else:
                clean[question_id] = values
        elif isinstance(value, bool) or value not in allowed:
            errors[question_id] = "not_a_choice"
        else:
            clean[question_id] = value
    for question in survey.questions:
        if question.required and question.type != "comment" and question.id not in clean:
            errors.setdefault(question.id, "required")
    return clean, errors


def _answer_time(claimed: datetime | None, now: datetime, rules: SubmissionRules) -> datetime:
    """The claimed answer time (a kiosk sending its offline queue), if believable; else now.

    Retries of one answer carry the same claimed time, so they land in the
    same day's files and the idempotency check finds them.
    """
    if claimed is None or claimed.tzinfo is None:
        return now
    if now - rules.max_answer_age <= claimed <= now + rules.max_clock_skew:
        return min(claimed, now)
    return now


def _smiley_scores(survey: Survey, answers: Mapping[str, Any]) -> list[int]:
    return [v for q in survey.questions if q.type == "smiley" and isinstance(v := answers.get(q.id), int)]


def is_burst_candidate(survey: Survey, response: Response, rules: SubmissionRules) -> bool:
    """A response that could be part of ballot stuffing: about a staff member, every face low."""
    scores = _smiley_scores(survey, response.answers)
    return bool(response.staff and scores and max(scores) <= rules.low_score)


def _rating_signature(survey: Survey, answers: Mapping[str, Any]) -> tuple:
    return tuple((q.id, answers.get(q.id)) for q in survey.rating_questions)


def _hold_burst(store: Store, survey: Survey, response: Response, rules: SubmissionRules,
                now: datetime) -> Response:
    """Hold ``response`` and its twins for review when they form a burst; idempotent.

    Held responses stay stored and exported but count in no figure until a
    manager has looked at them (see ``services.review``).
    """
    if not is_burst_candidate(survey, response, rules):
        return response
    moment = response.submitted
    signature = _rating_signature(survey, response.answers)
    twins = [
        other
        for other in store.responses.in_period(response.branch, moment - rules.burst_window,
                                               moment + rules.burst_window + timedelta(seconds=1))
        if other.id != response.id
        and other.staff == response.staff
        and other.survey == response.survey
        and _rating_signature(survey, other.answers) == signature
    ]
    if len(twins) + 1 < rules.burst_min_responses:
        return response
    for twin in twins:
        hold(store, twin, ["burst"], now=now)
    return hold(store, response, ["burst"], now=now)


def _contact_for_followup(submission: Submission, comment: str, rules: SubmissionRules) -> str | None:
    """The contact for a follow-up, None when none was asked for; never a contact silently dropped."""
    contact = _clean_text(submission.contact)
    if not submission.contact_me:
        if contact:
            # Typed but not ticked: the guest must say which they meant (see the form).
            raise InvalidSubmission({"contact": "not_ticked"})
        return None
    if contact:
        if len(contact) > rules.contact_max_length or not find_contact_details(contact):
            raise InvalidSubmission({"contact": "not_a_contact"})
        return contact
    found = find_contact_details(comment)
    if not found:
        raise InvalidSubmission({"contact": "required"})
    return found[0]


def submit_response(
    store: Store,
    submission: Submission,
    *,
    rules: SubmissionRules | None = None,
    now: datetime | None = None,
) -> SubmissionResult:
    """Validate and store one guest response; exactly once per idempotency key.

    Raises :class:`InvalidSubmission` when an answer is outside the survey's
    definition, a required answer is missing, or a text is too long. Contact
    details in the comment are always masked in the stored response; when
    the guest asked to be contacted they go, alone, into a follow-up record.
    """
    rules = rules or SubmissionRules()
    now = now or utc_now()
    if submission.channel not in RESPONSE_CHANNELS:
        raise ValueError(f"unknown channel {submission.channel!r}")
    answers, errors = _validated_answers(submission.survey, submission.answers)
    comment = _clean_text(submission.comment)
    if len(comment) > rules.comment_max_length:
        errors["comment"] = "too_long"
    key = submission.idempotency_key
    if key is not None and not _IDEMPOTENCY_KEY.match(key):
        errors["idempotency_key"] = "malformed"
    if errors:
        raise InvalidSubmission(errors)
    contact = _contact_for_followup(submission, comment, rules)
    reasons = sorted(set(submission.hold_reasons))

    response = Response(
        id=new_id(),
        survey=submission.survey.id,
        survey_version=submission.survey.version,
        branch=submission.target.branch.slug,
        submitted_at=format_utc(_answer_time(submission.answered_at, now, rules)),
        channel=submission.channel,
        language=submission.language,
        answers=answers,
        desk=submission.target.desk_slug,
        staff=submission.target.staff_id,
        comment=mask_contact_details(comment),
        idempotency_key=key,
        review="held" if reasons else None,
        hold_reasons=reasons,
        review_audit=[{"at": format_utc(now), "by": "system", "action": "held", "note": ", ".join(reasons)}]
        if reasons else [],
    )
    stored, created = store.responses.add(response, key_since=submission.key_issued_on)
    # Every step below is idempotent and runs again for a key seen before: a retry completes it.
    if stored.review == "held":
        stored = hold(store, stored, stored.hold_reasons, now=now)
    followup = _ensure_followup(store, submission, stored, contact, answers, created, now)
    stored = _hold_burst(store, submission.survey, stored, rules, now)
    return SubmissionResult(stored, created=created, followup=followup)


def _ensure_followup(store: Store, submission: Submission, stored: Response, contact: str | None,
                     answers: dict[str, Any], created: bool, now: datetime) -> FollowUp | None:
    """The response's follow-up, opened now unless an earlier attempt already opened it."""
    if contact is None:
        return None
    if not created:
        existing = store.followups.for_response(stored.id)
        if existing is not None:
            return existing
    scores = _smiley_scores(submission.survey, answers)
    return store.followups.add(FollowUp(
        id=new_id(), branch=stored.branch, response=stored.id, created_at=format_utc(now),
        contact=contact, score=sum(scores) / len(scores) if scores else None,
        comment=stored.comment, language=submission.language,
    ))
