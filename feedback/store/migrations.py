"""Schema versions of stored documents, and the step that brings old documents up to date.

Every document a model class stores carries ``"schema": N`` (see
``model._Document``). Documents written before versions existed have no such
key and are version 1. :data:`STEPS` holds, for each kind, one function per
version that turns a version-``N`` document into version ``N + 1``; a step
never reads the app's config or other documents, so it can be tested on a
document alone.

:func:`migrate` walks every data file of a known kind and rewrites each
document below the current version, under the same lock its repository takes.
It runs at start-up (``store.init_app``) and as ``flask migrate``; a marker file
(``schema.json``) records that the store is current, so a normal start costs
one small read. A document of a *newer* version than this code knows is left
as it is (``_Document`` keeps keys it does not know), and counted in the result
so the operator sees that newer code has written here.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..model import (
    SCHEMA_KEY,
    Assignment,
    Branch,
    BranchAction,
    CoachingRecord,
    Desk,
    FollowUp,
    Kiosk,
    ProgrammeNotice,
    Response,
    StaffMember,
    User,
    Visit,
)

__all__ = ["CURRENT", "KINDS", "STEPS", "MigrationResult", "migrate", "migrate_if_needed", "upgrade_document"]

Step = Callable[[dict[str, Any]], dict[str, Any]]
MARKER = "schema.json"


@dataclass(frozen=True)
class Kind:
    """Where documents of one model class live: a file pattern, a table, and the lock writers take."""

    name: str
    files: str  # fnmatch pattern relative to the data folder
    table: str
    lock: str  # the store lock its repository holds; "responses-{branch}" is filled in per file
    cls: type


KINDS: tuple[Kind, ...] = (
    Kind("branch", "directory.json", "branches", "directory", Branch),
    Kind("desk", "directory.json", "desks", "directory", Desk),
    Kind("staff", "directory.json", "staff", "directory", StaffMember),
    Kind("user", "directory.json", "users", "directory", User),
    Kind("kiosk", "directory.json", "kiosks", "directory", Kiosk),
    Kind("response", "responses/*/*.json", "responses", "responses-{branch}", Response),
    Kind("visit", "visits/*.json", "visits", "visits", Visit),
    Kind("followup", "followups.json", "followups", "followups", FollowUp),
    Kind("assignment", "assignments.json", "assignments", "assignments", Assignment),
    Kind("coaching_record", "coaching/*.json", "record", "coaching-{stem}", CoachingRecord),
    Kind("programme_notice", "programme_notices.json", "notices", "programme_notices", ProgrammeNotice),
    Kind("branch_action", "branch_actions.json", "actions", "branch_actions", BranchAction),
)


def _versioned(doc: dict[str, Any]) -> dict[str, Any]:
    """1 -> 2 for every kind: the document states its version."""
    return {**doc, SCHEMA_KEY: 2}


def _user_1_to_2(doc: dict[str, Any]) -> dict[str, Any]:
    """Sign-in failures moved out of the account into keyed-hash counters (``signin_attempts``).

    The old per-account lock (``locked_until``) is dropped rather than carried
    over: it is the lock that let anyone lock an administrator out.
    """
    return _versioned({k: v for k, v in doc.items() if k not in ("failed_logins", "locked_until")})


def _response_2_to_3(doc: dict[str, Any]) -> dict[str, Any]:
    """The burst flag became a review state: ``flagged: true`` is an answer held for review (reason burst).

    Held answers count in no figure until a manager confirms them; the first
    reader of the review queue lists them (``store.review_queue.ensure``).
    """
    upgraded = {k: v for k, v in doc.items() if k != "flagged"}
    if doc.get("flagged") and "review" not in doc:
        upgraded.update(review="held", hold_reasons=["burst"])
    upgraded[SCHEMA_KEY] = 3
    return upgraded


STEPS: dict[str, dict[int, Step]] = {kind.name: {1: _versioned} for kind in KINDS}
STEPS["user"][1] = _user_1_to_2
STEPS["response"][2] = _response_2_to_3
CURRENT: dict[str, int] = {kind.name: kind.cls.SCHEMA for kind in KINDS}


def upgrade_document(kind: str, doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` brought to the current version of ``kind``, one step at a time (unchanged if current or newer)."""
    version = int(doc.get(SCHEMA_KEY, 1))
    while version < CURRENT[kind]:
        doc = STEPS[kind][version](doc)
        if int(doc.get(SCHEMA_KEY, 1)) != version + 1:
            raise RuntimeError(f"migration step {kind} {version} did not produce version {version + 1}")
        version += 1
    return doc


@dataclass
class MigrationResult:
    upgraded: dict[str, int] = field(default_factory=dict)  # kind -> documents rewritten
    newer: dict[str, int] = field(default_factory=dict)  # kind -> documents from newer code, left as they are

    @property
    def total(self) -> int:
        return sum(self.upgraded.values())


def _files_of(store, kind: Kind) -> list[str]:
    return sorted(rel for rel in (str(p.relative_to(store.data_dir)) for p in store.data_files())
                  if fnmatch.fnmatch(rel, kind.files))


def _migrate_table(store, kind: Kind, relative: str, result: MigrationResult) -> None:
    from tinydb.table import Document

    # "{branch}": the folder a response file is in; "{stem}": the file's own name (a coaching record's staff id).
    lock = kind.lock.format(branch=relative.split("/")[1] if kind.lock.endswith("{branch}") else "",
                            stem=relative.rsplit("/", 1)[-1].removesuffix(".json"))
    with store.lock(lock), store.table(relative, kind.table) as t:
        docs = t.all()
        changed = []
        for doc in docs:
            version = int(doc.get(SCHEMA_KEY, 1))
            if version > CURRENT[kind.name]:
                result.newer[kind.name] = result.newer.get(kind.name, 0) + 1
            elif version < CURRENT[kind.name]:
                changed.append(Document(upgrade_document(kind.name, dict(doc)), doc_id=doc.doc_id))
        if changed:
            t.remove(doc_ids=[d.doc_id for d in changed])
            t.insert_multiple(changed)
            result.upgraded[kind.name] = result.upgraded.get(kind.name, 0) + len(changed)


def _migrate_day_logs(store, kind: Kind, result: MigrationResult) -> None:
    """Responses of days not yet compacted live in the day's log: upgraded through the day's storage."""
    def upgrade(doc: dict[str, Any]) -> dict[str, Any] | None:
        version = int(doc.get(SCHEMA_KEY, 1))
        if version > CURRENT[kind.name]:
            result.newer[kind.name] = result.newer.get(kind.name, 0) + 1
        elif version < CURRENT[kind.name]:
            return upgrade_document(kind.name, dict(doc))
        return None

    upgraded = store.responses.upgrade_logged_days(upgrade)
    if upgraded:
        result.upgraded[kind.name] = result.upgraded.get(kind.name, 0) + upgraded


def _marker_level(store) -> dict[str, int]:
    if not (store.data_dir / MARKER).exists():
        return {}
    with store.table(MARKER, "levels") as t:
        return {d["kind"]: d["version"] for d in t.all()}


def _write_marker(store) -> None:
    with store.table(MARKER, "levels") as t:
        t.truncate()
        t.insert_multiple([{"kind": kind, "version": version} for kind, version in sorted(CURRENT.items())])


def migrate(store) -> MigrationResult:
    """Rewrite every stored document below its current version; safe to run again at any time."""
    result = MigrationResult()
    with store.lock("migrations"):
        for kind in KINDS:
            for relative in _files_of(store, kind):
                _migrate_table(store, kind, relative, result)
            if kind.name == "response":
                _migrate_day_logs(store, kind, result)
        _write_marker(store)
    return result


def migrate_if_needed(store) -> MigrationResult | None:
    """:func:`migrate` unless the marker says the store is already current (the start-up path)."""
    if _marker_level(store) == CURRENT:
        return None
    return migrate(store)
