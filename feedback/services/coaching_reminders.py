"""What the coaching cycle reminds managers of: on the dashboard, and once by e-mail.

Plans whose review date has passed with an action still open, and branches
whose staff are not on the programme notice register (their visits count,
but the codes ask that staff are told first). The worker e-mails each plan's
branch managers once per review date (:func:`send_review_reminders`), through
the durable outbox; the record notes that it did.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ..links import public_url
from ..model import Branch, utc_now
from .coaching_record import DueReview, mark_reminded, reviews_due
from .mail import queue_mail
from .notices import managers_of

__all__ = ["CoachingReminders", "coaching_reminders", "send_review_reminders"]


@dataclass(frozen=True)
class CoachingReminders:
    due_reviews: list[DueReview]
    branches_without_notice: list[Branch]

    def __bool__(self) -> bool:
        return bool(self.due_reviews or self.branches_without_notice)


def coaching_reminders(store, branches: list[Branch], *, now: datetime | None = None) -> CoachingReminders:
    told = {n.branch for n in store.programme_notices.all()}
    return CoachingReminders(reviews_due(store, branches, now=now),
                             [b for b in branches if b.active and b.slug not in told])


def send_review_reminders(store, *, now: datetime | None = None) -> int:
    """E-mail each branch's managers the plans whose review date passed and nobody was told of; return how many
    messages were queued. Needs an app and request context for ``url_for`` (the worker opens one)."""
    now = now or utc_now()
    fresh = [d for d in reviews_due(store, store.directory.branches(), now=now)
             if d.plan.reminded_for != d.plan.review_on]
    by_manager: dict[str, tuple] = {}
    for due in fresh:
        for manager in managers_of(store, due.member.branch):
            by_manager.setdefault(manager.id, (manager, []))[1].append(due)
    config = current_app.config
    for manager, dues in by_manager.values():
        language = manager.language if manager.language in config["LANGUAGES"] else config["BABEL_DEFAULT_LOCALE"]
        with force_locale(language):
            body = render_template(
                "mail/review_due.txt", user=manager, system_name=config["SYSTEM_NAME"],
                dues=[(d, public_url("manage.staff_coaching", staff_id=d.member.id)) for d in dues])
            queue_mail(store, to=[manager.email], subject=_("Coaching plans due for review"), body=body,
                       kind="review_due", now=now)
    for due in fresh:
        told = [m.email for m in managers_of(store, due.member.branch)]
        if told:
            mark_reminded(store, due.member, plan_id=due.plan.id, to=told, now=now)
    return len(by_manager)
