"""Demo data: three branches, their desks and staff, months of guest responses and visits.

The responses follow realistic patterns, so the dashboard and reports have
something true-looking to show: more guests on weekdays than at weekends,
peaks late morning and mid-afternoon, scores that differ by staff member and
by branch, and comments in English, Spanish and Danish. Everything is drawn
from a seeded random generator, so the same seed gives the same demo.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from ..model import Branch, Desk, Response, StaffMember, Visit, format_utc, new_id
from ..store.visits import new_visit_id
from .accounts import create_user
from .demo_coaching import seed_coaching_demo
from .rubric import default_rubric
from .scenarios import default_scenarios
from .surveys import default_surveys

__all__ = ["DEMO_ACCOUNTS", "DemoSummary", "seed_directory", "generate_responses", "generate_visits", "seed_demo"]

BRANCHES = [
    Branch("central", "Central Library"),
    Branch("riverside", "Riverside Library"),
    Branch("northside", "Northside Library"),
]
DESKS = [
    Desk("central", "info", "Information desk"),
    Desk("central", "lending", "Lending desk"),
    Desk("central", "children", "Children's desk"),
    Desk("riverside", "main", "Main desk"),
    Desk("riverside", "makerspace", "Makerspace"),
    Desk("northside", "main", "Main desk"),
    Desk("northside", "study", "Study centre"),
]
# Each staff member's profile: how guests rate them on average, how far one behaviour differs from that
# (a genuine strength or weakness, which the evidence layer should find), and how likely shoppers are to
# see each behaviour. Most people are within chance of their branch: a report should say so, not invent
# a weakness.
STAFF = [
    # (name, branch, mean guest score, {behaviour: offset on guests' 1-5 answers}, {behaviour: shopper P(yes)})
    ("Maria Jensen", "central", 4.3, {"welcome": 0.5, "helpfulness": 0.4}, {"welcome": 0.98, "helpfulness": 0.97}),
    ("Ahmed Hassan", "central", 4.0, {}, {}),
    ("Sofie Nielsen", "central", 4.0, {"listening": -1.0}, {"listening": 0.35}),
    ("Lucas Berg", "central", 4.0, {}, {"follow_up": 0.2}),
    ("Carmen Ruiz", "central", 4.1, {"courtesy": 0.6}, {"courtesy": 0.99}),
    ("Emil Larsen", "riverside", 4.1, {"welcome": 0.6}, {"welcome": 0.98}),
    ("Ida Holm", "riverside", 3.9, {"welcome": -1.1}, {"welcome": 0.3}),
    ("Jonas Vestergaard", "riverside", 4.0, {}, {}),
    ("Freja Madsen", "northside", 4.0, {}, {"referral": 0.3}),
    ("Oliver Dahl", "northside", 3.9, {"helpfulness": -1.0}, {"helpfulness": 0.35}),
    ("Nadia Karimi", "northside", 4.1, {"listening": 0.6}, {"listening": 0.98}),
    ("Peter Skov", "northside", 4.0, {}, {}),
]
SHOPPER_BASE = 0.94  # how often shoppers see an item of a behaviour of a typical member of staff
SHOPPER_MISS_SHARE = 0.35  # of the rest, how often it is missed rather than partly seen
DEMO_ACCOUNTS = [
    # (e-mail, demo password, role, branches)
    ("admin@demo.library", "admin-demo-pass", "admin", []),
    ("manager@demo.library", "manager-demo-pass", "manager", ["central", "riverside"]),
    ("reviewer@demo.library", "reviewer-demo-pass", "reviewer", []),
    ("shopper@demo.library", "shopper-demo-pass", "shopper", []),
    ("staff@demo.library", "staff-demo-pass", "staff", []),  # linked to a staff member by seed_coaching_demo
]
PRAISE = {
    "en": ["Maria found exactly the book I needed, thank you!", "So friendly and patient with my questions.",
           "Great help with the printer, quick and kind.", "Lovely welcome, I felt at home.",
           "The staff explained the e-book app step by step."],
    "es": ["Muy amables y pacientes, gracias.", "Me ayudaron a encontrar el libro enseguida.",
           "Excelente atención en el mostrador."],
    "da": ["Meget venlig og hjælpsom betjening.", "Tak for hjælpen med printeren."],
}
SUGGESTIONS = {
    "en": ["I waited a long time and nobody noticed me.", "The answer was rushed; I still don't know how to renew.",
           "It was too noisy in the study area.", "Please open earlier on Saturdays.",
           "Nobody asked if my question was answered."],
    "es": ["Esperé mucho tiempo sin que nadie me atendiera.", "Faltan libros en español para niños."],
    "da": ["Lang ventetid ved skranken.", "Der var for larmende i studieområdet."],
}
# What guests write about a genuine weakness (the behaviour a profile's negative offset names).
WEAKNESS_COMMENTS = {
    "welcome": {"en": "I stood at the desk for ages and nobody noticed me.",
                "es": "Nadie me atendió aunque estaba esperando en el mostrador.",
                "da": "Ingen så mig, selv om jeg stod ved skranken."},
    "listening": {"en": "They didn't listen to what I actually needed.",
                  "es": "No me escucharon; no entendieron lo que necesitaba.",
                  "da": "De lyttede ikke til, hvad jeg egentlig havde brug for."},
    "helpfulness": {"en": "The answer I was given was wrong and I had to ask again for help.",
                    "es": "La respuesta era incorrecta y tuve que pedir ayuda otra vez.",
                    "da": "Svaret var forkert, og jeg måtte bede om hjælp igen."},
}
# Relative traffic by weekday (Mon..Sun) and by local hour.
WEEKDAY_WEIGHT = [1.0, 1.05, 1.0, 1.1, 0.9, 0.6, 0.35]
HOUR_WEIGHT = {10: 0.8, 11: 1.3, 12: 1.1, 13: 0.9, 14: 1.0, 15: 1.3, 16: 1.2, 17: 0.9, 18: 0.6}
# The first visits are still somewhere in review; the rest are approved.
EARLY_STATUSES = ["submitted", "submitted", "draft", "returned", "submitted", "draft"]
BRANCH_WEIGHT = {"central": 0.5, "riverside": 0.3, "northside": 0.2}


@dataclass
class DemoSummary:
    responses: int
    visits: int
    accounts: list[tuple[str, str, str]]


def _staff_code(rng: random.Random) -> str:
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # nothing that reads as another character
    return "".join(rng.choice(alphabet) for _ in range(5))


def seed_directory(store, rng: random.Random) -> list[StaffMember]:
    """Branches, desks and staff (skipping any that exist), returning the staff."""
    for branch in BRANCHES:
        if store.directory.branch(branch.slug) is None:
            store.directory.add_branch(Branch(branch.slug, branch.name, branch.timezone))
    for desk in DESKS:
        if store.directory.desk(desk.branch, desk.slug) is None:
            store.directory.add_desk(Desk(desk.branch, desk.slug, desk.name))
    existing = {s.display_name for s in store.directory.staff(include_inactive=True)}
    for name, branch, *_profile in STAFF:
        if name not in existing:
            store.directory.add_staff(StaffMember(new_id(), name, branch, _staff_code(rng)))
    return store.directory.staff()


def _weighted_moments(rng: random.Random, now: datetime, days: int, count: int, tz: ZoneInfo) -> list[datetime]:
    """``count`` answer times over the last ``days`` days, following weekday and hour patterns."""
    today = now.astimezone(tz).date()
    day_list = [today - timedelta(days=d) for d in range(days)]
    day_weights = [WEEKDAY_WEIGHT[d.weekday()] for d in day_list]
    hours, hour_weights = list(HOUR_WEIGHT), list(HOUR_WEIGHT.values())
    chosen_days = rng.choices(day_list, weights=day_weights, k=count)
    chosen_hours = rng.choices(hours, weights=hour_weights, k=count)
    moments = []
    for day, hour in zip(chosen_days, chosen_hours, strict=True):
        local = datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60), tzinfo=tz)
        moment = local.astimezone(UTC)
        if moment > now:  # today's later hours have not happened yet
            moment = now - timedelta(seconds=rng.randrange(1, 3600))
        moments.append(moment)
    return moments


def _smiley(rng: random.Random, mean: float) -> int:
    return max(1, min(5, round(rng.gauss(mean, 0.8))))


#: Demo answers older than this were given to version 1 (the long survey), newer ones to the current one.
SHORT_SURVEY_SINCE = timedelta(days=30)


def generate_responses(
    branches: list[Branch], staff: list[StaffMember], count: int, *, now: datetime,
    rng: random.Random, days: int = 182,
) -> Iterator[Response]:
    """``count`` responses spread over the last ``days`` days, as seed-demo stores them."""
    surveys = default_surveys()
    profiles = {name: (mean, offsets) for name, _b, mean, offsets, _shop in STAFF}
    desks_by_branch: dict[str, list[str]] = {}
    for desk in DESKS:
        desks_by_branch.setdefault(desk.branch, []).append(desk.slug)
    staff_by_branch: dict[str, list[StaffMember]] = {}
    for member in staff:
        staff_by_branch.setdefault(member.branch, []).append(member)
    slugs = [b.slug for b in branches]
    weights = [BRANCH_WEIGHT.get(s, 0.2) for s in slugs]
    per_branch = dict.fromkeys(slugs, 0)
    for slug in rng.choices(slugs, weights=weights, k=count):
        per_branch[slug] += 1
    for branch in branches:
        tz = ZoneInfo(branch.timezone)
        moments = _weighted_moments(rng, now, days, per_branch[branch.slug], tz)
        team = staff_by_branch.get(branch.slug, [])
        for moment in moments:
            channel = "kiosk" if rng.random() < 0.55 else "qr"
            survey = surveys["kiosk" if channel == "kiosk" else "qr"]
            # Answers are drawn as for version 1 (the same random stream whatever the current survey) and,
            # in the last month, when the demo library asks its short survey, kept where it asks them.
            drawn = surveys.definition(survey.id, 1)
            if moment < now - SHORT_SURVEY_SINCE:
                survey = drawn
            member = rng.choice(team) if team and rng.random() < (0.4 if channel == "kiosk" else 0.6) else None
            mean, offsets = profiles.get(member.display_name, (4.0, {})) if member else (4.0, {})
            language = rng.choices(["en", "es", "da"], weights=[0.78, 0.14, 0.08])[0]
            answers: dict[str, object] = {}
            for question in drawn.asked_questions:
                if question.type == "comment" or (not question.required and rng.random() < 0.15):
                    continue
                if question.type == "smiley":
                    offset = -0.6 if question.dimension == "wait_time" and moment.hour in (10, 14) else 0.0
                    offset += offsets.get(question.dimension, 0.0)
                    answers[question.id] = _smiley(rng, mean + offset)
                elif question.type == "nps":
                    answers[question.id] = max(0, min(10, round(rng.gauss(mean * 2 - 0.5, 1.8))))
                elif question.type == "yesno":
                    answers[question.id] = "yes" if rng.random() < mean / 5 else "no"
                elif question.type == "choice":
                    answers[question.id] = rng.choice(question.choice_ids)
            asked = {q.id for q in survey.asked_questions}
            answers = {k: v for k, v in answers.items() if k in asked}
            comment = ""
            if rng.random() < 0.22:
                average = sum(v for k, v in answers.items() if isinstance(v, int) and k != "nps") / max(
                    1, sum(1 for k, v in answers.items() if isinstance(v, int) and k != "nps"))
                pool = PRAISE if average >= 4 else SUGGESTIONS
                comment = rng.choice(pool[language])
                weakness = next((b for b, o in offsets.items() if o < 0 and b in WEAKNESS_COMMENTS), None)
                if average < 4 and weakness and rng.random() < 0.5:
                    comment = WEAKNESS_COMMENTS[weakness][language]
            yield Response(
                id=new_id(),
                survey=survey.id,
                survey_version=survey.version,
                branch=branch.slug,
                submitted_at=format_utc(moment),
                channel=channel,
                language=language,
                answers=answers,
                desk=rng.choice(desks_by_branch[branch.slug]) if branch.slug in desks_by_branch else None,
                staff=member.id if member else None,
                comment=comment,
                idempotency_key=str(uuid.UUID(int=rng.getrandbits(128))),
            )


def _visit_answers(rng: random.Random, scenario, p_yes: dict[str, float]) -> tuple[dict[str, str], str]:
    """Rubric answers and an accuracy that agree with each other (see ``visit_consistency``)."""
    rubric = default_rubric()
    answers: dict[str, str] = {}
    for behaviour in rubric.behaviours:
        p = p_yes.get(behaviour.id, SHOPPER_BASE)
        for item in behaviour.items:
            draw = rng.random()
            answers[item.id] = "yes" if draw < p else ("no" if draw < p + (1 - p) * SHOPPER_MISS_SHARE else "partly")
    p_help = p_yes.get("helpfulness", SHOPPER_BASE)
    if scenario.referral:
        referred = rng.random() < p_yes.get("referral", SHOPPER_BASE)
        accuracy = "referred" if referred else rng.choice(["partly_correct", "incorrect"])
        answers["named_place"] = "yes" if referred else rng.choice(["partly", "no"])
    else:
        answers["named_place"] = "na"
        accuracy = rng.choices(["correct", "partly_correct", "incorrect"],
                               weights=[p_help, (1 - p_help) * 0.6, (1 - p_help) * 0.4])[0]
    answers["accurate"] = {"correct": "yes", "partly_correct": "partly", "incorrect": "no", "referred": "yes"}[accuracy]
    return answers, accuracy


def generate_visits(staff: list[StaffMember], shopper_id: str, count: int, *, now: datetime,
                    rng: random.Random) -> list[Visit]:
    """``count`` mystery-shopper visits, most approved, a few still in review or draft.

    Visits go round the staff in turn, so everyone is visited about as often, as a programme plans it.
    """
    scenarios = list(default_scenarios().values())
    shopper_profile = {name: shop for name, _b, _m, _o, shop in STAFF}
    order = list(staff)
    rng.shuffle(order)
    visits = []
    for index in range(count):
        member = order[index % len(order)]
        scenario = rng.choice(scenarios)
        day = (now - timedelta(days=rng.randint(1, 180))).date()
        local = datetime(day.year, day.month, day.day, rng.randint(10, 18), rng.randrange(60),
                         tzinfo=ZoneInfo("Europe/Copenhagen"))
        moment = min(local.astimezone(UTC), now - timedelta(hours=1))
        p_yes = shopper_profile.get(member.display_name, {})
        answers, accuracy = _visit_answers(rng, scenario, p_yes)
        status = "approved" if index >= len(EARLY_STATUSES) else EARLY_STATUSES[index]
        stamp = format_utc(moment)
        typical = sum(p_yes.values()) / len(p_yes) if p_yes else SHOPPER_BASE
        visits.append(Visit(
            id=new_visit_id(moment.year),
            shopper=shopper_id,
            branch=member.branch,
            channel=scenario.channel,
            scenario=scenario.id,
            visited_at=stamp,
            status=status,
            staff=member.id,
            wait_minutes=rng.choice([0, 0, 1, 2, 3, 5, 8]),
            duration_minutes=rng.choice([2, 3, 5, 8, 12]),
            answers=answers,
            accuracy=accuracy,
            narrative=f"{scenario.title}: asked '{scenario.question}'",
            would_return=typical > 0.6,
            audit=[{"at": stamp, "by": shopper_id, "action": "created", "note": "demo data"}]
            + ([] if status == "draft" else [{"at": stamp, "by": shopper_id, "action": "submitted", "note": ""}])
            + ([{"at": stamp, "by": "demo-reviewer", "action": status, "note": ""}]
               if status in ("approved", "returned") else []),
            created_at=stamp,
        ))
    return visits


def _seed_assignments(store, shopper_id: str, now: datetime) -> None:
    """Two open assignments, so the demo shopper has something due and something coming."""
    from .assignments import create_assignment

    if store.assignments.matching(shopper=shopper_id):
        return
    manager = store.directory.user_by_email("manager@demo.library")
    today = now.date()
    create_assignment(store, manager=manager, shopper_id=shopper_id, branch="central", channel="in_person",
                      scenario="local-history", window_start=today - timedelta(days=2),
                      window_end=today + timedelta(days=5), now=now)
    create_assignment(store, manager=manager, shopper_id=shopper_id, branch="riverside", channel="phone",
                      scenario="housing-help", window_start=today + timedelta(days=3),
                      window_end=today + timedelta(days=10), now=now)


def seed_demo(store, *, responses: int = 5000, visits: int = 72, seed: int = 2026,
              now: datetime | None = None) -> DemoSummary:
    """Fill a store with the demo: directory, demo accounts, responses and visits."""
    rng = random.Random(seed)
    now = now or datetime.now(UTC)
    staff = seed_directory(store, rng)
    accounts = []
    for email, password, role, branches in DEMO_ACCOUNTS:
        if store.directory.user_by_email(email) is None:
            create_user(store, email=email, password=password, role=role, branches=branches,
                        display_name=f"Demo {role}")
            accounts.append((email, password, role))
    shopper = store.directory.user_by_email("shopper@demo.library")
    branches = store.directory.branches()
    stored = store.responses.add_many(generate_responses(branches, staff, responses, now=now, rng=rng))
    visit_list = generate_visits(staff, shopper.id, visits, now=now, rng=rng)
    store.visits.add_many(visit_list)
    _seed_assignments(store, shopper.id, now)
    seed_coaching_demo(store, now=now)
    return DemoSummary(responses=stored, visits=len(visit_list), accounts=accounts)
