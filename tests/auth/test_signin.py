"""Signing in and out: session rotation, per-account lock-out, single-use reset links, CSRF."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from feedback.services.signin import (
    LOCK_FOR,
    MAX_FAILURES,
    ResetLinkError,
    make_reset_token,
    reset_password,
    sign_in,
)
from tests.conftest import csrf_token_in

PASSWORD = "correct-horse-battery"


@pytest.fixture
def manager(factory):
    factory.branch("central")
    return factory.user("boss@test.library", "manager", ["central"])


def test_signing_in_starts_a_fresh_session_and_signing_out_ends_it(manager, client, auth):
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    response = auth.login(manager.email)
    assert response.status_code == 302 and response.location.endswith("/manage/")
    with client.session_transaction() as session:
        assert "planted" not in session  # nothing from before sign-in survives
        assert session["_user_id"].startswith(manager.id)
    assert client.get("/manage/").status_code == 200
    auth.logout()
    with client.session_transaction() as session:
        assert "_user_id" not in session
    response = client.get("/manage/")
    assert response.status_code == 302 and "/auth/login" in response.location


def test_a_wrong_password_gets_a_message_next_to_the_field(manager, client):
    page = client.post("/auth/login", data={"email": manager.email, "password": "not-the-password"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert re.search(r'id="password-error">E-mail or password is not right', html)


def test_ten_failures_lock_the_account_even_against_the_right_password(manager, store):
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    for attempt in range(MAX_FAILURES - 1):
        assert sign_in(store, manager.email, "wrong", now=now + timedelta(seconds=attempt)).reason == "wrong"
    assert sign_in(store, manager.email, "wrong", now=now + timedelta(seconds=30)).reason == "locked"
    assert sign_in(store, manager.email, PASSWORD, now=now + timedelta(minutes=1)).reason == "locked"
    # After the lock runs out the right password works, and the count starts again.
    later = now + timedelta(seconds=30) + LOCK_FOR + timedelta(seconds=1)
    result = sign_in(store, manager.email, PASSWORD, now=later)
    assert result.reason == "ok" and result.user.id == manager.id
    assert store.directory.user(manager.id).failed_logins == []


def test_failures_spread_over_more_than_fifteen_minutes_do_not_lock(manager, store):
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    for attempt in range(MAX_FAILURES * 2):
        assert sign_in(store, manager.email, "wrong", now=now + timedelta(minutes=2 * attempt)).reason == "wrong"
    assert sign_in(store, manager.email, PASSWORD, now=now + timedelta(minutes=41)).reason == "ok"


def test_the_lock_shows_on_the_form(manager, client):
    for _attempt in range(MAX_FAILURES):
        client.post("/auth/login", data={"email": manager.email, "password": "wrong"})
    html = client.post("/auth/login", data={"email": manager.email, "password": PASSWORD}).get_data(as_text=True)
    assert "locked" in html
    assert client.get("/manage/").status_code == 302


def test_a_reset_link_works_once_and_ends_old_sessions(manager, app, store, client, auth):
    auth.login(manager.email)
    assert client.get("/manage/").status_code == 200
    token = make_reset_token(manager, app.config["SECRET_KEY"])
    other = app.test_client()
    page = other.get(f"/auth/reset/{token}")
    assert page.status_code == 200
    response = other.post(f"/auth/reset/{token}", data={"password": "a-new-long-password",
                                                         "confirm": "a-new-long-password"})
    assert response.status_code == 302
    assert sign_in(store, manager.email, "a-new-long-password").reason == "ok"
    assert sign_in(store, manager.email, PASSWORD).reason == "wrong"
    # Used once: the same link no longer works.
    assert other.get(f"/auth/reset/{token}").status_code == 400
    # The session signed in with the old password is over.
    assert client.get("/manage/").status_code == 302


def test_a_reset_link_expires_within_an_hour(manager, app, store):
    token = make_reset_token(manager, app.config["SECRET_KEY"])
    with pytest.raises(ResetLinkError):
        reset_password(store, token, "a-new-long-password", app.config["SECRET_KEY"], max_age=-1)
    with pytest.raises(ResetLinkError):
        reset_password(store, token + "x", "a-new-long-password", app.config["SECRET_KEY"])


def test_a_short_new_password_is_refused_next_to_the_field(manager, app, client, store):
    token = make_reset_token(manager, app.config["SECRET_KEY"])
    page = client.post(f"/auth/reset/{token}", data={"password": "short", "confirm": "short"})
    assert 'id="password-error"' in page.get_data(as_text=True)
    assert sign_in(store, manager.email, PASSWORD).reason == "ok"


def test_the_reset_link_command_prints_a_working_link(manager, runner, app):
    result = runner.invoke(args=["reset-link", manager.email])
    assert result.exit_code == 0, result.output
    link = result.output.strip()
    assert link.startswith("http") and "/auth/reset/" in link
    path = link[link.index("/auth/reset/"):]
    assert app.test_client().get(path).status_code == 200
    assert runner.invoke(args=["reset-link", "nobody@test.library"]).exit_code != 0


def test_asking_for_a_link_queues_it_in_the_outbox_and_says_the_same_for_unknown_addresses(manager, client, store,
                                                                                             caplog):
    known = client.post("/auth/reset", data={"email": manager.email}, follow_redirects=True)
    unknown = client.post("/auth/reset", data={"email": "nobody@test.library"}, follow_redirects=True)
    waiting = store.outbox.pending()
    assert [m.to for m in waiting] == [[manager.email]]
    assert "/auth/reset/" in waiting[0].body
    assert "/auth/reset/" not in caplog.text  # never the server log
    message = "If that address has an account"
    assert message in known.get_data(as_text=True) and message in unknown.get_data(as_text=True)
    assert "/auth/reset/" not in known.get_data(as_text=True)


def test_sign_in_and_sign_out_need_the_csrf_token(csrf_app, factory):
    factory = type(factory)(csrf_app.extensions["feedback_store"])
    factory.branch("central")
    factory.user("boss@test.library", "manager", ["central"])
    client = csrf_app.test_client()
    refused = client.post("/auth/login", data={"email": "boss@test.library", "password": PASSWORD})
    assert refused.status_code == 400
    token = csrf_token_in(client.get("/auth/login").get_data(as_text=True))
    signed_in = client.post("/auth/login", data={"email": "boss@test.library", "password": PASSWORD,
                                                 "csrf_token": token})
    assert signed_in.status_code == 302
    assert client.post("/auth/logout").status_code == 400
    assert client.get("/manage/").status_code == 200


def test_shoppers_and_reviewers_land_in_the_mystery_shopper_programme(client, auth, factory):
    factory.branch("central")
    factory.user("shopper@x.org", "shopper")
    factory.user("reviewer@x.org", "reviewer")
    for email in ("shopper@x.org", "reviewer@x.org"):
        response = auth.login(email)
        assert response.status_code == 302 and response.headers["Location"].endswith("/shop/")
        auth.logout()
