"""Staff accounts: a ``staff`` user linked to one staff member, who then sees their own coaching.

An administrator links (or unlinks) the account; one staff member has at
most one account, so nobody else reads their plan.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import StaffMember, User
from .accounts import create_user
from .setup import SetupError
from .words import gettext_anywhere as _

__all__ = ["StaffAccount", "staff_accounts", "link_staff_account", "create_staff_account"]


@dataclass(frozen=True)
class StaffAccount:
    user: User
    member: StaffMember | None


def staff_accounts(store) -> list[StaffAccount]:
    """Every ``staff`` account with the staff member it is linked to (None if not yet linked)."""
    members = {m.id: m for m in store.directory.staff(include_inactive=True)}
    users = sorted(store.directory.users(role="staff"), key=lambda u: u.email)
    return [StaffAccount(u, members.get(u.staff_member or "")) for u in users]


def _check_free(store, staff_id: str, user_id: str | None) -> None:
    if store.directory.staff_member(staff_id) is None:
        raise SetupError("staff_member", _("Choose one of the staff members."))
    taken = [u for u in store.directory.users(role="staff") if u.staff_member == staff_id and u.id != user_id]
    if taken:
        raise SetupError("staff_member", _("This staff member already has an account: %(email)s.",
                                           email=taken[0].email))


def link_staff_account(store, user_id: str, staff_id: str | None) -> None:
    """Link a staff account to a staff member (``None`` unlinks it)."""
    user = store.directory.user(user_id)
    if user is None or user.role != "staff":
        raise SetupError("staff_member", _("Only an account with the staff role can be linked."))
    if staff_id:
        _check_free(store, staff_id, user_id)
    store.directory.update_user(user_id, staff_member=staff_id or None)


def create_staff_account(store, *, email: str, password: str, staff_id: str, display_name: str = "") -> User:
    """A new ``staff`` account linked to ``staff_id``; nothing is created when the member has an account."""
    _check_free(store, staff_id, None)
    user = create_user(store, email=email, password=password, role="staff", display_name=display_name)
    store.directory.update_user(user.id, staff_member=staff_id)
    return store.directory.user(user.id)
