"""The branches' "you said, we did" log: ``branch_actions.json``.

A few lines a month per branch (what guests said, what we did, when), read
by the console, the reports and the posters.
"""

from __future__ import annotations

from tinydb import where

from ..model import BranchAction

__all__ = ["BranchActionRepository"]

FILE = "branch_actions.json"
TABLE = "actions"


class BranchActionRepository:
    """Named functions over ``branch_actions.json``."""

    def __init__(self, store):
        self._store = store

    def add(self, action: BranchAction) -> BranchAction:
        with self._store.lock("branch_actions"), self._store.table(FILE, TABLE) as t:
            t.insert(action.to_doc())
        return action

    def for_branch(self, branch: str, since: str | None = None) -> list[BranchAction]:
        """A branch's actions done on or after the local date ``since``, most recent first."""
        with self._store.table(FILE, TABLE) as t:
            docs = t.search(where("branch") == branch)
        found = [BranchAction.from_doc(d) for d in docs if since is None or d["done_on"] >= since]
        return sorted(found, key=lambda a: (a.done_on, a.recorded_at), reverse=True)
