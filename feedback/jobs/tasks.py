"""The tasks the background worker runs, registered on the app's huey queue by name.

Each runs inside the app (config, store) and a request context on
``PUBLIC_URL``, so ``url_for`` and :func:`feedback.links.public_url` build the
links that go into e-mails. ``minute_round`` redoes, every minute, whatever a
lost wake-up could have left undone: alerts, follow-up notices and the mail.
"""

from __future__ import annotations

import functools
import logging

from flask import Flask
from huey import crontab
from huey.exceptions import TaskLockedException

__all__ = ["register_tasks"]

log = logging.getLogger(__name__)


def register_tasks(huey, app: Flask) -> dict:
    """Register every task on ``huey``; return them by name (what :meth:`JobQueue.enqueue` calls)."""

    def in_app(function):
        @functools.wraps(function)
        def run(*args):
            with app.app_context(), app.test_request_context("/", base_url=str(app.config["PUBLIC_URL"])):
                return function(*args)
        return run

    tasks: dict = {}

    @huey.task(name="deliver_mail")
    @in_app
    def deliver_mail():
        from ..services.mail import deliver_due
        from ..store import current_store

        try:
            with huey.lock_task("deliver-mail"):
                return deliver_due(current_store(), app.config)
        except TaskLockedException:
            # Another worker thread is sending; look again shortly so this wake-up is not lost.
            tasks["deliver_mail"].schedule(delay=5)
        return None

    @huey.task(name="check_branch")
    @in_app
    def check_branch(slug: str):
        """After a guest's answer: that branch's alerts, and any new follow-up to announce."""
        _check_branches(app, [slug])

    @huey.periodic_task(crontab(minute="*"), name="minute_round")
    @in_app
    def minute_round():
        from ..services.report_batches import stale_batches
        from ..store import current_store

        store = current_store()
        _check_branches(app, [b.slug for b in store.directory.branches()])
        for batch in stale_batches(store):
            tasks["render_report_batch"](batch.id)  # a lost wake-up; a duplicate finds it taken
        deliver_mail.call_local()

    @huey.periodic_task(crontab(minute="17", hour="3"), name="nightly_tidy")
    @in_app
    def nightly_tidy():
        """Old batch files, envelopes of mail sent a month ago and alerts over a year old go; unsent mail stays."""
        from datetime import timedelta

        from ..model import utc_now
        from ..services.report_batches import remove_old_batch_files
        from ..store import current_store

        remove_old_batch_files(app.instance_path)
        store = current_store()
        store.outbox.remove_sent_before(utc_now() - timedelta(days=30))
        store.alerts.remove_before(utc_now() - timedelta(days=400))  # the dashboard shows two days

    @huey.periodic_task(crontab(minute="40", hour="3"), name="keep_figures")
    @in_app
    def keep_figures():
        """Closed months' dashboard figures kept on disk before a manager asks (also run as the worker starts)."""
        from ..services.figure_upkeep import keep_closed_months
        from ..store import current_store

        return keep_closed_months(current_store())

    @huey.periodic_task(crontab(day_of_week="1", hour="6", minute="0"), name="weekly_digest")
    @in_app
    def weekly_digest():
        from ..services.notices import send_weekly_digest
        from ..store import current_store

        send_weekly_digest(current_store())

    @huey.periodic_task(crontab(hour="6", minute="30"), name="review_reminders")
    @in_app
    def review_reminders():
        """Managers hear once, by e-mail, of each coaching plan whose review date has passed."""
        from ..services.coaching_reminders import send_review_reminders
        from ..store import current_store

        send_review_reminders(current_store())

    @huey.task(name="render_report_batch")
    @in_app
    def render_report_batch(batch_id: str):
        from ..services.report_batches import run_report_batch
        from ..store import current_store

        run_report_batch(current_store(), batch_id, instance=app.instance_path)

    tasks.update(deliver_mail=deliver_mail, check_branch=check_branch, minute_round=minute_round,
                 weekly_digest=weekly_digest, render_report_batch=render_report_batch, nightly_tidy=nightly_tidy,
                 review_reminders=review_reminders, keep_figures=keep_figures)
    return tasks


def _check_branches(app: Flask, slugs: list[str]) -> None:
    from ..services.alerts import evaluate_branch
    from ..services.notices import send_alert, send_followup_notices
    from ..services.surveys import surveys_from_settings
    from ..store import current_store

    store = current_store()
    surveys = surveys_from_settings(store.directory.settings())
    for slug in slugs:
        branch = store.directory.branch(slug)
        if branch is None:
            continue
        try:
            for alert in evaluate_branch(store, branch, surveys=surveys):
                send_alert(store, alert)
        except Exception:  # noqa: BLE001 - one branch's fault must not stop the others' alerts
            log.exception("alert check of branch %s failed", slug)
    send_followup_notices(store)
