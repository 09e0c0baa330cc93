"""Background work: a huey queue stored in SQLite in the instance folder, and a worker that runs it.

Guests and managers never wait for a PDF batch, an e-mail or an alert check:
the web side only *enqueues* (a row in ``<instance>/jobs.sqlite3``) and a
separate worker process (``flask --app wsgi worker``, started by ``make run``
beside gunicorn) runs the tasks of :mod:`feedback.jobs.tasks`. The queue is a
file, so a task enqueued while the worker is down runs when it comes back.

Enqueueing never raises (:meth:`JobQueue.enqueue` logs and returns False):
everything a task does is also redone by the worker's once-a-minute round, so
a lost wake-up delays work by a minute at most and loses nothing.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from flask import Flask, current_app
from huey import SqliteHuey

__all__ = ["JobQueue", "after_guest_answer", "current_jobs", "init_app"]

log = logging.getLogger(__name__)
_EXTENSION = "feedback_jobs"
WAKE_DELAY_SECONDS = 2.0
WAKE_MARGIN_SECONDS = 0.5


class JobQueue:
    """The app's huey instance and its tasks, by name."""

    def __init__(self, app: Flask):
        path = Path(app.instance_path) / app.config["JOBS_DATABASE"]
        path.parent.mkdir(parents=True, exist_ok=True)
        # results=False: nothing reads a task's return value; progress is kept in the store.
        # A short lock timeout: a guest's request that enqueues must not wait long on a busy queue file.
        # No fsync per enqueue (fsync=False: WAL without syncs): an enqueue survives a crash of the app,
        # and the one thing an OS crash could lose, a wake-up, is redone by the minute round (which also
        # re-queues a report batch still waiting after a few minutes). bench/jobs.py measures the cost.
        self.huey = SqliteHuey(name="feedback", filename=str(path), results=False, utc=True, timeout=2,
                               fsync=False)
        from .tasks import register_tasks

        self.tasks = register_tasks(self.huey, app)
        self._wake_due: dict[tuple, float] = {}  # (task, args) -> when this process's pending wake-up runs

    def enqueue(self, name: str, *args) -> bool:
        """Put task ``name`` on the queue; False (and a log line) if the queue could not take it."""
        try:
            self.tasks[name](*args)
        except Exception:  # noqa: BLE001 - the caller's request must go on; the minute round catches up
            log.exception("could not enqueue background task %s", name)
            return False
        return True

    def wake(self, name: str, *args, delay: float = WAKE_DELAY_SECONDS) -> bool:
        """Run task ``name`` ``delay`` seconds from now, unless one this process queued is still to run.

        For work that looks at everything stored so far (a branch's alerts):
        a wake-up that has not started yet will see what was stored since it
        was queued, so a busy branch queues one every ``delay`` seconds from
        each web worker, not one per answer. The half-second margin keeps an
        answer stored just before a wake-up starts from relying on it.
        """
        now = time.monotonic()
        if self._wake_due.get((name, args), 0.0) - now > WAKE_MARGIN_SECONDS:
            return True
        try:
            self.tasks[name].schedule(args=args, delay=delay)
        except Exception:  # noqa: BLE001 - the caller's request must go on; the minute round catches up
            log.exception("could not enqueue background task %s", name)
            return False
        self._wake_due[(name, args)] = now + delay
        return True

    def consumer(self, *, workers: int = 2):
        """A huey consumer on this queue: threads, so one long report batch does not hold up the mail."""
        return self.huey.create_consumer(workers=workers, worker_type="thread", periodic=True,
                                         initial_delay=0.1, max_delay=1.0, check_worker_health=True)


def init_app(app: Flask) -> JobQueue:
    from flask_mailman import Mail

    Mail().init_app(app)
    jobs = JobQueue(app)
    app.extensions[_EXTENSION] = jobs
    return jobs


def current_jobs() -> JobQueue:
    return current_app.extensions[_EXTENSION]


def after_guest_answer(result) -> None:
    """Wake the worker after a guest's answer is stored: its branch's alerts, a new follow-up's notice.

    Called by the survey and kiosk views once the answer is safe; it only
    enqueues (never evaluates here) and never raises. One wake-up, two
    seconds on, covers every answer a worker stores at that branch until it
    runs (see :meth:`JobQueue.wake`).
    """
    if getattr(result, "created", True):
        current_jobs().wake("check_branch", result.response.branch)
