"""The domain model: plain dataclasses that the store saves and services use.

They know nothing of TinyDB or Flask. ``to_doc``/``from_doc`` give the JSON
shape stored on disk; unknown keys in a stored document are ignored so that
older code can read files written by newer code.
"""

from __future__ import annotations

import dataclasses
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
    "new_id",
    "utc_now",
    "parse_utc",
    "format_utc",
]

ROLES = ("admin", "manager", "reviewer", "shopper")
RESPONSE_CHANNELS = ("kiosk", "qr", "web")
VISIT_CHANNELS = ("in_person", "phone", "chat", "email")
VISIT_STATUSES = ("draft", "submitted", "approved", "returned")


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


class _Document:
    """Mixin: dataclass <-> stored JSON document."""

    _fields: ClassVar[frozenset[str]]

    def to_doc(self) -> dict[str, Any]:
        return dataclasses.asdict(self)  # type: ignore[call-overload]

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        # Copy containers: stored documents may be shared with the parse cache.
        return cls(**{k: _copy_container(v) for k, v in doc.items() if k in names})


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
    # Sign-in throttling and password changes (see the auth area).
    failed_logins: list[str] = field(default_factory=list)
    locked_until: str | None = None
    password_changed_at: str = ""

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

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(24)


@dataclass
class Response(_Document):
    """One guest's answers. Deliberately holds no IP address or user agent."""

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
    flagged: bool = False

    @property
    def submitted(self) -> datetime:
        return parse_utc(self.submitted_at)


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
