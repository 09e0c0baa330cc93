"""The only code that touches TinyDB.

Use :func:`current_store` inside the app, or build a :class:`Store` on a
folder in scripts and tests. See ``safe_storage`` for how writes stay safe
and ``responses`` for how they stay cheap.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from flask import Flask, current_app

from .base import Store
from .directory import DuplicateError, NotFoundError
from .safe_storage import CorruptFileError, ParsedFileCache

__all__ = [
    "CorruptFileError",
    "DuplicateError",
    "NotFoundError",
    "ParsedFileCache",
    "Store",
    "current_store",
    "init_app",
]

_EXTENSION = "feedback_store"
log = logging.getLogger(__name__)


def init_app(app: Flask) -> Store:
    """Open the store on ``DATA_DIR``, report corrupt files, and keep rotating backups."""
    store = Store(app.config["DATA_DIR"], chunk_size=app.config["RESPONSE_CHUNK_SIZE"])
    store.ensure()
    store.backups.keep = app.config["BACKUP_KEEP"]
    app.extensions[_EXTENSION] = store
    corrupt = store.corrupt_small_files()
    for problem in corrupt:
        # Loud and specific: the app keeps serving what it can but never writes over this file.
        log.error("CORRUPT DATA FILE %s (%s). Nothing will be written over it. "
                  "Run `flask --app wsgi check` to restore it from the latest backup.", problem.path, problem.reason)
    if corrupt:
        log.error("Stored documents were not migrated: restore the corrupt files, then run `flask migrate`.")
    else:
        _migrate_at_start(store)
    if app.config["BACKUP_INTERVAL_HOURS"] and not app.testing:
        _schedule_backups(app, store, timedelta(hours=app.config["BACKUP_INTERVAL_HOURS"]))
    return store


def _migrate_at_start(store: Store) -> None:
    """Bring stored documents to the current schema before the app serves (one small read when current)."""
    from .migrations import migrate_if_needed

    result = migrate_if_needed(store)
    if result and result.total:
        log.warning("Migrated %d stored documents to the current schema: %s", result.total, result.upgraded)
    if result and result.newer:
        log.warning("Documents written by newer code were left as they are: %s", result.newer)


def _schedule_backups(app: Flask, store: Store, interval: timedelta) -> None:
    """Take a backup when the newest is older than ``interval``; looked at most every ten minutes.

    The check is a directory listing; the backup itself (hard links) runs in a
    background thread so no guest waits for it, and a lock keeps workers from
    taking one each.
    """
    state = {"checked": 0.0, "running": False}

    def take_backup() -> None:
        try:
            store.backups.take_if_older_than(interval)
        except Exception:  # noqa: BLE001 - a failed backup must never take a request down
            log.exception("automatic backup failed")
        finally:
            state["running"] = False

    @app.before_request
    def maybe_back_up() -> None:
        now = time.monotonic()
        if state["running"] or now - state["checked"] < 600:
            return
        state["checked"] = now
        age = store.backups.newest_age()
        if age is None or age >= interval:
            state["running"] = True
            threading.Thread(target=take_backup, name="feedback-backup", daemon=True).start()


def current_store() -> Store:
    return current_app.extensions[_EXTENSION]
