"""Signing in and out: session rotation, throttling without lock-out, single-use reset links, CSRF."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from feedback.services.signin import (
    DEFAULT_POLICY,
    ResetLinkError,
    SignInClient,
    ThrottlePolicy,
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


SECRET = "test-secret-key-not-for-production"  # the app fixture's
HOME = SignInClient("192.0.2.10")
ATTACKER = SignInClient("203.0.113.66")


# The production policy with smaller counts, so a test makes tens of password checks, not hundreds.
POLICY = ThrottlePolicy(client_lock_after=8, account_free_failures=6)
FREE_FAILURES = POLICY.free_failures
CLIENT_LOCK_AFTER = POLICY.client_lock_after
CLIENT_LOCK_FOR = POLICY.client_lock_for
ACCOUNT_FREE_FAILURES = POLICY.account_free_failures
MAX_ACCOUNT_DELAY = POLICY.max_account_delay


def _try(store, email, password, client, at):
    return sign_in(store, email, password, secret_key=SECRET, client=client, now=at, policy=POLICY)


def test_the_production_policy_lets_a_user_fumble_and_locks_a_client_only_after_many_guesses():
    assert DEFAULT_POLICY.free_failures >= 3 and DEFAULT_POLICY.client_lock_after >= 10
    assert DEFAULT_POLICY.max_account_delay.total_seconds() <= 60


def _guess_until_locked(store, email, client, at):
    """Wrong passwords from ``client``, each after the wait it was told, until that client is locked out."""
    for _attempt in range(CLIENT_LOCK_AFTER * 3):
        result = _try(store, email, "wrong", client, at)
        if result.reason == "locked":
            return at
        at += timedelta(seconds=result.wait_seconds)
    raise AssertionError("never locked")


def test_repeated_failures_from_one_client_wait_longer_each_time(manager, store):
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    for attempt in range(FREE_FAILURES):
        assert _try(store, manager.email, "wrong", ATTACKER, now + timedelta(seconds=attempt)).reason == "wrong"
    last = now + timedelta(seconds=FREE_FAILURES - 1)
    waits = []
    for _round in range(4):
        refused = _try(store, manager.email, "wrong", ATTACKER, last)
        assert refused.reason == "wait"
        waits.append(refused.wait_seconds)
        last += timedelta(seconds=refused.wait_seconds)
        assert _try(store, manager.email, "wrong", ATTACKER, last).reason == "wrong"
    assert waits == [1, 2, 4, 8]
    # Even the right password is not checked during a wait: the attacker learns nothing from it.
    assert _try(store, manager.email, PASSWORD, ATTACKER, last).reason == "wait"


def test_an_attacker_hammering_the_admin_never_locks_the_admin_out(manager, store):
    """The reported attack: many wrong passwords for one account, from one client and from many."""
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    # The real user signed in from their own browser the day before.
    first = _try(store, manager.email, PASSWORD, HOME, now - timedelta(days=1))
    assert first.reason == "ok"
    at = _guess_until_locked(store, manager.email, ATTACKER, now)
    assert _try(store, manager.email, PASSWORD, ATTACKER, at + timedelta(hours=1)).reason == "locked"
    # From many machines at once, too.
    for n in range(ACCOUNT_FREE_FAILURES * 2):
        _try(store, manager.email, "wrong", SignInClient(f"198.51.100.{n}"), at + timedelta(seconds=n / 10))
    at += timedelta(seconds=ACCOUNT_FREE_FAILURES / 5)
    # From that browser they get straight in.
    known = SignInClient("192.0.2.10", first.device_cookie)
    assert _try(store, manager.email, PASSWORD, known, at).reason == "ok"
    # A new browser waits out the account-wide delay, never more than half a minute, and is then in.
    fresh = _try(store, manager.email, PASSWORD, SignInClient("192.0.2.99"), at)
    assert fresh.reason == "wait" and fresh.wait_seconds <= MAX_ACCOUNT_DELAY.total_seconds()
    later = at + MAX_ACCOUNT_DELAY + timedelta(seconds=1)
    assert _try(store, manager.email, PASSWORD, SignInClient("192.0.2.99"), later).reason == "ok"


def test_a_locked_client_gets_back_in_through_a_reset_link(manager, store, app):
    at = _guess_until_locked(store, manager.email, HOME, datetime(2026, 3, 1, 12, 0, tzinfo=UTC))
    assert _try(store, manager.email, PASSWORD, HOME, at).reason == "locked"
    assert _try(store, manager.email, PASSWORD, HOME, at + CLIENT_LOCK_FOR - timedelta(minutes=1)).reason == "locked"
    reset_password(store, make_reset_token(manager, SECRET), "a-new-long-password", SECRET)
    assert _try(store, manager.email, "a-new-long-password", HOME, at).reason == "ok"


def test_a_device_cookie_for_another_account_does_not_help(manager, factory, store):
    other = factory.user("other@test.library", "manager", ["central"])
    at = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    cookie = _try(store, other.email, PASSWORD, HOME, at).device_cookie
    for n in range(ACCOUNT_FREE_FAILURES + 4):
        _try(store, manager.email, "wrong", SignInClient(f"198.51.100.{n}"), at)
    assert _try(store, manager.email, PASSWORD, SignInClient("192.0.2.10", cookie), at).reason == "wait"
    assert _try(store, manager.email, PASSWORD, SignInClient("192.0.2.10", cookie + "x"), at).reason == "wait"


def test_no_address_or_email_is_stored_for_failed_sign_ins(manager, store):
    at = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    _try(store, manager.email, "wrong", ATTACKER, at)
    _try(store, "nobody@test.library", "wrong", ATTACKER, at)
    stored = (store.data_dir / "signin_attempts.json").read_text()
    assert "203.0.113" not in stored and "test.library" not in stored and "boss" not in stored
    assert stored.count('"key"') == 4  # account and account+client, for each address tried


def test_the_wait_and_the_lock_show_on_the_form(manager, client, app, store):
    # Failures from this client over the last 40 seconds, each after the wait it was told (the
    # production policy, as the page uses): the last one asks for half a minute.
    now = datetime.now(UTC)
    at, here = now - timedelta(seconds=40), SignInClient("127.0.0.1")
    while at < now - timedelta(seconds=5):
        result = sign_in(store, manager.email, "wrong", secret_key=app.config["SECRET_KEY"], client=here, now=at)
        at += timedelta(seconds=result.wait_seconds)
    html = client.post("/auth/login", data={"email": manager.email, "password": PASSWORD}).get_data(as_text=True)
    assert re.search(r'id="password-error">Too many failed attempts: please wait \d+ seconds', html)
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
    at = datetime.now(UTC)
    assert _try(store, manager.email, "a-new-long-password", HOME, at).reason == "ok"
    assert _try(store, manager.email, PASSWORD, HOME, at).reason == "wrong"
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
    assert _try(store, manager.email, PASSWORD, HOME, datetime.now(UTC)).reason == "ok"


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


def test_an_unknown_address_is_checked_against_a_hash_of_the_same_method_as_real_ones():
    """The written-out dummy hash must cost what a real password's check costs: same method and parameters."""
    from werkzeug.security import check_password_hash, generate_password_hash

    from feedback.services import signin

    real = generate_password_hash("any password at all")
    assert signin._DUMMY_HASH.split("$")[0] == real.split("$")[0]
    assert check_password_hash(signin._DUMMY_HASH, "not a real password, only for timing")
