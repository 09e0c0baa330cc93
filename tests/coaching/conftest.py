"""Fixtures of the coaching cycle: two branches, a staff member each, and one account of every role.

``staff_maria`` and ``staff_emil`` are staff accounts linked to the two staff
members. Visits are made with :func:`add_visit`, answers chosen per item.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from werkzeug.security import generate_password_hash

from feedback.model import StaffMember, User, Visit, format_utc, new_id
from feedback.services.rubric import default_rubric
from feedback.store.visits import new_visit_id

PASSWORD = "correct-horse-battery"


@dataclass
class CoachingWorld:
    maria: StaffMember  # central
    emil: StaffMember  # riverside
    users: dict[str, User]  # role name -> account

    def email(self, who: str) -> str:
        return self.users[who].email


@pytest.fixture(scope="session")
def password_hash() -> str:
    """The real (scrypt) hash of ``PASSWORD``, computed once: seven accounts a test need not hash it seven times."""
    return generate_password_hash(PASSWORD)


@pytest.fixture
def coaching_world(factory, store, password_hash) -> CoachingWorld:
    factory.branch("central", "Central Library")
    factory.branch("riverside", "Riverside Library")
    maria = factory.staff("Maria Jensen", "central", code="MARIA")
    emil = factory.staff("Emil Larsen", "riverside", code="EMIL1")
    accounts = {
        "shopper": ("shopper@test.library", "shopper", [], None),
        "reviewer": ("reviewer@test.library", "reviewer", [], None),
        "manager_a": ("manager-a@test.library", "manager", ["central"], None),
        "manager_b": ("manager-b@test.library", "manager", ["riverside"], None),
        "admin": ("admin@test.library", "admin", [], None),
        "staff_maria": ("maria@test.library", "staff", [], maria.id),
        "staff_emil": ("emil@test.library", "staff", [], emil.id),
    }
    users = {name: store.directory.add_user(User(new_id(), email, password_hash, role, branches,
                                                 display_name=email.split("@")[0], staff_member=linked))
             for name, (email, role, branches, linked) in accounts.items()}
    return CoachingWorld(maria, emil, users)


def add_visit(store, member: StaffMember, at: datetime, *, answers: dict[str, str] | None = None,
              default: str = "yes", status: str = "approved", shopper: str = "shopper-id") -> Visit:
    """An approved visit to ``member`` at ``at``: every rubric item ``default`` unless ``answers`` says."""
    chosen = {item.id: default for item in default_rubric().items}
    chosen.update(answers or {})
    visit = Visit(id=new_visit_id(at.year), shopper=shopper, branch=member.branch, channel="in_person",
                  scenario="renew", visited_at=format_utc(at), status=status, staff=member.id, answers=chosen,
                  accuracy="correct", narrative="Asked to renew a loan.")
    store.visits.add(visit)
    return visit


@pytest.fixture
def sign_in(app):
    """A new test client signed in as ``email`` through the real form."""

    def make(email: str | None):
        client = app.test_client()
        if email:
            response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
            assert response.status_code == 302, f"sign-in of {email} failed"
        return client

    return make


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)
