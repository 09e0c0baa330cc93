"""The follow-up queue: guests who asked to be contacted, per branch, until a manager is done.

Closing a follow-up erases the guest's contact details in the same write
(``store.followups.mark_done``); contacts not closed within the follow-up
retention period are erased by the ``purge`` command.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from babel import Locale

from ..local_time import format_local
from ..model import Branch, FollowUp, parse_utc
from ..store import NotFoundError
from .faces import score_in_words

__all__ = ["NOTE_MAX_LENGTH", "FollowUpError", "FollowUpRow", "followup_queue", "followup_rows",
           "complete_followup", "contact_link", "language_name"]

NOTE_MAX_LENGTH = 2000


class FollowUpError(LookupError):
    """No follow-up the user may close (unknown id, or another branch's)."""


def followup_queue(store, branch: str) -> tuple[list[FollowUp], list[FollowUp]]:
    """Open follow-ups oldest first (the queue), and done ones newest first."""
    every = store.followups.for_branch(branch)
    open_ = [f for f in every if f.status == "open"]
    done = sorted((f for f in every if f.status == "done"), key=lambda f: f.done_at or "", reverse=True)
    return open_, done


def complete_followup(store, followup_id: str, *, branches: set[str] | None, by: str, note: str,
                      now: datetime | None = None) -> FollowUp:
    """Mark done with a note; ``branches`` are those the user may act on (None: all)."""
    followup = store.followups.get(followup_id)
    if followup is None or (branches is not None and followup.branch not in branches):
        raise FollowUpError(followup_id)
    try:
        store.followups.mark_done(followup_id, by=by, note=note.strip()[:NOTE_MAX_LENGTH],
                                  at=now or datetime.now(UTC))
    except NotFoundError:
        raise FollowUpError(followup_id) from None
    return store.followups.get(followup_id)


@dataclass(frozen=True)
class FollowUpRow:
    """A follow-up as a manager reads it: where, about whom, when (local), how happy, how to reach the guest."""

    followup: FollowUp
    when: str
    desk: str
    staff: str
    score_words: str
    language: str  # the guest's language, named in the manager's
    contact_href: str | None  # mailto: or tel:
    overdue: bool

    @property
    def id(self) -> str:
        return self.followup.id


def contact_link(contact: str | None) -> str | None:
    """``mailto:`` for an e-mail address, ``tel:`` for a phone number, None for anything else."""
    if not contact:
        return None
    text = contact.strip()
    if re.fullmatch(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+", text):
        return f"mailto:{text}"
    digits = re.sub(r"[^\d+]", "", text)
    if sum(ch.isdigit() for ch in digits) >= 7:
        return f"tel:{digits}"
    return None


def language_name(code: str, viewer_language: str) -> str:
    """A guest's language named in the reader's (``es`` -> "Spanish" for an English reader)."""
    try:
        return Locale.parse(code).get_display_name(viewer_language) or code
    except (ValueError, TypeError):
        return code


def followup_rows(store, branch: Branch, items: list[FollowUp], *, now: datetime | None = None,
                  overdue_after: timedelta = timedelta(days=3), viewer_language: str = "en") -> list[FollowUpRow]:
    """The follow-ups with their context: the response's desk and staff member, local time, score in words."""
    now = now or datetime.now(UTC)
    staff = {m.id: m.display_name for m in store.directory.staff(include_inactive=True)}
    desks = {d.slug: d.name for d in store.directory.desks(branch.slug)}
    rows = []
    for item in items:
        created = parse_utc(item.created_at)
        response = store.responses.get(branch.slug, item.response, item.created_at)
        rows.append(FollowUpRow(
            followup=item, when=format_local(created, branch.timezone, viewer_language),
            desk=desks.get(response.desk, response.desk) if response and response.desk else "",
            staff=staff.get(response.staff, "") if response and response.staff else "",
            score_words=score_in_words(item.score), language=language_name(item.language, viewer_language),
            contact_href=contact_link(item.contact),
            overdue=item.status == "open" and now - created > overdue_after,
        ))
    return rows
