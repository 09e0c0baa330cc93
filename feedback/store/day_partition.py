"""One branch-day of responses: compacted TinyDB chunks plus an append-only log.

A day folder ``responses/<branch>/<YYYY-MM>/<DD>/`` holds

* ``NNN.json``: TinyDB files written whole when the day was *compacted*
  (or, in stores written by earlier versions, numbered chunks of the day);
* ``log.jsonl``: every change since, one line each: ``{"put": doc}`` stores
  a response (new, or a new version of it), ``{"del": id}`` removes one.

The day's documents are the chunks' documents, in file order, then the log
replayed on top, keyed by the response ``id``. Replaying is idempotent, which
is what makes compaction crash-safe: it writes the merged documents as new
chunks (atomic replace), removes chunk files left over, and removes the log
last, so a crash at any step leaves files that merge to the same documents.

:class:`DayPartitionStorage` is the TinyDB storage of a day, so TinyDB stays
the query layer (``get``, ``update``, ``search``): its ``read`` returns the
merged table and its ``write`` appends only what changed. Guests' answers
skip even that and append one line (:meth:`DayPartitions.append`).

Each process keeps the merged state of recently used days that have a log,
with how far into the log it has read; since a log only grows, catching up
with another worker's writes reads just the new bytes. The state is trusted
while the chunk files and the log's inode are unchanged.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from .append_log import AppendLog, encode_lines
from .safe_storage import ParsedFileCache, SafeJSONStorage, fsync_directory

__all__ = ["LOG_NAME", "TABLE", "DayPartitionStorage", "DayPartitions", "DayState", "is_chunk_name", "touch_month"]

TABLE = "responses"
LOG_NAME = "log.jsonl"
_CHUNK_NAME = re.compile(r"^(\d{3})\.json$")
#: How many days' merged state a process keeps (days with a log: today's, a few late ones).
_STATES_KEPT = 512


def is_chunk_name(name: str) -> bool:
    return bool(_CHUNK_NAME.match(name))


def _copy_doc(doc: dict) -> dict:
    """A copy TinyDB may change in place (``update`` does) without touching the cached one."""
    return {k: (dict(v) if isinstance(v, dict) else list(v) if isinstance(v, list) else v) for k, v in doc.items()}


@dataclass
class DayState:
    """The merged documents of one day as far as its log has been read."""

    chunks: tuple  # ((name, inode, size, mtime_ns), ...) of the chunk files merged
    log_inode: int | None
    offset: int  # bytes of the log read (complete lines only)
    tail: bytes = b""  # the last line read, ending at ``offset``: the log must still hold it there
    docs: dict[str, dict] = field(default_factory=dict)  # response id -> document, in stored order
    keys: dict[str, str] = field(default_factory=dict)  # idempotency key -> response id

    def apply(self, records: list[dict]) -> None:
        for record in records:
            doc = record.get("put")
            if doc is not None:
                self._put(doc)
            elif "del" in record:
                old = self.docs.pop(record["del"], None)
                if old is not None and old.get("idempotency_key"):
                    self.keys.pop(old["idempotency_key"], None)

    def _put(self, doc: dict) -> None:
        self.docs[doc["id"]] = doc
        if doc.get("idempotency_key"):
            self.keys[doc["idempotency_key"]] = doc["id"]


class DayPartitions:
    """Reads, appends to and compacts day folders; the caller holds the branch lock to write."""

    def __init__(self, cache: ParsedFileCache, chunk_size: int = 64):
        self._cache = cache
        self.chunk_size = chunk_size
        self._states: OrderedDict[str, DayState] = OrderedDict()
        self._mutex = threading.RLock()

    # -- reading -------------------------------------------------------------------
    @staticmethod
    def _listing(folder: Path) -> tuple[list[str], bool]:
        try:
            names = os.listdir(folder)
        except FileNotFoundError:
            return [], False
        return sorted(n for n in names if _CHUNK_NAME.match(n)), LOG_NAME in names

    def _chunk_docs(self, folder: Path, names: list[str]) -> tuple[tuple, list[dict]]:
        identities, docs = [], []
        for name in names:
            path = folder / name
            storage = SafeJSONStorage(path, self._cache)
            data = storage.read() or {}
            try:
                stat = os.stat(path)
                identities.append((name, stat.st_ino, stat.st_size, stat.st_mtime_ns))
            except FileNotFoundError:  # compacted away meanwhile: the caller reads again
                identities.append((name, 0, 0, 0))
            docs.extend(data.get(TABLE, {}).values())
        return tuple(identities), docs

    def documents(self, folder: Path) -> list[dict]:
        """The day's documents (shared with the caches: do not change them)."""
        names, has_log = self._listing(folder)
        if not has_log:
            # A closed day: its chunks alone. Chunks of one day never repeat an id,
            # except just after a crash mid-compaction, which the log then covers.
            if len(names) == 1:
                data = SafeJSONStorage(folder / names[0], self._cache).read() or {}
                return list(data.get(TABLE, {}).values())
            _, docs = self._chunk_docs(folder, names)
            return list({d["id"]: d for d in docs}.values())
        with self._mutex:
            return list(self._state(folder, False).docs.values())

    def state(self, folder: Path, *, writing: bool = False) -> DayState:
        """The day's merged state, caught up with its log.

        ``writing`` (the branch lock is held): an incomplete last line is cut
        off, so the next append starts on a line of its own.
        """
        with self._mutex:
            return self._state(folder, writing)

    def _state(self, folder: Path, writing: bool) -> DayState:
        key = str(folder)
        log_file = AppendLog(folder / LOG_NAME)
        for _attempt in range(5):
            # Open the log before reading the chunks: a compaction meanwhile writes the new
            # chunks before it unlinks the log, and an open log can still be read whole.
            try:
                fd = os.open(log_file.path, os.O_RDONLY | os.O_CLOEXEC)
            except FileNotFoundError:
                fd = None
            try:
                log_stat = os.fstat(fd) if fd is not None else None
                names, _ = self._listing(folder)
                chunk_ids = tuple(self._identity(folder, n) for n in names)
                log_inode = log_stat.st_ino if log_stat else None
                state = self._states.get(key)
                if state is not None and (state.chunks != chunk_ids or state.log_inode != log_inode
                                          or (log_stat is not None and log_stat.st_size < state.offset)
                                          or (fd is not None and not _still_holds(fd, state))):
                    state = None
                if state is None:
                    read_ids, docs = self._chunk_docs(folder, names)
                    if read_ids != chunk_ids:
                        continue  # a compaction replaced files while we read: read again
                    state = DayState(chunk_ids, log_inode, 0)
                    for doc in docs:
                        state._put(doc)
                if log_stat is not None and log_stat.st_size > state.offset:
                    records, offset = log_file.read_from(state.offset, fd)
                    state.apply(records)
                    state.offset = offset
                    state.tail = _last_line(os.pread(fd, _TAIL, max(0, offset - _TAIL))[:min(_TAIL, offset)])
                if writing and log_stat is not None:
                    log_file.repair_tail(state.offset)
            finally:
                if fd is not None:
                    os.close(fd)
            self._states[key] = state
            self._states.move_to_end(key)
            while len(self._states) > _STATES_KEPT:
                self._states.popitem(last=False)
            return state
        raise RuntimeError(f"{folder} kept changing while it was read")

    @staticmethod
    def _identity(folder: Path, name: str) -> tuple:
        try:
            stat = os.stat(folder / name)
        except FileNotFoundError:
            return (name, 0, 0, 0)
        return (name, stat.st_ino, stat.st_size, stat.st_mtime_ns)

    def forget_all(self) -> None:
        with self._mutex:
            self._states.clear()

    def forget(self, folder: Path) -> None:
        with self._mutex:
            self._states.pop(str(folder), None)
        for name in self._listing(folder)[0]:
            self._cache.invalidate(str(folder / name))

    # -- writing (the branch lock is held) --------------------------------------------
    def append(self, folder: Path, records: list[dict], state: DayState | None = None) -> tuple[int, int, int]:
        """Append ``records`` to the day's log; return ``(fd, start, end)`` for :meth:`AppendLog.sync`.

        ``state``: the day's state just read under the same lock, if the caller has it.
        """
        state = state or self.state(folder, writing=True)
        start = state.offset
        payload = encode_lines(records)
        fd, end = AppendLog(folder / LOG_NAME).append(payload, start)
        try:
            stat = os.fstat(fd)
        except OSError:
            os.close(fd)
            raise
        if state.log_inode is None:
            state.log_inode = stat.st_ino
        # What readers of this process see is parsed from the line written: never the caller's objects.
        with self._mutex:
            state.apply([json.loads(line) for line in payload.splitlines()])
            state.offset = end
            state.tail = _last_line((state.tail + payload)[-_TAIL:])
        touch_month(folder)
        return fd, start, end

    def undo_append(self, folder: Path, start: int, end: int, ids: list[str]) -> None:
        """Take back an append whose fsync failed (the guest was told it was not stored).

        By a removal record, never by cutting the file: other processes may
        already have read the lines, and a log only ever grows under them.
        """
        fd, _, _ = self.append(folder, [{"del": i} for i in ids])
        try:
            AppendLog.sync(fd)
        except OSError:
            pass  # the disk is failing; the removal is at least what every reader now sees

    def compact(self, folder: Path) -> bool:
        """Rewrite the day as chunks of the merged documents and drop its log; False if nothing to do."""
        names, has_log = self._listing(folder)
        if not has_log:
            return False
        state = self.state(folder, writing=True)
        docs = list(state.docs.values())
        chunks = [docs[i:i + self.chunk_size] for i in range(0, len(docs), self.chunk_size)]
        written = set()
        for number, chunk in enumerate(chunks):
            name = f"{number:03d}.json"
            SafeJSONStorage(folder / name, self._cache).write(
                {TABLE: {str(i): doc for i, doc in enumerate(chunk, start=1)}})
            written.add(name)
        for name in names:
            if name not in written:
                os.unlink(folder / name)
                self._cache.invalidate(str(folder / name))
        fsync_directory(folder)
        # The log goes last: until it is gone, replaying it over any mix of old and new chunks is right.
        os.unlink(folder / LOG_NAME)
        fsync_directory(folder)
        touch_month(folder)
        with self._mutex:
            self._states.pop(str(folder), None)
        return True

    def write_closed(self, folder: Path, new_docs: list[dict], *, durable: bool = True) -> None:
        """Add documents to a closed day as compacted chunks (bulk loads): no log line at all."""
        existing = self.documents(folder)
        if (folder / LOG_NAME).exists():
            existing = list(self.state(folder, writing=True).docs.values())
        merged = {d["id"]: d for d in existing}
        merged.update((d["id"], d) for d in new_docs)
        docs = list(merged.values())
        folder.mkdir(parents=True, exist_ok=True)
        names, has_log = self._listing(folder)
        written = set()
        for number in range(0, max(1, (len(docs) + self.chunk_size - 1) // self.chunk_size)):
            chunk = docs[number * self.chunk_size:(number + 1) * self.chunk_size]
            name = f"{number:03d}.json"
            path = folder / name
            table = {TABLE: {str(i): doc for i, doc in enumerate(chunk, start=1)}}
            if durable:
                SafeJSONStorage(path, self._cache).write(table)
            else:
                _write_fast(path, table)
                self._cache.invalidate(str(path))
            written.add(name)
        for name in names:
            if name not in written:
                os.unlink(folder / name)
                self._cache.invalidate(str(folder / name))
        if has_log:
            if durable:
                fsync_directory(folder)
            os.unlink(folder / LOG_NAME)
        if durable:
            fsync_directory(folder)
        touch_month(folder)
        with self._mutex:
            self._states.pop(str(folder), None)


def touch_month(day_folder: Path) -> None:
    """Mark the month folder as changed: what lets a month's figures be stamped by one ``stat``.

    Appends and compaction change files inside a day folder, which leaves the
    month folder's own time alone; every writer sets it, so a cache of a
    month's figures need only look at the month folder (see ``response_stamps``).
    """
    os.utime(day_folder.parent)


#: At most this much of the last line read is kept to check against the file (see ``_still_holds``).
_TAIL = 4096


def _last_line(data: bytes) -> bytes:
    """The last whole line of ``data`` (which ends with a newline), or its end if longer than ``_TAIL``."""
    start = data.rfind(b"\n", 0, len(data) - 1) + 1
    return data[start:]


def _still_holds(fd: int, state: DayState) -> bool:
    """Whether the log still ends its first ``offset`` bytes with what this process read there.

    A log only grows, but a writer that failed may cut back bytes it wrote
    (see :meth:`AppendLog.append`) which another process may have read; a
    state that no longer matches the file is read again from the start.
    """
    if not state.tail:
        return True
    return os.pread(fd, len(state.tail), state.offset - len(state.tail)) == state.tail


def _write_fast(path: Path, table: dict) -> None:
    """Write a whole file by rename without fsync: bulk loads sync the file system once at the end."""
    tmp = path.with_name(f".{path.name}.bulk.tmp")
    tmp.write_bytes(json.dumps(table, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    os.replace(tmp, path)


class DayPartitionStorage(Storage):
    """TinyDB storage of one day folder: reads the merged day, writes by appending the difference.

    Used inside the branch lock, for one TinyDB operation at a time.
    """

    def __init__(self, folder: Path | str, partitions: DayPartitions):
        self.folder = Path(folder)
        self._partitions = partitions
        self._read_docs: dict[str, dict] = {}

    def read(self) -> dict[str, dict[str, Any]] | None:
        state = self._partitions.state(self.folder, writing=True)
        self._read_docs = dict(state.docs)
        return {TABLE: {str(i): _copy_doc(doc) for i, doc in enumerate(state.docs.values(), start=1)}}

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        new = {doc["id"]: doc for doc in data.get(TABLE, {}).values()}
        records: list[dict] = [{"put": doc} for i, doc in new.items() if self._read_docs.get(i) != doc]
        records += [{"del": i} for i in self._read_docs if i not in new]
        if not records:
            return
        fd, _start, _end = self._partitions.append(self.folder, records)
        AppendLog.sync(fd)  # a manager's update, not a guest's answer: synced under the lock, simply
