"""Failed sign-ins, counted per key: ``signin_attempts.json``.

The keys are keyed hashes made by the sign-in service (of an account, or of an
account and a client); this file never holds an e-mail address or a client's
IP address. A record is ``{key, failures: [UTC times], locked_until}``; records
with nothing recent are dropped on every write, so the file stays small.
"""

from __future__ import annotations

from datetime import datetime

from tinydb import where

from ..model import format_utc, parse_utc

__all__ = ["AttemptRecord", "SignInAttemptRepository"]

FILE = "signin_attempts.json"
TABLE = "attempts"


class AttemptRecord:
    """Recent failures of one key, and the lock on it if there is one."""

    def __init__(self, failures: list[datetime], locked_until: datetime | None):
        self.failures = failures
        self.locked_until = locked_until


class SignInAttemptRepository:
    def __init__(self, store):
        self._store = store

    def records(self, keys: list[str], *, since: datetime) -> dict[str, AttemptRecord]:
        """The record of each of ``keys`` (failures since ``since`` only); keys with none are absent."""
        with self._store.table(FILE, TABLE) as t:
            docs = t.search(where("key").one_of(keys))
        found = {}
        for doc in docs:
            failures = [parse_utc(s) for s in doc["failures"] if parse_utc(s) >= since]
            locked = parse_utc(doc["locked_until"]) if doc.get("locked_until") else None
            found[doc["key"]] = AttemptRecord(failures, locked)
        return found

    def add_failure(self, keys: list[str], *, at: datetime, keep_since: datetime,
                    lock: dict[str, datetime] | None = None) -> None:
        """Count one failure on each of ``keys`` (and lock those in ``lock``), in one write."""
        stamp, since = format_utc(at), format_utc(keep_since)
        lock = lock or {}
        with self._store.lock("signin_attempts"), self._store.table(FILE, TABLE) as t:
            for key in keys:
                doc = t.get(where("key") == key)
                failures = [s for s in (doc["failures"] if doc else []) if s >= since] + [stamp]
                locked = format_utc(lock[key]) if key in lock else (doc or {}).get("locked_until")
                if doc:
                    t.update({"failures": failures, "locked_until": locked}, where("key") == key)
                else:
                    t.insert({"key": key, "failures": failures, "locked_until": locked})
            t.remove((where("failures").test(lambda f: not f or f[-1] < since))
                     & where("locked_until").test(lambda u: not u or u < stamp))

    def clear(self, keys: list[str]) -> None:
        with self._store.lock("signin_attempts"), self._store.table(FILE, TABLE) as t:
            t.remove(where("key").one_of(keys))

    def clear_prefix(self, prefix: str) -> None:
        """Forget every record whose key starts with ``prefix`` (all of one account's, after a new password)."""
        with self._store.lock("signin_attempts"), self._store.table(FILE, TABLE) as t:
            t.remove(where("key").test(lambda k: k.startswith(prefix)))
