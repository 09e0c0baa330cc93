"""A TinyDB storage that survives crashes and concurrent writers.

TinyDB's own ``JSONStorage`` rewrites its file in place and has no lock, so two
processes lose each other's writes and a crash mid-write leaves a torn file.
:class:`SafeJSONStorage` plugs into TinyDB's two-method storage seam and fixes
both in one place:

* every write goes to a temporary file in the same folder, is fsynced, then
  ``os.replace``-d over the old file, and the folder is fsynced: a reader or a
  crash sees either the old file or the new one, never half of one;
* the caller holds a cross-process lock across the whole read-modify-write
  (see :mod:`.locks`), so no write is lost;
* parsed files are cached per process while their identity (inode, size,
  mtime) is unchanged, because parsing is most of the cost of a TinyDB write
  and other worker processes may have replaced the file meanwhile.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from .locks import partition_lock

__all__ = [
    "CorruptFileError",
    "ParsedFileCache",
    "SafeJSONStorage",
    "atomic_write_bytes",
    "fsync_directory",
    "partition_lock",
]

#: A file's identity: when any part changes, the cached parse is stale.
FileIdentity = tuple[int, int, int]


class CorruptFileError(RuntimeError):
    """A data file exists but does not parse; we refuse to write over it."""

    def __init__(self, path: Path, reason: str):
        super().__init__(f"data file {path} is corrupt ({reason}); refusing to use it")
        self.path = path
        self.reason = reason


def _identity(stat: os.stat_result) -> FileIdentity:
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


class ParsedFileCache:
    """Process-wide cache of parsed JSON files, bounded by their size on disk.

    Entries are keyed by path and trusted only while the file's identity is
    unchanged. Least recently used files are dropped once the total exceeds
    ``max_bytes``, so a long report over years of data cannot exhaust memory.
    """

    # Parsed JSON takes several times its size on disk in memory; the figures caches above the
    # store keep what reports reuse, so this needs to hold the files of a few days, not of years.
    def __init__(self, max_bytes: int = 32 * 1024 * 1024):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, tuple[FileIdentity, dict]] = OrderedDict()
        self._bytes = 0
        self._mutex = threading.Lock()

    def get(self, path: str, identity: FileIdentity) -> dict | None:
        with self._mutex:
            entry = self._entries.get(path)
            if entry is None or entry[0] != identity:
                return None
            self._entries.move_to_end(path)
            return entry[1]

    def put(self, path: str, identity: FileIdentity, data: dict) -> None:
        with self._mutex:
            self._drop(path)
            self._entries[path] = (identity, data)
            self._bytes += identity[1]
            while self._bytes > self.max_bytes and len(self._entries) > 1:
                oldest = next(iter(self._entries))
                self._drop(oldest)

    def invalidate(self, path: str) -> None:
        with self._mutex:
            self._drop(path)

    def clear(self) -> None:
        with self._mutex:
            self._entries.clear()
            self._bytes = 0

    def _drop(self, path: str) -> None:
        entry = self._entries.pop(path, None)
        if entry is not None:
            self._bytes -= entry[0][1]


def fsync_directory(directory: Path) -> None:
    """Make a rename durable: the new directory entry must reach the disk too."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, payload: bytes) -> os.stat_result:
    """Replace ``path`` with ``payload`` so that a crash leaves old or new, never half.

    Returns the stat of the new file so the caller can cache it by identity.
    On any error (disk full, I/O error) the old file is untouched and the
    temporary file is removed.
    """
    directory = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(payload)
            tmp.flush()
            os.fsync(tmp.fileno())
            stat = os.fstat(tmp.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise
    fsync_directory(directory)
    return stat


class SafeJSONStorage(Storage):
    """TinyDB storage with atomic replace-on-write and an identity-checked parse cache.

    The storage does not lock by itself: TinyDB calls ``read`` and ``write``
    separately, so the lock must wrap the whole TinyDB operation. The store's
    repositories do that with :func:`partition_lock`.
    """

    def __init__(self, path: Path | str, cache: ParsedFileCache, create_dirs: bool = True):
        self.path = Path(path)
        self._key = str(self.path)
        self._cache = cache
        self._create_dirs = create_dirs

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            return None
        identity = _identity(stat)
        data = self._cache.get(self._key, identity)
        if data is None:
            data = self._parse()
            if data is None:
                return None
            self._cache.put(self._key, identity, data)
        # A shallow copy of each table, so TinyDB's insert and remove, which
        # rebuild the table dict, never alter what other readers see.
        return {name: dict(table) for name, table in data.items()}

    def _parse(self) -> dict | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        if not raw:
            # An empty file is what TinyDB's own storage creates; treat as empty.
            return None
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise CorruptFileError(self.path, f"invalid JSON: {exc}") from None
        if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
            raise CorruptFileError(self.path, "not a TinyDB document")
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        if self._create_dirs:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            stat = atomic_write_bytes(self.path, payload)
        except BaseException:
            # TinyDB may have changed documents in place before calling us.
            self._cache.invalidate(self._key)
            raise
        self._cache.put(self._key, _identity(stat), data)
