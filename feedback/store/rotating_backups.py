"""Automatic rotating backups of the data folder, cheap enough to take every day.

A backup is a real copy, never a link to a live data file: damage done to
a data file in place (a disk error, a hand edit) must not reach its backup.
Like ``rsync --link-dest``, a file unchanged since the previous backup (same
size and modification time) is hard-linked to that backup's copy instead of
copied again, so a daily backup of years of responses copies only the few
files written since yesterday. Backups live in
``<instance>/backups/<UTC stamp>/`` and the oldest are dropped beyond ``keep``.

``restore_file`` puts back one corrupt file from the newest backup holding a
version that parses, moving the corrupt one aside rather than deleting it.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .base import read_stored_file
from .safe_storage import CorruptFileError

__all__ = ["RotatingBackups"]

_STAMP = "%Y%m%dT%H%M%SZ"


class RotatingBackups:
    def __init__(self, store, keep: int = 7):
        self._store = store
        self.keep = keep
        self.root = store.data_dir.parent / "backups"

    def list(self) -> list[Path]:
        """Backups, newest first."""
        if not self.root.exists():
            return []
        found = [p for p in self.root.iterdir() if p.is_dir() and not p.name.startswith(".")]
        return sorted(found, key=lambda p: p.name, reverse=True)

    def newest_age(self, now: datetime | None = None) -> timedelta | None:
        backups = self.list()
        if not backups:
            return None
        taken = datetime.strptime(backups[0].name, _STAMP).replace(tzinfo=UTC)
        return (now or datetime.now(UTC)) - taken

    def take(self, now: datetime | None = None) -> Path:
        """Copy the data folder into a new backup (unchanged files linked to the previous backup)."""
        now = now or datetime.now(UTC)
        # Closed days become files that never change again, so the next backups link them.
        self._store.responses.compact_closed(now)
        with self._store.lock("backups"):
            target = self.root / now.strftime(_STAMP)
            previous = next(iter(self.list()), None)
            partial = self.root / f".{target.name}.partial"
            shutil.rmtree(partial, ignore_errors=True)
            for path in self._store.stored_files():
                relative = path.relative_to(self._store.data_dir)
                (partial / relative).parent.mkdir(parents=True, exist_ok=True)
                try:
                    self._copy_or_link(path, partial / relative, previous / relative if previous else None)
                except FileNotFoundError:  # removed by retention meanwhile
                    continue
            partial.mkdir(parents=True, exist_ok=True)
            if target.exists():
                shutil.rmtree(partial)
            else:
                os.replace(partial, target)
            for old in self.list()[self.keep:]:
                shutil.rmtree(old, ignore_errors=True)
        return target

    @staticmethod
    def _copy_or_link(source: Path, destination: Path, earlier: Path | None) -> None:
        info = source.stat()
        if earlier is not None:
            try:
                before = earlier.stat()
            except FileNotFoundError:
                before = None
            if before and before.st_size == info.st_size and before.st_mtime_ns == info.st_mtime_ns:
                os.link(earlier, destination)
                return
        shutil.copy2(source, destination)

    def take_if_older_than(self, interval: timedelta, now: datetime | None = None) -> Path | None:
        age = self.newest_age(now)
        if age is not None and age < interval:
            return None
        return self.take(now)

    def restore_file(self, path: Path, now: datetime | None = None) -> Path | None:
        """Replace a corrupt data file by the newest backed-up version that parses.

        The corrupt file is kept beside it as ``<name>.corrupt-<stamp>``.
        Returns the backup the file came from, or None if no backup has a
        good copy (then nothing is changed).
        """
        relative = path.relative_to(self._store.data_dir)
        for backup in self.list():
            candidate = backup / relative
            if not candidate.exists():
                continue
            try:
                read_stored_file(candidate)
            except CorruptFileError:
                continue
            stamp = (now or datetime.now(UTC)).strftime(_STAMP)
            with self._store.lock("backups"):
                if path.exists():
                    os.replace(path, path.with_name(f"{path.name}.corrupt-{stamp}"))
                shutil.copy2(candidate, path)
            self._store.cache.invalidate(str(path))
            return backup
        return None
