"""No guest loses an answer: shared Wi-Fi, replays, Back and reload, forms tokens, a contact without the tick."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import csrf_token_in

WIFI = "192.0.2.10"  # one public address for every guest in the building


@pytest.fixture
def production_app(make_app, site_in_app):
    """The default configuration: CSRF on, abuse control on, default limits."""
    app = make_app(WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=True)
    site_in_app(app)
    return app


@pytest.fixture
def site_in_app():
    def make(app):
        from feedback.model import Branch, Desk, StaffMember

        store = app.extensions["feedback_store"]
        store.directory.add_branch(Branch("central", "Central Library"))
        store.directory.add_desk(Desk("central", "info", "Information desk"))
        store.directory.add_staff(StaffMember("maria", "Maria Jensen", "central", "MARIA7"))

    return make


def key_in(html: str) -> str:
    return re.search(r'name="idempotency_key"[^>]*value="([^"]+)"', html).group(1)


def page_of(client, path: str = "/s/central") -> tuple[str, str]:
    html = client.get(path, environ_base={"REMOTE_ADDR": WIFI}).get_data(as_text=True)
    return csrf_token_in(html), key_in(html)


def send(client, token: str, key: str, path: str = "/s/central", **fields):
    data = {"csrf_token": token, "idempotency_key": key, "q_welcome": "5", "q_helpful": "4", **fields}
    return client.post(path, data=data, environ_base={"REMOTE_ADDR": WIFI})


def test_sixty_distinct_guests_from_one_address_in_two_minutes_are_all_stored_and_counted(production_app):
    store = production_app.extensions["feedback_store"]
    codes = []
    for _guest in range(60):
        phone = production_app.test_client()  # each guest their own phone and session, one shared address
        token, key = page_of(phone)
        codes.append(send(phone, token, key).status_code)
    assert codes == [200] * 60
    stored = list(store.responses.all("central"))
    assert len(stored) == 60 and len({r.idempotency_key for r in stored}) == 60
    assert all(r.counted and r.review is None for r in stored), "honest guests are not held either"


def test_one_post_replayed_twenty_times_is_stored_once(production_app):
    store = production_app.extensions["feedback_store"]
    phone = production_app.test_client()
    token, key = page_of(phone)
    replies = [send(phone, token, key) for _ in range(20)]
    assert [r.status_code for r in replies] == [200] * 20
    assert "Your answers reached" in replies[0].get_data(as_text=True)
    assert all("We already had these answers" in r.get_data(as_text=True) for r in replies[1:])
    # Replayed from elsewhere, without the guest's cookie: still the same answer, stored once.
    stranger = production_app.test_client()
    assert stranger.post("/s/central", data={"idempotency_key": key, "q_welcome": "1", "q_helpful": "1"},
                         environ_base={"REMOTE_ADDR": "198.51.100.7"}).status_code == 200
    [stored] = store.responses.all("central")
    assert stored.answers == {"welcome": 5, "helpful": 4} and stored.counted


def test_a_form_page_keeps_its_key_across_reloads_and_back(production_app):
    phone = production_app.test_client()
    first = page_of(phone)[1]
    assert page_of(phone)[1] == first, "a reload shows the same key"
    assert page_of(phone, "/s/central?lang=da")[1] == first, "so does the page in another language"
    assert page_of(phone, "/s/central?staff=MARIA7")[1] != first, "another person's survey is another answer"
    assert page_of(production_app.test_client())[1] != first, "another phone is another guest"


def test_a_key_we_did_not_sign_or_a_stale_one_stores_the_answer_held(production_app):
    store = production_app.extensions["feedback_store"]
    phone = production_app.test_client()
    token, key = page_of(phone)
    forged = send(phone, token, "0" * len(key))
    assert forged.status_code == 200 and "Thank you!" in forged.get_data(as_text=True)
    missing = phone.post("/s/central", data={"csrf_token": token, "q_welcome": "4", "q_helpful": "4"},
                         environ_base={"REMOTE_ADDR": WIFI})
    assert missing.status_code == 200
    # A page shown two days ago: its key is stale, so its answer is held (and still stored).
    with production_app.test_request_context():
        from feedback.survey.form_keys import issue_form_key

        old_key = issue_form_key("elsewhere", now=time.time() - 2 * 86400)
    send(phone, token, old_key)
    by_key = {r.idempotency_key: r for r in store.responses.all("central")}
    assert len(by_key) == 3
    assert all(r.review == "held" and r.hold_reasons == ["form_token"] for r in by_key.values())


def test_a_key_from_a_page_shown_yesterday_is_still_found_when_sent_again_today_though_stale(production_app):
    from feedback.model import Response, format_utc, new_id

    store = production_app.extensions["feedback_store"]
    with production_app.test_request_context():
        from feedback.survey.form_keys import issue_form_key

        key = issue_form_key("/s/central?staff=", now=time.time() - 3600 * 30)
    yesterday = datetime.now(UTC) - timedelta(hours=30)
    store.responses.add(Response(id=new_id(), survey="qr", survey_version=1, branch="central",
                                 submitted_at=format_utc(yesterday), channel="qr", language="en",
                                 answers={"welcome": 5, "helpful": 4}, idempotency_key=key))
    phone = production_app.test_client()
    token, _key = page_of(phone)
    again = send(phone, token, key)
    assert "We already had these answers" in again.get_data(as_text=True)
    assert store.responses.count() == 1


def test_a_contact_typed_without_the_tick_asks_which_the_guest_meant(production_app):
    store = production_app.extensions["feedback_store"]
    phone = production_app.test_client()
    token, key = page_of(phone, "/s/central?lang=en")
    asked = send(phone, token, key, q_comment="The printer jams", contact="guest@example.org")
    html = asked.get_data(as_text=True)
    assert asked.status_code == 400 and "did not tick" in html
    assert 'value="guest@example.org"' in html and ">The printer jams</textarea>" in html, "nothing is lost"
    assert store.responses.count() == 0 and store.followups.for_branch("central") == []
    ticked = send(phone, token, key, q_comment="The printer jams", contact="guest@example.org", contact_me="y")
    assert ticked.status_code == 200
    [followup] = store.followups.for_branch("central")
    assert followup.contact == "guest@example.org"
    # The other answer to the question: clear the field, and the answer goes without a follow-up.
    other = production_app.test_client()
    token, key = page_of(other)
    assert send(other, token, key, q_comment="No reply needed", contact="").status_code == 200
    assert store.responses.count() == 2 and len(store.followups.for_branch("central")) == 1
    assert all(r.counted for r in store.responses.all("central"))
