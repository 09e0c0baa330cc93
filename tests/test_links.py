"""Links that leave the app are built on PUBLIC_URL, and a forged Host header is refused before any page runs."""

from __future__ import annotations

import logging
import re

import pytest

from feedback.model import Branch, Desk

PUBLIC = "https://feedback.example.org"


@pytest.fixture
def public_app(make_app):
    app = make_app(PUBLIC_URL=PUBLIC)
    store = app.extensions["feedback_store"]
    store.directory.add_branch(Branch("central", "Central"))
    store.directory.add_desk(Desk("central", "info", "Information desk"))
    from feedback.services.accounts import create_user

    create_user(store, email="boss@test.library", password="correct-horse-battery", role="manager",
                branches=["central"])
    create_user(store, email="admin@test.library", password="correct-horse-battery", role="admin")
    return app


def test_trusted_hosts_are_the_public_host_and_loopback(public_app):
    assert public_app.config["TRUSTED_HOSTS"] == ["feedback.example.org", "127.0.0.1", "localhost", "::1"]


@pytest.mark.parametrize("host", ["evil.example", "feedback.example.org.evil.example", "evil.example:443"])
def test_a_reset_request_with_a_forged_host_is_refused_and_logs_no_link(public_app, host, caplog):
    client = public_app.test_client()
    with caplog.at_level(logging.WARNING):
        answer = client.post("/auth/reset", data={"email": "boss@test.library"}, headers={"Host": host})
    assert answer.status_code == 400
    assert "evil.example" not in answer.get_data(as_text=True)
    assert not re.search(r"/auth/reset/\S", caplog.text)  # no link was made, for any host


def test_even_a_trusted_second_host_never_ends_up_in_a_reset_link(make_app, caplog):
    """Belt and braces: were a host trusted by mistake, the link would still be built on PUBLIC_URL."""
    app = make_app(PUBLIC_URL=PUBLIC, TRUSTED_HOSTS=["evil.example", "localhost"])
    store = app.extensions["feedback_store"]
    store.directory.add_branch(Branch("central", "Central"))
    from feedback.services.accounts import create_user

    create_user(store, email="boss@test.library", password="correct-horse-battery", role="manager",
                branches=["central"])
    with caplog.at_level(logging.WARNING):
        answer = app.test_client().post("/auth/reset", data={"email": "boss@test.library"},
                                        headers={"Host": "evil.example"})
    assert answer.status_code == 302
    # The link goes into the e-mail outbox (never the log): built on PUBLIC_URL, whatever the Host said.
    bodies = " ".join(m.body for m in store.outbox.pending())
    links = re.findall(r"\S+/auth/reset/\S+", bodies)
    assert links and all(link.startswith(f"{PUBLIC}/auth/reset/") for link in links)
    assert "evil.example" not in bodies and "/auth/reset/" not in caplog.text


def test_the_public_host_and_loopback_are_served(public_app):
    client = public_app.test_client()
    assert client.get("/healthz", headers={"Host": "127.0.0.1:5000"}).status_code == 200
    assert client.get("/s/central", headers={"Host": "feedback.example.org"}).status_code == 200


def test_every_cli_link_starts_with_public_url(public_app, tmp_path):
    runner = public_app.test_cli_runner()
    outputs = [
        runner.invoke(args=["reset-link", "boss@test.library"]).output,
        runner.invoke(args=["invite-shopper", "shopper@test.library"]).output,
        runner.invoke(args=["kiosk", "add", "central", "info"]).output,
    ]
    for output in outputs:
        links = re.findall(r"https?://\S+", output)
        assert links and all(link.startswith(PUBLIC + "/") for link in links), output
        assert "127.0.0.1" not in output


def test_the_kiosk_link_shown_on_registration_is_on_public_url(public_app):
    client = public_app.test_client()
    https = "https://127.0.0.1:5000"  # the session cookie is Secure on an https PUBLIC_URL
    client.post("/auth/login", data={"email": "admin@test.library", "password": "correct-horse-battery"},
                base_url=https)
    page = client.post("/manage/setup/kiosks", data={"desk": "central/info", "label": "By the door"},
                       base_url=https, follow_redirects=True)  # registration redirects after its POST
    link = re.search(r'id="kiosk-link">([^<]+)<', page.get_data(as_text=True)).group(1)
    assert link.startswith(f"{PUBLIC}/kiosk/")
