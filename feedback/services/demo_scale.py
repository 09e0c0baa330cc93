"""A demo the size of the largest library systems: 100 branches, 1,000 staff, a million answers.

``seed-demo --branches 100 --desks 400 --staff 1000 --responses 1000000 --years 3``
builds it, to measure the dashboard, the reports, ``check`` and the backups
at that scale (``bench/scale.py``). Branches are ``branch-001`` ...; desks
and staff are spread evenly over them; each member of staff has a level of
service of their own, so reports have something to tell apart. Answers
follow the demo's weekday and hour patterns over ``years`` years.

Written branch by branch, so memory stays flat whatever the count; closed
days go straight into compacted files, and the file system is synced once at
the end instead of once a file.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ..model import Branch, Desk, Response, StaffMember, format_utc
from .accounts import create_user
from .demo import DEMO_ACCOUNTS, HOUR_WEIGHT, PRAISE, SUGGESTIONS, WEEKDAY_WEIGHT, generate_visits
from .surveys import default_surveys

__all__ = ["ScaleSummary", "seed_scale"]

DESK_NAMES = ["Information desk", "Lending desk", "Children's desk", "Study centre", "Makerspace", "Local history"]
FIRST = ["Maria", "Ahmed", "Sofie", "Lucas", "Carmen", "Emil", "Ida", "Jonas", "Freja", "Oliver", "Nadia", "Peter",
         "Aisha", "Bo", "Clara", "David", "Elif", "Frank", "Greta", "Hassan", "Inés", "Jakob", "Karin", "Leo"]
LAST = ["Jensen", "Hassan", "Nielsen", "Berg", "Ruiz", "Larsen", "Holm", "Vestergaard", "Madsen", "Dahl",
        "Karimi", "Skov", "Andersen", "Pedersen", "Olsen", "Moreno", "Yilmaz", "Christensen", "Lund", "Bach"]
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


@dataclass
class ScaleSummary:
    branches: int
    desks: int
    staff: int
    responses: int
    visits: int
    accounts: list[tuple[str, str, str]]


def _directory(rng: random.Random, branches: int, desks: int, staff: int):
    branch_list = [Branch(f"branch-{n:03d}", f"Branch {n:03d} Library") for n in range(1, branches + 1)]
    desk_list = []
    for n in range(desks):
        branch = branch_list[n % branches]
        number = n // branches
        desk_list.append(Desk(branch.slug, f"desk-{number + 1}", DESK_NAMES[number % len(DESK_NAMES)]))
    codes: set[str] = set()
    staff_list = []
    for n in range(staff):
        code = "".join(rng.choice(_CODE_ALPHABET) for _ in range(6))
        while code in codes:
            code = "".join(rng.choice(_CODE_ALPHABET) for _ in range(6))
        codes.add(code)
        name = f"{FIRST[n % len(FIRST)]} {LAST[(n // len(FIRST)) % len(LAST)]} {n + 1}"
        staff_list.append(StaffMember(uuid.UUID(int=rng.getrandbits(128)).hex, name,
                                      branch_list[n % branches].slug, code))
    return branch_list, desk_list, staff_list


def _branch_responses(rng: random.Random, branch: Branch, desks: list[str], team: list[StaffMember],
                      quality: dict[str, float], count: int, now: datetime, days: int) -> Iterator[Response]:
    surveys = default_surveys()
    day_list = [(now - timedelta(days=d)).date() for d in range(days)]
    day_weights = [WEEKDAY_WEIGHT[d.weekday()] for d in day_list]
    hours, hour_weights = list(HOUR_WEIGHT), list(HOUR_WEIGHT.values())
    for day, hour in zip(rng.choices(day_list, weights=day_weights, k=count),
                         rng.choices(hours, weights=hour_weights, k=count), strict=True):
        # Local opening hours, stored in UTC (the demo's branches are an hour from UTC, two in summer).
        moment = datetime(day.year, day.month, day.day, hour - 1, rng.randrange(60), rng.randrange(60), tzinfo=UTC)
        if moment > now:
            moment = now - timedelta(seconds=rng.randrange(1, 3600))
        channel = "kiosk" if rng.random() < 0.55 else "qr"
        survey = surveys[channel]
        member = rng.choice(team) if team and rng.random() < (0.4 if channel == "kiosk" else 0.6) else None
        mean = quality[member.id] if member else 4.0
        language = rng.choices(("en", "es", "da"), weights=(0.78, 0.14, 0.08))[0]
        answers: dict[str, object] = {}
        for question in survey.questions:
            if question.type == "comment" or (not question.required and rng.random() < 0.15):
                continue
            if question.type == "smiley":
                answers[question.id] = max(1, min(5, round(rng.gauss(mean, 0.8))))
            elif question.type == "nps":
                answers[question.id] = max(0, min(10, round(rng.gauss(mean * 2 - 0.5, 1.8))))
            elif question.type == "yesno":
                answers[question.id] = "yes" if rng.random() < mean / 5 else "no"
            elif question.type == "choice":
                answers[question.id] = rng.choice(question.choice_ids)
        comment = ""
        if rng.random() < 0.22:
            comment = rng.choice((PRAISE if mean >= 4 else SUGGESTIONS)[language])
        yield Response(
            id=uuid.UUID(int=rng.getrandbits(128)).hex, survey=survey.id, survey_version=survey.version,
            branch=branch.slug, submitted_at=format_utc(moment), channel=channel, language=language,
            answers=answers, desk=rng.choice(desks) if desks else None, staff=member.id if member else None,
            comment=comment, idempotency_key=uuid.UUID(int=rng.getrandbits(128)).hex,
        )


def seed_scale(store, *, branches: int = 100, desks: int = 400, staff: int = 1000, responses: int = 1_000_000,
               years: float = 3, visits: int = 2000, seed: int = 2026, now: datetime | None = None,
               progress: Callable[[str], None] | None = None) -> ScaleSummary:
    """Fill a store with a system of ``branches`` branches and ``responses`` answers over ``years`` years."""
    rng = random.Random(seed)
    now = now or datetime.now(UTC)
    say = progress or (lambda text: None)
    branch_list, desk_list, staff_list = _directory(rng, branches, desks, staff)
    store.directory.add_many(branches=branch_list, desks=desk_list, staff=staff_list)
    accounts = []
    for email, password, role, _branches in DEMO_ACCOUNTS:
        if store.directory.user_by_email(email) is None:
            create_user(store, email=email, password=password, role=role,
                        branches=[b.slug for b in branch_list[:2]] if role == "manager" else [],
                        display_name=f"Demo {role}")
            accounts.append((email, password, role))
    quality = {m.id: rng.uniform(3.3, 4.8) for m in staff_list}
    desks_of: dict[str, list[str]] = {}
    for desk in desk_list:
        desks_of.setdefault(desk.branch, []).append(desk.slug)
    team_of: dict[str, list[StaffMember]] = {}
    for member in staff_list:
        team_of.setdefault(member.branch, []).append(member)
    days = max(1, round(365 * years))
    stored, started = 0, time.perf_counter()
    for number, branch in enumerate(branch_list):
        count = responses // branches + (1 if number < responses % branches else 0)
        stored += store.responses.add_many(
            _branch_responses(rng, branch, desks_of.get(branch.slug, []), team_of.get(branch.slug, []),
                              quality, count, now, days), bulk=True)
        say(f"{branch.slug}: {stored:,} responses in {time.perf_counter() - started:.0f} s")
    shopper = store.directory.user_by_email("shopper@demo.library")
    visit_list = generate_visits(staff_list, shopper.id, visits, now=now, rng=rng) if shopper and visits else []
    if visit_list:
        store.visits.add_many(visit_list)
    return ScaleSummary(len(branch_list), len(desk_list), len(staff_list), stored, len(visit_list), accounts)
