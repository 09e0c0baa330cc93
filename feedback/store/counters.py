"""Counters shared by every worker process: a small JSON file under a cross-process lock.

Abuse control counts answers per (keyed-hashed) client address and per kiosk.
Per-process memory would give each gunicorn worker its own count, so a limit
of 300 a minute would really be 300 times the number of workers; the counts
therefore live in one file in the instance's data folder, read, changed and
replaced under the store's lock.

:class:`CounterFileStorage` implements the storage interface of the ``limits``
library (the one Flask-Limiter uses), so the well-kept rate-limit strategies
and the ``"120 per 10 minutes"`` notation work on it unchanged. Counters are
not data: a lost or unreadable file only forgets recent counts, so a write is
an in-place rewrite without fsync, and the folder (``.counters``) is left out
of backups and ``flask check``. Keys are what callers give; callers give
keyed hashes, never an address.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from limits.storage import Storage

__all__ = ["CounterFileStorage"]


class CounterFileStorage(Storage):
    """Fixed-window counters in one JSON file: ``{key: [count, expires_at]}``, expired keys pruned."""

    STORAGE_SCHEME = ["feedback-counters"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, *,
                 path: Path | str | None = None, lock: Callable[[], AbstractContextManager] | None = None,
                 **options: Any):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        if path is None:
            if not uri or "://" not in uri:
                raise ValueError("CounterFileStorage needs a path or a feedback-counters:///path URI")
            path = uri.split("://", 1)[1]
        self.path = Path(path)
        if lock is None:
            from filelock import FileLock

            def lock() -> AbstractContextManager:
                return FileLock(str(self.path) + ".lock", timeout=10)
        self._lock = lock  # a factory: the store's locks are made when first used

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return OSError

    # -- the file ---------------------------------------------------------------
    def _load(self, now: float) -> dict[str, list[float]]:
        try:
            with open(self.path, encoding="utf-8") as handle:
                data = json.load(handle)
        except (FileNotFoundError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {k: v for k, v in data.items() if isinstance(v, list) and len(v) == 2 and v[1] > now}

    def _save(self, data: dict[str, list[float]]) -> None:
        """Rewrite the file in place, under the caller's lock.

        Not the store's atomic replace: on ext4 a rename over a file forces
        its data to disk first (``auto_da_alloc``), which made one count cost
        4 ms here against under 1 ms in place. A crash mid-write can only
        leave a file that does not parse, which reads as "no recent counts".
        """
        body = json.dumps(data, separators=(",", ":")).encode()
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except FileNotFoundError:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            os.pwrite(fd, body, 0)
            os.ftruncate(fd, len(body))
        finally:
            os.close(fd)

    # -- the limits storage interface ---------------------------------------------
    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        with self._lock():
            data = self._load(now)
            count, expires = data.get(key, [0, now + expiry])
            data[key] = [int(count) + amount, expires]
            self._save(data)
        return int(count) + amount

    def incr_many(self, keys: dict[str, int], amount: int = 1) -> dict[str, int]:
        """Increment several counters (key to expiry in seconds) in one read-modify-write."""
        now = time.time()
        counts: dict[str, int] = {}
        with self._lock():
            data = self._load(now)
            for key, expiry in keys.items():
                count, expires = data.get(key, [0, now + expiry])
                data[key] = [int(count) + amount, expires]
                counts[key] = int(count) + amount
            self._save(data)
        return counts

    def get(self, key: str) -> int:
        entry = self._load(time.time()).get(key)
        return int(entry[0]) if entry else 0

    def get_expiry(self, key: str) -> float:
        now = time.time()
        entry = self._load(now).get(key)
        return float(entry[1]) if entry else now

    def check(self) -> bool:
        return self.path.parent.is_dir()

    def reset(self) -> int | None:
        with self._lock():
            count = len(self._load(time.time()))
            self._save({})
        return count

    def clear(self, key: str) -> None:
        with self._lock():
            data = self._load(time.time())
            if data.pop(key, None) is not None:
                self._save(data)
