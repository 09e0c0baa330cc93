"""The cross-process lock every writer holds across a read-modify-write.

A blocking ``flock(2)`` on a small lock file: the kernel wakes a waiting
process the moment the holder releases (no polling interval to sleep
through), and releases the lock itself when a holder dies, so a crashed
worker can never leave a branch locked. Each acquisition opens its own file
descriptor, so threads of one process exclude each other too.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

__all__ = ["FlockLock", "partition_lock"]


class FlockLock:
    """``with FlockLock(path): ...`` holds an exclusive ``flock`` on ``path`` for the block.

    Not re-entrant: taking the same lock again inside the block waits forever,
    as with any plain mutex. ``timeout`` is kept for callers that pass one; a
    blocking ``flock`` cannot time out, and needs not, since a dead holder
    releases it and a hung one is ended by the server's worker timeout.
    """

    def __init__(self, path: Path | str, timeout: float | None = None):
        self.path = str(path)
        self.timeout = timeout
        self._fds: list[int] = []

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(fd)
            raise
        self._fds.append(fd)

    def release(self) -> None:
        fd = self._fds.pop()
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    @property
    def is_locked(self) -> bool:
        return bool(self._fds)

    def __enter__(self) -> FlockLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def partition_lock(lock_path: Path, timeout: float = 30.0) -> FlockLock:
    """The cross-process lock a writer holds across read-modify-write of a partition."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    return FlockLock(lock_path, timeout)
