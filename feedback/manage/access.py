"""Who may see what in the manager console.

Admins see every branch; managers only the branches on their account;
reviewers and shoppers none. A branch the user may not see answers 404, the
same as one that does not exist, so its existence is not given away.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from ..auth.session import role_required
from ..model import Branch
from ..store import current_store

__all__ = ["manager_required", "admin_required", "visible_branches", "visible_branch_or_404", "branch_scope"]

manager_required = role_required("manager")
admin_required = role_required("admin")


def visible_branches() -> list[Branch]:
    """The branches the signed-in user may see, by name."""
    every = current_store().directory.branches(include_inactive=True)
    mine = [b for b in every if current_user.can_see_branch(b.slug)]
    return sorted(mine, key=lambda b: (not b.active, b.name))


def visible_branch_or_404(slug: str) -> Branch:
    branch = current_store().directory.branch(slug)
    if branch is None or not current_user.can_see_branch(slug):
        abort(404)
    return branch


def branch_scope(slug: str | None) -> list[Branch]:
    """One visible branch, or every visible one when ``slug`` is empty; 404 for any other."""
    if slug:
        return [visible_branch_or_404(slug)]
    return visible_branches()
