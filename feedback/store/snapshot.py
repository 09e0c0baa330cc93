"""A whole store as one JSON-able value, and back: the basis of backup and restore.

Working file by file (rather than repository by repository) means a backup
holds every kind of record, including ones added after this module was
written, and a restore reproduces each file's documents in their order, so
exports of the restored store match the original byte for byte.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from .append_log import encode_lines
from .day_partition import LOG_NAME, TABLE
from .safe_storage import SafeJSONStorage, atomic_write_bytes

__all__ = ["snapshot", "restore_snapshot", "holds_data", "SnapshotError"]

# The schema marker says what this store's documents are, not what a backup's are: never copied,
# and a restore ends with a migration of whatever version the backup's documents have.
_NOT_DATA = {"schema.json"}


class SnapshotError(ValueError):
    """A snapshot that cannot be restored here, with a reason fit to show."""


def snapshot(store) -> dict[str, Any]:
    """``{relative path: file content}`` for every data file, paths sorted."""
    files: dict[str, Any] = {}
    for path in store.stored_files():
        relative = path.relative_to(store.data_dir).as_posix()
        if relative in _NOT_DATA:
            continue
        if path.name == LOG_NAME:
            # A day's log is kept as the table of what it holds; restored, it is a log again.
            docs = store.responses.read_log(path)
            if docs:
                files[relative] = {TABLE: {str(i): doc for i, doc in enumerate(docs, start=1)}}
            continue
        # Locks keep each file consistent while it is read; files are replaced atomically.
        data = SafeJSONStorage(path, store.cache).read()
        if data:
            files[relative] = data
    return files


def holds_data(store) -> bool:
    return any(p.relative_to(store.data_dir).as_posix() not in _NOT_DATA for p in store.stored_files())


def _safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or path.name.startswith(".") \
            or not (name.endswith(".json") or (path.name == LOG_NAME and path.parts[0] == "responses")):
        raise SnapshotError(f"not a data file name: {name!r}")
    return path


def restore_snapshot(store, files: dict[str, Any]) -> int:
    """Write every file of a snapshot into an empty store; returns how many files."""
    if holds_data(store):
        raise SnapshotError("this instance already holds data; restore only into an empty one")
    checked = {}
    for name, content in files.items():
        relative = _safe_relative(name)
        if not isinstance(content, dict) or not all(isinstance(t, dict) for t in content.values()):
            raise SnapshotError(f"{name}: not a table document")
        checked[relative] = content
    store.ensure()
    for relative, content in sorted(checked.items()):
        if relative.as_posix() in _NOT_DATA:
            continue
        target = store.data_dir / relative
        if relative.name == LOG_NAME:
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(target, encode_lines({"put": doc} for doc in content.get(TABLE, {}).values()))
            continue
        SafeJSONStorage(target, store.cache).write(content)
    from .migrations import migrate

    migrate(store)  # a backup made by an earlier release holds documents of its version
    return len([r for r in checked if r.as_posix() not in _NOT_DATA])
