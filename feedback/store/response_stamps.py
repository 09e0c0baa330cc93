"""A cheap stamp of a branch's response files for a span of time, for caching figures.

Reports compare a staff member with the branch and the whole system; summing
every other branch's responses for each report would make one person's report
slower as the system grows. A service may instead keep a computed summary
while the stamp of the files it came from is unchanged: the stamp lists each
file's name, size and modification time, so any added, flagged or removed
response changes it. Taking a stamp stats files; it never parses them.
"""

from __future__ import annotations

import os
from datetime import datetime

__all__ = ["ResponseStamps"]


class ResponseStamps:
    def __init__(self, store):
        self._store = store

    def of_period(self, branch: str, start: datetime | None, end: datetime | None) -> tuple:
        """The identity of every response file that may hold ``start <= submitted_at < end``."""
        stamp = []
        # The response repository owns the file layout; we only look at what it would open.
        for path in self._store.responses.chunk_files(branch, start, end):
            try:
                info = os.stat(path)
            except FileNotFoundError:  # removed by retention between listing and stat
                continue
            stamp.append((path.parent.name, path.name, info.st_ino, info.st_size, info.st_mtime_ns))
        return tuple(stamp)
