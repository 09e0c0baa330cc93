"""Figures worked out from a closed month's answers, kept on disk: ``data/.figures/<kind>/<branch>/<YYYY-MM>.json``.

A dashboard of a hundred branches reads a year of months; worked out from
the answers, the first view after a start (or in each new web worker) took
seconds per month. A closed month's answers rarely change, so its figures
are kept here with the stamp of the files they came from
(``store.response_stamps``) and read back only while that stamp is the same:
a late answer, a review decision, a compaction or a purge changes the stamp,
and the figures are worked out again.

This is a cache, not data: nothing here is backed up or checked (the folder
starts with a dot, as the counters' does), a file that does not parse or
holds another stamp is ignored, and deleting the folder loses nothing. So a
write needs no fsync: an atomic rename keeps a half-written file from ever
being read.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["FigureCache"]

_NAME = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
_MONTH = re.compile(r"^\d{4}-\d\d$")


class FigureCache:
    def __init__(self, store):
        self.root = Path(store.data_dir) / ".figures"

    def _path(self, kind: str, branch: str, month: str) -> Path | None:
        if not (_NAME.match(kind) and _NAME.match(branch) and _MONTH.match(month)):
            return None
        return self.root / kind / branch / f"{month}.json"

    def get(self, kind: str, branch: str, month: str, stamp: Any) -> Any | None:
        """The figures kept for this month under exactly ``stamp`` (JSON-comparable), else None."""
        path = self._path(kind, branch, month)
        if path is None:
            return None
        try:
            with path.open("rb") as handle:
                doc = json.load(handle)
        except (OSError, ValueError):
            return None
        if not isinstance(doc, dict) or doc.get("stamp") != _plain(stamp):
            return None
        return doc.get("figures")

    def put(self, kind: str, branch: str, month: str, stamp: Any, figures: Any) -> None:
        """Keep ``figures`` (JSON) for this month under ``stamp``; a failure only costs the next reader time."""
        path = self._path(kind, branch, month)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"stamp": _plain(stamp), "figures": figures}, handle, separators=(",", ":"))
            os.replace(temp, path)
        except OSError:
            try:
                os.unlink(temp)
            except (OSError, UnboundLocalError):
                pass


def _plain(value: Any) -> Any:
    """Tuples as lists, as JSON reads them back, so a stamp compares equal after a round trip."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
