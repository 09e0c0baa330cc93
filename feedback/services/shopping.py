"""The life of a mystery-shopper visit: draft, submitted, returned, approved.

::

    draft --submit--> submitted --approve--> approved   (counts in every figure)
      ^                   |
      |                return (with a comment)
      +---- returned <----+        (the shopper fixes it and submits again)

A visit belongs to one assignment (its id is made from the assignment's), and
only that assignment's shopper may write it, only while it is a draft or
returned. Only a reviewer (or an administrator) approves or returns, only a
submitted visit. Every change appends an entry to the visit's audit trail:
who, when, what (the fields that changed, or the reviewer's comment).

Submitting first saves what the shopper entered, then checks that nothing is
missing: an incomplete visit stays a draft with everything kept, and
:class:`VisitIncomplete` names each missing field. Even a draft has its date
and time (the form offers "now"), so every stored visit can be placed in a period.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from ..evidence.visits import counted_among
from ..model import Assignment, AuditEntry, User, Visit, format_utc, parse_utc, utc_now
from ..store.visits import VisitConflictError, new_visit_id
from .rubric import ACCURACY, ANSWERS, Rubric, VisitScore, default_rubric
from .scenarios import Scenario, default_scenarios
from .visit_consistency import contradictions, visit_score

__all__ = [
    "EDITABLE",
    "VisitInput",
    "VisitNotFound",
    "VisitStateError",
    "VisitIncomplete",
    "VisitConflictError",
    "VisitDetail",
    "missing_for_submission",
    "ShopperVisitPage",
    "shopper_visit_page",
    "save_draft",
    "submit_visit",
    "approve_visit",
    "return_visit",
    "can_see_staff_names",
    "visit_detail",
    "review_queue",
    "approved_visits_for",
]

#: Statuses in which the shopper may still change the visit.
EDITABLE = ("draft", "returned")
#: A visit a few minutes "in the future" is a clock or a typing slip, not a lie.
_CLOCK_SLACK = timedelta(minutes=10)
_REVIEWERS = ("reviewer", "admin")


class VisitNotFound(LookupError):
    """No such visit or assignment, or not one this user may see: both are a 404."""


class VisitStateError(RuntimeError):
    """The action does not fit the visit's status (editing a submitted visit, approving a draft)."""


class VisitIncomplete(ValueError):
    """``problems`` maps a field (``answers.<item>`` for rubric items) to a problem code."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(", ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


@dataclass
class VisitInput:
    """What the shopper entered; anything may be missing while it is a draft."""

    visited_at: datetime | None = None  # aware, any zone; stored in UTC
    wait_minutes: int | None = None
    duration_minutes: int | None = None
    staff: str | None = None
    staff_description: str = ""
    answers: dict[str, str] = field(default_factory=dict)
    accuracy: str | None = None
    narrative: str = ""
    would_return: bool | None = None


# Fields the shopper writes, in the order the audit lists changes.
_INPUT_FIELDS = ("visited_at", "wait_minutes", "duration_minutes", "staff", "staff_description", "accuracy",
                 "narrative", "would_return")


def _audit(visit: Visit, by: User, action: str, note: str, now: datetime) -> None:
    visit.audit.append(AuditEntry(at=format_utc(now), by=by.id, action=action, note=note).to_doc())


def _own_assignment(store, assignment_id: str, shopper: User) -> Assignment:
    assignment = store.assignments.get(assignment_id)
    if assignment is None or assignment.shopper != shopper.id:
        raise VisitNotFound(assignment_id)
    return assignment


@dataclass(frozen=True)
class ShopperVisitPage:
    """What the shopper's visit page needs: their assignment, its visit so far, the branch roster."""

    assignment: Assignment
    visit: Visit | None  # None before the first save
    scenario: Scenario | None
    branch_name: str
    timezone: str
    roster: list[tuple[str, str]]  # (staff id, display name) of the assigned branch only
    return_comment: str

    @property
    def editable(self) -> bool:
        return self.visit is None or self.visit.status in EDITABLE


def shopper_visit_page(store, assignment_id: str, shopper: User) -> ShopperVisitPage:
    """The shopper's own assignment and visit; :class:`VisitNotFound` for anyone else's."""
    assignment = _own_assignment(store, assignment_id, shopper)
    visit = store.visits.get(assignment.visit) if assignment.visit else None
    branch = store.directory.branch(assignment.branch)
    returned = [e for e in (visit.audit if visit else []) if e.get("action") == "returned"]
    return ShopperVisitPage(
        assignment=assignment,
        visit=visit,
        scenario=default_scenarios().get(assignment.scenario),
        branch_name=branch.name if branch else assignment.branch,
        timezone=branch.timezone if branch else "UTC",
        roster=[(s.id, s.display_name) for s in store.directory.staff(assignment.branch)],
        return_comment=returned[-1].get("note", "") if returned and visit.status == "returned" else "",
    )


def _check_values(data: VisitInput, roster: set[str], rubric: Rubric) -> None:
    """Values a form cannot produce are programming errors, not missing answers."""
    unknown_items = set(data.answers) - set(rubric.item_ids())
    if unknown_items or set(data.answers.values()) - set(ANSWERS):
        raise ValueError("rubric answers do not fit the rubric")
    if data.accuracy is not None and data.accuracy not in ACCURACY:
        raise ValueError(f"unknown accuracy {data.accuracy!r}")
    if data.staff is not None and data.staff not in roster:
        raise VisitIncomplete({"staff": "not_in_branch"})
    for minutes in (data.wait_minutes, data.duration_minutes):
        if minutes is not None and minutes < 0:
            raise ValueError("minutes cannot be negative")


def _apply(visit: Visit, data: VisitInput) -> list[str]:
    """Copy the input onto the visit; return the names of the fields that changed."""
    new = {
        "visited_at": format_utc(data.visited_at),
        "wait_minutes": data.wait_minutes,
        "duration_minutes": data.duration_minutes,
        "staff": data.staff,
        "staff_description": data.staff_description.strip(),
        "accuracy": data.accuracy,
        "narrative": data.narrative.strip(),
        "would_return": data.would_return,
    }
    changed = [name for name in _INPUT_FIELDS if getattr(visit, name) != new[name]]
    for name in changed:
        setattr(visit, name, new[name])
    answers = {k: v for k, v in data.answers.items() if v}
    changed += [f"answers.{k}" for k in sorted(set(visit.answers) | set(answers))
                if visit.answers.get(k) != answers.get(k)]
    visit.answers = answers
    return changed


def save_draft(store, *, assignment_id: str, shopper: User, data: VisitInput,
               now: datetime | None = None) -> Visit:
    """Save what the shopper entered, complete or not; the visit keeps its status (draft or returned).

    Only the date and time are needed even for a draft: every stored visit has
    a real ``visited_at``, so period filters elsewhere never meet an empty one.
    """
    now = now or utc_now()
    rubric = default_rubric()
    assignment = _own_assignment(store, assignment_id, shopper)
    if data.visited_at is None:
        raise VisitIncomplete({"visited_at": "missing"})
    roster = {s.id for s in store.directory.staff(assignment.branch, include_inactive=True)}
    _check_values(data, roster, rubric)
    if assignment.visit is None:
        fresh = Visit(
            id=new_visit_id(now.year, assignment.id), shopper=shopper.id, branch=assignment.branch,
            channel=assignment.channel, scenario=assignment.scenario, visited_at=format_utc(data.visited_at),
            assignment=assignment.id,
            rubric=rubric.id, rubric_version=rubric.version, created_at=format_utc(now),
        )
        _audit(fresh, shopper, "created", "", now)
        store.visits.add_if_absent(fresh)
        store.assignments.update(assignment.id, visit=fresh.id)
        assignment.visit = fresh.id
    visit = store.visits.get(assignment.visit)
    if visit is None:
        raise VisitNotFound(assignment.visit)
    if visit.status not in EDITABLE:
        raise VisitStateError(f"a {visit.status} visit cannot be changed")
    revision = len(visit.audit)
    changed = _apply(visit, data)
    if changed:
        _audit(visit, shopper, "saved", "changed: " + ", ".join(changed), now)
        store.visits.replace(visit, expected_audit_length=revision)
    return visit


def missing_for_submission(visit: Visit, assignment: Assignment, rubric: Rubric, *, timezone: str,
                           now: datetime) -> dict[str, str]:
    """Everything that stops ``visit`` being submitted, by field; empty when it is complete."""
    problems: dict[str, str] = {}
    if not visit.visited_at:
        problems["visited_at"] = "missing"
    else:
        moment = parse_utc(visit.visited_at)
        if moment > now + _CLOCK_SLACK:
            problems["visited_at"] = "future"
        elif moment.astimezone(ZoneInfo(timezone)).date().isoformat() < assignment.window_start:
            problems["visited_at"] = "before_window"
    for name in ("wait_minutes", "duration_minutes", "accuracy", "would_return"):
        if getattr(visit, name) is None:
            problems[name] = "missing"
    if not visit.staff and not visit.staff_description:
        problems["staff"] = "missing"
    for item in rubric.items:
        if item.id not in visit.answers:
            problems[f"answers.{item.id}"] = "missing"
    if not visit.narrative:
        problems["narrative"] = "missing"
    for key, code in contradictions(rubric, visit.answers, visit.accuracy).items():
        problems.setdefault(key, code)
    return problems


def submit_visit(store, *, assignment_id: str, shopper: User, data: VisitInput,
                 now: datetime | None = None) -> Visit:
    """Save the input, then submit for review if complete; else :class:`VisitIncomplete` (input kept)."""
    now = now or utc_now()
    if data.visited_at is None:
        # Nothing can be saved without a date; still name everything else that is missing.
        assignment = _own_assignment(store, assignment_id, shopper)
        scratch = Visit(id="", shopper=shopper.id, branch=assignment.branch, channel=assignment.channel,
                        scenario=assignment.scenario, visited_at="")
        _apply(scratch, replace(data, visited_at=now))
        scratch.visited_at = ""
        raise VisitIncomplete(missing_for_submission(scratch, assignment, default_rubric(), timezone="UTC", now=now))
    visit = save_draft(store, assignment_id=assignment_id, shopper=shopper, data=data, now=now)
    assignment = store.assignments.get(assignment_id)
    branch = store.directory.branch(visit.branch)
    problems = missing_for_submission(visit, assignment, default_rubric(),
                                      timezone=branch.timezone if branch else "UTC", now=now)
    if problems:
        raise VisitIncomplete(problems)
    revision = len(visit.audit)
    visit.status = "submitted"
    _audit(visit, shopper, "submitted", "", now)
    store.visits.replace(visit, expected_audit_length=revision)
    return visit


def _submitted_for_review(store, visit_id: str, reviewer: User) -> Visit:
    if reviewer.role not in _REVIEWERS:
        raise PermissionError("only a reviewer may review visits")
    visit = store.visits.get(visit_id)
    if visit is None:
        raise VisitNotFound(visit_id)
    if visit.status != "submitted":
        raise VisitStateError(f"a {visit.status} visit cannot be reviewed")
    return visit


def approve_visit(store, *, visit_id: str, reviewer: User, note: str = "", staff: str | None = None,
                  now: datetime | None = None) -> Visit:
    """Approve a submitted visit: from now on it counts. ``staff`` resolves a described staff member."""
    now = now or utc_now()
    visit = _submitted_for_review(store, visit_id, reviewer)
    if contradictions(default_rubric(), visit.answers, visit.accuracy):
        # A visit that contradicts itself goes back to its shopper; it never counts as it stands.
        raise VisitIncomplete({"comment": "contradicts_itself"})
    revision = len(visit.audit)
    if staff and staff != visit.staff:
        if staff not in {s.id for s in store.directory.staff(visit.branch, include_inactive=True)}:
            raise VisitIncomplete({"staff": "not_in_branch"})
        visit.staff = staff
        _audit(visit, reviewer, "staff_resolved", "changed: staff", now)
    visit.status = "approved"
    _audit(visit, reviewer, "approved", note.strip(), now)
    store.visits.replace(visit, expected_audit_length=revision)
    if visit.assignment:
        store.assignments.update(visit.assignment, status="done")
    return visit


def return_visit(store, *, visit_id: str, reviewer: User, comment: str, now: datetime | None = None) -> Visit:
    """Send a submitted visit back to its shopper, saying what to fix (a comment is required)."""
    now = now or utc_now()
    if not comment.strip():
        raise VisitIncomplete({"comment": "missing"})
    visit = _submitted_for_review(store, visit_id, reviewer)
    revision = len(visit.audit)
    visit.status = "returned"
    _audit(visit, reviewer, "returned", comment.strip(), now)
    store.visits.replace(visit, expected_audit_length=revision)
    return visit


def can_see_staff_names(user: User, branch: str) -> bool:
    """Reviewers, administrators and managers of that branch; never shoppers."""
    if user.role in _REVIEWERS:
        return True
    return user.role == "manager" and branch in user.branches


def _may_view(user: User, visit: Visit) -> bool:
    if user.role in _REVIEWERS:
        return visit.status != "draft"  # a draft is the shopper's unfinished work
    if user.role == "manager":
        return visit.branch in user.branches and visit.status == "approved"
    return False


@dataclass(frozen=True)
class VisitDetail:
    """A visit as a reviewer or manager sees it."""

    visit: Visit
    score: VisitScore
    rubric: Rubric
    scenario: Scenario | None
    branch_name: str
    staff_name: str | None
    roster: list[tuple[str, str]]  # (id, name) of the branch, for resolving a described member
    audit: list[dict[str, str]]  # entries with "by" replaced by a display name
    window: tuple[str, str] | None
    contradictions: dict[str, str] = field(default_factory=dict)  # see visit_consistency


def visit_detail(store, visit_id: str, viewer: User) -> VisitDetail:
    """Everything a review page shows; :class:`VisitNotFound` when ``viewer`` may not see it."""
    visit = store.visits.get(visit_id)
    if visit is None or not _may_view(viewer, visit):
        raise VisitNotFound(visit_id)
    rubric = default_rubric()
    branch = store.directory.branch(visit.branch)
    show_staff = can_see_staff_names(viewer, visit.branch)
    staff = store.directory.staff(visit.branch, include_inactive=True) if show_staff else []
    names = {u.id: u.display_name or u.email for u in store.directory.users()}
    assignment = store.assignments.get(visit.assignment) if visit.assignment else None
    return VisitDetail(
        visit=visit,
        score=visit_score(rubric, visit),
        rubric=rubric,
        scenario=default_scenarios().get(visit.scenario),
        branch_name=branch.name if branch else visit.branch,
        staff_name=next((s.display_name for s in staff if s.id == visit.staff), None),
        roster=[(s.id, s.display_name) for s in staff if s.active],
        audit=[{**entry, "by": names.get(entry.get("by", ""), entry.get("by", ""))} for entry in visit.audit],
        window=(assignment.window_start, assignment.window_end) if assignment else None,
        contradictions=contradictions(rubric, visit.answers, visit.accuracy),
    )


def review_queue(store, reviewer: User) -> tuple[list[Visit], list[Visit]]:
    """(submitted visits, oldest first; visits returned and waiting for the shopper)."""
    if reviewer.role not in _REVIEWERS:
        raise PermissionError("only a reviewer may see the review queue")
    submitted = sorted(store.visits.matching(status="submitted"), key=lambda v: v.visited_at)
    return submitted, store.visits.matching(status="returned")


def approved_visits_for(store, manager: User) -> list[tuple[Visit, VisitScore]]:
    """Visits that count in the branches ``manager`` may see, newest first, with their scores."""
    rubric = default_rubric()
    visits = [v for v in counted_among(store, store.visits.matching(status="approved"))
              if manager.can_see_branch(v.branch)]
    return [(v, visit_score(rubric, v)) for v in visits]
