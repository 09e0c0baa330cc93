"""A cheap stamp of a branch's response files for a span of time, for caching figures.

Reports compare a staff member with the branch and the whole system; summing
every other branch's responses for each report would make one person's report
slower as the system grows. A service may instead keep a computed summary
while the stamp of the files it came from is unchanged.

A closed day changes only by files renamed into or out of its folder
(compaction, retention, a first late answer creating its log), which changes
the folder's modification time; an open day changes by appends to its log,
which do not, so a day that has a log adds the log's size and time. The stamp
is one ``stat`` a day folder plus one for a log, however many responses the
day holds. A folder's time has the kernel's coarse resolution, so two writes
within one tick could leave it unchanged; a folder changed in the last two
seconds is therefore stamped file by file instead (as git treats "racily
clean" index entries). Taking a stamp never parses a file.
"""

from __future__ import annotations

import os
import time
from datetime import datetime

from .day_partition import LOG_NAME

__all__ = ["ResponseStamps"]


class ResponseStamps:
    def __init__(self, store):
        self._store = store

    #: A folder changed more recently than this is stamped file by file.
    RACY_SECONDS = 2.0

    def of_period(self, branch: str, start: datetime | None, end: datetime | None) -> tuple:
        """The identity of every response folder (or racy file) that may hold ``start <= submitted_at < end``."""
        stamp = []
        racy_after = time.time_ns() - int(self.RACY_SECONDS * 1e9)
        # The response repository owns the file layout; we only look at what it would open.
        first, last = (start.date() if start else None), (end.date() if end else None)
        for day, folder in self._store.responses.day_folders(branch, first, last):
            try:
                info = os.stat(folder)
            except FileNotFoundError:  # removed by retention between listing and stat
                continue
            if info.st_mtime_ns < racy_after:
                try:
                    log_info = os.stat(folder / LOG_NAME)
                except FileNotFoundError:
                    stamp.append((day.isoformat(), info.st_ino, info.st_mtime_ns))
                    continue
                stamp.append((day.isoformat(), info.st_ino, info.st_mtime_ns,
                              log_info.st_ino, log_info.st_size, log_info.st_mtime_ns))
                continue
            for name in sorted(os.listdir(folder)):
                try:
                    file_info = os.stat(folder / name)
                except FileNotFoundError:
                    continue
                stamp.append((day.isoformat(), name, file_info.st_ino, file_info.st_size, file_info.st_mtime_ns))
        return tuple(stamp)
