"""A branch's "you said, we did" log: what guests told us, what we did about it, and when.

Managers record a line when the branch acts on what guests said; the console
lists them, a poster prints them for the wall, and reports may read
:func:`branch_actions` to show guests were heard.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from ..model import BranchAction, User, format_utc, new_id, utc_now
from .words import gettext_anywhere as _

__all__ = ["TEXT_MAX", "BranchActionError", "branch_actions", "record_branch_action"]

TEXT_MAX = 300  # a line on a poster


class BranchActionError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def branch_actions(store, slug: str, since: date | str | None = None) -> list[BranchAction]:
    """The branch's actions done on or after ``since`` (a local date), most recent first."""
    if isinstance(since, date):
        since = since.isoformat()
    return store.branch_actions.for_branch(slug, since)


def _line(value: str, field: str, missing: str) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise BranchActionError(field, missing)
    if len(value) > TEXT_MAX:
        raise BranchActionError(field, _("Keep this under %(n)d characters: it goes on a poster.", n=TEXT_MAX))
    return value


def record_branch_action(store, slug: str, *, you_said: str, we_did: str, done_on: date | None, by: User,
                         now: datetime | None = None) -> BranchAction:
    """Add a line to the log; managers of the branch and administrators only."""
    if not by.can_see_branch(slug) or by.role not in ("admin", "manager"):
        raise PermissionError("not a manager of this branch")
    branch = store.directory.branch(slug)
    if branch is None:
        raise LookupError(slug)
    now = now or utc_now()
    if done_on is None:
        raise BranchActionError("done_on", _("Give the date it was done."))
    if done_on > now.astimezone(ZoneInfo(branch.timezone)).date():
        raise BranchActionError("done_on", _("Record what was done once it is done."))
    action = BranchAction(
        id=new_id(), branch=slug,
        you_said=_line(you_said, "you_said", _("Write what guests said.")),
        we_did=_line(we_did, "we_did", _("Write what the branch did.")),
        done_on=done_on.isoformat(), recorded_by=by.id, recorded_at=format_utc(now))
    return store.branch_actions.add(action)
