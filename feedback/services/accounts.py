"""User accounts: creating them with a hashed password (checking one is ``signin``'s job).

Passwords are hashed with Werkzeug's default (scrypt); the hash is all the
store ever holds.
"""

from __future__ import annotations

from werkzeug.security import generate_password_hash

from ..model import ROLES, User, new_id

__all__ = ["MIN_PASSWORD_LENGTH", "create_user", "set_language", "AccountError"]

MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    """A user could not be created or changed, with a reason fit to show."""


def create_user(store, *, email: str, password: str, role: str, branches: list[str] | None = None,
                display_name: str = "") -> User:
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise AccountError(f"not an e-mail address: {email!r}")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    known = {b.slug for b in store.directory.branches(include_inactive=True)}
    unknown = set(branches or []) - known
    if unknown:
        raise AccountError(f"unknown branches: {', '.join(sorted(unknown))}")
    user = User(
        id=new_id(),
        email=email,
        password_hash=generate_password_hash(password),
        role=role,
        branches=sorted(branches or []),
        display_name=display_name or email.split("@")[0],
    )
    return store.directory.add_user(user)



def set_language(store, user_id: str, language: str, languages: list[str]) -> None:
    """Save the language ``user_id`` reads pages, e-mails and reports in (one of ``languages``)."""
    if language not in languages:
        raise AccountError(f"language must be one of {', '.join(languages)}")
    if store.directory.user(user_id) is None:
        raise AccountError("no such user")
    store.directory.update_user(user_id, language=language)
