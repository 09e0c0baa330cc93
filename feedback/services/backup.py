"""A full backup as one JSON document, and putting it back into an empty instance.

The backup holds every data file (directory with password hashes, responses,
visits, follow-ups, kept aggregates...), so it is for administrators only and
must be stored like the instance itself. The instance's secret key is not in
it: a restored instance signs sessions with its own.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import IO, Any

from ..model import format_utc
from ..store.snapshot import SnapshotError, restore_snapshot, snapshot

__all__ = ["BACKUP_FORMAT", "BackupError", "make_backup", "write_backup", "read_backup", "restore_backup"]

BACKUP_FORMAT = "guest-feedback-backup"
BACKUP_VERSION = 1


class BackupError(ValueError):
    """A file that is not a backup this version can restore."""


def make_backup(store, *, now: datetime | None = None) -> dict[str, Any]:
    return {
        "format": BACKUP_FORMAT,
        "version": BACKUP_VERSION,
        "created_at": format_utc(now or datetime.now(UTC)),
        "files": snapshot(store),
    }


def write_backup(store, out: IO[str], *, now: datetime | None = None) -> None:
    json.dump(make_backup(store, now=now), out, ensure_ascii=False, separators=(",", ":"))


def read_backup(handle: IO[str]) -> dict[str, Any]:
    try:
        data = json.load(handle)
    except ValueError as exc:
        raise BackupError(f"not JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != BACKUP_FORMAT:
        raise BackupError("not a Guest Feedback backup")
    if data.get("version") != BACKUP_VERSION:
        raise BackupError(f"backup version {data.get('version')!r} is not supported")
    if not isinstance(data.get("files"), dict):
        raise BackupError("backup has no files")
    return data


def restore_backup(store, backup: dict[str, Any]) -> int:
    """Restore into an empty instance; returns the number of data files written."""
    try:
        return restore_snapshot(store, backup["files"])
    except SnapshotError as exc:
        raise BackupError(str(exc)) from None
