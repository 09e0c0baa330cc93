"""The QR survey over HTTP: links, languages, and a clear answer to every kind of bad input."""

from __future__ import annotations

import re

import pytest

from feedback.extensions import limiter

GOOD = {"q_welcome": "5", "q_helpful": "4", "idempotency_key": "page-key-0001"}


def csrf_token_in(html: str) -> str | None:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html)
    return match.group(1) if match else None


def post(client, path="/s/central", **fields):
    data = {**GOOD, **fields}
    return client.post(path, data={k: v for k, v in data.items() if v is not None})


def text(response) -> str:
    return response.get_data(as_text=True)


def test_the_branch_desk_and_staff_links_show_the_survey(client, site):
    for path in ("/s/central", "/s/central/info", "/s/central?staff=MARIA7", "/s/central/info?staff=maria7"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Tell us about your visit" in text(response)
    assert "You were helped by Maria." in text(client.get("/s/central/info?staff=MARIA7"))
    assert "Information desk" in text(client.get("/s/central/info"))


def test_the_staff_name_is_hidden_when_the_installation_says_so(make_app, factory):
    app = make_app(SHOW_STAFF_NAMES=False)
    store = app.extensions["feedback_store"]
    factory.store = store
    factory.branch("central")
    factory.staff("Maria Jensen", "central", code="MARIA7")
    assert "Maria" not in text(app.test_client().get("/s/central?staff=MARIA7"))


def test_an_old_link_to_a_desk_or_staff_member_that_is_gone_still_works_for_the_branch(client, store, site):
    store.directory.update_staff(site.maria.id, active=False)
    page = client.get("/s/central/closed-desk?staff=MARIA7")
    assert page.status_code == 200 and "Maria" not in text(page)
    assert post(client, "/s/central/closed-desk?staff=MARIA7").status_code == 200
    stored = next(store.responses.all("central"))
    assert stored.desk is None and stored.staff is None


def test_an_unknown_branch_gets_a_friendly_404(client, site):
    response = client.get("/s/atlantis")
    assert response.status_code == 404
    assert "We could not find this survey" in text(response)


def test_each_question_is_a_fieldset_with_a_legend_and_every_control_has_a_label(client, site):
    html = text(client.get("/s/central"))
    assert html.count("<fieldset") == html.count("<legend>") == 8
    for value, label in [(1, "Very bad"), (3, "OK"), (5, "Very good")]:
        assert f'id="q_welcome-{value - 1}"' in html and label in html
    assert 'for="q_comment"' in html and 'for="contact"' in html


def test_a_good_answer_is_stored_and_thanked(client, store, site):
    response = post(client, "/s/central/info?staff=MARIA7", q_comment="Lovely staff", q_reason="study")
    assert response.status_code == 200
    assert "Thank you!" in text(response)
    stored = list(store.responses.all("central"))
    assert len(stored) == 1
    assert stored[0].answers == {"welcome": 5, "helpful": 4, "reason": "study"}
    assert (stored[0].channel, stored[0].desk, stored[0].staff) == ("qr", "info", site.maria.id)
    assert stored[0].comment == "Lovely staff"


@pytest.mark.parametrize(("fields", "message"), [
    ({"q_welcome": "7"}, "Please choose one of the answers shown."),
    ({"q_welcome": "five"}, "Please choose one of the answers shown."),
    ({"q_reason": "bribe"}, "Please choose one of the answers shown."),
    ({"q_nps": "11"}, "Please choose one of the answers shown."),
    ({"q_helpful": None}, "Please answer this question."),
    ({"q_comment": "x" * 2001}, "Please keep your comment under 2000 characters."),
    ({"contact_me": "y"}, "Tell us how to reach you"),
    ({"contact": "not a contact"}, "Please give an e-mail address or a phone number."),
    ({"idempotency_key": "<bad key>"}, "Please reload it and answer again."),
])
def test_bad_input_gets_an_error_next_to_the_field_and_nothing_is_stored(client, store, site, fields, message):
    response = post(client, **fields)
    assert response.status_code == 400
    html = text(response)
    assert 'class="error-summary"' in html
    assert message in html
    assert store.responses.count() == 0


def test_the_error_page_keeps_the_answers_already_given(client, site):
    html = text(post(client, q_welcome="7", q_helpful="2", q_reason="study", q_comment="Kept text"))
    assert re.search(r'<input checked[^>]*id="q_helpful-1"[^>]*value="2"', html)
    assert re.search(r'<input checked[^>]*id="q_reason-2"', html)
    assert ">Kept text</textarea>" in html


def test_a_rating_of_seven_is_reported_on_its_own_question(client, site):
    html = text(post(client, q_welcome="7"))
    fieldset = html.split('id="question-welcome"', 1)[1].split("</fieldset>", 1)[0]
    assert "Please choose one of the answers shown." in fieldset
    assert 'aria-describedby="q_welcome-error"' in html


def test_a_100_kb_comment_is_refused_on_the_survey_page_itself(client, store, site):
    response = post(client, "/s/central?lang=da", q_comment="x" * 100_000)
    assert response.status_code == 413
    html = text(response)
    assert "Central Library" in html and 'hreflang="es"' in html, "the branch name and language picker stay"
    assert '<html lang="da">' in html
    assert "<form" in html and 'name="q_welcome"' in html, "the guest can answer again at once"
    assert store.responses.count() == 0


def test_markup_in_a_comment_is_stored_as_text_and_escaped_when_shown_again(client, store, site):
    markup = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    html = text(post(client, q_comment=markup, q_welcome="9"))
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert post(client, q_comment=markup).status_code == 200
    assert next(store.responses.all("central")).comment == markup


def test_the_honeypot_refuses_the_form_with_a_clear_message(client, store, site):
    response = post(client, homepage="http://spam.example")
    assert response.status_code == 400
    assert "This field must stay empty" in text(response)
    assert store.responses.count() == 0


def test_the_same_idempotency_key_five_times_is_stored_once_and_each_time_answered(client, store, site):
    pages = [post(client) for _ in range(5)]
    assert [p.status_code for p in pages] == [200] * 5
    assert "Your answers reached" in text(pages[0])
    assert all("We already had these answers" in text(p) for p in pages[1:])
    assert store.responses.count() == 1


def test_a_missing_csrf_token_stores_the_answer_held_for_review(csrf_app, site_in):
    client = csrf_app.test_client()
    store = csrf_app.extensions["feedback_store"]
    response = post(client, q_comment="Still here")
    assert response.status_code == 200 and "Thank you!" in text(response)
    [held] = store.responses.all("central")
    assert held.review == "held" and "form_token" in held.hold_reasons and not held.counted
    page = text(client.get("/s/central"))
    token, key = csrf_token_in(page), re.search(r'name="idempotency_key"[^>]*value="([^"]+)"', page).group(1)
    assert post(client, csrf_token=token, idempotency_key=key).status_code == 200
    fresh = [r for r in store.responses.all("central") if r.idempotency_key == key]
    assert [r.review for r in fresh] == [None], "a page's own token and key store a normal answer"


@pytest.fixture
def site_in():
    """Make the standard site in whichever app a test built."""

    def make(app):
        from feedback.model import Branch, Desk, StaffMember

        store = app.extensions["feedback_store"]
        store.directory.add_branch(Branch("central", "Central Library"))
        store.directory.add_desk(Desk("central", "info", "Information desk"))
        store.directory.add_staff(StaffMember("maria", "Maria Jensen", "central", "MARIA7"))

    return make


@pytest.fixture
def csrf_app(make_app, site_in):
    app = make_app(WTF_CSRF_ENABLED=True)
    site_in(app)
    return app


def test_spanish_and_danish_guests_read_the_survey_in_their_language(client, site):
    spanish = text(client.get("/s/central?lang=es"))
    assert "Cuéntenos sobre su visita" in spanish and "Muy bien" in spanish and "Enviar" in spanish
    assert '<html lang="es">' in spanish
    # The choice sticks for the rest of the visit, and errors come in the same language.
    assert "Responda a esta pregunta" in text(post(client, q_helpful=None))
    danish = text(client.get("/s/central?lang=da"))
    assert "Fortæl os om dit besøg" in danish and "Meget godt" in danish
    assert post(client, idempotency_key="danish-key-01").status_code == 200
    assert "Tak!" in text(post(client, idempotency_key="danish-key-02"))


def test_the_language_picker_links_keep_the_staff_code(client, site):
    html = text(client.get("/s/central/info?staff=MARIA7"))
    assert 'href="/s/central/info?staff=MARIA7&amp;lang=es"' in html
    assert 'lang="da"' in html and "Dansk" in html and "Español" in html


def test_the_answer_records_the_guests_language(client, store, site):
    client.get("/s/central?lang=es")
    post(client)
    assert next(store.responses.all("central")).language == "es"


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True, "QR_HOLD_LIMIT": "3 per minute",
                                         "QR_REFUSE_LIMIT": "5 per minute"}])
def test_volume_from_one_address_holds_answers_and_only_a_flood_is_refused_with_the_answers_kept(
        client, store, site):
    def attempt(n, **kw):
        return post(client, idempotency_key=f"rate-key-{n:04d}", **kw)

    assert [attempt(n).status_code for n in range(5)] == [200] * 5
    refused = post(client, "/s/central?lang=es", idempotency_key="rate-key-0005", q_comment="Mis palabras")
    assert refused.status_code == 429
    html = text(refused)
    assert "Central Library" in html and ">Mis palabras</textarea>" in html and "Enviar" in html
    spoofed = client.post("/s/central", data={**GOOD, "idempotency_key": "rate-key-spoof"},
                          headers={"X-Forwarded-For": "203.0.113.9"})
    assert spoofed.status_code == 429, "a forwarded header does not make another address"
    other = client.post("/s/central", data={**GOOD, "idempotency_key": "rate-key-other"},
                        environ_base={"REMOTE_ADDR": "198.51.100.4"})
    assert other.status_code == 200
    assert client.get("/s/central").status_code == 200, "reading the survey is never limited"
    by_key = {r.idempotency_key: r for r in store.responses.all("central")}
    assert len(by_key) == 6
    assert all("address_volume" in by_key[f"rate-key-{n:04d}"].hold_reasons for n in (3, 4))
    assert not any("address_volume" in by_key[f"rate-key-{n:04d}"].hold_reasons for n in (0, 1, 2))
    assert "address_volume" not in by_key["rate-key-other"].hold_reasons


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": False, "QR_REFUSE_LIMIT": "1 per minute",
                                         "QR_HOLD_LIMIT": "1 per minute"}])
def test_rate_limits_can_be_turned_off_for_a_load_test(client, store, site):
    assert limiter.enabled is False
    codes = [post(client, idempotency_key=f"load-key-{n:04d}").status_code for n in range(4)]
    assert codes == [200] * 4 and store.responses.count() == 4
    assert not any("address_volume" in r.hold_reasons for r in store.responses.all("central"))


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True, "QR_HOLD_LIMIT": "1 per minute",
                                         "QR_REFUSE_LIMIT": "2 per minute"}])
def test_a_counted_guest_address_is_neither_logged_nor_kept(client, store, site, caplog):
    caplog.set_level("DEBUG")
    codes = [client.post("/s/central", data={**GOOD, "idempotency_key": f"log-key-{n:04d}"},
                         environ_base={"REMOTE_ADDR": "192.0.2.99"}).status_code for n in range(3)]
    assert codes == [200, 200, 429]
    assert "192.0.2.99" not in caplog.text
    counters = store.data_dir / ".counters" / "guests.json"
    assert counters.exists() and b"192.0.2.99" not in counters.read_bytes()


def test_no_address_or_user_agent_is_stored(client, store, site):
    client.post("/s/central", data=GOOD, headers={"User-Agent": "TestAgent/9.9", "X-Forwarded-For": "203.0.113.77"},
                environ_base={"REMOTE_ADDR": "192.0.2.55"})
    assert store.responses.count() == 1
    for path in store.data_dir.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            for secret in (b"192.0.2.55", b"203.0.113.77", b"TestAgent"):
                assert secret not in content, (path, secret)


def test_contact_me_creates_a_follow_up_for_the_branch(client, store, site):
    response = post(client, q_comment="Please phone me about the lost card", contact_me="y", contact="+45 20 30 40 50")
    assert "the branch will contact you" in text(response)
    [followup] = store.followups.for_branch("central")
    assert followup.contact == "+45 20 30 40 50"


def test_pages_carry_the_strict_content_security_policy(client, site):
    response = client.get("/s/central")
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    html = text(response)
    assert "style=" not in html and " onclick" not in html and "<script>" not in html
