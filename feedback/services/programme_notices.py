"""The programme notice register: when and how each branch's staff were told about mystery shopping.

Market-research codes (MRS, MSPA) ask that staff are told in advance that a
mystery-shopper programme runs and that its results are for coaching and
development, not discipline. The register keeps each telling; visits made
before a branch's first entry do not count (``counted_visits`` applies it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ..model import Branch, ProgrammeNotice, User, format_utc, new_id, utc_now
from .words import gettext_anywhere as _

__all__ = ["NoticeError", "BranchNotices", "HOW_MAX", "record_notice", "notice_register", "branch_notices"]

HOW_MAX = 500


class NoticeError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class BranchNotices:
    branch: Branch
    entries: list[ProgrammeNotice]  # earliest first

    @property
    def counts_from(self) -> str | None:
        """The local date from which the branch's visits count; None when nobody was recorded as told."""
        return self.entries[0].told_on if self.entries else None


def record_notice(store, *, branch: str, told_on: date | None, how: str, by: User,
                  now: datetime | None = None) -> ProgrammeNotice:
    """Add an entry to the register (administrators, in the set-up pages)."""
    if by.role != "admin":
        raise PermissionError("only an administrator keeps the notice register")
    now = now or utc_now()
    if store.directory.branch(branch or "") is None:
        raise NoticeError("branch", _("Choose one of the branches."))
    if told_on is None:
        raise NoticeError("told_on", _("Give the date staff were told."))
    if told_on > now.date():
        raise NoticeError("told_on", _("Record a notice once it has been given, not before."))
    how = (how or "").strip()
    if not how:
        raise NoticeError("how", _("Say how staff were told (for example: staff meeting and e-mail)."))
    if len(how) > HOW_MAX:
        raise NoticeError("how", _("Keep this under %(n)d characters.", n=HOW_MAX))
    notice = ProgrammeNotice(id=new_id(), branch=branch, told_on=told_on.isoformat(), how=how,
                             recorded_by=by.id, recorded_at=format_utc(now))
    return store.programme_notices.add(notice)


def branch_notices(store, slug: str) -> BranchNotices | None:
    branch = store.directory.branch(slug)
    return None if branch is None else BranchNotices(branch, store.programme_notices.for_branch(slug))


def notice_register(store) -> list[BranchNotices]:
    """Every branch with its entries, by name."""
    by_branch: dict[str, list[ProgrammeNotice]] = {}
    for notice in store.programme_notices.all():
        by_branch.setdefault(notice.branch, []).append(notice)
    branches = sorted(store.directory.branches(include_inactive=True), key=lambda b: (not b.active, b.name))
    return [BranchNotices(b, sorted(by_branch.get(b.slug, []), key=lambda n: (n.told_on, n.recorded_at)))
            for b in branches]
