"""Guest responses, partitioned so that a write costs the same in year five as on day one.

Layout: ``responses/<branch>/<YYYY-MM>/<DD>/``, one folder a branch-day (see
``day_partition``): a guest's answer is appended to the day's log with one
fsync, and the day is compacted into TinyDB chunk files once it has closed.
So a write costs one short append whatever the store holds, and a read for
a branch and period opens only that period's day folders.

Idempotency: a client sends the same key (and the same answer time) with every
retry, so a retry lands in the same branch-day; the key is looked up in that
day (and the day before, just after midnight) under the branch lock.

The fsync of an answer happens after the branch lock is released, so two
workers' answers never queue behind each other's disk flush; an answer is
acknowledged (``add`` returns) only once its own fsync has returned.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from tinydb import TinyDB, where

from ..model import Response, parse_utc
from .append_log import AppendLog
from .day_partition import LOG_NAME, TABLE, DayPartitions, DayPartitionStorage, DayState, is_chunk_name

__all__ = ["ResponseRepository"]

_MONTH_NAME = re.compile(r"^\d{4}-\d\d$")
_DAY_NAME = re.compile(r"^\d\d$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
#: How close to midnight a retry may be to be looked for in the previous day.
_MIDNIGHT_WINDOW = timedelta(minutes=30)
#: A day closes (is compacted) once this many whole UTC days have passed since it ended.
_CLOSED_AFTER_DAYS = 1
#: How far back the first answer of a day looks for closed days still to compact.
_COMPACT_LOOKBACK_DAYS = 14


def _upgrade_table(table, upgrade: Callable[[dict], dict | None]) -> int:
    """Apply ``upgrade`` to every document of a TinyDB table in one write; returns how many changed."""
    changed = 0

    def apply(stored: dict) -> None:
        nonlocal changed
        new = upgrade(dict(stored))
        if new is not None:
            stored.clear()
            stored.update(new)
            changed += 1

    table.update(apply)  # no condition: every document, one write (one append of what changed)
    return changed


class ResponseRepository:
    """Named functions over the partitioned response files."""

    def __init__(self, store, chunk_size: int = 64):
        self._store = store
        self.chunk_size = chunk_size
        self.root = store.data_dir / "responses"
        self._days = DayPartitions(store.cache, chunk_size)

    # -- paths ------------------------------------------------------------------
    def _branch_dir(self, branch: str) -> Path:
        if not _SLUG.match(branch):
            raise ValueError(f"not a branch slug: {branch!r}")
        return self.root / branch

    def _day_dir(self, branch: str, day: date) -> Path:
        return self._branch_dir(branch) / f"{day:%Y-%m}" / f"{day:%d}"

    def _lock(self, branch: str):
        return self._store.lock(f"responses-{branch}")

    @staticmethod
    def is_closed(day: date, now: datetime | None = None) -> bool:
        """Whether no more answers are expected for ``day`` (late ones still may come, and are kept)."""
        today = (now or datetime.now(UTC)).date()
        return day < today - timedelta(days=_CLOSED_AFTER_DAYS)

    # -- writes -------------------------------------------------------------------
    def add(self, response: Response, *, key_since: date | None = None) -> tuple[Response, bool]:
        """Store one response durably; return it and whether it was new.

        A response whose idempotency key is already stored is not stored
        again: the stored one is returned with ``False``. ``key_since``, when
        the key is known to date from an earlier day (a form page shown
        yesterday), widens the search back to that day (at most a week).
        """
        branch, day = response.branch, response.submitted.date()
        folder = self._day_dir(branch, day)
        with self._lock(branch):
            state = self._days.state(folder, writing=True)
            existing = None
            if response.idempotency_key:
                existing = self._find_key(branch, response.submitted, response.idempotency_key, state, key_since)
            if existing is None:
                opened_day = state.log_inode is None
                fd, start, end = self._days.append(folder, [{"put": response.to_doc()}], state)
                if opened_day:
                    try:
                        self._compact_closed_days(branch, skip=day)
                    except BaseException:
                        os.close(fd)
                        raise
        if existing is not None:
            # The first copy may still be on its way to the disk in another worker: ours waits for it.
            self._sync_day(existing.branch, existing.submitted.date())
            return existing, False
        try:
            AppendLog.sync(fd)
        except BaseException:
            with self._lock(branch):
                self._days.undo_append(folder, start, end, [response.id])
            raise
        return response, True

    def add_or_complete(self, response: Response, complete: Callable[[Response, Response], Response], *,
                        key_since: date | None = None) -> tuple[Response, str]:
        """Store ``response``, or complete in place the *partial* one stored under its idempotency key.

        ``complete(stored, new)`` gives the completed response (the service's
        rule for merging a guest's later answers). Returns the stored response
        and what happened: ``"created"``, ``"completed"``, or ``"duplicate"``
        when the key belongs to a response that is no longer partial (nothing
        written). A completion is one more ``put`` of the same id in the day's
        log, so it costs what an answer costs.
        """
        if not response.idempotency_key:
            return self.add(response, key_since=key_since)[0], "created"
        branch, day = response.branch, response.submitted.date()
        folder = self._day_dir(branch, day)
        with self._lock(branch):
            state = self._days.state(folder, writing=True)
            existing = self._find_key(branch, response.submitted, response.idempotency_key, state, key_since)
            if existing is None:
                written, outcome, target = response, "created", folder
            elif existing.partial:
                written = complete(existing, response)
                written.id, written.idempotency_key = existing.id, existing.idempotency_key
                written.submitted_at = existing.submitted_at  # it stays in the day it was first stored in
                outcome, target = "completed", self._day_dir(branch, existing.submitted.date())
                if target != folder:
                    state = self._days.state(target, writing=True)
            else:
                written, outcome, target = existing, "duplicate", None
            if target is not None:
                opened_day = state.log_inode is None
                fd, start, end = self._days.append(target, [{"put": written.to_doc()}], state)
                if opened_day:
                    try:
                        self._compact_closed_days(branch, skip=day)
                    except BaseException:
                        os.close(fd)
                        raise
        if target is None:
            self._sync_day(existing.branch, existing.submitted.date())  # the first copy may be on its way
            return existing, "duplicate"
        try:
            AppendLog.sync(fd)
        except BaseException:
            with self._lock(branch):  # take it back: the earlier parts as they were, or nothing at all
                if outcome == "completed":
                    undo_fd, _, _ = self._days.append(target, [{"put": existing.to_doc()}])
                    AppendLog.sync(undo_fd)
                else:
                    self._days.undo_append(target, start, end, [written.id])
            raise
        return written, outcome

    def holds_key(self, branch: str, moment: datetime, key: str) -> bool:
        """Whether a response of ``moment``'s day (or the day before) carries ``key`` (no lock: a hint)."""
        days = (moment.date(), moment.date() - timedelta(days=1))
        return any(key in self._days.state(self._day_dir(branch, d)).keys for d in days)

    def _sync_day(self, branch: str, day: date) -> None:
        try:
            fd = os.open(self._day_dir(branch, day) / LOG_NAME, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            return  # compacted: already durable
        AppendLog.sync(fd)

    def _find_key(self, branch: str, moment: datetime, key: str, today: DayState,
                  since: date | None = None) -> Response | None:
        """The stored response with ``key`` in the answer's day (``today``), or near midnight the day before,
        or in any day back to ``since`` (at most a week) that exists."""
        states = [today]
        if moment - datetime.combine(moment.date(), datetime.min.time(), UTC) < _MIDNIGHT_WINDOW:
            states.append(self._days.state(self._day_dir(branch, moment.date() - timedelta(days=1)), writing=True))
        if since is not None:
            day = moment.date() - timedelta(days=1 + (len(states) > 1))
            while day >= max(since, moment.date() - timedelta(days=7)):
                folder = self._day_dir(branch, day)
                if folder.exists():
                    states.append(self._days.state(folder, writing=True))
                day -= timedelta(days=1)
        for state in states:
            found = state.keys.get(key)
            if found is not None and found in state.docs:
                return Response.from_doc(state.docs[found])
        return None

    def _compact_closed_days(self, branch: str, skip: date | None = None, now: datetime | None = None) -> int:
        """Compact the branch's recent closed days that still have a log (the branch lock is held)."""
        today = (now or datetime.now(UTC)).date()
        compacted = 0
        for day, folder in self.day_folders(branch, today - timedelta(days=_COMPACT_LOOKBACK_DAYS), today):
            if day != skip and self.is_closed(day, now) and (folder / LOG_NAME).exists():
                compacted += self._days.compact(folder)
        return compacted

    def compact_closed(self, now: datetime | None = None) -> int:
        """Compact every closed day that still has a log (maintenance; the backup runs it); returns how many."""
        compacted = 0
        for branch in self.branches():
            with self._lock(branch):
                for day, folder in self.day_folders(branch, None, None):
                    if self.is_closed(day, now) and (folder / LOG_NAME).exists():
                        compacted += self._days.compact(folder)
        return compacted

    def add_many(self, responses: Iterable[Response], *, bulk: bool = False) -> int:
        """Store many responses, one write a day (seeding, restore, benchmarks).

        No idempotency check: meant for bulk loads, not for guests' submissions.
        Closed days are written as compacted chunks directly. ``bulk``: write
        files without an fsync each and sync the file system once at the end
        (a large seed writes a hundred thousand day folders).
        """
        grouped: dict[tuple[str, date], list[dict]] = defaultdict(list)
        for response in responses:
            grouped[(response.branch, response.submitted.date())].append(response.to_doc())
        stored = 0
        for (branch, day), docs in sorted(grouped.items()):
            folder = self._day_dir(branch, day)
            with self._lock(branch):
                if self.is_closed(day):
                    self._days.write_closed(folder, docs, durable=not bulk)
                else:
                    fd, _, _ = self._days.append(folder, [{"put": d} for d in docs])
                    AppendLog.sync(fd)
            stored += len(docs)
        if bulk:
            os.sync()
        return stored

    def update(self, response: Response, changes: dict[str, Any]) -> bool:
        """Change fields of one stored response, durably; False if it is not stored.

        Goes through TinyDB on the day's storage, which appends the changed
        document to the day's log: the same for a closed day as for today.
        """
        folder = self._day_dir(response.branch, response.submitted.date())
        with self._lock(response.branch):
            db = TinyDB(folder, self._days, storage=DayPartitionStorage)
            try:
                changed = db.table(TABLE, cache_size=0).update(dict(changes), where("id") == response.id)
            finally:
                db.close()
        return bool(changed)

    def upgrade_logged_days(self, upgrade: Callable[[dict], dict | None]) -> int:
        """Rewrite documents of the days that have a log, where ``upgrade`` returns a new one (migrations).

        A day's log may hold newer versions of documents in its chunks, so the
        day is read whole and each upgraded document appended to its log.
        """
        upgraded = 0
        for path in list(self.log_files()):
            folder = path.parent
            branch = folder.parent.parent.name
            with self._lock(branch):
                db = TinyDB(folder, self._days, storage=DayPartitionStorage)
                try:
                    upgraded += _upgrade_table(db.table(TABLE, cache_size=0), upgrade)
                finally:
                    db.close()
        return upgraded

    def set_review(self, response: Response, review: str | None, hold_reasons: Iterable[str],
                   audit: dict[str, str]) -> Response | None:
        """Set one stored response's review state and reasons, adding ``audit`` to its trail; durably.

        Returns the response as stored now, or None when it is not (or no longer) stored.
        A document still carrying the old ``flagged`` key loses it here.
        """
        reasons = list(hold_reasons)
        changed: list[dict] = []

        def change(doc: dict) -> None:
            doc["review"] = review
            doc["hold_reasons"] = reasons
            doc["review_audit"] = [*doc.get("review_audit", []), dict(audit)]
            doc.pop("flagged", None)
            changed.append(dict(doc))

        folder = self._day_dir(response.branch, response.submitted.date())
        with self._lock(response.branch):
            db = TinyDB(folder, self._days, storage=DayPartitionStorage)
            try:
                db.table(TABLE, cache_size=0).update(change, where("id") == response.id)
            finally:
                db.close()
        return Response.from_doc(changed[-1]) if changed else None

    def remove_days_before(self, cutoff: date) -> int:
        """Delete whole days older than ``cutoff`` (retention); returns responses removed."""
        removed = 0
        for branch in self.branches():
            with self._lock(branch):
                for _day, day_dir in self.day_folders(branch, None, cutoff - timedelta(days=1)):
                    removed += len(self._days.documents(day_dir))
                    self._days.forget(day_dir)
                    for path in sorted(day_dir.iterdir()):
                        path.unlink()
                    day_dir.rmdir()  # which changes the month folder's time: cached figures see it
        return removed

    # -- reads --------------------------------------------------------------------
    def branches(self) -> list[str]:
        """Branch slugs that have at least a folder of responses."""
        if not self.root.exists():
            return []
        return sorted(p.name for p in self.root.iterdir() if p.is_dir() and _SLUG.match(p.name))

    def month_folders(self, branch: str, first: date | None, last: date | None) -> Iterator[tuple[str, Path]]:
        """A branch's month folders (``YYYY-MM``) that may hold days from ``first`` to ``last``, oldest first."""
        branch_dir = self._branch_dir(branch)
        if not branch_dir.exists():
            return
        first_month = f"{first:%Y-%m}" if first else ""
        last_month = f"{last:%Y-%m}" if last else "9999-99"
        # Compared first, matched second: a figure of a month lists three years of month names.
        for month in sorted(m for m in os.listdir(branch_dir) if first_month <= m <= last_month):
            if _MONTH_NAME.match(month):
                yield month, branch_dir / month

    def day_folders(self, branch: str, first: date | None, last: date | None) -> Iterator[tuple[date, Path]]:
        """A branch's day folders with ``first <= day <= last``, oldest first; months outside are not listed."""
        branch_dir = self._branch_dir(branch)
        if not branch_dir.exists():
            return
        first_month = f"{first:%Y-%m}" if first else ""
        last_month = f"{last:%Y-%m}" if last else "9999-99"
        for month in sorted(os.listdir(branch_dir)):
            if not _MONTH_NAME.match(month) or not (first_month <= month <= last_month):
                continue
            for day_name in sorted(os.listdir(branch_dir / month)):
                if not _DAY_NAME.match(day_name):
                    continue
                day = date.fromisoformat(f"{month}-{day_name}")
                if (first is None or day >= first) and (last is None or day <= last):
                    yield day, branch_dir / month / day_name

    def chunk_files(self, branch: str, start: datetime | None, end: datetime | None) -> Iterator[Path]:
        """The files (chunks and logs) that may hold a branch's responses from ``start`` to ``end`` (by UTC day)."""
        for _day, day_dir in self.day_folders(branch, start.date() if start else None, end.date() if end else None):
            for name in sorted(os.listdir(day_dir)):
                if is_chunk_name(name) or name == LOG_NAME:
                    yield day_dir / name

    def in_period(
        self, branch: str, start: datetime | None = None, end: datetime | None = None
    ) -> Iterator[Response]:
        """A branch's responses with ``start <= submitted_at < end`` (UTC), oldest day first.

        Only the day folders of the period are opened.
        """
        lo = start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if start else ""
        hi = end.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if end else "~"
        for _day, day_dir in self.day_folders(branch, start.date() if start else None, end.date() if end else None):
            for doc in self._days.documents(day_dir):
                if lo <= doc["submitted_at"] < hi:
                    yield Response.from_doc(doc)

    def all(self, branch: str | None = None) -> Iterator[Response]:
        """Every stored response (of one branch, or all), branch by branch, oldest first."""
        for slug in [branch] if branch else self.branches():
            yield from self.in_period(slug)

    def count(self, branch: str | None = None) -> int:
        total = 0
        for slug in [branch] if branch else self.branches():
            for _day, day_dir in self.day_folders(slug, None, None):
                total += len(self._days.documents(day_dir))
        return total

    def get(self, branch: str, response_id: str, submitted_at: str) -> Response | None:
        day = parse_utc(submitted_at).date()
        for doc in self._days.documents(self._day_dir(branch, day)):
            if doc["id"] == response_id:
                return Response.from_doc(doc)
        return None

    def forget_cached_days(self) -> None:
        """Drop this process's state of every day (benchmarks measuring a process that never read them)."""
        self._days.forget_all()

    def log_files(self) -> Iterator[Path]:
        """Every day's log (the days not compacted yet), for backups and checks."""
        for branch in self.branches():
            for _day, day_dir in self.day_folders(branch, None, None):
                path = day_dir / LOG_NAME
                if path.exists():
                    yield path

    def read_log(self, path: Path) -> list[dict]:
        """The documents a log file holds by itself (its puts, less its removals); raises if corrupt."""
        records, _ = AppendLog(path).read_from(0)
        docs: dict[str, dict] = {}
        for record in records:
            if "put" in record:
                docs[record["put"]["id"]] = record["put"]
            elif "del" in record:
                docs.pop(record["del"], None)
        return list(docs.values())
