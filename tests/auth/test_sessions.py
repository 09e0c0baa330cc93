"""Sessions that end: a copy of a session cookie stops working when its session is ended anywhere."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from feedback.services.signin import make_reset_token, reset_password
from feedback.services.user_sessions import session_is_live, start_session
from tests.conftest import AuthActions, csrf_token_in

PASSWORD = "correct-horse-battery"


@pytest.fixture
def manager(factory):
    factory.branch("central")
    return factory.user("boss@test.library", "manager", ["central"])


def _copy_of_session(app, client):
    """A second browser holding a copy of ``client``'s session cookie, as a thief would."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def test_a_session_cookie_copied_before_sign_out_no_longer_opens_the_console(app, client, auth, manager):
    auth.login(manager.email)
    thief = _copy_of_session(app, client)
    assert thief.get("/manage/").status_code == 200
    auth.logout()
    answer = thief.get("/manage/")
    assert answer.status_code == 302 and "/auth/login" in answer.location


def test_signing_out_on_one_device_leaves_the_others_signed_in(app, manager):
    desk, phone = app.test_client(), app.test_client()
    AuthActions(desk).login(manager.email)
    AuthActions(phone).login(manager.email)
    AuthActions(phone).logout()
    assert desk.get("/manage/").status_code == 200
    assert phone.get("/manage/").status_code == 302


def test_a_password_change_ends_every_session_and_every_copy(app, client, auth, manager, store):
    auth.login(manager.email)
    thief = _copy_of_session(app, client)
    reset_password(store, make_reset_token(manager, app.config["SECRET_KEY"]), "a-new-long-password",
                   app.config["SECRET_KEY"])
    assert client.get("/manage/").status_code == 302
    assert thief.get("/manage/").status_code == 302


def test_an_administrator_signs_a_user_out_everywhere(app, factory, manager):
    factory.user("admin@test.library", "admin")
    desk = app.test_client()
    AuthActions(desk).login(manager.email)
    thief = _copy_of_session(app, desk)
    admin = app.test_client()
    AuthActions(admin).login("admin@test.library")
    page = admin.get(f"/manage/setup/users/{manager.id}").get_data(as_text=True)  # the account's own page
    assert "Sign out everywhere" in page
    answer = admin.post(f"/manage/setup/users/{manager.id}/sign-out", follow_redirects=True)
    assert answer.status_code == 200 and "signed out everywhere" in answer.get_data(as_text=True)
    assert desk.get("/manage/").status_code == 302
    assert thief.get("/manage/").status_code == 302
    assert admin.get("/manage/").status_code == 200  # only that user's sessions ended


def test_sign_out_everywhere_needs_an_administrator_and_the_csrf_token(csrf_app, factory):
    factory = type(factory)(csrf_app.extensions["feedback_store"])
    factory.branch("central")
    target = factory.user("boss@test.library", "manager", ["central"])
    factory.user("admin@test.library", "admin")
    manager = csrf_app.test_client()
    AuthActions(manager).login("boss@test.library")
    assert manager.post(f"/manage/setup/users/{target.id}/sign-out",
                        data={"csrf_token": csrf_token_in(manager.get("/manage/").get_data(as_text=True))}
                        ).status_code == 403
    admin = csrf_app.test_client()
    AuthActions(admin).login("admin@test.library")
    assert admin.post(f"/manage/setup/users/{target.id}/sign-out").status_code == 400
    assert manager.get("/manage/").status_code == 200


def test_the_command_signs_a_user_out_everywhere(app, client, auth, manager, runner):
    auth.login(manager.email)
    result = runner.invoke(args=["sign-out-everywhere", manager.email])
    assert result.exit_code == 0 and "Ended 1 sessions" in result.output
    assert client.get("/manage/").status_code == 302


def test_a_session_expires_after_its_hours_however_it_is_used(store, manager):
    started = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    session_id = start_session(store, manager.id, hours=12, now=started)
    assert session_is_live(store, session_id, manager.id, now=started + timedelta(hours=11))
    assert not session_is_live(store, session_id, manager.id, now=started + timedelta(hours=12, seconds=1))
    assert not session_is_live(store, session_id, "someone-else", now=started)
    assert session_id not in (store.data_dir / "sessions.json").read_text()  # only a digest is kept


@pytest.mark.parametrize(("public_url", "secure"), [("https://feedback.example.org", True),
                                                    ("http://127.0.0.1:5000", False)])
def test_the_session_cookie_is_secure_whenever_the_public_address_is_https(make_app, public_url, secure):
    app = make_app(PUBLIC_URL=public_url)
    assert app.config["SESSION_COOKIE_SECURE"] is secure
    assert app.config["REMEMBER_COOKIE_SECURE"] is secure
