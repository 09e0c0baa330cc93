"""Administrator set-up: branches, desks, staff, users, survey texts and retention.

Each function checks its input and raises :class:`SetupError` naming the
field at fault, so a page can show the message next to that field. Nothing
is ever deleted: branches, desks, staff and users are *deactivated*, so their
history (responses, visits, reports) stays whole.
"""

from __future__ import annotations

import re
import secrets
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import gettext as _

from ..model import ROLES, Branch, Desk, StaffMember, User, new_id
from ..store import DuplicateError
from .accounts import AccountError, create_user
from .retention import MIN_RETENTION_DAYS
from .surveys import Survey, editing_surveys, surveys_from_settings

__all__ = [
    "SetupError",
    "add_branch",
    "update_branch",
    "add_desk",
    "update_desk",
    "add_staff",
    "update_staff",
    "add_user",
    "update_user",
    "survey_to_dict",
    "set_survey_texts",
    "set_retention_days",
]

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # nothing that reads as another character
MAX_RETENTION_DAYS = 3650


class SetupError(ValueError):
    """Input an administrator must correct; ``field`` names the form field."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def _name(value: str, field: str = "name") -> str:
    value = (value or "").strip()
    if not value or len(value) > 120:
        raise SetupError(field, _("Give a name of 1 to 120 characters."))
    return value


def _other_names(names: dict[str, str] | None) -> dict[str, str]:
    """Names in other languages: each checked like a name, an empty one left out (the main name shows)."""
    return {language: _name(text, f"name_{language}") for language, text in (names or {}).items()
            if (text or "").strip()}


def _slug(value: str) -> str:
    value = (value or "").strip().lower()
    if not _SLUG.match(value):
        raise SetupError("slug", _("Use lower-case letters, digits and dashes only (for example: main-desk)."))
    return value


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise SetupError("timezone", _("Not a time zone; use a name such as Europe/Copenhagen.")) from None
    return value


def _known_branch(store, slug: str, field: str = "branch") -> Branch:
    branch = store.directory.branch(slug or "")
    if branch is None:
        raise SetupError(field, _("Choose one of the branches."))
    return branch


# -- branches and desks ---------------------------------------------------------
def add_branch(store, *, slug: str, name: str, timezone: str) -> Branch:
    try:
        return store.directory.add_branch(Branch(_slug(slug), _name(name), _timezone(timezone)))
    except DuplicateError:
        raise SetupError("slug", _("A branch with this short name exists already.")) from None


def update_branch(store, slug: str, *, name: str, timezone: str, active: bool,
                  names: dict[str, str] | None = None) -> None:
    """Change a branch; ``names`` gives its name in other languages (as guests read it)."""
    _known_branch(store, slug, "slug")
    store.directory.update_branch(slug, name=_name(name), timezone=_timezone(timezone), active=bool(active),
                                  names=_other_names(names))


def add_desk(store, *, branch: str, slug: str, name: str) -> Desk:
    _known_branch(store, branch)
    try:
        return store.directory.add_desk(Desk(branch, _slug(slug), _name(name)))
    except DuplicateError:
        raise SetupError("slug", _("This branch has a desk with this short name already.")) from None


def update_desk(store, branch: str, slug: str, *, name: str, active: bool,
                names: dict[str, str] | None = None) -> None:
    """Change a desk; ``names`` gives its name in other languages (as guests read it)."""
    if store.directory.desk(branch, slug) is None:
        raise SetupError("slug", _("No such desk."))
    store.directory.update_desk(branch, slug, name=_name(name), active=bool(active), names=_other_names(names))


# -- staff ------------------------------------------------------------------------
def _new_code(store) -> str:
    for _attempt in range(50):
        code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(5))
        if store.directory.staff_by_code(code) is None:
            return code
    raise RuntimeError("could not find a free staff code")


def add_staff(store, *, display_name: str, branch: str) -> StaffMember:
    _known_branch(store, branch)
    member = StaffMember(new_id(), _name(display_name, "display_name"), branch, _new_code(store))
    return store.directory.add_staff(member)


def update_staff(store, staff_id: str, *, display_name: str, branch: str, active: bool) -> None:
    """Rename, move or (de)activate; the id stays, so past responses stay theirs."""
    if store.directory.staff_member(staff_id) is None:
        raise SetupError("display_name", _("No such staff member."))
    _known_branch(store, branch)
    store.directory.update_staff(staff_id, display_name=_name(display_name, "display_name"), branch=branch,
                                 active=bool(active))


# -- users --------------------------------------------------------------------------
def _role(role: str) -> str:
    if role not in ROLES:
        raise SetupError("role", _("Choose a role."))
    return role


def _branches_for(store, role: str, branches: list[str]) -> list[str]:
    known = {b.slug for b in store.directory.branches(include_inactive=True)}
    if set(branches) - known:
        raise SetupError("branches", _("Choose among the branches listed."))
    if role == "manager" and not branches:
        raise SetupError("branches", _("A manager needs at least one branch."))
    return sorted(set(branches)) if role == "manager" else []


def add_user(store, *, email: str, password: str, role: str, branches: list[str], display_name: str,
             language: str | None = None, languages: list[str] | None = None) -> User:
    role = _role(role)
    if language is not None and language not in (languages or [language]):
        raise SetupError("language", _("Choose one of the languages."))
    branches = _branches_for(store, role, branches)
    if store.directory.user_by_email(email) is not None:
        raise SetupError("email", _("An account with this e-mail exists already."))
    try:
        user = create_user(store, email=email, password=password, role=role, branches=branches,
                           display_name=(display_name or "").strip())
    except AccountError as exc:
        field = "password" if "password" in str(exc) else "email"
        raise SetupError(field, str(exc)) from None
    except DuplicateError:
        raise SetupError("email", _("An account with this e-mail exists already.")) from None
    if language and language != user.language:
        store.directory.update_user(user.id, language=language)
        user.language = language
    return user


def update_user(store, user_id: str, *, role: str, branches: list[str], display_name: str, active: bool,
                acting_user_id: str, language: str | None = None, languages: list[str] | None = None) -> None:
    """Change role, branches, name, language or active state; an administrator cannot demote or lock out themself."""
    user = store.directory.user(user_id)
    if user is None:
        raise SetupError("role", _("No such user."))
    role = _role(role)
    if user_id == acting_user_id and (role != "admin" or not active):
        raise SetupError("role", _("You cannot remove your own administrator rights."))
    if language is not None and language not in (languages or [language]):
        raise SetupError("language", _("Choose one of the languages."))
    store.directory.update_user(user_id, role=role, branches=_branches_for(store, role, branches),
                                display_name=(display_name or "").strip()[:120] or user.display_name,
                                active=bool(active), language=language or user.language)


# -- survey texts and retention ----------------------------------------------------------
def survey_to_dict(survey: Survey) -> dict[str, Any]:
    """The stored (settings) shape of a survey, as ``Survey.from_dict`` reads it."""
    return survey.to_dict()


def set_survey_texts(store, survey_id: str, language: str, *, title: str, questions: dict[str, str],
                     languages: list[str]) -> Survey:
    """Store the texts of one survey in one language; meaning and version are unchanged.

    A text left empty falls back to English for guests, so only the title and
    question texts given are stored.
    """
    if language not in languages:
        raise SetupError("language", _("Choose one of the languages."))
    with editing_surveys(store):
        return _set_survey_texts(store, survey_id, language, title=title, questions=questions)


def _set_survey_texts(store, survey_id: str, language: str, *, title: str, questions: dict[str, str]) -> Survey:
    settings = store.directory.settings()
    surveys = surveys_from_settings(settings)
    if survey_id not in surveys:
        raise SetupError("survey", _("No such survey."))
    data = survey_to_dict(surveys[survey_id])
    for field_name, text in [("title", title), *questions.items()]:
        if len((text or "").strip()) > 300:
            raise SetupError(field_name, _("Keep a text under 300 characters."))
    if language == "en" and not (title or "").strip():
        raise SetupError("title", _("The English text cannot be empty: it is what other languages fall back to."))

    def put(texts: dict[str, str], value: str, field_name: str) -> None:
        value = (value or "").strip()
        if value:
            texts[language] = value
        elif language == "en":
            raise SetupError(field_name, _("The English text cannot be empty: it is what other languages "
                                           "fall back to."))
        else:
            texts.pop(language, None)

    put(data["title"], title, "title")
    for question in data["questions"]:
        if question["id"] in questions:
            put(question["text"], questions[question["id"]], question["id"])
    Survey.from_dict(data)  # still a valid definition
    others = [s for s in settings.get("surveys", []) if s.get("id") != survey_id]
    store.directory.update_settings(surveys=[*others, data])
    return surveys_from_settings(store.directory.settings())[survey_id]


def set_retention_days(store, days: int) -> None:
    if not isinstance(days, int) or not MIN_RETENTION_DAYS <= days <= MAX_RETENTION_DAYS:
        raise SetupError("retention_days", _("Give a number of days from %(low)d to %(high)d.",
                                             low=MIN_RETENTION_DAYS, high=MAX_RETENTION_DAYS))
    store.directory.update_settings(retention_days=days)
