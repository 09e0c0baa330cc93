"""Registering a kiosk: a redirect after the POST, a label required, the one-time link as a QR code to scan."""

from __future__ import annotations

import re
import subprocess

import pytest


def test_a_reload_after_registering_never_registers_a_second_kiosk(world, sign_in, store):
    client = sign_in(world.users["admin"])
    response = client.post("/manage/setup/kiosks", data={"desk": "central/info", "label": "By the door"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/manage/setup/kiosks")
    shown = client.get("/manage/setup/kiosks").get_data(as_text=True)
    kiosk = store.directory.kiosks()[0]
    assert f"/kiosk/{kiosk.token}" in shown and "<svg" in shown
    again = client.get("/manage/setup/kiosks").get_data(as_text=True)  # the reload
    assert len(store.directory.kiosks()) == 1
    assert kiosk.token not in again and "<svg" not in again  # the secret is shown once only


def test_an_empty_label_is_refused_next_to_the_field_and_nothing_is_registered(world, sign_in, store):
    client = sign_in(world.users["admin"])
    response = client.post("/manage/setup/kiosks", data={"desk": "central/info", "label": "   "})
    assert response.status_code == 400
    assert re.search(r'id="label-error">Say where the kiosk stands', response.get_data(as_text=True))
    assert store.directory.kiosks() == []


def test_the_link_is_built_on_the_public_address(make_app, factory, store):
    app = make_app(PUBLIC_URL="https://feedback.example.org")
    factory.branch("central")
    factory.desk("central", "info")
    factory.user("admin@test.library", "admin", password="correct-horse-battery")
    client = app.test_client()
    client.post("/auth/login", data={"email": "admin@test.library", "password": "correct-horse-battery"})
    client.post("/manage/setup/kiosks", data={"desk": "central/info", "label": "Entrance"})
    html = client.get("/manage/setup/kiosks").get_data(as_text=True)
    token = app.extensions["feedback_store"].directory.kiosks()[0].token
    assert f'id="kiosk-link">https://feedback.example.org/kiosk/{token}<' in html


@pytest.mark.browser
def test_the_qr_code_on_the_page_scans_to_the_kiosk_link(world, sign_in, store, browser, tmp_path):
    client = sign_in(world.users["admin"])
    client.post("/manage/setup/kiosks", data={"desk": "central/info", "label": "By the door"})
    html = client.get("/manage/setup/kiosks").get_data(as_text=True)
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    link = re.search(r'id="kiosk-link">([^<]+)<', html).group(1)
    page = browser.new_page()
    try:
        sized = svg.replace("<svg", '<svg width="300" height="300"', 1)
        page.set_content(f'<div style="width:300px;height:300px;background:#fff">{sized}</div>')
        page.screenshot(path=str(tmp_path / "qr.png"))
    finally:
        page.close()
    found = subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "qr.png")], capture_output=True,
                           text=True, check=True).stdout.split()
    assert found == [link]
