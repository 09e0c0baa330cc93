"""Who and where: branches, desks, staff, users, kiosks and settings.

All of it is small and changes rarely, so it lives in one file,
``directory.json``, one TinyDB table a kind. Every write holds the
``directory`` lock across read-modify-write, so uniqueness checks hold even
with several worker processes.
"""

from __future__ import annotations

from typing import Any, TypeVar

from tinydb import where

from ..model import Branch, Desk, Kiosk, StaffMember, User

__all__ = ["DirectoryRepository", "DuplicateError", "NotFoundError"]

FILE = "directory.json"
T = TypeVar("T", Branch, Desk, StaffMember, User, Kiosk)


class DuplicateError(ValueError):
    """Something with the same unique key (slug, code, e-mail) already exists."""


class NotFoundError(LookupError):
    """No record with that key."""


def _matches(**key: Any):
    condition = None
    for name, value in key.items():
        part = where(name) == value
        condition = part if condition is None else condition & part
    return condition


class DirectoryRepository:
    """Named functions over ``directory.json``."""

    def __init__(self, store):
        self._store = store

    # -- generic, private ------------------------------------------------
    def _all(self, table: str, cls: type[T], **key: Any) -> list[T]:
        with self._store.table(FILE, table) as t:
            docs = t.search(_matches(**key)) if key else t.all()
        return [cls.from_doc(d) for d in docs]

    def _one(self, table: str, cls: type[T], **key: Any) -> T | None:
        with self._store.table(FILE, table) as t:
            doc = t.get(_matches(**key))
        return cls.from_doc(doc) if doc else None

    def _insert_unique(self, table: str, record: T, **unique: Any) -> T:
        with self._store.lock("directory"), self._store.table(FILE, table) as t:
            for name, value in unique.items():
                if t.contains(where(name) == value):
                    raise DuplicateError(f"{table}: {name} {value!r} already exists")
            t.insert(record.to_doc())
        return record

    def _update(self, table: str, fields: dict[str, Any], **key: Any) -> None:
        with self._store.lock("directory"), self._store.table(FILE, table) as t:
            if not t.update(fields, _matches(**key)):
                raise NotFoundError(f"{table}: no record {key}")

    def add_many(self, *, branches: list[Branch] = (), desks: list[Desk] = (),
                 staff: list[StaffMember] = ()) -> int:
        """Add many records with one write a table (large seeds); ones whose key exists are skipped."""
        added = 0
        plan = [("branches", branches, ("slug",)), ("desks", desks, ("branch", "slug")),
                ("staff", staff, ("code",))]
        with self._store.lock("directory"):
            for table, records, key in plan:
                if not records:
                    continue
                with self._store.table(FILE, table) as t:
                    seen = {tuple(d.get(k) for k in key) for d in t.all()}
                    docs = []
                    for record in records:
                        doc = record.to_doc()
                        if tuple(doc.get(k) for k in key) not in seen:
                            seen.add(tuple(doc.get(k) for k in key))
                            docs.append(doc)
                    t.insert_multiple(docs)
                    added += len(docs)
        return added

    # -- branches and desks ----------------------------------------------
    def add_branch(self, branch: Branch) -> Branch:
        return self._insert_unique("branches", branch, slug=branch.slug)

    def branches(self, *, include_inactive: bool = False) -> list[Branch]:
        found = self._all("branches", Branch)
        return [b for b in found if include_inactive or b.active]

    def branch(self, slug: str) -> Branch | None:
        return self._one("branches", Branch, slug=slug)

    def update_branch(self, slug: str, **fields: Any) -> None:
        self._update("branches", fields, slug=slug)

    def add_desk(self, desk: Desk) -> Desk:
        with self._store.lock("directory"), self._store.table(FILE, "desks") as t:
            if t.contains(_matches(branch=desk.branch, slug=desk.slug)):
                raise DuplicateError(f"desk {desk.branch}/{desk.slug} already exists")
            t.insert(desk.to_doc())
        return desk

    def desks(self, branch: str | None = None) -> list[Desk]:
        return self._all("desks", Desk, **({"branch": branch} if branch else {}))

    def desk(self, branch: str, slug: str) -> Desk | None:
        return self._one("desks", Desk, branch=branch, slug=slug)

    def update_desk(self, branch: str, slug: str, **fields: Any) -> None:
        self._update("desks", fields, branch=branch, slug=slug)

    # -- staff -------------------------------------------------------------
    def add_staff(self, member: StaffMember) -> StaffMember:
        return self._insert_unique("staff", member, id=member.id, code=member.code)

    def staff(self, branch: str | None = None, *, include_inactive: bool = False) -> list[StaffMember]:
        found = self._all("staff", StaffMember, **({"branch": branch} if branch else {}))
        return [s for s in found if include_inactive or s.active]

    def staff_member(self, staff_id: str) -> StaffMember | None:
        return self._one("staff", StaffMember, id=staff_id)

    def staff_by_code(self, code: str) -> StaffMember | None:
        return self._one("staff", StaffMember, code=code)

    def update_staff(self, staff_id: str, **fields: Any) -> None:
        self._update("staff", fields, id=staff_id)

    # -- users ---------------------------------------------------------------
    def add_user(self, user: User) -> User:
        user.email = user.email.strip().lower()
        return self._insert_unique("users", user, id=user.id, email=user.email)

    def users(self, role: str | None = None) -> list[User]:
        return self._all("users", User, **({"role": role} if role else {}))

    def user(self, user_id: str) -> User | None:
        return self._one("users", User, id=user_id)

    def user_by_email(self, email: str) -> User | None:
        return self._one("users", User, email=email.strip().lower())

    def update_user(self, user_id: str, **fields: Any) -> None:
        self._update("users", fields, id=user_id)

    # -- kiosks --------------------------------------------------------------
    def add_kiosk(self, kiosk: Kiosk) -> Kiosk:
        return self._insert_unique("kiosks", kiosk, token=kiosk.token)

    def kiosks(self, branch: str | None = None) -> list[Kiosk]:
        return self._all("kiosks", Kiosk, **({"branch": branch} if branch else {}))

    def kiosk(self, token: str) -> Kiosk | None:
        return self._one("kiosks", Kiosk, token=token)

    def update_kiosk(self, token: str, **fields: Any) -> None:
        self._update("kiosks", fields, token=token)

    # -- settings (one document of installation-wide values) ------------------
    def settings(self) -> dict[str, Any]:
        with self._store.table(FILE, "settings") as t:
            doc = t.get(doc_id=1)
        return dict(doc) if doc else {}

    def update_settings(self, **values: Any) -> None:
        with self._store.lock("directory"), self._store.table(FILE, "settings") as t:
            if t.get(doc_id=1) is None:
                t.insert(values)
            else:
                t.update(values, doc_ids=[1])

    def is_empty(self) -> bool:
        return not self.branches(include_inactive=True) and not self.users()
