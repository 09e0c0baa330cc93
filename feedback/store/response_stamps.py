"""A cheap stamp of a branch's response files for a span of time, for caching figures.

Reports compare a staff member with the branch and the whole system; summing
every other branch's responses for each report would make one person's report
slower as the system grows. A service may instead keep a computed summary
while the stamp of the files it came from is unchanged.

Every writer of a day folder (an answer appended, an update, a compaction, a
bulk load) also sets the time of the day's *month* folder, and creating or
removing a day folder changes it anyway: so a settled month is stamped by one
``stat`` of its month folder, however many days and answers it holds.

A folder's time has the kernel's coarse resolution, so two writes within one
tick could leave it unchanged; a month changed in the last two seconds is
therefore stamped day by day, and each such day by its folder and log (or,
changed in the last two seconds too, file by file), as git treats "racily
clean" index entries. Taking a stamp never parses a file.
"""

from __future__ import annotations

import os
import time
from datetime import date, datetime

from .day_partition import LOG_NAME

__all__ = ["ResponseStamps"]


class ResponseStamps:
    def __init__(self, store):
        self._store = store

    #: A folder changed more recently than this is stamped by what it holds.
    RACY_SECONDS = 2.0

    def of_period(self, branch: str, start: datetime | None, end: datetime | None) -> tuple:
        """The identity of every response folder (or racy file) that may hold ``start <= submitted_at < end``."""
        stamp: list = []
        racy_after = time.time_ns() - int(self.RACY_SECONDS * 1e9)
        # The response repository owns the file layout; we only look at what it would open.
        first, last = (start.date() if start else None), (end.date() if end else None)
        for month, folder in self._store.responses.month_folders(branch, first, last):
            try:
                info = os.stat(folder)
            except FileNotFoundError:  # removed by retention between listing and stat
                continue
            if info.st_mtime_ns < racy_after:
                stamp.append((month, info.st_ino, info.st_mtime_ns))
                continue
            self._days(branch, max(first, month_start(month)) if first else month_start(month),
                       min(last, month_end(month)) if last else month_end(month), racy_after, stamp)
        return tuple(stamp)

    def _days(self, branch: str, first: date, last: date, racy_after: int, stamp: list) -> None:
        for day, folder in self._store.responses.day_folders(branch, first, last):
            try:
                info = os.stat(folder)
            except FileNotFoundError:
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


def month_start(month: str) -> date:
    return date.fromisoformat(f"{month}-01")


def month_end(month: str) -> date:
    start = month_start(month)
    following = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)
