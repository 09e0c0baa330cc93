"""Set-up pages: administrators change branches, desks, staff, users, kiosks, texts and retention."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from feedback.services.dashboard import Scope, build_dashboard
from feedback.services.periods import parse_period
from feedback.services.surveys import surveys_from_settings


def test_a_bad_branch_is_refused_next_to_the_field_and_nothing_is_stored(world, sign_in, store):
    client = sign_in(world.users["admin"])
    response = client.post("/manage/setup/branches", data={"slug": "Not A Slug!", "name": "Eastside",
                                                           "timezone": "Europe/Copenhagen"})
    assert response.status_code == 400
    assert re.search(r'id="slug-error">[^<]*lower-case', response.get_data(as_text=True))
    response = client.post("/manage/setup/branches", data={"slug": "eastside", "name": "Eastside",
                                                           "timezone": "Mars/Olympus"})
    assert 'id="timezone-error"' in response.get_data(as_text=True)
    response = client.post("/manage/setup/branches", data={"slug": "central", "name": "Again",
                                                           "timezone": "Europe/Copenhagen"})
    assert "exists already" in response.get_data(as_text=True)
    assert sorted(b.slug for b in store.directory.branches()) == ["central", "riverside"]
    assert store.directory.branch("central").name == "Central"


def test_adding_and_deactivating_a_branch_and_a_desk(world, sign_in, store):
    client = sign_in(world.users["admin"])
    assert client.post("/manage/setup/branches", data={"slug": "eastside", "name": "Eastside Library",
                                                       "timezone": "Europe/Madrid"}).status_code == 302
    assert client.post("/manage/setup/branches/eastside/desks",
                       data={"slug": "main", "name": "Main desk"}).status_code == 302
    assert client.post("/manage/setup/branches/eastside/desks/main",
                       data={"name": "Front desk"}).status_code == 302  # unchecked: inactive
    desk = store.directory.desk("eastside", "main")
    assert (desk.name, desk.active) == ("Front desk", False)
    assert client.post("/manage/setup/branches/eastside", data={
        "name": "Eastside", "timezone": "Europe/Madrid", "active": "y",
    }).status_code == 302
    assert store.directory.branch("eastside").timezone == "Europe/Madrid"


def test_moving_and_deactivating_staff_keeps_their_history(world, sign_in, store):
    client = sign_in(world.users["admin"])
    member = world.staff_a
    response = client.post(f"/manage/setup/staff/{member.id}", data={
        "display_name": "Maria J. Jensen", "branch": "riverside"})
    assert response.status_code == 302
    moved = store.directory.staff_member(member.id)
    assert (moved.display_name, moved.branch, moved.active, moved.code) == (
        "Maria J. Jensen", "riverside", False, member.code)
    # Her central responses still count for central, under her id.
    central = store.directory.branch("central")
    board = build_dashboard(store, Scope((central,), parse_period("2026-03")))
    assert board.summary.responses == 3
    row = next(r for r in board.staff if r.member.id == member.id)
    assert row.count == 3


def test_adding_staff_gives_a_public_code(world, sign_in, store):
    client = sign_in(world.users["admin"])
    response = client.post("/manage/setup/staff", data={"display_name": "Ida Holm", "branch": "riverside"},
                           follow_redirects=True)
    added = next(s for s in store.directory.staff() if s.display_name == "Ida Holm")
    assert re.fullmatch(r"[A-Z2-9]{5}", added.code) and added.code in response.get_data(as_text=True)


def test_users_and_roles(world, sign_in, store):
    client = sign_in(world.users["admin"])
    response = client.post("/manage/setup/users", data={"email": "new@test.library", "role": "manager",
                                                        "password": "long-enough-password"})
    assert response.status_code == 400 and 'id="branches-error"' in response.get_data(as_text=True)
    assert store.directory.user_by_email("new@test.library") is None
    response = client.post("/manage/setup/users", data={"email": "new@test.library", "role": "manager",
                                                        "branches": ["central", "riverside"],
                                                        "password": "long-enough-password"})
    assert response.status_code == 302
    user = store.directory.user_by_email("new@test.library")
    assert user.branches == ["central", "riverside"] and user.password_hash != "long-enough-password"
    client.post(f"/manage/setup/users/{user.id}", data={"role": "reviewer"})
    changed = store.directory.user(user.id)
    assert (changed.role, changed.branches, changed.active) == ("reviewer", [], False)
    admin = store.directory.user_by_email(world.users["admin"])
    response = client.post(f"/manage/setup/users/{admin.id}", data={"role": "shopper", "active": "y"})
    assert response.status_code == 400 and "your own administrator rights" in response.get_data(as_text=True)
    assert store.directory.user(admin.id).role == "admin"


def test_registering_and_revoking_a_kiosk(world, sign_in, store):
    client = sign_in(world.users["admin"])
    response = client.post("/manage/setup/kiosks", data={"desk": "central/info", "label": "By the door"})
    assert response.status_code == 302
    response = client.get("/manage/setup/kiosks")
    link = re.search(r'id="kiosk-link">([^<]+)<', response.get_data(as_text=True)).group(1)
    kiosk = store.directory.kiosks()[0]
    assert link.endswith(f"/kiosk/{kiosk.token}") and kiosk.active
    listing = client.get("/manage/setup/kiosks").get_data(as_text=True)
    assert kiosk.token not in listing  # the secret is shown once only
    # Revoke asks first: the listing links to a confirmation page holding the form.
    confirm_path = re.search(r'href="(/manage/setup/kiosks/[0-9a-f]+/revoke)"', listing).group(1)
    confirm = client.get(confirm_path).get_data(as_text=True)
    reference = re.search(r'name="kiosk" value="([0-9a-f]+)"', confirm).group(1)
    assert client.post("/manage/setup/kiosks/revoke", data={"kiosk": reference}).status_code == 302
    assert store.directory.kiosk(kiosk.token).active is False


def test_survey_texts_per_language(world, sign_in, store):
    client = sign_in(world.users["admin"])
    response = client.post("/manage/setup/surveys/qr/es", data={"title": "Cuéntenos", "q_welcome": "¿Bienvenido?",
                                                                "q_helpful": ""})
    assert response.status_code == 302
    survey = surveys_from_settings(store.directory.settings())["qr"]
    assert survey.title["es"] == "Cuéntenos" and survey.question("welcome").text["es"] == "¿Bienvenido?"
    assert survey.question("welcome").text["en"] == "How were you welcomed?"
    # An empty Spanish text falls back to English; an empty English one is refused.
    assert "helpful" in [q.id for q in survey.questions] and "es" not in survey.question("helpful").text
    response = client.post("/manage/setup/surveys/qr/en", data={"title": "", "q_welcome": "Welcome?"})
    assert response.status_code == 400 and 'id="title-error"' in response.get_data(as_text=True)
    assert surveys_from_settings(store.directory.settings())["qr"].title["en"] == "Tell us about your visit"


def test_retention_period(world, sign_in, store):
    client = sign_in(world.users["admin"])
    response = client.post("/manage/setup/retention", data={"retention_days": "5"})
    assert response.status_code == 400 and 'id="retention_days-error"' in response.get_data(as_text=True)
    response = client.post("/manage/setup/retention", data={"retention_days": "400"})
    assert response.status_code == 302
    assert store.directory.settings()["retention_days"] == 400
    assert 'value="400"' in client.get("/manage/setup/retention").get_data(as_text=True)


def test_page_output_is_escaped(world, sign_in, store, factory):
    factory.response("central", comment='<img src=x onerror="alert(1)">',
                     at=datetime(2026, 3, 12, 10, 0, tzinfo=UTC))
    store.directory.update_staff(world.staff_a.id, display_name="<b>Bold</b>")
    page = sign_in(world.users["admin"]).get("/manage/?period=2026-03").get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x" in page
    assert "<b>Bold</b>" not in page
    assert "style=" not in page and "onerror=" not in page.replace("onerror=&#34;", "")
