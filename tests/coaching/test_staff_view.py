"""The staff member's own view: their evidence, praise and plan; no colleague's figures, no shopper."""

from __future__ import annotations

from feedback.services import coaching_record as cr
from tests.coaching.conftest import add_visit, utc


def test_a_staff_account_sees_its_own_praise_masked_and_nothing_of_colleagues(store, factory, coaching_world,
                                                                              sign_in):
    maria, emil = coaching_world.maria, coaching_world.emil
    for day in range(1, 6):
        factory.response("central", staff=maria.id, answers={"welcome": 5, "helpful": 5}, at=utc(2026, 5, day, 9),
                         comment="Maria was lovely, write to me at guest@example.org" if day == 1 else "")
        factory.response("riverside", staff=emil.id, answers={"welcome": 2, "helpful": 2}, at=utc(2026, 5, day, 9),
                         comment="Emil helped with the printer" if day == 1 else "")
    shopper = coaching_world.users["shopper"]
    store.directory.update_user(shopper.id, display_name="Sam Secretshopper")
    add_visit(store, maria, utc(2026, 5, 10, 10), shopper=shopper.id)
    add_visit(store, emil, utc(2026, 5, 11, 10), shopper=shopper.id)
    page = sign_in(coaching_world.email("staff_maria")).get("/me/?period=2026-05").get_data(as_text=True)
    assert "Maria was lovely, write to me at" in page and "guest@example.org" not in page
    assert "Emil" not in page and "Riverside" not in page and "printer" not in page
    assert shopper.email not in page and "Secretshopper" not in page and shopper.id not in page
    assert page.count("data-visit=") == 1  # her visit, not Emil's
    assert "My coaching" in page and 'id="evidence-table"' in page


def test_the_staff_view_shows_plans_but_not_the_managers_conversation_notes(store, coaching_world, sign_in):
    from datetime import date

    manager = coaching_world.users["manager_a"]
    cr.record_conversation(store, coaching_world.maria, held_on=date(2026, 5, 1), present="Maria and manager A",
                           notes="Private note for the manager", by=manager, now=utc(2026, 5, 2))
    cr.record_plan(store, coaching_world.maria, agreed_on=date(2026, 5, 1), review_on=date(2026, 6, 1), by=manager,
                   now=utc(2026, 5, 2),
                   actions=[cr.ActionInput("listening", "Ask one open question", date(2026, 5, 30))])
    page = sign_in(coaching_world.email("staff_maria")).get("/me/?period=2026-05").get_data(as_text=True)
    assert "Ask one open question" in page and "Private note for the manager" not in page
    other = sign_in(coaching_world.email("staff_emil")).get("/me/?period=2026-05").get_data(as_text=True)
    assert "Ask one open question" not in other and "No plan agreed yet." in other


def test_a_staff_account_cannot_comment_on_another_persons_plan(store, coaching_world, sign_in):
    from datetime import date

    plan = cr.record_plan(store, coaching_world.maria, agreed_on=date(2026, 5, 1), review_on=date(2026, 6, 1),
                          by=coaching_world.users["manager_a"], now=utc(2026, 5, 2),
                          actions=[cr.ActionInput("listening", "Ask one open question", date(2026, 5, 30))])
    emil = sign_in(coaching_world.email("staff_emil"))
    assert emil.post(f"/me/plans/{plan.id}/comment", data={f"c-{plan.id}-comment": "Hijack"}).status_code == 404
    assert store.coaching.get(coaching_world.maria.id).plan_list()[0].staff_comment == ""


def test_an_admin_links_a_staff_account_and_one_member_has_one_account(store, coaching_world, sign_in):
    admin = sign_in(coaching_world.email("admin"))
    emil_account = coaching_world.users["staff_emil"]
    taken = admin.post(f"/manage/setup/staff-accounts/{emil_account.id}",
                       data={f"l-{emil_account.id}-staff_member": coaching_world.maria.id})
    assert taken.status_code == 400 and "already has an account" in taken.get_data(as_text=True)
    assert store.directory.user(emil_account.id).staff_member == coaching_world.emil.id
    unlinked = admin.post(f"/manage/setup/staff-accounts/{emil_account.id}",
                          data={f"l-{emil_account.id}-staff_member": ""})
    assert unlinked.status_code == 302 and store.directory.user(emil_account.id).staff_member is None
    assert "emil@test.library" in admin.get("/manage/setup/staff-accounts").get_data(as_text=True)


def test_create_user_links_a_staff_account_from_the_command_line(runner, store, coaching_world):
    made = runner.invoke(args=["create-user", "--email", "ida@test.library", "--role", "staff", "--staff", "EMIL1",
                               "--password", "a-long-password"])
    assert made.exit_code == 1 and "already has an account" in made.output  # Emil has his account
    assert store.directory.user_by_email("ida@test.library") is None  # and nothing half-made is left
    store.directory.update_user(coaching_world.users["staff_emil"].id, staff_member=None)
    made = runner.invoke(args=["create-user", "--email", "emil2@test.library", "--role", "staff", "--staff", "EMIL1",
                               "--password", "a-long-password"])
    assert made.exit_code == 0, made.output
    assert store.directory.user_by_email("emil2@test.library").staff_member == coaching_world.emil.id
    refused = runner.invoke(args=["create-user", "--email", "x@test.library", "--role", "staff",
                                  "--password", "a-long-password"])
    assert refused.exit_code != 0 and store.directory.user_by_email("x@test.library") is None
