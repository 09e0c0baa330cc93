"""The coaching record of one staff member: conversations, plans, the staff member's comment, audit.

A conversation leaves a trace here: when it was held, who was there, what
was said; the plan agreed in it (one to three actions, each tied to one
behaviour of the rubric, in the words written down), its review date, and
each action's status (open, done, dropped with a reason). The staff member
adds their own comment to a plan. Every change appends an audit entry: who,
when, and what changed, in words.

Only managers of the staff member's branch and administrators write the
record; the staff member's own account may add its comment. Anyone else gets
:class:`CoachingAccessError` (a 404 in the console: the person's existence is
not given away).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from ..model import (
    ACTION_STATUSES,
    BEHAVIOURS,
    AuditEntry,
    Branch,
    CoachingRecord,
    Conversation,
    Plan,
    PlanAction,
    StaffMember,
    User,
    format_utc,
    new_id,
    utc_now,
)
from ..store.coaching_records import CoachingRecordConflictError
from .words import gettext_anywhere as _

__all__ = [
    "TEXT_MAX",
    "MAX_ACTIONS",
    "CoachingAccessError",
    "CoachingInputError",
    "CoachingRecordConflictError",
    "ActionInput",
    "DueReview",
    "may_coach",
    "is_own_record",
    "coaching_record",
    "latest_plan",
    "record_conversation",
    "record_plan",
    "set_action_status",
    "set_review_date",
    "add_staff_comment",
    "reviews_due",
    "mark_reminded",
]

TEXT_MAX = 2000
MAX_ACTIONS = 3


class CoachingAccessError(PermissionError):
    """This user may not see or change this staff member's record."""


class CoachingInputError(ValueError):
    """Input to correct; ``field`` names the form field (``actions-0-action`` for an action's)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass
class ActionInput:
    behaviour: str
    action: str
    by_when: date | None
    support: str = ""
    how_we_know: str = ""


@dataclass(frozen=True)
class DueReview:
    """A plan whose review date has passed while an action is still open."""

    member: StaffMember
    plan: Plan
    days_overdue: int


def may_coach(user: User, member: StaffMember) -> bool:
    """Managers of the member's branch and administrators."""
    return user.role == "admin" or (user.role == "manager" and member.branch in user.branches)


def is_own_record(user: User, member: StaffMember) -> bool:
    return user.role == "staff" and bool(user.staff_member) and user.staff_member == member.id


def coaching_record(store, member: StaffMember, viewer: User) -> CoachingRecord:
    if not (may_coach(viewer, member) or is_own_record(viewer, member)):
        raise CoachingAccessError(member.id)
    return store.coaching.get(member.id)


def latest_plan(record: CoachingRecord) -> Plan | None:
    plans = record.plan_list()
    return plans[0] if plans else None


# -- checks ---------------------------------------------------------------------------
def _text(value: str | None, field: str, *, required: bool, message: str | None = None) -> str:
    value = (value or "").strip()
    if required and not value:
        raise CoachingInputError(field, message or _("Write something here."))
    if len(value) > TEXT_MAX:
        raise CoachingInputError(field, _("Keep this under %(n)d characters.", n=TEXT_MAX))
    return value


def _local_today(store, member: StaffMember, now: datetime) -> date:
    branch: Branch | None = store.directory.branch(member.branch)
    return now.astimezone(ZoneInfo(branch.timezone if branch else "UTC")).date()


def _audit(record: CoachingRecord, by: User, action: str, note: str, now: datetime) -> None:
    record.audit.append(AuditEntry(at=format_utc(now), by=by.id, action=action, note=note).to_doc())


def _change(store, member: StaffMember, by: User, edit, now: datetime | None) -> CoachingRecord:
    """Read the record, apply ``edit`` (which appends its audit entry), save it unless changed meanwhile."""
    now = now or utc_now()
    record = store.coaching.get(member.id)
    revision = len(record.audit)
    edit(record, now)
    store.coaching.replace(record, expected_audit_length=revision)
    return record


def _require_coach(by: User, member: StaffMember) -> None:
    if not may_coach(by, member):
        raise CoachingAccessError(member.id)


def _plan_index(record: CoachingRecord, plan_id: str) -> int:
    for index, doc in enumerate(record.plans):
        if doc.get("id") == plan_id:
            return index
    raise CoachingAccessError(plan_id)


# -- changes ----------------------------------------------------------------------------
def record_conversation(store, member: StaffMember, *, held_on: date | None, present: str, notes: str, by: User,
                        now: datetime | None = None) -> Conversation:
    """Keep the trace of a conversation: when (not in the future), who was there, notes."""
    _require_coach(by, member)
    now = now or utc_now()
    if held_on is None:
        raise CoachingInputError("held_on", _("Give the date of the conversation."))
    if held_on > _local_today(store, member, now):
        raise CoachingInputError("held_on", _("A conversation cannot be dated in the future."))
    conversation = Conversation(
        id=new_id(), held_on=held_on.isoformat(),
        present=_text(present, "present", required=True, message=_("Say who was there.")),
        notes=_text(notes, "notes", required=False), recorded_by=by.id, recorded_at=format_utc(now))

    def edit(record: CoachingRecord, at: datetime) -> None:
        record.conversations.append(conversation.to_doc())
        _audit(record, by, "conversation_recorded",
               _("Recorded a conversation held on %(date)s with %(present)s.", date=conversation.held_on,
                 present=conversation.present), at)

    _change(store, member, by, edit, now)
    return conversation


def _checked_actions(actions: list[ActionInput], agreed_on: date) -> list[PlanAction]:
    checked = []
    for index, given in enumerate(actions):
        prefix = f"actions-{index}-"
        if not (given.action or "").strip() and not given.behaviour and index > 0:
            continue  # an empty extra row
        if given.behaviour not in BEHAVIOURS:
            raise CoachingInputError(prefix + "behaviour", _("Choose the behaviour this action is about."))
        words = _text(given.action, prefix + "action", required=True, message=_("Write the action agreed."))
        if given.by_when is None:
            raise CoachingInputError(prefix + "by_when", _("Give the date the action is due."))
        if given.by_when < agreed_on:
            raise CoachingInputError(prefix + "by_when", _("The date due cannot be before the plan was agreed."))
        checked.append(PlanAction(
            id=new_id(), behaviour=given.behaviour, action=words, by_when=given.by_when.isoformat(),
            support=_text(given.support, prefix + "support", required=False),
            how_we_know=_text(given.how_we_know, prefix + "how_we_know", required=False)))
    if not checked:
        raise CoachingInputError("actions-0-action", _("Write the action agreed."))
    if len(checked) > MAX_ACTIONS:
        raise CoachingInputError("actions-0-action", _("A plan holds at most %(n)d actions.", n=MAX_ACTIONS))
    return checked


def record_plan(store, member: StaffMember, *, agreed_on: date | None, review_on: date | None,
                actions: list[ActionInput], by: User, now: datetime | None = None) -> Plan:
    """Record the plan agreed: its actions exactly as written, and when to review it."""
    _require_coach(by, member)
    now = now or utc_now()
    if agreed_on is None:
        raise CoachingInputError("agreed_on", _("Give the date the plan was agreed."))
    if agreed_on > _local_today(store, member, now):
        raise CoachingInputError("agreed_on", _("A plan cannot be agreed in the future."))
    if review_on is None:
        raise CoachingInputError("review_on", _("Give the date you will review the plan together."))
    if review_on <= agreed_on:
        raise CoachingInputError("review_on", _("The review date must come after the date agreed."))
    checked = _checked_actions(actions, agreed_on)
    plan = Plan(id=new_id(), agreed_on=agreed_on.isoformat(), review_on=review_on.isoformat(),
                actions=[a.to_doc() for a in checked], recorded_by=by.id, recorded_at=format_utc(now))

    def edit(record: CoachingRecord, at: datetime) -> None:
        record.plans.append(plan.to_doc())
        words = "; ".join(f"{a.behaviour}: {a.action} (by {a.by_when})" for a in checked)
        _audit(record, by, "plan_recorded",
               _("Recorded a plan agreed on %(date)s, review on %(review)s: %(actions)s",
                 date=plan.agreed_on, review=plan.review_on, actions=words), at)

    _change(store, member, by, edit, now)
    return plan


def set_action_status(store, member: StaffMember, *, plan_id: str, action_id: str, status: str, reason: str,
                      by: User, now: datetime | None = None) -> None:
    """Mark an action open, done or dropped (dropping needs a reason)."""
    _require_coach(by, member)
    if status not in ACTION_STATUSES:
        raise CoachingInputError("status", _("Choose open, done or dropped."))
    reason = _text(reason, "reason", required=status == "dropped", message=_("Say why the action is dropped."))

    def edit(record: CoachingRecord, at: datetime) -> None:
        plan = record.plans[_plan_index(record, plan_id)]
        action = next((a for a in plan["actions"] if a.get("id") == action_id), None)
        if action is None:
            raise CoachingAccessError(action_id)
        before = action.get("status", "open")
        action["status"] = status
        action["status_reason"] = reason if status == "dropped" else ""
        note = _("Action \u201c%(action)s\u201d: %(before)s \u2192 %(after)s.", action=action["action"],
                 before=before, after=status)
        if status == "dropped":
            note += " " + _("Reason: %(reason)s", reason=reason)
        _audit(record, by, "action_status", note, at)

    _change(store, member, by, edit, now)


def set_review_date(store, member: StaffMember, *, plan_id: str, review_on: date | None, by: User,
                    now: datetime | None = None) -> None:
    _require_coach(by, member)
    if review_on is None:
        raise CoachingInputError("review_on", _("Give the date you will review the plan together."))

    def edit(record: CoachingRecord, at: datetime) -> None:
        plan = record.plans[_plan_index(record, plan_id)]
        if review_on.isoformat() <= plan["agreed_on"]:
            raise CoachingInputError("review_on", _("The review date must come after the date agreed."))
        before = plan["review_on"]
        plan["review_on"] = review_on.isoformat()
        _audit(record, by, "review_date",
               _("Review date moved from %(before)s to %(after)s.", before=before, after=plan["review_on"]), at)

    _change(store, member, by, edit, now)


def add_staff_comment(store, member: StaffMember, *, plan_id: str, comment: str, by: User,
                      now: datetime | None = None) -> None:
    """The staff member's own comment on a plan (their account, or a manager writing it down for them)."""
    if not (is_own_record(by, member) or may_coach(by, member)):
        raise CoachingAccessError(member.id)
    comment = _text(comment, "comment", required=True, message=_("Write your comment."))

    def edit(record: CoachingRecord, at: datetime) -> None:
        plan = record.plans[_plan_index(record, plan_id)]
        had = bool(plan.get("staff_comment"))
        plan["staff_comment"] = comment
        plan["staff_comment_at"] = format_utc(at)
        who = _("by the staff member") if is_own_record(by, member) else _("on the staff member's behalf")
        note = (_("Changed the staff member's comment (%(who)s): %(comment)s", who=who, comment=comment) if had
                else _("Added the staff member's comment (%(who)s): %(comment)s", who=who, comment=comment))
        _audit(record, by, "staff_comment", note, at)

    _change(store, member, by, edit, now)


# -- reminders ------------------------------------------------------------------------------
def reviews_due(store, branches: list[Branch], *, now: datetime | None = None) -> list[DueReview]:
    """Plans of the branches' staff whose review date has passed with an action still open, oldest first."""
    now = now or utc_now()
    zones = {b.slug: b.timezone for b in branches}
    members = {m.id: m for m in store.directory.staff(include_inactive=True) if m.branch in zones}
    due = []
    for staff_id in store.coaching.staff_with_records():
        member = members.get(staff_id)
        if member is None:
            continue
        today = now.astimezone(ZoneInfo(zones[member.branch])).date()
        for plan in store.coaching.get(staff_id).plan_list():
            review_on = date.fromisoformat(plan.review_on)
            if plan.status == "open" and review_on < today:
                due.append(DueReview(member, plan, (today - review_on).days))
    return sorted(due, key=lambda d: (-d.days_overdue, d.member.display_name))


def mark_reminded(store, member: StaffMember, *, plan_id: str, to: list[str], now: datetime | None = None) -> None:
    """Note in the record that the managers were e-mailed about this plan's review date (once per date)."""

    def edit(record: CoachingRecord, at: datetime) -> None:
        plan = record.plans[_plan_index(record, plan_id)]
        plan["reminded_for"] = plan["review_on"]
        record.audit.append(AuditEntry(at=format_utc(at), by="", action="review_reminder", note=_(
            "Review of the plan agreed on %(date)s was due on %(review)s: reminder e-mailed to %(to)s.",
            date=plan["agreed_on"], review=plan["review_on"], to=", ".join(to))).to_doc())

    now = now or utc_now()
    record = store.coaching.get(member.id)
    revision = len(record.audit)
    edit(record, now)
    store.coaching.replace(record, expected_audit_length=revision)
