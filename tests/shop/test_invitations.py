"""Inviting shoppers: signed, expiring, single-use links; the admin page and the CLI."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from feedback.services.accounts import AccountError
from feedback.services.invitations import (
    INVITATION_VALID_FOR,
    InvitationError,
    accept_invitation,
    invite_shopper,
    read_invitation,
)
from feedback.services.signin import SignInClient, sign_in
from tests.conftest import csrf_token_in

SECRET = "test-secret-key-not-for-production"
CLIENT = SignInClient("192.0.2.1")


def invite(store, email="new@example.org", **kwargs):
    return invite_shopper(store, email=email, display_name="New Shopper", secret_key=SECRET, **kwargs)


def test_an_invited_shopper_cannot_sign_in_until_they_set_a_password(store):
    invitation = invite(store)
    user = store.directory.user(invitation.user.id)
    assert user.role == "shopper" and not user.active
    accepted = accept_invitation(store, invitation.token, password="a-long-new-password", secret_key=SECRET)
    stored = store.directory.user(accepted.id)
    assert stored.active
    assert sign_in(store, stored.email, "a-long-new-password", secret_key=SECRET, client=CLIENT).user is not None
    assert "a-long-new-password" not in stored.password_hash


def test_a_link_works_once(store):
    invitation = invite(store)
    accept_invitation(store, invitation.token, password="a-long-new-password", secret_key=SECRET)
    with pytest.raises(InvitationError) as caught:
        accept_invitation(store, invitation.token, password="another-long-password", secret_key=SECRET)
    assert caught.value.reason == "used"
    email = store.directory.user(invitation.user.id).email
    assert sign_in(store, email, "a-long-new-password", secret_key=SECRET, client=CLIENT).user is not None


def test_a_link_expires(store):
    issued = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    invitation = invite(store, now=issued)
    assert read_invitation(store, invitation.token, secret_key=SECRET, now=issued + INVITATION_VALID_FOR)
    with pytest.raises(InvitationError) as caught:
        read_invitation(store, invitation.token, secret_key=SECRET,
                        now=issued + INVITATION_VALID_FOR + timedelta(seconds=1))
    assert caught.value.reason == "expired"


def test_inviting_again_retires_the_earlier_link(store):
    first = invite(store)
    second = invite(store)
    assert first.user.id == second.user.id
    with pytest.raises(InvitationError):
        read_invitation(store, first.token, secret_key=SECRET)
    assert read_invitation(store, second.token, secret_key=SECRET).id == first.user.id


@pytest.mark.parametrize("mangle", [lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"), lambda t: "x" + t])
def test_a_tampered_link_is_invalid(store, mangle):
    invitation = invite(store)
    with pytest.raises(InvitationError) as caught:
        read_invitation(store, mangle(invitation.token), secret_key=SECRET)
    assert caught.value.reason == "invalid"


def test_a_link_signed_with_another_key_is_invalid(store):
    invitation = invite(store)
    with pytest.raises(InvitationError):
        read_invitation(store, invitation.token, secret_key="some-other-secret")


def test_an_existing_account_is_never_taken_over(store, world):
    for email in ("manager@example.org", "shopper@example.org"):  # a manager; an active shopper
        with pytest.raises(AccountError):
            invite(store, email=email)


def test_only_an_admin_reaches_the_invitation_page(client, auth, world):
    for email in ("manager@example.org", "reviewer@example.org", "shopper@example.org"):
        auth.login(email)
        assert client.get("/shop/shoppers").status_code == 403
        auth.logout()
    auth.login("admin@example.org")
    assert client.get("/shop/shoppers").status_code == 200


def test_the_admin_page_makes_a_link_that_sets_a_password_and_signs_in(client, auth, world, store):
    auth.login("admin@example.org")
    page = client.post("/shop/shoppers", data={"email": "Jo@Example.org", "display_name": "Jo"})
    link = re.search(r'id="invitation-link"[^>]*value="([^"]+)"', page.get_data(as_text=True)).group(1)
    auth.logout()
    base = client.application.config["PUBLIC_URL"]
    assert link.startswith(f"{base}/shop/welcome/"), "links that leave the app are built on PUBLIC_URL"
    path = link.removeprefix(base)
    assert "Jo" in client.get(path).get_data(as_text=True)
    short = client.post(path, data={"password": "short", "confirm": "short"})
    assert short.status_code == 422 and "at least 10 characters" in short.get_data(as_text=True)
    done = client.post(path, data={"password": "jo-has-a-long-one", "confirm": "jo-has-a-long-one"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/shop/")
    assert client.get("/shop/").status_code == 200  # signed in as the new shopper
    assert store.directory.user_by_email("jo@example.org").active
    assert client.get(path).status_code == 410  # spent


def test_the_admin_page_says_when_an_address_is_taken(client, auth, world):
    auth.login("admin@example.org")
    page = client.post("/shop/shoppers", data={"email": "manager@example.org"})
    assert page.status_code == 422
    assert "already has an account" in page.get_data(as_text=True)


def test_the_invitation_form_needs_its_csrf_token(csrf_app):
    client = csrf_app.test_client()
    store = csrf_app.extensions["feedback_store"]
    invitation = invite(store)
    path = f"/shop/welcome/{invitation.token}"
    refused = client.post(path, data={"password": "a-long-new-password", "confirm": "a-long-new-password"})
    assert refused.status_code in (400, 422)
    assert not store.directory.user(invitation.user.id).active
    token = csrf_token_in(client.get(path).get_data(as_text=True))
    ok = client.post(path, data={"password": "a-long-new-password", "confirm": "a-long-new-password",
                                 "csrf_token": token})
    assert ok.status_code == 302 and store.directory.user(invitation.user.id).active


def test_the_cli_prints_a_working_link(runner, store, client):
    result = runner.invoke(args=["invite-shopper", "cli@example.org", "--name", "Cli Shopper",
                                 "--base-url", "https://feedback.example.org"])
    assert result.exit_code == 0, result.output
    link = re.search(r"https://feedback\.example\.org(/shop/welcome/\S+)", result.output).group(1)
    assert "Cli Shopper" in client.get(link).get_data(as_text=True)


def test_the_cli_refuses_an_existing_account(runner, world):
    result = runner.invoke(args=["invite-shopper", "reviewer@example.org"])
    assert result.exit_code != 0 and "already has an account" in result.output
