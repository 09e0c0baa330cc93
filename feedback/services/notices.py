"""What the app tells people by e-mail, and to whom: each function writes one kind of message.

Every message goes through :func:`feedback.services.mail.queue_mail` (the
durable outbox) and every link in it is built by
:func:`feedback.links.public_url` on ``PUBLIC_URL``. Texts come from
``templates/mail/*.txt`` in the recipient's language. These functions need an
app and a request context for ``url_for`` (the worker opens one).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ..links import public_url
from ..local_time import format_local
from ..model import Alert, FollowUp, User, Visit, format_utc, utc_now
from .mail import queue_mail

__all__ = [
    "managers_of",
    "send_reset_link",
    "send_invitation",
    "send_visit_returned",
    "send_followup_notices",
    "send_alert",
    "send_weekly_digest",
]

#: A follow-up older than this when the worker first sees it is not announced by e-mail.
FOLLOWUP_NOTICE_WINDOW = timedelta(days=2)


def managers_of(store, branch: str) -> list[User]:
    """The active managers whose account covers ``branch``."""
    return [u for u in store.directory.users("manager") if u.active and branch in u.branches]


def _language(user: User | None) -> str:
    languages = current_app.config["LANGUAGES"]
    if user is not None and user.language in languages:
        return user.language
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _send(store, user: User, kind: str, template: str, subject, **context):
    """Render ``template`` in the user's language and queue it; ``subject`` is called inside that locale."""
    with force_locale(_language(user)):
        body = render_template(f"mail/{template}", user=user, system_name=current_app.config["SYSTEM_NAME"],
                               **context)
        return queue_mail(store, to=[user.email], subject=subject(), body=body, kind=kind)


def send_reset_link(store, user: User, link: str):
    return _send(store, user, "reset", "reset.txt", lambda: _("Reset your password"), link=link)


def send_invitation(store, user: User, link: str, valid_days: int):
    return _send(store, user, "invitation", "invitation.txt",
                 lambda: _("You are invited as a mystery shopper"), link=link, valid_days=valid_days)


def send_visit_returned(store, visit: Visit, comment: str):
    shopper = store.directory.user(visit.shopper)
    if shopper is None or not shopper.active:
        return None
    link = (public_url("shop.visit_form", assignment_id=visit.assignment) if visit.assignment
            else public_url("shop.index"))
    return _send(store, shopper, "visit_returned", "visit_returned.txt",
                 lambda: _("A visit report came back to you"), visit=visit, comment=comment, link=link)


def send_followup_notices(store, *, now: datetime | None = None) -> int:
    """E-mail the branch's managers about each open follow-up not yet announced; return how many."""
    now = now or utc_now()
    recent = format_utc(now - FOLLOWUP_NOTICE_WINDOW)
    sent = 0
    for branch in store.directory.branches():
        # Only new requests: a worker started on an old instance does not announce its history.
        pending = [f for f in store.followups.for_branch(branch.slug, "open")
                   if not f.notified_at and f.created_at >= recent]
        # Claimed before sending: a second worker running the same round announces none of them again.
        claimed = set(store.followups.claim_notice([f.id for f in pending], now)) if pending else set()
        pending = [f for f in pending if f.id in claimed]
        if not pending:
            continue
        link = public_url("manage.followups", branch_slug=branch.slug)
        for manager in managers_of(store, branch.slug):
            _send(store, manager, "followup", "followup.txt",
                  lambda b=branch: _("A guest at %(branch)s asked to be contacted", branch=b.name),
                  branch=branch, followups=pending, link=link)
        sent += len(pending)
    return sent


def alert_link(alert: Alert) -> str:
    """The answers behind an alert, in the comments browser, on ``PUBLIC_URL``."""
    start = alert.window_start or alert.window_end
    return public_url("manage.comments", branch=alert.branch, since=start, until=alert.window_end, answers="all")


def send_alert(store, alert: Alert):
    branch = store.directory.branch(alert.branch)
    if branch is None:
        return []
    from .alerts import describe_alert

    link = alert_link(alert)
    messages = []
    for manager in managers_of(store, alert.branch):
        messages.append(_send(store, manager, "alert", "alert.txt",
                              lambda: _("Alert at %(branch)s", branch=branch.name),
                              branch=branch, text=lambda: describe_alert(alert, branch), link=link))
    return messages


def send_weekly_digest(store, *, now: datetime | None = None) -> int:
    """Each manager's week: answers, satisfaction, open follow-ups and alerts per branch of theirs."""
    from .alerts import smiley_mean
    from .surveys import surveys_from_settings

    now = now or utc_now()
    start = now - timedelta(days=7)
    surveys = surveys_from_settings(store.directory.settings())
    rows = {}
    for branch in store.directory.branches():
        answers = [r for r in store.responses.in_period(branch.slug, start, now) if not r.flagged]
        means = [m for r in answers if (m := smiley_mean(surveys.get(r.survey), r)) is not None]
        rows[branch.slug] = {
            "branch": branch, "answers": len(answers),
            "happy": sum(1 for m in means if m >= 4), "rated": len(means),
            "followups": len(store.followups.for_branch(branch.slug, "open")),
            "alerts": len(store.alerts.since(start, {branch.slug})),
            "link": public_url("manage.dashboard", branch=branch.slug),
        }
    sent = 0
    for manager in [u for u in store.directory.users("manager") if u.active]:
        mine = [rows[s] for s in manager.branches if s in rows]
        if not mine:
            continue
        _send(store, manager, "digest", "digest.txt", lambda: _("Your week in guest feedback"),
              rows=mine, start=format_utc(start)[:10], end=format_utc(now)[:10],
              min_count=current_app.config["MIN_RESPONSES_FOR_FIGURE"])
        sent += 1
    return sent


def followup_local_time(followup: FollowUp, timezone: str) -> str:
    """When the guest asked, in the branch's time and the reader's language (the one local-time formatter)."""
    return format_local(followup.created_at, timezone)
