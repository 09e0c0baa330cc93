"""Who reaches a coaching page and its report: the branch's managers and admins; nobody else."""

from __future__ import annotations

import pytest

ROLES = ["anonymous", "shopper", "reviewer", "manager_a", "manager_b", "admin", "staff_maria", "staff_emil"]
MAY = {"manager_a", "admin"}  # Maria is at Central


def _expected(role: str, refused: int) -> int:
    if role == "anonymous":
        return 302
    return 200 if role in MAY else refused


@pytest.mark.parametrize("role", ROLES)
def test_the_coaching_page_and_its_report_are_for_the_branch_managers_and_admins(coaching_world, sign_in, role):
    client = sign_in(None if role == "anonymous" else coaching_world.email(role))
    maria = coaching_world.maria
    # Another branch's manager gets 404 (the person's existence is not given away); other roles 403.
    refused = 404 if role == "manager_b" else 403
    page = client.get(f"/manage/staff/{maria.id}/coaching?period=2026-Q2")
    assert page.status_code == _expected(role, refused)
    report = client.get(f"/manage/reports/staff/{maria.code}.pdf?period=2026-Q2")
    assert report.status_code == _expected(role, refused)
    if role in MAY:
        assert report.mimetype == "application/pdf"
        assert "Coaching: Maria Jensen" in page.get_data(as_text=True)


@pytest.mark.parametrize("role", ["shopper", "reviewer", "manager_b", "staff_maria", "staff_emil"])
def test_nobody_else_can_write_to_the_record(store, coaching_world, sign_in, role):
    client = sign_in(coaching_world.email(role))
    maria = coaching_world.maria
    posted = client.post(f"/manage/staff/{maria.id}/coaching/conversations",
                         data={"held_on": "2026-05-01", "present": "Nobody", "notes": ""})
    assert posted.status_code in (403, 404)
    assert store.coaching.get(maria.id).audit == []


@pytest.mark.parametrize("role", ["shopper", "reviewer", "manager_a", "admin"])
def test_the_staff_pages_are_for_staff_accounts_only(coaching_world, sign_in, role):
    client = sign_in(coaching_world.email(role))
    assert client.get("/me/").status_code == 403
    assert client.get("/me/report.pdf?period=2026-Q2").status_code == 403


def test_a_staff_account_reaches_only_its_own_report(coaching_world, sign_in):
    emil = sign_in(coaching_world.email("staff_emil"))
    own = emil.get("/me/report.pdf?period=2026-Q2")
    assert own.status_code == 200 and own.mimetype == "application/pdf"
    assert "coaching-EMIL1-2026-Q2.pdf" in own.headers["Content-Disposition"]
    assert emil.get("/manage/reports/staff/MARIA.pdf?period=2026-Q2").status_code == 403
    assert emil.get(f"/manage/staff/{coaching_world.maria.id}").status_code == 403


def test_an_unlinked_staff_account_sees_nothing(store, coaching_world, sign_in):
    store.directory.update_user(coaching_world.users["staff_emil"].id, staff_member=None)
    emil = sign_in(coaching_world.email("staff_emil"))
    assert emil.get("/me/").status_code == 404
    assert emil.get("/me/report.pdf?period=2026-Q2").status_code == 404
