"""Every manager page and download against every role: each gets exactly what its role allows.

Anonymous visitors are sent to sign in; shoppers and reviewers are refused;
a manager sees only their own branch (another branch answers 404, as if it
did not exist); administrators see everything, including the set-up pages.
"""

from __future__ import annotations

import csv
import io

import pytest

ROLES = ["anonymous", "shopper", "reviewer", "manager_a", "manager_b", "admin"]


def _pages(world):
    """(path, who may see it) for every GET page and download of the console."""
    a, b = world.staff_a.id, world.staff_b.id
    managers = {"manager_a", "manager_b", "admin"}
    only_a = {"manager_a", "admin"}
    only_b = {"manager_b", "admin"}
    admin = {"admin"}
    pages = [
        ("/manage/", managers),
        ("/manage/?period=2026-03", managers),
        ("/manage/?branch=central&period=2026-03", only_a),
        ("/manage/?branch=riverside&period=2026-03", only_b),
        (f"/manage/staff/{a}?period=2026-03", only_a),
        (f"/manage/staff/{b}?period=2026-03", only_b),
        ("/manage/followups/", managers),
        ("/manage/followups/central", only_a),
        ("/manage/followups/riverside", only_b),
        ("/manage/review/", managers),
        ("/manage/backup.json", admin),
        ("/manage/setup/", admin),
        ("/manage/setup/branches", admin),
        ("/manage/setup/branches/central/desks", admin),
        ("/manage/setup/staff", admin),
        ("/manage/setup/users", admin),
        ("/manage/setup/kiosks", admin),
        ("/manage/setup/surveys/", admin),
        ("/manage/setup/surveys/qr/es", admin),
        ("/manage/setup/retention", admin),
    ]
    for what in ("responses", "visits"):
        for fmt in ("csv", "xlsx"):
            pages.append((f"/manage/export/{what}.{fmt}?period=2026-03", managers))
            pages.append((f"/manage/export/{what}.{fmt}?period=2026-03&branch=central", only_a))
            pages.append((f"/manage/export/{what}.{fmt}?period=2026-03&branch=riverside", only_b))
    return pages


def _expected(role: str, allowed: set[str], path: str) -> int:
    if role == "anonymous":
        return 302
    if role in allowed:
        return 200
    if role in ("shopper", "reviewer"):
        return 403
    if role.startswith("manager") and "admin" in allowed and len(allowed) == 1:
        return 403  # an administrator's page
    return 404  # another manager's branch


@pytest.mark.parametrize("role", ROLES)
def test_every_page_answers_as_the_role_allows(world, sign_in, role):
    client = sign_in(None if role == "anonymous" else world.users[role])
    wrong = []
    for path, allowed in _pages(world):
        response = client.get(path)
        expected = _expected(role, allowed, path)
        if response.status_code != expected:
            wrong.append((path, response.status_code, expected))
        if role == "anonymous":
            assert "/auth/login" in response.location
    assert wrong == [], f"{role}: (path, got, expected) {wrong}"


@pytest.mark.parametrize("role", ROLES)
def test_every_state_change_answers_as_the_role_allows(world, sign_in, role):
    client = sign_in(None if role == "anonymous" else world.users[role])
    posts = [
        (f"/manage/followups/central/{world.followup_a.id}/done", {"note": "Called back"}, {"manager_a", "admin"}),
        (f"/manage/followups/riverside/{world.followup_b.id}/done", {"note": "Called back"}, {"manager_b", "admin"}),
        ("/manage/setup/branches", {"slug": "eastside", "name": "Eastside", "timezone": "Europe/Copenhagen"},
         {"admin"}),
        ("/manage/setup/staff", {"display_name": "New Person", "branch": "central"}, {"admin"}),
        ("/manage/setup/retention", {"retention_days": "400"}, {"admin"}),
    ]
    for path, data, allowed in posts:
        response = client.post(path, data=data)
        if role == "anonymous":
            assert response.status_code == 302 and "/auth/login" in response.location
        elif role in allowed:
            assert response.status_code == 302, (path, response.status_code)
        elif role in ("shopper", "reviewer") or allowed == {"admin"}:
            assert response.status_code == 403, (path, response.status_code)
        else:
            assert response.status_code == 404, (path, response.status_code)


def test_a_manager_cannot_move_another_branchs_follow_up_through_their_own_branch(world, sign_in, store):
    client = sign_in(world.users["manager_a"])
    response = client.post(f"/manage/followups/central/{world.followup_b.id}/done", data={"note": "sneaky"})
    assert response.status_code == 404
    assert store.followups.get(world.followup_b.id).contact == "guest-riverside@example.org"


def test_a_managers_whole_system_export_holds_only_their_branches(world, sign_in):
    client = sign_in(world.users["manager_a"])
    body = client.get("/manage/export/responses.csv?period=2026-03").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 3
    assert {r["branch"] for r in rows} == {"central"}
    page = client.get("/manage/?period=2026-03").get_data(as_text=True)
    assert "riverside comment" not in page and "central comment" in page
    assert "Emil Larsen" not in page
