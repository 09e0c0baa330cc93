"""The coaching cycle in the demo: notices, a staff account, one recorded plan, "you said, we did" lines.

Central and Riverside told their staff before the demo's first visit, so
every approved visit there counts; Northside told its staff only two months
ago, so its older visits show how the notice rule leaves them out. The
demo plan's review date has passed, so the manager's dashboard shows it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from ..model import ProgrammeNotice, format_utc, new_id
from .coaching_record import ActionInput, record_conversation, record_plan
from .staff_accounts import link_staff_account
from .you_said_we_did import record_branch_action

__all__ = ["DEMO_STAFF_ACCOUNT", "DEMO_COACHED", "seed_coaching_demo"]

DEMO_STAFF_ACCOUNT = "staff@demo.library"
DEMO_COACHED = "Sofie Nielsen"  # central; the staff account is hers
NOTICE_DAYS_AGO = {"central": 200, "riverside": 190, "northside": 60}
NOTICE_HOW = {
    "central": "Staff meeting, then a note to everyone by e-mail",
    "riverside": "Staff meeting and a printed letter in each pigeonhole",
    "northside": "E-mail from the branch manager, discussed at the next team meeting",
}
BRANCH_ACTIONS = {
    "central": [("It is too noisy in the study area.", "We made the second floor a quiet zone.", 40),
                ("Please open earlier on Saturdays.", "From March we open at 9 on Saturdays.", 12)],
    "riverside": [("The makerspace printer is often broken.", "We replaced it and added a spare.", 25)],
    "northside": [("There are few children's books in Spanish.", "We bought 120 new titles in Spanish.", 30)],
}


def seed_coaching_demo(store, *, now: datetime) -> None:
    """Add the coaching cycle's demo data; skipped when the demo plan exists already.

    Audit notes are words; without a request they are written in English.
    """
    members = {m.display_name: m for m in store.directory.staff(include_inactive=True)}
    coached = members.get(DEMO_COACHED)
    manager = store.directory.user_by_email("manager@demo.library")
    admin = store.directory.user_by_email("admin@demo.library")
    if coached is None or manager is None or store.coaching.get(coached.id).plans:
        return
    for slug, days in NOTICE_DAYS_AGO.items():
        if store.directory.branch(slug) and not store.programme_notices.for_branch(slug):
            store.programme_notices.add(ProgrammeNotice(
                id=new_id(), branch=slug, told_on=(now - timedelta(days=days)).date().isoformat(),
                how=NOTICE_HOW[slug], recorded_by=admin.id if admin else "", recorded_at=format_utc(now)))
    account = store.directory.user_by_email(DEMO_STAFF_ACCOUNT)
    if account is not None and not account.staff_member:
        link_staff_account(store, account.id, coached.id)
    today = now.astimezone(ZoneInfo("Europe/Copenhagen")).date()
    agreed = today - timedelta(days=45)
    record_conversation(store, coached, held_on=agreed, present="Sofie Nielsen, demo manager",
                        notes="Went through the last quarter's report together. Sofie is proud of the children's "
                              "desk feedback; both of us noticed guests leave without being asked if they got "
                              "what they needed.", by=manager, now=now)
    record_plan(store, coached, agreed_on=agreed, review_on=today - timedelta(days=3), by=manager, now=now, actions=[
        ActionInput("follow_up", "Before a guest leaves, ask: \u201cDoes this fully answer your question?\u201d",
                    agreed + timedelta(days=30), support="Shadow Ahmed at the information desk for one afternoon",
                    how_we_know="Shoppers hear the question in most visits; guests' follow-up answers go up"),
        ActionInput("listening", "Ask one open question before searching",
                    agreed + timedelta(days=30), support="Role-play three common questions at the team meeting",
                    how_we_know="Shoppers see clarifying questions asked"),
    ])
    for slug, lines in BRANCH_ACTIONS.items():
        if store.directory.branch(slug) is None or store.branch_actions.for_branch(slug):
            continue
        for you_said, we_did, days in lines:
            record_branch_action(store, slug, you_said=you_said, we_did=we_did,
                                 done_on=today - timedelta(days=days), by=admin or manager, now=now)
