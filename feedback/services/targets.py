"""Where a guest's answers point: a branch, maybe a desk, maybe a staff member.

QR codes are printed and stay on walls for years, so a link must keep working
after a desk is renamed or a staff member leaves: an unknown desk or staff
code is dropped (the answers still count for the branch), while an unknown
or closed branch is the only thing that makes a survey link fail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from ..model import Branch, Desk, StaffMember
from ..store import Store
from .surveys import Survey, surveys_from_settings

__all__ = ["SurveyTarget", "UnknownBranchError", "find_target", "guest_survey", "local_day"]


class UnknownBranchError(LookupError):
    """The link names no open branch."""


@dataclass(frozen=True)
class SurveyTarget:
    branch: Branch
    desk: Desk | None = None
    staff: StaffMember | None = None

    @property
    def desk_slug(self) -> str | None:
        return self.desk.slug if self.desk else None

    @property
    def staff_id(self) -> str | None:
        return self.staff.id if self.staff else None


def find_target(store: Store, branch: str, desk: str | None = None, staff_code: str | None = None) -> SurveyTarget:
    """Resolve the parts of a survey link; raise :class:`UnknownBranchError` for a bad branch."""
    found_branch = store.directory.branch(branch)
    if found_branch is None or not found_branch.active:
        raise UnknownBranchError(branch)
    found_desk = store.directory.desk(branch, desk) if desk else None
    if found_desk is not None and not found_desk.active:
        found_desk = None
    member = None
    if staff_code:
        code = staff_code.strip()
        # Codes are printed in capitals; a guest typing the link by hand may not.
        member = store.directory.staff_by_code(code) or store.directory.staff_by_code(code.upper())
    if member is not None and (not member.active or member.branch != branch):
        member = None
    return SurveyTarget(found_branch, found_desk, member)


def guest_survey(store: Store, channel: str) -> Survey:
    """The survey a guest answers on ``channel`` ("qr" or "kiosk"), the installation's if it overrides ours."""
    return surveys_from_settings(store.directory.settings())[channel]


def local_day(moment: datetime, timezone: str) -> date:
    """The calendar day ``moment`` falls on at the branch: what a guest's thank-you page names."""
    return moment.astimezone(ZoneInfo(timezone)).date()
