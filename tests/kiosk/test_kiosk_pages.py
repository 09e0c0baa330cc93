"""The kiosk over HTTP: the page, its JSON answers to the kiosk script, tokens, revocation, rate limits."""

from __future__ import annotations

import re

import pytest

from feedback.services.kiosks import register_kiosk, revoke_kiosk

JSON = {"Accept": "application/json"}


def token_in(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def answers(key: str = "kiosk-key-0001", **extra) -> dict:
    return {"q_welcome": "5", "q_helpful": "4", "idempotency_key": key, **extra}


def test_the_kiosk_page_is_big_and_configured_for_the_script(client, kiosk, app):
    app.config["KIOSK_IDLE_SECONDS"] = 45
    html = client.get(f"/kiosk/{kiosk.token}").get_data(as_text=True)
    assert "How did we do today?" in html and "Information desk" in html
    assert 'class="guest kiosk"' in html and 'data-idle-seconds="45"' in html
    assert "js/kiosk.js" in html and "<script>" not in html


def test_an_unknown_or_revoked_kiosk_answers_404(client, store, kiosk):
    assert client.get("/kiosk/not-a-token").status_code == 404
    revoke_kiosk(store, kiosk.token)
    page = client.get(f"/kiosk/{kiosk.token}")
    assert page.status_code == 404 and "not registered" in page.get_data(as_text=True)
    assert client.post(f"/kiosk/{kiosk.token}", data=answers(), headers=JSON).status_code == 404


def test_the_script_gets_json_stored_then_duplicate_and_one_response(client, store, kiosk):
    token = token_in(client.get(f"/kiosk/{kiosk.token}").get_data(as_text=True))
    first = client.post(f"/kiosk/{kiosk.token}", data=answers(csrf_token=token), headers=JSON)
    again = client.post(f"/kiosk/{kiosk.token}", data=answers(csrf_token=token), headers=JSON)
    assert (first.status_code, first.json) == (200, {"status": "stored"})
    assert (again.status_code, again.json) == (200, {"status": "duplicate"})
    [response] = list(store.responses.all("central"))
    assert (response.channel, response.desk, response.survey) == ("kiosk", "info", "kiosk")


def test_invalid_answers_get_json_errors_by_field(client, store, kiosk):
    token = token_in(client.get(f"/kiosk/{kiosk.token}").get_data(as_text=True))
    response = client.post(f"/kiosk/{kiosk.token}", data=answers(csrf_token=token, q_welcome="7", q_found="maybe"),
                           headers=JSON)
    assert response.status_code == 400
    assert response.json["status"] == "invalid"
    assert set(response.json["errors"]) == {"q_welcome", "q_found"}
    assert store.responses.count() == 0


def test_a_stale_token_gets_a_csrf_status_and_a_fresh_token_works(client, store, kiosk):
    client.get(f"/kiosk/{kiosk.token}")
    stale = client.post(f"/kiosk/{kiosk.token}", data=answers(csrf_token="stale"), headers=JSON)
    assert (stale.status_code, stale.json) == (400, {"status": "csrf"})
    fresh = client.get(f"/kiosk/{kiosk.token}/csrf", headers=JSON)
    assert fresh.headers["Cache-Control"] == "no-store"
    stored = client.post(f"/kiosk/{kiosk.token}", data=answers(csrf_token=fresh.json["csrf_token"]), headers=JSON)
    assert stored.json == {"status": "stored"}
    assert store.responses.count() == 1


def test_without_the_script_a_missing_token_shows_the_answers_again(client, store, kiosk):
    page = client.post(f"/kiosk/{kiosk.token}", data=answers(q_comment="keep me"))
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and "press Send again" in html and ">keep me</textarea>" in html
    assert client.post(f"/kiosk/{kiosk.token}", data=answers(csrf_token=token_in(html))).status_code == 200
    assert store.responses.count() == 1


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True, "KIOSK_RATELIMIT": "2 per minute"}])
def test_kiosks_are_limited_by_token_not_by_address(client, store, kiosk):
    other = register_kiosk(store, "central", "info")
    token = token_in(client.get(f"/kiosk/{kiosk.token}").get_data(as_text=True))

    def send(which, key, **environ):
        return client.post(f"/kiosk/{which.token}", data=answers(key, csrf_token=token), headers=JSON,
                           environ_base=environ)

    assert send(kiosk, "kiosk-a-0001").status_code == 200
    assert send(kiosk, "kiosk-a-0002", REMOTE_ADDR="198.51.100.1").status_code == 200
    assert send(kiosk, "kiosk-a-0003", REMOTE_ADDR="198.51.100.2").json == {"status": "limited"}
    assert send(other, "kiosk-b-0001").status_code == 200
    assert store.responses.count() == 3
