"""The store's root object and the one way its repositories open a TinyDB file.

Everything that touches TinyDB lives in this package. A :class:`Store` is a
folder of TinyDB files plus a parse cache; repositories (directory, responses,
visits) hang off it and expose named functions, never ``Query`` objects.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tinydb import TinyDB
from tinydb.table import Table

from .append_log import AppendLog
from .day_partition import LOG_NAME
from .safe_storage import CorruptFileError, ParsedFileCache, SafeJSONStorage, partition_lock

__all__ = ["Store", "open_table", "read_stored_file"]


def read_stored_file(path: Path, cache: ParsedFileCache | None = None) -> object:
    """Parse one stored file, TinyDB file or day log; raises :class:`CorruptFileError` if it does not parse.

    Checking reads each file once and keeps nothing: a check of years of data must not fill memory.
    """
    if path.name == LOG_NAME:
        return AppendLog(path).read_from(0)[0]
    return SafeJSONStorage(path, cache or ParsedFileCache(max_bytes=0)).read()


@contextmanager
def open_table(path: Path, table: str, cache: ParsedFileCache) -> Iterator[Table]:
    """A TinyDB table on a :class:`SafeJSONStorage` file, for one operation.

    TinyDB's per-table query cache would go stale when another worker writes,
    so it is turned off; our parse cache checks the file's identity instead.
    """
    db = TinyDB(path, cache, storage=SafeJSONStorage)
    try:
        yield db.table(table, cache_size=0)
    finally:
        db.close()


class Store:
    """A folder of TinyDB files: ``directory.json``, ``responses/``, ``visits/``."""

    def __init__(
        self,
        data_dir: Path | str,
        *,
        cache: ParsedFileCache | None = None,
        chunk_size: int = 64,
        lock_timeout: float = 30.0,
    ):
        from .aggregates import AggregateRepository
        from .alerts import AlertRepository
        from .assignments import AssignmentRepository
        from .branch_actions import BranchActionRepository
        from .branding import BrandingFiles
        from .coaching_records import CoachingRecordRepository
        from .counters import CounterFileStorage
        from .directory import DirectoryRepository
        from .figure_cache import FigureCache
        from .followups import FollowUpRepository
        from .kiosk_activity import KioskActivityRepository
        from .outbox import OutboxRepository
        from .programme_notices import ProgrammeNoticeRepository
        from .report_batches import ReportBatchRepository
        from .response_stamps import ResponseStamps
        from .responses import ResponseRepository
        from .review_queue import ReviewQueueRepository
        from .rotating_backups import RotatingBackups
        from .signin_attempts import SignInAttemptRepository
        from .user_sessions import SessionRepository
        from .visits import VisitRepository

        self.data_dir = Path(data_dir)
        self.cache = cache or ParsedFileCache()
        self.lock_timeout = lock_timeout
        self.directory = DirectoryRepository(self)
        self.responses = ResponseRepository(self, chunk_size=chunk_size)
        self.visits = VisitRepository(self)
        self.followups = FollowUpRepository(self)
        self.response_stamps = ResponseStamps(self)
        self.aggregates = AggregateRepository(self)
        self.assignments = AssignmentRepository(self)
        self.backups = RotatingBackups(self)
        self.review_queue = ReviewQueueRepository(self)
        # Abuse-control counters shared by every worker; not data (see ``counters``).
        self.counters = CounterFileStorage(path=self.data_dir / ".counters" / "guests.json",
                                           lock=lambda: self.lock("counters"))
        self.outbox = OutboxRepository(self)
        self.alerts = AlertRepository(self)
        self.report_batches = ReportBatchRepository(self)
        self.kiosk_activity = KioskActivityRepository(self)
        self.branding = BrandingFiles(self)
        self.user_sessions = SessionRepository(self)
        self.signin_attempts = SignInAttemptRepository(self)
        self.coaching = CoachingRecordRepository(self)
        self.programme_notices = ProgrammeNoticeRepository(self)
        self.branch_actions = BranchActionRepository(self)
        # Figures worked out from closed months, kept beside the data but not data (see ``figure_cache``).
        self.figure_cache = FigureCache(self)
        # Further repositories (assignments, invitations...) are added here, one line each.

    def lock(self, name: str):
        """The cross-process lock named ``name`` (a file under ``data_dir/.locks``)."""
        return partition_lock(self.data_dir / ".locks" / f"{name}.lock", self.lock_timeout)

    def table(self, relative_path: str, table: str):
        return open_table(self.data_dir / relative_path, table, self.cache)

    def ensure(self) -> None:
        """Create the data folder; cheap and idempotent, called at start-up."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        (self.data_dir / ".locks").mkdir(exist_ok=True)

    def data_files(self) -> Iterator[Path]:
        """Every TinyDB file in the store, skipping temp files and locks (not the day logs)."""
        return (p for p in self.stored_files() if p.name.endswith(".json"))

    def stored_files(self, *, skip: tuple[str, ...] = ()) -> Iterator[Path]:
        """Every file that holds data: the TinyDB files and the response days' logs (backups copy these).

        ``skip``: top-level folders not to walk into at all.
        """
        top = str(self.data_dir)
        for root, dirs, files in os.walk(self.data_dir):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (root == top and d in skip))
            for name in sorted(files):
                if (name.endswith(".json") or name == LOG_NAME) and not name.startswith("."):
                    yield Path(root) / name

    def corrupt_files(self) -> list[CorruptFileError]:
        """Parse every data file and day log and return the ones that do not parse."""
        return self._corrupt(self.stored_files())

    def _corrupt(self, paths) -> list[CorruptFileError]:
        problems = []
        for path in paths:
            try:
                read_stored_file(path)
            except CorruptFileError as exc:
                problems.append(exc)
        return problems

    def small_files(self) -> list[Path]:
        """The files every page may need (not the response chunks), checked at start-up.

        The responses folder is not even walked: at a hundred branches it holds a hundred thousand
        files, and listing them cost every process start (a web worker, each command) two seconds.
        """
        return [p for p in self.stored_files(skip=("responses",)) if p.name.endswith(".json")]

    def corrupt_small_files(self) -> list[CorruptFileError]:
        return self._corrupt(self.small_files())

    def is_readable(self) -> bool:
        """True once the directory file parses (what ``/healthz`` reports)."""
        try:
            self.directory.branches()
        except (CorruptFileError, OSError):
            return False
        return True
