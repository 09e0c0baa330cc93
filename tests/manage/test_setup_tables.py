"""Set-up as tables: search, branch filter, pages, an edit page per record; names per language."""

from __future__ import annotations

import re

import pytest
from werkzeug.security import generate_password_hash

from feedback.model import Branch, Desk, StaffMember, User, new_id
from feedback.store.snapshot import restore_snapshot

from .conftest import PASSWORD


def test_staff_table_searches_filters_and_pages(world, sign_in, factory, store):
    for n in range(59):
        factory.staff(f"Person {n:02d}", "riverside" if n % 2 else "central")
    holm = factory.staff("Ida Holm", "riverside")
    client = sign_in(world.users["admin"])
    first = client.get("/manage/setup/staff").get_data(as_text=True)
    assert first.count('<tr><th scope="row">') == 50 and "page 1 of 2" in first
    second = client.get("/manage/setup/staff?page=2").get_data(as_text=True)
    assert second.count('<tr><th scope="row">') == 12  # 62 in all
    found = client.get("/manage/setup/staff?q=HOLM").get_data(as_text=True)
    assert found.count('<tr><th scope="row">') == 1 and "Ida Holm" in found
    by_code = client.get(f"/manage/setup/staff?q={holm.code}").get_data(as_text=True)
    assert by_code.count('<tr><th scope="row">') == 1 and "Ida Holm" in by_code
    riverside = client.get("/manage/setup/staff?branch=riverside").get_data(as_text=True)
    assert riverside.count('<tr><th scope="row">') == 31 and "Maria Jensen" not in riverside
    assert 'href="/manage/setup/staff?branch=riverside&amp;page=1"' not in riverside


def test_each_record_has_its_own_edit_page_with_the_checkbox_beside_its_label(world, sign_in):
    client = sign_in(world.users["admin"])
    html = client.get(f"/manage/setup/staff/{world.staff_a.id}").get_data(as_text=True)
    assert re.search(r'<label class="check" for="active"><input[^>]*id="active"[^>]*> <span>Active</span></label>',
                     html)
    assert client.get("/manage/setup/staff/nobody").status_code == 404
    assert client.get("/manage/setup/branches/central").status_code == 200
    assert client.get("/manage/setup/branches/central/desks/info").status_code == 200


def test_a_managers_branches_are_checkboxes_shown_only_for_the_manager_role(world, sign_in, store):
    client = sign_in(world.users["admin"])
    manager = store.directory.user_by_email(world.users["manager_a"])
    shopper = store.directory.user_by_email(world.users["shopper"])
    html = client.get(f"/manage/setup/users/{manager.id}").get_data(as_text=True)
    fieldset = re.search(r'<fieldset class="field checkbox-list[^>]*>', html).group(0)
    assert "hidden" not in fieldset and 'type="checkbox"' in html and "<select multiple" not in html
    assert re.search(r'<input checked[^>]*value="central"|<input[^>]*value="central"[^>]*checked', html)
    html = client.get(f"/manage/setup/users/{shopper.id}").get_data(as_text=True)
    assert "hidden" in re.search(r'<fieldset class="field checkbox-list[^>]*>', html).group(0)


def test_branch_and_desk_names_per_language_reach_the_guest(world, sign_in, store, client):
    admin = sign_in(world.users["admin"])
    assert admin.post("/manage/setup/branches/central", data={
        "name": "Central Library", "name_da": "Hovedbiblioteket", "name_es": "Biblioteca Central",
        "timezone": "Europe/Copenhagen", "active": "y"}).status_code == 302
    assert admin.post("/manage/setup/branches/central/desks/info", data={
        "name": "Information desk", "name_da": "Informationen", "name_es": "", "active": "y"}).status_code == 302
    assert store.directory.desk("central", "info").names == {"da": "Informationen"}  # empty: the main name
    danish = client.get("/s/central/info?lang=da").get_data(as_text=True)
    assert "Informationen · Hovedbiblioteket" in danish and "Central Library" not in danish
    spanish = client.get("/s/central/info?lang=es").get_data(as_text=True)
    assert "Information desk · Biblioteca Central" in spanish


def test_a_name_too_long_in_another_language_is_refused_next_to_its_field(world, sign_in, store):
    admin = sign_in(world.users["admin"])
    response = admin.post("/manage/setup/branches/central", data={
        "name": "Central", "name_da": "x" * 121, "timezone": "Europe/Copenhagen", "active": "y"})
    assert response.status_code == 400 and 'id="name_da-error"' in response.get_data(as_text=True)
    assert store.directory.branch("central").names == {}


def large_directory(password_hash: str) -> dict:
    """The directory file of a large library system: 100 branches, 400 desks, 1,000 staff, 200 managers.

    Written in one go through restore (adding 1,700 records one by one would
    rewrite the file 1,700 times and take most of a minute).
    """
    branches = [Branch(f"branch-{b:03d}", f"Branch {b:03d}") for b in range(100)]
    desks = [Desk(b.slug, f"desk-{d}", f"Desk {d}") for b in branches for d in range(4)]
    staff = [StaffMember(new_id(), f"Staff {s:04d}", f"branch-{s % 100:03d}", f"S{s:04d}") for s in range(1000)]
    users = [User(new_id(), "admin@big.library", password_hash, "admin")] + [
        User(new_id(), f"user{u:03d}@big.library", password_hash, "manager",
             branches=[f"branch-{u % 100:03d}", f"branch-{(u + 1) % 100:03d}"]) for u in range(200)]

    def table(records):
        return {str(n): r.to_doc() for n, r in enumerate(records, start=1)}

    return {"directory.json": {"branches": table(branches), "desks": table(desks), "staff": table(staff),
                               "users": table(users)}}


@pytest.fixture
def large_client(make_app, tmp_path):
    """A client signed in as the administrator of a 100-branch, 1,000-staff instance."""
    app = make_app(INSTANCE_PATH=tmp_path / "large")
    restore_snapshot(app.extensions["feedback_store"], large_directory(generate_password_hash(PASSWORD)))
    client = app.test_client()
    assert client.post("/auth/login", data={"email": "admin@big.library", "password": PASSWORD}).status_code == 302
    return client, app.extensions["feedback_store"]


def test_the_set_up_pages_of_a_large_instance_answer_one_page_at_a_time(large_client):
    client, store = large_client
    pages = {
        "/manage/setup/branches": 50, "/manage/setup/branches?page=2": 50,
        "/manage/setup/staff": 50, "/manage/setup/staff?page=20": 50, "/manage/setup/staff?page=21": 50,
        "/manage/setup/staff?branch=branch-042": 10, "/manage/setup/users": 50, "/manage/setup/users?page=5": 1,
        "/manage/setup/users?q=user042": 1, "/manage/setup/branches/branch-042/desks": 4,
    }
    for path, rows in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.get_data(as_text=True).count('<tr><th scope="row">') == rows, path
    kiosks = client.get("/manage/setup/kiosks").get_data(as_text=True)
    assert kiosks.count("<optgroup") == 100  # 400 desks chosen by branch, not in one flat list
    manager = store.directory.user_by_email("user042@big.library")
    edit = client.get(f"/manage/setup/users/{manager.id}").get_data(as_text=True)
    assert edit.count('type="checkbox"') == 100 + 1  # every branch, and "active"
    assert edit.count("checked") == 2 + 1  # their two branches, and "active"


@pytest.mark.browser
def test_the_branch_checkboxes_appear_when_the_role_becomes_manager(world, live_server, browser):
    page = browser.new_page()
    try:
        page.goto(f"{live_server.url}/auth/login")
        page.fill("#email", world.users["admin"])
        page.fill("#password", PASSWORD)
        page.click("form.card button[type=submit]")
        page.wait_for_load_state()
        page.goto(f"{live_server.url}/manage/setup/users/new")
        branches = page.locator("fieldset#branches")
        assert not branches.is_visible()  # an administrator sees every branch: nothing to choose
        page.select_option("#role", "manager")
        assert branches.is_visible()
        page.get_by_label("Riverside").check()
        page.select_option("#role", "shopper")
        assert not branches.is_visible()
    finally:
        page.close()
