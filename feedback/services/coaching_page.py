"""What the coaching page (manager) and the staff member's own page show, as plain data.

Both read the same evidence as the coaching report, the person's coaching
record and the mystery-shopper visits of the period with whether each counts
and where its appeal stands. The staff member's own page leaves out the
manager's conversation notes and never names a shopper.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from ..evidence import StaffEvidence, staff_evidence
from ..evidence.visits import counting_rule, not_counted_reason
from ..model import Branch, CoachingRecord, Plan, StaffMember, User, Visit, parse_utc, utc_now
from . import coaching
from .coaching_record import CoachingAccessError, coaching_record, is_own_record, may_coach
from .periods import Period
from .rubric import default_rubric, score_visit
from .scenarios import default_scenarios
from .visit_appeals import may_appeal, pending_appeal

__all__ = ["NOT_COUNTED_LABELS", "VisitLine", "AuditLine", "CoachingPage", "build_coaching_page",
           "build_own_page", "staff_for_user"]

NOT_COUNTED_LABELS = {
    "appeal_upheld": _l("does not count: appeal upheld"),
    "before_notice": _l("does not count: before staff were told about the programme"),
}


@dataclass(frozen=True)
class VisitLine:
    """One approved visit to this person, without the shopper's identity."""

    id: str
    when: str  # local date
    scenario: str
    channel: str
    score: float | None
    not_counted: str | None  # a reason code, None when it counts
    appeal: dict | None  # the pending one, else the last decided one
    may_appeal: bool


@dataclass(frozen=True)
class AuditLine:
    at: str
    by: str
    note: str


@dataclass
class CoachingPage:
    member: StaffMember
    branch: Branch
    period: Period
    evidence: StaffEvidence  # what the coaching report says, from the same evidence layer
    record: CoachingRecord
    plans: list[Plan]
    visits: list[VisitLine]
    audit: list[AuditLine]
    names: dict[str, str]  # user id -> display name, for "recorded by"
    own_view: bool
    today: str  # the branch's local date: a plan reviewed before it is overdue


def staff_for_user(store, user: User) -> StaffMember | None:
    """The staff member a ``staff`` account is linked to."""
    if user.role != "staff" or not user.staff_member:
        return None
    return store.directory.staff_member(user.staff_member)


def _visit_lines(store, member: StaffMember, branch: Branch, period: Period, viewer: User) -> list[VisitLine]:
    rule = counting_rule(store)
    lo, hi = period.utc_bounds(branch.timezone)
    zone = ZoneInfo(branch.timezone)
    scenarios = default_scenarios()
    rubric = default_rubric()
    lines = []
    visits: list[Visit] = [v for v in store.visits.matching(branch=branch.slug, status="approved")
                           if v.staff == member.id and lo <= parse_utc(v.visited_at) < hi]
    for visit in sorted(visits, key=lambda v: v.visited_at):
        scenario = scenarios.get(visit.scenario)
        appeal = pending_appeal(visit) or (visit.appeals[-1] if visit.appeals else None)
        lines.append(VisitLine(
            id=visit.id, when=f"{parse_utc(visit.visited_at).astimezone(zone):%Y-%m-%d}",
            scenario=scenario.title if scenario else visit.scenario,
            channel=str(coaching.CHANNEL_LABELS.get(visit.channel, visit.channel)),
            score=score_visit(rubric, visit.answers).overall,
            not_counted=not_counted_reason(visit, rule), appeal=appeal,
            may_appeal=may_appeal(viewer, member, visit) and pending_appeal(visit) is None
            and not any(a.get("status") == "upheld" for a in visit.appeals),
        ))
    return lines


def _names(store) -> dict[str, str]:
    return {u.id: u.display_name or u.email for u in store.directory.users()}


def build_coaching_page(store, member: StaffMember, viewer: User, period: Period, *, min_count: int = 5,
                        compare_min: int = 10, language: str = "en") -> CoachingPage:
    """The manager's coaching page; :class:`CoachingAccessError` unless ``viewer`` coaches this person."""
    if not may_coach(viewer, member):
        raise CoachingAccessError(member.id)
    return _page(store, member, viewer, period, min_count, compare_min, language, own_view=False)


def build_own_page(store, viewer: User, period: Period, *, min_count: int = 5, compare_min: int = 10,
                   language: str = "en") -> CoachingPage:
    """A staff account's own page: its evidence, praise and plans; nobody else's."""
    member = staff_for_user(store, viewer)
    if member is None or not is_own_record(viewer, member):
        raise CoachingAccessError(viewer.id)
    return _page(store, member, viewer, period, min_count, compare_min, language, own_view=True)


def _page(store, member, viewer, period, min_count, compare_min, language, *, own_view: bool) -> CoachingPage:
    branch = store.directory.branch(member.branch)
    if branch is None:
        raise CoachingAccessError(member.id)
    record = coaching_record(store, member, viewer)
    evidence = staff_evidence(store, member.code, period, language=language, min_count=min_count,
                              compare_min=compare_min)
    names = _names(store)
    audit = [AuditLine(e.get("at", ""), names.get(e.get("by", ""), ""), e.get("note", ""))
             for e in reversed(record.audit)]
    return CoachingPage(member=member, branch=branch, period=period, evidence=evidence, record=record,
                        plans=record.plan_list(), visits=_visit_lines(store, member, branch, period, viewer),
                        audit=[] if own_view else audit, names=names, own_view=own_view,
                        today=f"{utc_now().astimezone(ZoneInfo(branch.timezone)):%Y-%m-%d}")
