"""All reports of a period as a background job: requested from the console, rendered by the worker.

:func:`request_report_batch` (web side) records the batch and enqueues it;
nothing is rendered inside a web worker. :func:`run_report_batch` (worker
side) renders every staff and branch report of the user's branches through
``reports.documents.write_all_reports`` (the one batch renderer, also behind
the ``reports`` command), writes progress after each file, and leaves a ZIP
in ``<instance>/batches/<id>/``.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path

from ..model import ReportBatch, User, format_utc, new_id, parse_utc, utc_now
from .periods import Period, parse_period

__all__ = ["BatchNotFound", "request_report_batch", "run_report_batch", "batch_for_user", "batch_zip",
           "stale_batches", "STALE_AFTER", "remove_old_batch_files", "KEEP_FILES_FOR"]

#: A batch still queued this long after it was asked for lost its wake-up: the minute round queues it again.
STALE_AFTER = timedelta(minutes=3)
#: A batch's PDFs and ZIP are deleted this long after it finished (the record of it stays).
KEEP_FILES_FOR = timedelta(days=7)

log = logging.getLogger(__name__)


class BatchNotFound(LookupError):
    """No batch with that id that this user may see (or its ZIP is not ready)."""


def _folder(instance: str | Path, batch_id: str) -> Path:
    return Path(instance) / "batches" / batch_id


def request_report_batch(store, jobs, *, user: User, period: Period, branches: list[str],
                         language: str) -> ReportBatch:
    """Record a batch for ``branches`` (already checked against the user) and hand it to the worker."""
    batch = ReportBatch(id=new_id(), period=period.label, requested_by=user.id, branches=sorted(branches),
                        language=language, created_at=format_utc(utc_now()))
    store.report_batches.add(batch)
    if not jobs.enqueue("render_report_batch", batch.id):
        store.report_batches.update(batch.id, status="failed",
                                    failures=["the background queue could not take the job; try again"])
    return batch


def run_report_batch(store, batch_id: str, *, instance: str | Path) -> ReportBatch | None:
    """Render the batch (in the worker, inside the app); progress and the ZIP land in the store and folder."""
    from ..reports.documents import write_all_reports

    batch = store.report_batches.get(batch_id)
    if batch is None or not store.report_batches.claim(batch_id):
        return batch  # unknown, or already taken by another task (a re-queued duplicate)
    store.report_batches.update(batch_id, done=0, failures=[])
    done = {"n": 0}

    def started(total: int) -> None:
        store.report_batches.update(batch_id, total=total)

    def progress(_name: str) -> None:
        done["n"] += 1
        store.report_batches.update(batch_id, done=done["n"])

    try:
        zip_path, failures = write_all_reports(store, parse_period(batch.period), _folder(instance, batch_id),
                                               language=batch.language, branches=batch.branches,
                                               progress=progress, started=started)
    except Exception as exc:  # noqa: BLE001 - the manager sees that it failed and why, the worker goes on
        log.exception("report batch %s failed", batch_id)
        store.report_batches.update(batch_id, status="failed", failures=[f"{type(exc).__name__}: {exc}"],
                                    finished_at=format_utc(utc_now()))
        return store.report_batches.get(batch_id)
    store.report_batches.update(batch_id, status="done", failures=failures, zip_name=zip_path.name,
                                finished_at=format_utc(utc_now()))
    return store.report_batches.get(batch_id)


def batch_for_user(store, batch_id: str, user: User) -> ReportBatch:
    batch = store.report_batches.get(batch_id)
    if batch is None or (batch.requested_by != user.id and user.role != "admin"):
        raise BatchNotFound(batch_id)
    return batch


def batch_zip(store, batch_id: str, user: User, *, instance: str | Path) -> Path:
    """The finished ZIP of a batch the user may see."""
    batch = batch_for_user(store, batch_id, user)
    path = _folder(instance, batch_id) / batch.zip_name if batch.zip_name else None
    if batch.status != "done" or path is None or not path.is_file():
        raise BatchNotFound(batch_id)
    return path


def stale_batches(store, *, now: datetime | None = None) -> list[ReportBatch]:
    """Batches still queued :data:`STALE_AFTER` after they were asked for."""
    now = now or utc_now()
    return [b for b in store.report_batches.waiting() if now - parse_utc(b.created_at) > STALE_AFTER]


def remove_old_batch_files(instance: str | Path, *, now: datetime | None = None) -> int:
    """Delete the folders of batches older than :data:`KEEP_FILES_FOR`; return how many went."""
    import shutil

    now = now or utc_now()
    root = Path(instance) / "batches"
    removed = 0
    for folder in root.iterdir() if root.is_dir() else ():
        if folder.is_dir() and now.timestamp() - folder.stat().st_mtime > KEEP_FILES_FOR.total_seconds():
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed
