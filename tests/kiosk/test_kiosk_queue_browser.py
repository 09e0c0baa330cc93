"""The kiosk's queue in headless Chromium: revoked while holding answers, contact details, idle language reset."""

from __future__ import annotations

import json
import time

import pytest

from feedback.services.kiosks import discard_kiosk_queue, reregister_kiosk, revoke_kiosk

pytestmark = pytest.mark.browser


def wait_until(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def answer(page, welcome: str = "Very good", helpful: str = "Good") -> None:
    """The default kiosk survey, one question a screen, to its last screen (the optional one skipped)."""
    page.get_by_role("group", name="How were you welcomed?").get_by_text(welcome, exact=True).click()
    page.get_by_role("group", name="How was the help you got?").get_by_text(helpful, exact=True).click()
    page.get_by_role("group", name="Did you find what you came for?").wait_for()
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Your comment").wait_for()


def kept_on_device(page) -> list[dict]:
    raw = page.evaluate("""() => Object.keys(localStorage).filter(k => k.startsWith('feedback-kiosk-queue:'))
        .map(k => JSON.parse(localStorage[k])).flat()""")
    return raw


def send_offline(page, welcome: str, **contact) -> None:
    answer(page, welcome)
    if contact:
        page.get_by_label("Your comment").fill(contact["comment"])
        page.get_by_label("Please contact me about this").check()
        page.get_by_label("Your e-mail address or phone number").fill(contact["contact"])
    page.get_by_role("button", name="Send").click()
    page.get_by_role("heading", name="Thank you!").wait_for()


def test_a_kiosk_revoked_while_answers_are_queued_loses_none_and_says_so(page, live_server, store, kiosk):
    page.goto(f"{live_server.url}/kiosk/{kiosk.token}")
    page.context.set_offline(True)
    send_offline(page, "Very good")
    page.get_by_role("button", name="Start again").click()
    send_offline(page, "Very bad")
    status = page.locator("#kiosk-queue")
    assert "offline" in status.inner_text() and "2 answers are waiting" in status.inner_text()
    page.get_by_role("button", name="Start again").click()
    # Where staff see it: above the questions, not below the Send button.
    assert status.bounding_box()["y"] < page.locator("#question-welcome").bounding_box()["y"]
    assert status.bounding_box()["y"] < page.locator("#kiosk-title").bounding_box()["y"]

    revoke_kiosk(store, kiosk.token)
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    unregistered = page.get_by_role("heading", name="This kiosk is not registered")
    unregistered.wait_for(timeout=10000)
    assert page.locator("#kiosk-start").is_hidden()
    assert page.locator("#kiosk-unregistered [data-queue-count]").inner_text() == "2"
    assert len(kept_on_device(page)) == 2 and store.responses.count() == 0

    # A reload shows the server's page, which still counts what the device holds.
    page.reload()
    page.get_by_role("heading", name="This kiosk is not registered").wait_for()
    assert page.locator("[data-queue-count]").inner_text() == "2"

    reregister_kiosk(store, kiosk.token)
    page.clock.install()
    page.reload()  # the page was already asking every ten seconds; a reload asks at once
    assert wait_until(lambda: store.responses.count() == 2, timeout=15)
    assert sorted(r.answers["welcome"] for r in store.responses.all("central")) == [1, 5]
    page.get_by_role("heading", name="How did we do today?").wait_for(timeout=10000)
    assert wait_until(lambda: kept_on_device(page) == [])


def test_an_administrator_can_have_a_revoked_kiosk_discard_its_answers_on_purpose(page, live_server, store, kiosk):
    page.goto(f"{live_server.url}/kiosk/{kiosk.token}")
    page.context.set_offline(True)
    send_offline(page, "Good")
    discard_kiosk_queue(store, kiosk.token)
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.get_by_role("heading", name="This kiosk is not registered").wait_for(timeout=10000)
    assert wait_until(lambda: kept_on_device(page) == [])
    assert page.locator("#kiosk-unregistered [data-queue-count]").inner_text() == "0"
    assert store.responses.count() == 0


def test_the_device_keeps_no_contact_details_and_the_guest_is_told(page, live_server, store, kiosk):
    page.goto(f"{live_server.url}/kiosk/{kiosk.token}")
    assert page.locator("#kiosk-contact-offline").is_hidden()
    page.context.set_offline(True)
    answer(page, "Bad")  # on to the comment screen, where the contact is asked
    assert page.locator("#kiosk-contact-offline").is_visible(), "told before typing: contact needs the network"
    page.get_by_label("Your comment").fill("Write to me at guest@example.org or 20 30 40 50")
    page.get_by_label("Please contact me about this").check()
    page.get_by_label("Your e-mail address or phone number").fill("+45 20 30 40 50")
    page.get_by_role("button", name="Send").click()
    page.get_by_role("heading", name="Thank you!").wait_for()
    assert page.locator("#kiosk-contact-not-kept").is_visible()
    assert "contact details need the network" in page.locator("#kiosk-contact-not-kept").inner_text()
    stored = json.dumps(page.evaluate("() => ({...localStorage})"))
    assert "guest@example.org" not in stored and "20 30 40 50" not in stored and "contact_me" not in stored
    [item] = kept_on_device(page)
    assert ["q_comment", "Write to me at [e-mail removed] or [phone removed]"] in item["fields"]
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    assert wait_until(lambda: store.responses.count() == 1, timeout=15)
    assert store.followups.for_branch("central") == []


def test_a_contact_sent_online_reaches_the_follow_up_and_never_the_device(page, live_server, store, kiosk):
    page.goto(f"{live_server.url}/kiosk/{kiosk.token}")
    answer(page, "Bad")
    page.get_by_label("Please contact me about this").check()
    page.get_by_label("Your e-mail address or phone number").fill("guest@example.org")
    page.get_by_role("button", name="Send").click()
    page.get_by_role("heading", name="Thank you!").wait_for()
    assert page.locator("#kiosk-contact-not-kept").is_hidden()
    assert wait_until(lambda: len(store.followups.for_branch("central")) == 1)
    assert "guest@example.org" not in json.dumps(page.evaluate("() => ({...localStorage})"))


@pytest.mark.parametrize("app_config", [{"KIOSK_IDLE_SECONDS": 60, "KIOSK_IDLE_WARNING_SECONDS": 15}])
def test_idle_reset_restores_the_language_and_the_top_even_when_nothing_was_answered(page, live_server, kiosk):
    page.set_viewport_size({"width": 1280, "height": 500})
    page.clock.install()
    page.goto(f"{live_server.url}/kiosk/{kiosk.token}?lang=da")
    assert page.locator("html").get_attribute("lang") == "da"
    page.clock.run_for(20_000)
    assert page.locator("html").get_attribute("lang") == "da", "not before the idle time"
    page.clock.run_for(41_000)
    page.wait_for_url("**lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("heading", name="How did we do today?").wait_for()
    page.wait_for_load_state("load")  # the new page's idle timer is set before the clock runs on (a loaded machine)

    page.mouse.wheel(0, 2000)
    assert wait_until(lambda: page.evaluate("window.scrollY") > 0)
    page.clock.run_for(61_000)
    assert wait_until(lambda: page.evaluate("window.scrollY") == 0)
    assert page.locator("#kiosk-idle").is_hidden(), "nothing was answered: nothing to ask about"


@pytest.mark.parametrize("app_config", [{"KIOSK_IDLE_SECONDS": 60, "KIOSK_IDLE_WARNING_SECONDS": 15}])
def test_an_idle_kiosk_asks_before_clearing_answers_on_the_clock(page, live_server, store, kiosk):
    page.clock.install()
    page.goto(f"{live_server.url}/kiosk/{kiosk.token}")
    answer(page)
    page.clock.run_for(45_000)
    assert page.locator("#kiosk-idle").is_hidden(), "not before the idle time"
    page.clock.run_for(16_000)
    assert page.get_by_role("alertdialog", name="Are you still there?").is_visible()
    page.get_by_role("button", name="Yes, I am still answering").click()
    assert page.locator("input[type=radio]:checked").count() == 2
    page.clock.run_for(61_000)
    assert page.locator("#kiosk-idle").is_visible()
    page.clock.run_for(16_000)
    assert page.locator("#kiosk-idle").is_hidden()
    assert page.locator("input[type=radio]:checked").count() == 0
    # What was answered before the guest walked away was sent as given: it counts once, marked partial.
    assert wait_until(lambda: [r.partial for r in store.responses.all("central")] == [True])


def test_an_answer_the_server_refuses_after_the_guest_left_is_kept_and_tried_again(page, live_server, store, kiosk):
    path = f"/kiosk/{kiosk.token}"
    page.goto(f"{live_server.url}{path}")
    page.evaluate("""([key]) => localStorage.setItem(key, JSON.stringify([
        {key: "kept-but-refused-01", fields: [["q_welcome", "7"], ["q_helpful", "4"],
                                               ["idempotency_key", "kept-but-refused-01"]]}]))""",
                  [f"feedback-kiosk-queue:{path}"])
    page.reload()
    status = page.locator("#kiosk-queue")
    refused = "the server refused, kept on this kiosk and tried again each time it starts: 1."
    assert wait_until(lambda: refused in status.inner_text())
    kept = page.evaluate("([key]) => JSON.parse(localStorage.getItem(key))", [f"feedback-kiosk-rejected:{path}"])
    assert [item["key"] for item in kept] == ["kept-but-refused-01"], "set aside, never dropped"
    page.reload()  # tried again at the next start, and still kept
    assert wait_until(lambda: refused in page.locator("#kiosk-queue").inner_text())
    assert store.responses.count() == 0


def test_a_kiosk_registered_again_under_a_new_link_sends_what_the_old_link_kept(page, live_server, store, kiosk):
    from feedback.services.kiosks import register_kiosk

    page.goto(f"{live_server.url}/kiosk/{kiosk.token}")
    page.context.set_offline(True)
    send_offline(page, "Very good")
    revoke_kiosk(store, kiosk.token)
    replacement = register_kiosk(store, "central", "info", "the same screen, a new link")
    page.context.set_offline(False)
    page.goto(f"{live_server.url}/kiosk/{replacement.token}")
    assert wait_until(lambda: store.responses.count() == 1, timeout=15)
    assert wait_until(lambda: kept_on_device(page) == [])
    assert next(store.responses.all("central")).answers["welcome"] == 5
