"""An append-only file of JSON lines: the cheapest durable write there is.

A write appends whole lines to the end of the file with one ``write`` and
makes them durable with one ``fsync``; nothing already written is touched, so
a crash can only leave an incomplete *last* line, and a reader that knows
where it stopped reads only what was added since.

The rules that keep it safe:

* lines are appended only by a writer holding the partition's lock, which
  first cuts off an incomplete tail left by a writer that died or hit a full
  disk (:meth:`AppendLog.repair_tail`), so every line starts on a line;
* a reader takes only lines that end in a newline: a line still being
  written is simply not there yet;
* a line of NUL bytes is what some file systems leave of writes that never
  reached the disk before a power cut; such a write was never acknowledged
  (its fsync did not return), so the line is skipped. Any other line that
  does not parse is corruption, reported as :class:`CorruptFileError`.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from pathlib import Path

from .safe_storage import CorruptFileError, fsync_directory

__all__ = ["AppendLog", "encode_lines"]

log = logging.getLogger(__name__)


def encode_lines(records: Iterable[dict]) -> bytes:
    """Records as JSON lines (``json.dumps`` escapes newlines, so one record is one line)."""
    return b"".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
                    for r in records)


class AppendLog:
    """One log file; the caller holds the partition lock for :meth:`repair_tail` and :meth:`append`."""

    def __init__(self, path: Path):
        self.path = path

    def read_from(self, offset: int, fd: int | None = None) -> tuple[list[dict], int]:
        """Records in complete lines from byte ``offset``; and the offset just after the last one.

        ``fd``: read from this open descriptor of the log (which may since have been unlinked).
        """
        try:
            if fd is None:
                with open(self.path, "rb") as handle:
                    handle.seek(offset)
                    raw = handle.read()
            else:
                with open(fd, "rb", closefd=False) as handle:
                    handle.seek(offset)
                    raw = handle.read()
        except FileNotFoundError:
            return [], offset
        end = raw.rfind(b"\n") + 1
        records = []
        for line in raw[:end].splitlines():
            if not line.strip(b"\0 "):
                log.warning("skipped an unwritten (NUL) line in %s", self.path)
                continue
            try:
                record = json.loads(line)
            except (ValueError, UnicodeDecodeError) as exc:
                if b"\0" in line:
                    log.warning("skipped a torn line in %s", self.path)
                    continue
                raise CorruptFileError(self.path, f"line not JSON: {exc}") from None
            if not isinstance(record, dict):
                raise CorruptFileError(self.path, "line not a record")
            records.append(record)
        return records, offset + end

    def repair_tail(self, complete_until: int) -> None:
        """Cut off bytes after the last complete line (left by a writer that failed or died)."""
        try:
            size = os.stat(self.path).st_size
        except FileNotFoundError:
            return
        if size > complete_until:
            log.warning("cut %d bytes of an incomplete line off %s", size - complete_until, self.path)
            os.truncate(self.path, complete_until)

    def append(self, payload: bytes, expected_size: int) -> tuple[int, int]:
        """Append ``payload`` (whole lines) at ``expected_size``; return ``(fd, end offset)``, not yet synced.

        The caller fsyncs the returned descriptor with :meth:`sync`, after
        releasing the lock, so writers of one partition never wait for each
        other's disk flush; then it closes it. On any write error the file is
        cut back to ``expected_size`` and the error raised: nothing half
        written stays behind.
        """
        created = not self.path.exists()
        if created:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            view = memoryview(payload)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            if created:
                # The new name must survive a crash too: flush the folder (and any new parents).
                os.fsync(fd)
                self._fsync_new_folders()
        except BaseException:
            try:
                os.ftruncate(fd, expected_size)
            except OSError:
                pass  # the next writer cuts the tail (repair_tail)
            os.close(fd)
            raise
        return fd, expected_size + len(payload)

    def _fsync_new_folders(self) -> None:
        folder = self.path.parent
        # Day, month and branch folders may all be new; the root's own entry is old.
        for _ in range(3):
            fsync_directory(folder)
            folder = folder.parent

    @staticmethod
    def sync(fd: int) -> None:
        """Make what was appended durable; closes ``fd`` whatever happens."""
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
