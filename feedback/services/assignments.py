"""Mystery-shopper assignments: a manager asks a shopper for one visit in a date window.

An assignment names the shopper, the branch, the channel, the scenario to
play and the window (local dates, inclusive). Its *state*, as the shopper and
the manager see it, follows from the window, today's date in the branch's
time zone, and the status of its visit:

* ``upcoming``: the window has not opened yet;
* ``due``: the window is open and no visit is submitted;
* ``overdue``: the window has closed and no visit is submitted;
* ``in_review``: submitted, waiting for a reviewer;
* ``returned``: a reviewer sent it back to the shopper;
* ``done``: approved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from ..model import VISIT_CHANNELS, Assignment, User, Visit, format_utc, new_id, utc_now
from .scenarios import Scenario, default_scenarios

__all__ = [
    "AssignmentProblems",
    "AssignmentView",
    "assignment_state",
    "create_assignment",
    "shopper_assignments",
    "branch_assignments",
    "local_today",
    "shopper_choices",
]

#: A window longer than this is almost surely a typing mistake.
MAX_WINDOW_DAYS = 92


class AssignmentProblems(ValueError):
    """The assignment cannot be made; ``problems`` maps a field name to a problem code."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(", ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


@dataclass(frozen=True)
class AssignmentView:
    """An assignment with what a page needs to show it."""

    assignment: Assignment
    scenario: Scenario | None
    branch_name: str
    shopper_name: str
    state: str
    visit: Visit | None
    return_comment: str = ""


def local_today(timezone: str, now: datetime | None = None) -> date:
    return (now or utc_now()).astimezone(ZoneInfo(timezone)).date()


def assignment_state(assignment: Assignment, visit_status: str | None, today: date) -> str:
    """One of upcoming, due, overdue, in_review, returned, done (see the module docstring)."""
    if visit_status == "approved":
        return "done"
    if visit_status == "submitted":
        return "in_review"
    if visit_status == "returned":
        return "returned"
    if today < date.fromisoformat(assignment.window_start):
        return "upcoming"
    if today <= date.fromisoformat(assignment.window_end):
        return "due"
    return "overdue"


def shopper_choices(store) -> list[User]:
    """Every shopper a manager may assign, invited ones included, by name."""
    return sorted(store.directory.users(role="shopper"), key=lambda u: (u.display_name.lower(), u.email))


def create_assignment(store, *, manager: User, shopper_id: str, branch: str, channel: str, scenario: str,
                      window_start: date, window_end: date, now: datetime | None = None) -> Assignment:
    """Check and store an assignment; :class:`AssignmentProblems` says what is wrong, by field."""
    problems: dict[str, str] = {}
    shopper = store.directory.user(shopper_id)
    if shopper is None or shopper.role != "shopper":
        problems["shopper"] = "unknown"
    if store.directory.branch(branch) is None or not manager.can_see_branch(branch):
        problems["branch"] = "not_yours"
    if channel not in VISIT_CHANNELS:
        problems["channel"] = "unknown"
    chosen = default_scenarios().get(scenario)
    if chosen is None:
        problems["scenario"] = "unknown"
    elif chosen.channel != channel:
        problems["scenario"] = "wrong_channel"
    if window_end < window_start:
        problems["window_end"] = "before_start"
    elif (window_end - window_start).days > MAX_WINDOW_DAYS:
        problems["window_end"] = "too_long"
    if problems:
        raise AssignmentProblems(problems)
    assignment = Assignment(
        id=new_id(), shopper=shopper_id, branch=branch, channel=channel, scenario=scenario,
        window_start=window_start.isoformat(), window_end=window_end.isoformat(),
        created_by=manager.id, created_at=format_utc(now or utc_now()),
    )
    return store.assignments.add(assignment)


def _views(store, assignments: list[Assignment], now: datetime | None) -> list[AssignmentView]:
    branches = {b.slug: b for b in store.directory.branches(include_inactive=True)}
    names = {u.id: u.display_name or u.email for u in store.directory.users(role="shopper")}
    scenarios = default_scenarios()
    views = []
    for assignment in assignments:
        visit = store.visits.get(assignment.visit) if assignment.visit else None
        branch = branches.get(assignment.branch)
        today = local_today(branch.timezone if branch else "UTC", now)
        returned = [e for e in (visit.audit if visit else []) if e.get("action") == "returned"]
        views.append(AssignmentView(
            assignment=assignment,
            scenario=scenarios.get(assignment.scenario),
            branch_name=branch.name if branch else assignment.branch,
            shopper_name=names.get(assignment.shopper, ""),
            state=assignment_state(assignment, visit.status if visit else None, today),
            visit=visit,
            return_comment=returned[-1].get("note", "") if returned and visit.status == "returned" else "",
        ))
    return views


def shopper_assignments(store, shopper: User, now: datetime | None = None) -> list[AssignmentView]:
    """The shopper's own assignments, and only theirs, soonest due first."""
    return _views(store, store.assignments.matching(shopper=shopper.id), now)


def branch_assignments(store, manager: User, now: datetime | None = None) -> list[AssignmentView]:
    """Assignments in the branches ``manager`` may see (every branch for an admin)."""
    branches = None if manager.role == "admin" else list(manager.branches)
    return _views(store, store.assignments.matching(branches=branches), now)
