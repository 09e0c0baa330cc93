"""Appeals: a staff member asks for an approved visit to be reviewed again.

The staff member (from their own account) or their manager on their behalf
gives a reason; a reviewer (or administrator) decides. Nothing changes until
then: a pending appeal leaves the visit counting as before. Upheld, the
visit stops counting everywhere (``counted_visits``); rejected, it stays.
Both the request and the outcome go into the visit's audit trail.

::

    approved --appeal(reason)--> appeal pending --upheld--> not counted
                                               \\--rejected--> counts (as before)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..model import AuditEntry, StaffMember, User, Visit, format_utc, new_id, utc_now
from ..store.visits import VisitConflictError
from .coaching_record import is_own_record, may_coach
from .words import gettext_anywhere as _

__all__ = [
    "REASON_MAX",
    "AppealError",
    "AppealNotAllowed",
    "PendingAppeal",
    "pending_appeal",
    "may_appeal",
    "request_appeal",
    "decide_appeal",
    "pending_appeals",
    "VisitConflictError",
]

REASON_MAX = 2000
_DECIDERS = ("reviewer", "admin")


class AppealError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


class AppealNotAllowed(LookupError):
    """No such visit, or not one this user may appeal or decide (a 404)."""


@dataclass(frozen=True)
class PendingAppeal:
    visit: Visit
    appeal: dict


def pending_appeal(visit: Visit) -> dict | None:
    return next((a for a in visit.appeals if a.get("status") == "pending"), None)


def may_appeal(user: User, member: StaffMember | None, visit: Visit) -> bool:
    """The observed staff member's own account, or a manager of the branch, for an approved visit."""
    if member is None or visit.staff != member.id or visit.status != "approved":
        return False
    return is_own_record(user, member) or may_coach(user, member)


def _audit(visit: Visit, by: User, action: str, note: str, now: datetime) -> None:
    visit.audit.append(AuditEntry(at=format_utc(now), by=by.id, action=action, note=note).to_doc())


def request_appeal(store, *, visit_id: str, reason: str, by: User, now: datetime | None = None) -> Visit:
    """Ask for the visit to be reviewed again; the visit keeps counting until a reviewer decides."""
    now = now or utc_now()
    visit = store.visits.get(visit_id)
    member = store.directory.staff_member(visit.staff) if visit and visit.staff else None
    if visit is None or not may_appeal(by, member, visit):
        raise AppealNotAllowed(visit_id)
    if pending_appeal(visit):
        raise AppealError("reason", _("This visit is already waiting for a reviewer's decision."))
    if any(a.get("status") == "upheld" for a in visit.appeals):
        raise AppealError("reason", _("An appeal against this visit was upheld: it no longer counts."))
    reason = (reason or "").strip()
    if not reason:
        raise AppealError("reason", _("Say why the visit should be reviewed again."))
    if len(reason) > REASON_MAX:
        raise AppealError("reason", _("Keep this under %(n)d characters.", n=REASON_MAX))
    revision = len(visit.audit)
    on_behalf = not is_own_record(by, member)
    visit.appeals.append({"id": new_id(), "status": "pending", "reason": reason, "by": by.id,
                          "on_behalf": on_behalf, "at": format_utc(now), "decided_by": "", "decided_at": "",
                          "decision_note": ""})
    _audit(visit, by, "appeal_requested",
           (_("Appeal on the staff member's behalf: %(reason)s", reason=reason) if on_behalf
            else _("Appeal by the staff member: %(reason)s", reason=reason)), now)
    store.visits.replace(visit, expected_audit_length=revision)
    return visit


def decide_appeal(store, *, visit_id: str, upheld: bool, note: str, by: User,
                  now: datetime | None = None) -> Visit:
    """A reviewer's decision: upheld (the visit stops counting) or rejected (it stays); a note is required."""
    if by.role not in _DECIDERS:
        raise AppealNotAllowed(visit_id)
    now = now or utc_now()
    visit = store.visits.get(visit_id)
    appeal = pending_appeal(visit) if visit else None
    if visit is None or appeal is None:
        raise AppealNotAllowed(visit_id)
    note = (note or "").strip()
    if not note:
        raise AppealError("decision_note", _("Say why, for the staff member and their manager."))
    if len(note) > REASON_MAX:
        raise AppealError("decision_note", _("Keep this under %(n)d characters.", n=REASON_MAX))
    revision = len(visit.audit)
    appeal.update(status="upheld" if upheld else "rejected", decided_by=by.id, decided_at=format_utc(now),
                  decision_note=note)
    _audit(visit, by, "appeal_upheld" if upheld else "appeal_rejected",
           (_("Appeal upheld: the visit no longer counts. %(note)s", note=note) if upheld
            else _("Appeal rejected: the visit still counts. %(note)s", note=note)), now)
    store.visits.replace(visit, expected_audit_length=revision)
    return visit


def pending_appeals(store, reviewer: User) -> list[PendingAppeal]:
    """Appeals waiting for a decision, oldest first (the reviewer's queue)."""
    if reviewer.role not in _DECIDERS:
        raise PermissionError("only a reviewer decides appeals")
    found = [PendingAppeal(v, a) for v in store.visits.matching(status="approved") if (a := pending_appeal(v))]
    return sorted(found, key=lambda p: p.appeal["at"])
