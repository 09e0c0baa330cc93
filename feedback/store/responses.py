"""Guest responses, partitioned so that a write costs the same in year five as on day one.

Layout: ``responses/<branch>/<YYYY-MM>/<DD>/<NNN>.json``, one TinyDB file a
*chunk*. A branch's responses for one UTC day go into numbered chunks of at
most ``chunk_size`` documents; when the newest chunk is full the next one is
started. So a write rewrites one bounded file whatever the store holds, and a
read for a branch and period opens only that period's month folders.

Idempotency: a client sends the same key (and the same answer time) with every
retry, so a retry lands in the same branch-day; the key is looked up in that
day's chunks (and the day before, just after midnight) under the branch lock.
"""

from __future__ import annotations

import os
import re
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from tinydb import where

from ..model import Response, parse_utc
from .safe_storage import SafeJSONStorage

__all__ = ["ResponseRepository"]

TABLE = "responses"
_CHUNK_NAME = re.compile(r"^(\d{3})\.json$")
_MONTH_NAME = re.compile(r"^\d{4}-\d\d$")
_DAY_NAME = re.compile(r"^\d\d$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
#: How close to midnight a retry may be to be looked for in the previous day.
_MIDNIGHT_WINDOW = timedelta(minutes=30)
#: How many chunks' idempotency keys a process remembers (about 10 MB at most).
_KEYS_CACHE_CHUNKS = 2048


class ResponseRepository:
    """Named functions over the partitioned response files."""

    def __init__(self, store, chunk_size: int = 64):
        self._store = store
        self.chunk_size = chunk_size
        self.root = store.data_dir / "responses"
        # path -> (identity or None when final, keys); least recently used dropped first.
        self._keys_cache: OrderedDict[str, tuple[tuple | None, frozenset[str]]] = OrderedDict()

    # -- paths ------------------------------------------------------------------
    def _branch_dir(self, branch: str) -> Path:
        if not _SLUG.match(branch):
            raise ValueError(f"not a branch slug: {branch!r}")
        return self.root / branch

    def _day_dir(self, branch: str, day: date) -> Path:
        return self._branch_dir(branch) / f"{day:%Y-%m}" / f"{day:%d}"

    def _chunks_of_day(self, branch: str, day: date) -> list[Path]:
        """The day's chunk files, oldest first."""
        folder = self._day_dir(branch, day)
        return [folder / n for n in self._chunk_names(folder)]

    @staticmethod
    def _chunk_names(folder: Path) -> list[str]:
        """Names (not paths: this is on every write's path) of a day folder's chunks, oldest first."""
        try:
            return sorted(n for n in os.listdir(folder) if _CHUNK_NAME.match(n))
        except FileNotFoundError:
            return []

    def _chunk_path(self, branch: str, day: date, number: int) -> Path:
        return self._day_dir(branch, day) / f"{number:03d}.json"

    def _read(self, path: Path) -> dict:
        data = SafeJSONStorage(path, self._store.cache).read() or {}
        return data.get(TABLE, {})

    # -- writes -------------------------------------------------------------------
    def add(self, response: Response, *, key_since: date | None = None) -> tuple[Response, bool]:
        """Store one response durably; return it and whether it was new.

        A response whose idempotency key is already stored is not stored
        again: the stored one is returned with ``False``. ``key_since``, when
        the key is known to date from an earlier day (a form page shown
        yesterday), widens the search back to that day (at most a week).
        """
        day = response.submitted.date()
        with self._store.lock(f"responses-{response.branch}"):
            if response.idempotency_key:
                existing = self._find_key(response.branch, response.submitted, response.idempotency_key,
                                          key_since)
                if existing is not None:
                    return existing, False
            target = self._writable_chunk(response.branch, day)
            with self._store.table(str(target.relative_to(self._store.data_dir)), TABLE) as t:
                t.insert(response.to_doc())
        return response, True

    def _writable_chunk(self, branch: str, day: date) -> Path:
        folder = self._day_dir(branch, day)
        names = self._chunk_names(folder)
        if not names:
            return self._chunk_path(branch, day, 0)
        newest = folder / names[-1]
        if len(self._read(newest)) < self.chunk_size:
            return newest
        number = int(_CHUNK_NAME.match(names[-1]).group(1)) + 1
        return self._chunk_path(branch, day, number)

    def _find_key(self, branch: str, moment: datetime, key: str, since: date | None = None) -> Response | None:
        days = [moment.date()]
        if moment - datetime.combine(moment.date(), datetime.min.time(), UTC) < _MIDNIGHT_WINDOW:
            days.append(moment.date() - timedelta(days=1))
        if since is not None:
            earliest = max(since, moment.date() - timedelta(days=7))
            day = moment.date() - timedelta(days=1)
            while day >= earliest:
                if day not in days:
                    days.append(day)
                day -= timedelta(days=1)
        for day in days:
            folder = self._day_dir(branch, day)
            for name in self._chunk_names(folder):
                path = os.path.join(folder, name)
                if key in self._keys_of(path):
                    with self._store.table(os.path.relpath(path, self._store.data_dir), TABLE) as t:
                        doc = t.get(where("idempotency_key") == key)
                    if doc is not None:
                        return Response.from_doc(doc)
        return None

    def _keys_of(self, path: str) -> frozenset[str]:
        """The idempotency keys in one chunk.

        Keys are never changed once written and a chunk only grows while it
        is the newest, so the keys of a chunk seen *full* are final and need
        no ``stat``; only a chunk that still had room is checked against its
        file's identity (another worker may have added to it).
        """
        cached = self._keys_cache.get(path)
        if cached is not None:
            self._keys_cache.move_to_end(path)
            if cached[0] is None:
                return cached[1]
        stat = os.stat(path)
        identity = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
        if cached is not None and cached[0] == identity:
            return cached[1]
        docs = self._read(Path(path)).values()
        keys = frozenset(d["idempotency_key"] for d in docs if d.get("idempotency_key"))
        self._keys_cache[path] = (None if len(docs) >= self.chunk_size else identity, keys)
        while len(self._keys_cache) > _KEYS_CACHE_CHUNKS:
            self._keys_cache.popitem(last=False)
        return keys

    def add_many(self, responses: Iterable[Response]) -> int:
        """Store many responses with one write per chunk (seeding, restore, benchmarks).

        No idempotency check: meant for bulk loads, not for guests' submissions.
        """
        grouped: dict[tuple[str, date], list[dict]] = defaultdict(list)
        for response in responses:
            grouped[(response.branch, response.submitted.date())].append(response.to_doc())
        stored = 0
        for (branch, day), docs in sorted(grouped.items()):
            with self._store.lock(f"responses-{branch}"):
                while docs:
                    target = self._writable_chunk(branch, day)
                    room = self.chunk_size - len(self._read(target)) if target.exists() else self.chunk_size
                    batch, docs = docs[:room], docs[room:]
                    with self._store.table(str(target.relative_to(self._store.data_dir)), TABLE) as t:
                        t.insert_multiple(batch)
                    stored += len(batch)
        return stored

    def set_review(self, response: Response, review: str | None, hold_reasons: Iterable[str],
                   audit: dict[str, str]) -> Response | None:
        """Set one stored response's review state and reasons, adding ``audit`` to its trail.

        Returns the response as stored now, or None when it is not (or no longer) stored.
        A document written before review states loses its old ``flagged`` key here.
        """
        reasons = list(hold_reasons)
        changed: list[dict] = []

        def change(doc: dict) -> None:
            doc["review"] = review
            doc["hold_reasons"] = reasons
            doc["review_audit"] = [*doc.get("review_audit", []), dict(audit)]
            doc.pop("flagged", None)
            changed.append(dict(doc))

        with self._store.lock(f"responses-{response.branch}"):
            for path in self._chunks_of_day(response.branch, response.submitted.date()):
                with self._store.table(str(path.relative_to(self._store.data_dir)), TABLE) as t:
                    if t.update(change, where("id") == response.id):
                        return Response.from_doc(changed[-1])
        return None

    def remove_days_before(self, cutoff: date) -> int:
        """Delete whole day chunks older than ``cutoff`` (retention); returns responses removed."""
        removed = 0
        for branch in self.branches():
            with self._store.lock(f"responses-{branch}"):
                for _day, day_dir in self.day_folders(branch, None, cutoff - timedelta(days=1)):
                    for path in sorted(day_dir.iterdir()):
                        if _CHUNK_NAME.match(path.name):
                            removed += len(self._read(path))
                            self._store.cache.invalidate(str(path))
                        path.unlink()
                    day_dir.rmdir()
        return removed

    # -- reads --------------------------------------------------------------------
    def branches(self) -> list[str]:
        """Branch slugs that have at least a folder of responses."""
        if not self.root.exists():
            return []
        return sorted(p.name for p in self.root.iterdir() if p.is_dir() and _SLUG.match(p.name))

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
        """The chunk files that may hold a branch's responses from ``start`` to ``end`` (by UTC day)."""
        for _day, day_dir in self.day_folders(branch, start.date() if start else None, end.date() if end else None):
            for name in sorted(os.listdir(day_dir)):
                if _CHUNK_NAME.match(name):
                    yield day_dir / name

    def in_period(
        self, branch: str, start: datetime | None = None, end: datetime | None = None
    ) -> Iterator[Response]:
        """A branch's responses with ``start <= submitted_at < end`` (UTC), oldest file first.

        Only the files of the months in the period are opened.
        """
        lo = start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if start else ""
        hi = end.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if end else "~"
        for path in self.chunk_files(branch, start, end):
            for doc in self._read(path).values():
                if lo <= doc["submitted_at"] < hi:
                    yield Response.from_doc(doc)

    def all(self, branch: str | None = None) -> Iterator[Response]:
        """Every stored response (of one branch, or all), branch by branch, oldest first."""
        for slug in [branch] if branch else self.branches():
            yield from self.in_period(slug)

    def count(self, branch: str | None = None) -> int:
        total = 0
        for slug in [branch] if branch else self.branches():
            for path in self.chunk_files(slug, None, None):
                total += len(self._read(path))
        return total

    def get(self, branch: str, response_id: str, submitted_at: str) -> Response | None:
        day = parse_utc(submitted_at).date()
        for path in self._chunks_of_day(branch, day):
            for doc in self._read(path).values():
                if doc["id"] == response_id:
                    return Response.from_doc(doc)
        return None
