"""Fixtures of the manager console: a small world with two branches and one user of every role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from feedback.model import FollowUp, StaffMember, Visit, new_id
from feedback.services.rubric import default_rubric
from feedback.store.visits import new_visit_id

PASSWORD = "correct-horse-battery"


@dataclass
class World:
    staff_a: StaffMember
    staff_b: StaffMember
    followup_a: FollowUp
    followup_b: FollowUp
    users: dict[str, str]  # role name -> e-mail


@pytest.fixture
def world(factory, store) -> World:
    """Branch A (central) and B (riverside), a desk and a staff member each, and one user per role."""
    factory.branch("central")
    factory.branch("riverside")
    factory.desk("central", "info")
    factory.desk("riverside", "main", "Main desk")
    staff_a = factory.staff("Maria Jensen", "central")
    staff_b = factory.staff("Emil Larsen", "riverside")
    users = {
        "shopper": "shopper@test.library",
        "reviewer": "reviewer@test.library",
        "manager_a": "manager-a@test.library",
        "manager_b": "manager-b@test.library",
        "admin": "admin@test.library",
    }
    factory.user(users["shopper"], "shopper")
    factory.user(users["reviewer"], "reviewer")
    factory.user(users["manager_a"], "manager", ["central"])
    factory.user(users["manager_b"], "manager", ["riverside"])
    factory.user(users["admin"], "admin")
    moment = datetime(2026, 3, 10, 10, 30, tzinfo=UTC)
    for branch, member, desk in (("central", staff_a, "info"), ("riverside", staff_b, "main")):
        for score in (5, 4, 3):
            factory.response(branch, answers={"welcome": score, "helpful": score, "nps": score * 2},
                             at=moment, staff=member.id, desk=desk, comment=f"{branch} comment {score}")
    followups = []
    for branch in ("central", "riverside"):
        followups.append(store.followups.add(FollowUp(
            id=new_id(), branch=branch, response=new_id(), created_at="2026-03-10T10:30:00Z",
            contact=f"guest-{branch}@example.org", score=2, comment="Please call me")))
    shopper = store.directory.user_by_email(users["shopper"])
    answers = {item.id: "yes" for item in default_rubric().items}
    store.visits.add(Visit(id=new_visit_id(2026), shopper=shopper.id, branch="central", channel="in_person",
                           scenario="renew", visited_at="2026-03-11T11:00:00Z", status="approved",
                           staff=staff_a.id, answers=answers))
    return World(staff_a, staff_b, followups[0], followups[1], users)


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
