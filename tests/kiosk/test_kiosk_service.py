"""Registering and revoking kiosks, as a service and from the command line."""

from __future__ import annotations

import pytest

from feedback.services.kiosks import KioskError, active_kiosk, register_kiosk, revoke_kiosk
from feedback.store import NotFoundError


def test_a_registered_kiosk_gets_a_long_random_token(store, kiosk):
    assert len(kiosk.token) >= 32
    assert active_kiosk(store, kiosk.token) == kiosk
    assert register_kiosk(store, "central", "info").token != kiosk.token


def test_a_kiosk_needs_a_real_branch_and_desk(store, kiosk):
    with pytest.raises(KioskError):
        register_kiosk(store, "atlantis", "info")
    with pytest.raises(KioskError):
        register_kiosk(store, "central", "basement")


def test_a_revoked_kiosk_is_no_longer_active(store, kiosk):
    revoke_kiosk(store, kiosk.token)
    assert active_kiosk(store, kiosk.token) is None
    with pytest.raises(NotFoundError):
        revoke_kiosk(store, "no-such-token")


def test_kiosk_add_prints_the_link_and_revoke_stops_it(runner, store, kiosk, app):
    app.config["PUBLIC_URL"] = "https://feedback.example.org"
    result = runner.invoke(args=["kiosk", "add", "central", "info", "--label", "second floor"])
    assert result.exit_code == 0, result.output
    link = result.output.strip().splitlines()[-1]
    assert link.startswith("https://feedback.example.org/kiosk/")
    token = link.rsplit("/", 1)[1]
    assert active_kiosk(store, token).label == "second floor"
    assert runner.invoke(args=["kiosk", "revoke", token]).exit_code == 0
    assert active_kiosk(store, token) is None
    listing = runner.invoke(args=["kiosk", "list"]).output
    assert "revoked" in listing and token not in listing
    failed = runner.invoke(args=["kiosk", "add", "central", "basement"])
    assert failed.exit_code != 0 and "no desk" in failed.output
