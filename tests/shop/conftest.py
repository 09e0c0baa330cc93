"""Fixtures of the shop area: a branch with staff, the people of the programme, an open assignment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache

import pytest
from werkzeug.security import generate_password_hash

from feedback.model import Assignment, StaffMember, User, new_id
from feedback.services.assignments import create_assignment

PASSWORD = "correct-horse-battery"


@cache
def password_hash() -> str:
    """One real scrypt hash of ``PASSWORD``, shared: hashing it afresh for every user costs most of a test."""
    return generate_password_hash(PASSWORD)


def add_user(store, email: str, role: str, branches=()) -> User:
    user = User(id=new_id(), email=email, password_hash=password_hash(), role=role, branches=list(branches),
                display_name=email.split("@")[0].title())
    return store.directory.add_user(user)


@dataclass
class ShopWorld:
    """Who and what a mystery-shopper test needs, already stored."""

    admin: User
    manager: User  # of central only
    other_manager: User  # of riverside only
    reviewer: User
    shopper: User
    other_shopper: User
    maria: StaffMember  # central
    ahmed: StaffMember  # central
    emil: StaffMember  # riverside
    assignment: Assignment  # shopper -> central, in person, window open today

    def assign(self, store, shopper: User | None = None, branch: str = "central", channel: str = "in_person",
               scenario: str = "renew-loan", start: date | None = None, end: date | None = None) -> Assignment:
        today = datetime.now(UTC).date()
        return create_assignment(
            store, manager=self.admin, shopper_id=(shopper or self.shopper).id, branch=branch, channel=channel,
            scenario=scenario, window_start=start or today - timedelta(days=3),
            window_end=end or today + timedelta(days=4))


@pytest.fixture
def world(store, factory) -> ShopWorld:
    factory.branch("central", "Central Library")
    factory.branch("riverside", "Riverside Library")
    maria = factory.staff("Maria Jensen", "central")
    ahmed = factory.staff("Ahmed Hassan", "central")
    emil = factory.staff("Emil Larsen", "riverside")
    people = {
        "admin": add_user(store, "admin@example.org", "admin"),
        "manager": add_user(store, "manager@example.org", "manager", ["central"]),
        "other_manager": add_user(store, "river@example.org", "manager", ["riverside"]),
        "reviewer": add_user(store, "reviewer@example.org", "reviewer"),
        "shopper": add_user(store, "shopper@example.org", "shopper"),
        "other_shopper": add_user(store, "other@example.org", "shopper"),
    }
    world = ShopWorld(**people, maria=maria, ahmed=ahmed, emil=emil, assignment=None)  # type: ignore[arg-type]
    world.assignment = world.assign(store)
    return world
