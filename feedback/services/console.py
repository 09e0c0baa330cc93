"""What the console puts in front of a manager beside the figures: alerts and follow-ups owed.

The dashboard shows the last two days' alerts of the user's branches (each
saying what happened, with a link to the answers) and how many follow-ups
are open and overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import url_for

from ..local_time import format_local
from ..model import parse_utc, utc_now
from .alerts import describe_alert, recent_alerts

__all__ = ["AlertView", "ConsoleNotices", "console_notices", "alert_answers_url"]


@dataclass(frozen=True)
class AlertView:
    kind: str
    branch: str
    when: str  # local time at the branch
    text: str
    link: str


@dataclass(frozen=True)
class ConsoleNotices:
    alerts: list[AlertView]
    open_followups: int
    overdue_followups: int


def alert_answers_url(alert) -> str:
    """The answers behind an alert, in the comments browser (a link inside the console)."""
    start = alert.window_start or alert.window_end
    return url_for("manage.comments", branch=alert.branch, since=start, until=alert.window_end, answers="all")


def console_notices(store, branch_slugs: list[str], *, now: datetime | None = None,
                    overdue_days: int = 3) -> ConsoleNotices:
    now = now or utc_now()
    branches = {b.slug: b for b in store.directory.branches(include_inactive=True)}
    views = []
    for alert in recent_alerts(store, branch_slugs, now=now):
        branch = branches.get(alert.branch)
        if branch is None:
            continue
        views.append(AlertView(alert.kind, branch.name, format_local(alert.raised_at, branch.timezone),
                               describe_alert(alert, branch),
                               alert_answers_url(alert)))
    open_count = overdue = 0
    cutoff = now - timedelta(days=overdue_days)
    for slug in branch_slugs:
        for followup in store.followups.for_branch(slug, "open"):
            open_count += 1
            overdue += parse_utc(followup.created_at) < cutoff
    return ConsoleNotices(views, open_count, overdue)
