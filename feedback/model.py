"""The domain model: plain dataclasses that the store saves and services use.

They know nothing of TinyDB or Flask. ``to_doc``/``from_doc`` give the JSON
shape stored on disk, which carries its schema version under ``"schema"``
(see ``store.migrations`` for how older documents are brought up to date).
"""

from __future__ import annotations

import dataclasses
import functools
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, Self

__all__ = [
    "ROLES",
    "VISIT_CHANNELS",
    "RESPONSE_CHANNELS",
    "VISIT_STATUSES",
    "REVIEW_STATES",
    "HOLD_REASONS",
    "Branch",
    "Desk",
    "Kiosk",
    "Response",
    "StaffMember",
    "User",
    "Visit",
    "AuditEntry",
    "Assignment",
    "FollowUp",
    "BEHAVIOURS",
    "ACTION_STATUSES",
    "Conversation",
    "PlanAction",
    "Plan",
    "CoachingRecord",
    "ProgrammeNotice",
    "BranchAction",
    "OutboxMessage",
    "Alert",
    "ReportBatch",
    "new_id",
    "utc_now",
    "parse_utc",
    "format_utc",
]

ROLES = ("admin", "manager", "reviewer", "shopper", "staff")
RESPONSE_CHANNELS = ("kiosk", "qr", "web")
VISIT_CHANNELS = ("in_person", "phone", "chat", "email")
VISIT_STATUSES = ("draft", "submitted", "approved", "returned")
#: A response's review state besides ``None`` (normal): held for review, then confirmed or discarded.
REVIEW_STATES = ("held", "confirmed", "discarded")
#: Why an answer was held: a burst of identical low scores at one person, many answers from one
#: client address, a missing, forged or stale form token.
HOLD_REASONS = ("burst", "address_volume", "form_token")


def new_id() -> str:
    """A random, URL-safe identifier; hex so it sorts and greps cleanly."""
    return uuid.uuid4().hex


def utc_now() -> datetime:
    return datetime.now(UTC)


def format_utc(moment: datetime) -> str:
    """ISO 8601 in UTC with a trailing Z, to the second: how every time is stored."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: store times in UTC")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def _copy_container(value: Any) -> Any:
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, list):
        return list(value)
    return value


def _json_copy(value: Any) -> Any:
    """A deep copy of a stored document's value (dicts, lists, tuples of plain values), as ``asdict`` makes.

    ``asdict`` was a tenth of a guest's answer; these values never hold
    anything but JSON's own types (or a dataclass, copied by ``asdict``).
    """
    if isinstance(value, dict):
        return {k: _json_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_copy(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_json_copy(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return value


@functools.cache
def _field_order(cls) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


@functools.cache
def _field_names(cls) -> frozenset[str]:
    """A dataclass's field names, looked up once: ``from_doc`` runs for every stored response read."""
    return frozenset(f.name for f in dataclasses.fields(cls))


SCHEMA_KEY = "schema"


class _Document:
    """Mixin: dataclass <-> stored JSON document, with its schema version.

    Unknown keys are kept, not dropped. A key this code does not know was
    written by newer code (a worker of the next release during a rolling
    upgrade, or a release rolled back): dropping it on the next save would
    destroy that data silently, and failing would take a page down for data
    that is fine. So ``from_doc`` keeps such keys aside and ``to_doc`` writes
    them back unchanged. Keys that *older* code wrote and this code no longer
    has are not "unknown": the migration step (``store.migrations``) removes
    or converts them, version by version, before the app serves, so nothing
    stale is carried along by accident.
    """

    SCHEMA: ClassVar[int] = 2

    def to_doc(self) -> dict[str, Any]:
        doc = dict(getattr(self, "_unknown_keys", {}))
        doc.update({name: _json_copy(getattr(self, name)) for name in _field_order(type(self))})
        doc[SCHEMA_KEY] = max(self.SCHEMA, doc.get(SCHEMA_KEY, 0))
        return doc

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        names = _field_names(cls)
        # Copy containers: stored documents may be shared with the parse cache.
        record = cls(**{k: _copy_container(v) for k, v in doc.items() if k in names})
        unknown = {k: _copy_container(v) for k, v in doc.items() if k not in names and k != SCHEMA_KEY}
        if doc.get(SCHEMA_KEY, 0) > cls.SCHEMA:
            unknown[SCHEMA_KEY] = doc[SCHEMA_KEY]  # written by newer code: saved back as that version
        if unknown:
            object.__setattr__(record, "_unknown_keys", unknown)
        return record

    @property
    def unknown_keys(self) -> dict[str, Any]:
        """Keys of the stored document this code does not know (kept, and saved back as they were)."""
        return dict(getattr(self, "_unknown_keys", {}))


class _Named:
    """A record with a name and, optionally, that name in other languages (``names``)."""

    name: str
    names: dict[str, str]

    def name_in(self, language: str | None) -> str:
        """The name in ``language``, else the main name: guests read their own language where given."""
        return (self.names or {}).get(str(language or ""), "") or self.name


@dataclass
class Branch(_Named, _Document):
    slug: str
    name: str
    timezone: str = "Europe/Copenhagen"
    active: bool = True
    names: dict[str, str] = field(default_factory=dict)  # language -> name, where it differs


@dataclass
class Desk(_Named, _Document):
    branch: str
    slug: str
    name: str
    active: bool = True
    names: dict[str, str] = field(default_factory=dict)  # language -> name, where it differs


@dataclass
class StaffMember(_Document):
    """A member of staff. ``code`` is the short public code printed in QR links."""

    id: str
    display_name: str
    branch: str
    code: str
    active: bool = True


@dataclass
class User(_Document):
    """Someone who signs in. Managers see only ``branches``; admins see all."""

    id: str
    email: str
    password_hash: str
    role: str
    branches: list[str] = field(default_factory=list)
    display_name: str = ""
    active: bool = True
    language: str = "en"
    password_changed_at: str = ""
    # A ``staff`` account is linked to one staff member and sees only their own coaching.
    staff_member: str | None = None

    def can_see_branch(self, slug: str) -> bool:
        return self.role == "admin" or slug in self.branches


@dataclass
class Kiosk(_Document):
    """A registered touch-screen terminal; its secret token is its only credential."""

    token: str
    branch: str
    desk: str
    label: str = ""
    active: bool = True
    created_at: str = ""
    # Set by an administrator for a revoked kiosk: the answers it still holds are to be discarded.
    discard_queued: bool = False

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(24)


@dataclass
class Response(_Document):
    """One guest's answers. Deliberately holds no IP address or user agent."""

    # 3: the burst flag (``flagged``) became a review state (``review``, ``hold_reasons``).
    SCHEMA: ClassVar[int] = 3

    id: str
    survey: str
    survey_version: int
    branch: str
    submitted_at: str
    channel: str
    language: str
    answers: dict[str, Any]
    desk: str | None = None
    staff: str | None = None
    comment: str = ""
    idempotency_key: str | None = None
    # Abuse control holds an answer instead of refusing it (see ``services.review``).
    review: str | None = None  # None (normal) | "held" | "confirmed" | "discarded"
    hold_reasons: list[str] = field(default_factory=list)
    review_audit: list[dict[str, str]] = field(default_factory=list)
    # A guest who stops early still counts: answers are stored as they are given, marked partial until the
    # guest reaches the end, and completed in place by later answers carrying the same idempotency key.
    partial: bool = False
    # The masked text of each comment question (the free comment, a "why?" after a low face) by question
    # id, so a later screen can replace its own part; ``comment`` is always these joined, in survey order.
    comment_parts: dict[str, str] = field(default_factory=dict)

    @property
    def submitted(self) -> datetime:
        return parse_utc(self.submitted_at)

    @property
    def counted(self) -> bool:
        """Whether this answer counts in figures: held and discarded answers count in none."""
        return self.review not in ("held", "discarded")

    @property
    def flagged(self) -> bool:
        """Left out of every figure (held or discarded); the name figures and exports have always used."""
        return not self.counted

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        """Read a stored answer; one still carrying ``flagged: true`` (not yet migrated) reads as held (burst)."""
        if "review" not in doc and doc.get("flagged"):
            doc = {**doc, "review": "held", "hold_reasons": ["burst"]}
        return super().from_doc(doc)


@dataclass
class AuditEntry(_Document):
    at: str
    by: str
    action: str
    note: str = ""


@dataclass
class Visit(_Document):
    """A mystery shopper's report on one visit, call, chat or e-mail."""

    id: str
    shopper: str
    branch: str
    channel: str
    scenario: str
    visited_at: str
    status: str = "draft"
    assignment: str | None = None
    staff: str | None = None
    staff_description: str = ""
    wait_minutes: int | None = None
    duration_minutes: int | None = None
    rubric: str = "default"
    rubric_version: int = 1
    answers: dict[str, str] = field(default_factory=dict)
    accuracy: str | None = None
    narrative: str = ""
    would_return: bool | None = None
    audit: list[dict[str, str]] = field(default_factory=list)
    created_at: str = ""
    # Requests to review the visit again (see ``services.visit_appeals``); an upheld one stops it counting.
    appeals: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Assignment(_Document):
    """A manager asks a shopper to make one visit: branch, channel, scenario, date window."""

    id: str
    shopper: str
    branch: str
    channel: str
    scenario: str
    window_start: str  # local date, YYYY-MM-DD
    window_end: str
    created_by: str = ""
    created_at: str = ""
    status: str = "open"  # open | done | cancelled
    visit: str | None = None


@dataclass
class FollowUp(_Document):
    """A guest asked to be contacted. Contact details live only here, and are deleted when done."""

    id: str
    branch: str
    response: str
    created_at: str
    contact: str | None
    score: float | None = None
    comment: str = ""
    language: str = "en"
    status: str = "open"  # open | done
    done_at: str | None = None
    done_by: str | None = None
    note: str = ""
    # When the branch's managers were told by e-mail (the worker's follow-up notice).
    notified_at: str | None = None


@dataclass
class OutboxMessage(_Document):
    """An e-mail waiting to go, or gone. Stored before any attempt, so a failed send loses nothing."""

    id: str
    to: list[str]
    subject: str
    body: str
    kind: str  # reset | invitation | visit_returned | followup | alert | digest | review_due
    created_at: str
    status: str = "pending"  # pending | sent
    attempts: int = 0
    next_attempt_at: str = ""
    last_error: str = ""
    sent_at: str | None = None


@dataclass
class Alert(_Document):
    """Something at a branch a manager should know about now: what happened, when, and where to look."""

    id: str
    branch: str
    kind: str  # unhappy_burst | low_score_comment | kiosk_silent
    raised_at: str
    key: str  # one alert per key: the same event is never raised twice
    window_start: str
    window_end: str
    answers: int = 0
    unhappy: int = 0
    response: str | None = None
    kiosk: str | None = None
    detail: str = ""


@dataclass
class ReportBatch(_Document):
    """All reports of a period for the branches one user may see, rendered by the background worker."""

    id: str
    period: str
    requested_by: str
    branches: list[str]
    language: str
    created_at: str
    status: str = "queued"  # queued | running | done | failed
    total: int = 0
    done: int = 0
    failures: list[str] = field(default_factory=list)
    zip_name: str = ""
    finished_at: str | None = None


# -- the coaching cycle ---------------------------------------------------------------------
#: The rubric's behaviours: the one vocabulary a plan, a report and a guest question share.
BEHAVIOURS = ("welcome", "approachability", "listening", "helpfulness", "follow_up", "referral", "farewell",
              "courtesy")
ACTION_STATUSES = ("open", "done", "dropped")


@dataclass
class Conversation(_Document):
    """A coaching conversation held with a staff member (local date, who was there, notes)."""

    id: str
    held_on: str  # local date, YYYY-MM-DD
    present: str
    notes: str
    recorded_by: str
    recorded_at: str


@dataclass
class PlanAction(_Document):
    """One thing agreed, in the words written down: behaviour, action, by when, support, how we'll know."""

    id: str
    behaviour: str
    action: str
    by_when: str  # local date, YYYY-MM-DD
    support: str = ""
    how_we_know: str = ""
    status: str = "open"  # open | done | dropped
    status_reason: str = ""  # why it was dropped


@dataclass
class Plan(_Document):
    """A plan agreed in a conversation: its actions, the review date, and the staff member's own comment."""

    id: str
    agreed_on: str  # local date, YYYY-MM-DD
    review_on: str  # local date, YYYY-MM-DD
    actions: list[dict[str, Any]] = field(default_factory=list)
    staff_comment: str = ""
    staff_comment_at: str = ""
    recorded_by: str = ""
    recorded_at: str = ""
    reminded_for: str = ""  # the review date the managers were last e-mailed about

    def action_list(self) -> list[PlanAction]:
        return [PlanAction.from_doc(a) for a in self.actions]

    @property
    def status(self) -> str:
        """Open while any action is open; dropped when every action was dropped; else done."""
        statuses = {a.status for a in self.action_list()}
        if not statuses or "open" in statuses:
            return "open"
        return "dropped" if statuses == {"dropped"} else "done"


@dataclass
class CoachingRecord(_Document):
    """Everything agreed with one staff member, and an audit of every change (who, when, what in words)."""

    staff: str
    conversations: list[dict[str, Any]] = field(default_factory=list)
    plans: list[dict[str, Any]] = field(default_factory=list)
    audit: list[dict[str, str]] = field(default_factory=list)

    def conversation_list(self) -> list[Conversation]:
        return sorted((Conversation.from_doc(c) for c in self.conversations), key=lambda c: c.held_on,
                      reverse=True)

    def plan_list(self) -> list[Plan]:
        """Newest plan first (by the date agreed, then by when it was recorded)."""
        return sorted((Plan.from_doc(p) for p in self.plans), key=lambda p: (p.agreed_on, p.recorded_at),
                      reverse=True)


@dataclass
class ProgrammeNotice(_Document):
    """The register: when (local date) and how a branch's staff were told that a shopper programme runs."""

    id: str
    branch: str
    told_on: str  # local date, YYYY-MM-DD
    how: str
    recorded_by: str = ""
    recorded_at: str = ""


@dataclass
class BranchAction(_Document):
    """"You said, we did": what guests said, what the branch did about it, and when."""

    id: str
    branch: str
    you_said: str
    we_did: str
    done_on: str  # local date, YYYY-MM-DD
    recorded_by: str = ""
    recorded_at: str = ""
