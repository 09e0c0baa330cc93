"""Fixtures of the coaching cycle: two branches, a staff member each, and one account of every role.

``staff_maria`` and ``staff_emil`` are staff accounts linked to the two staff
members. Visits are made with :func:`add_visit`, answers chosen per item.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from feedback.model import StaffMember, User, Visit, format_utc
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


@pytest.fixture
def coaching_world(factory, store) -> CoachingWorld:
    factory.branch("central", "Central Library")
    factory.branch("riverside", "Riverside Library")
    maria = factory.staff("Maria Jensen", "central", code="MARIA")
    emil = factory.staff("Emil Larsen", "riverside", code="EMIL1")
    users = {
        "shopper": factory.user("shopper@test.library", "shopper"),
        "reviewer": factory.user("reviewer@test.library", "reviewer"),
        "manager_a": factory.user("manager-a@test.library", "manager", ["central"]),
        "manager_b": factory.user("manager-b@test.library", "manager", ["riverside"]),
        "admin": factory.user("admin@test.library", "admin"),
        "staff_maria": factory.user("maria@test.library", "staff"),
        "staff_emil": factory.user("emil@test.library", "staff"),
    }
    store.directory.update_user(users["staff_maria"].id, staff_member=maria.id)
    store.directory.update_user(users["staff_emil"].id, staff_member=emil.id)
    users = {k: store.directory.user(u.id) for k, u in users.items()}
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
