"""The kiosk in headless Chromium: answer, thank-you, reset; idle reset; expired tokens; the offline queue."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def wait_until(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def answer(page, welcome: str = "Very good", helpful: str = "Good") -> None:
    page.get_by_role("group", name="Were you made to feel welcome?").get_by_text(welcome, exact=True).click()
    page.get_by_role("group", name="Did you get the help you needed?").get_by_text(helpful, exact=True).click()


def test_a_guest_answers_sees_thanks_and_the_kiosk_resets(page, live_server, store, kiosk, tmp_path):
    page.goto(f"{live_server.url}/kiosk/{kiosk.token}")
    answer(page)
    page.get_by_label("Your comment").fill("Quick and kind")
    first_key = page.locator("input[name=idempotency_key]").input_value()
    page.get_by_role("button", name="Send").click()
    page.get_by_role("heading", name="Thank you!").wait_for()
    assert wait_until(lambda: store.responses.count() == 1)
    page.get_by_role("button", name="Start again").click()
    page.get_by_role("heading", name="How did we do today?").wait_for()
    assert not page.locator("input[type=radio]:checked").count()
    assert page.get_by_label("Your comment").input_value() == ""
    assert page.locator("input[name=idempotency_key]").input_value() != first_key
    # The next guest's answer is a new response, not a duplicate of the last one.
    answer(page, "Bad", "OK")
    page.get_by_role("button", name="Send").click()
    page.get_by_role("heading", name="Thank you!").wait_for()
    assert wait_until(lambda: store.responses.count() == 2)
    scores = sorted(r.answers["welcome"] for r in store.responses.all("central"))
    assert scores == [2, 5]


def test_the_thank_you_screen_returns_to_the_start_by_itself(page, live_server, store, kiosk, app):
    thanks_ms = app.config["KIOSK_THANKS_SECONDS"] * 1000
    page.clock.install()
    page.goto(f"{live_server.url}/kiosk/{kiosk.token}")
    answer(page)
    page.get_by_role("button", name="Send").click()
    page.get_by_role("heading", name="Thank you!").wait_for()
    page.clock.run_for(thanks_ms - 1000)
    assert page.get_by_role("heading", name="Thank you!").is_visible()
    page.clock.run_for(1500)
    assert page.get_by_role("heading", name="How did we do today?").is_visible()
    assert not page.get_by_role("heading", name="Thank you!").is_visible()


def test_an_idle_kiosk_asks_then_clears_partial_answers(page, live_server, store, kiosk, app):
    """On Playwright's clock, with the real 60 s and 15 s: nothing depends on how fast the machine is."""
    idle_ms = app.config["KIOSK_IDLE_SECONDS"] * 1000
    warning_ms = app.config["KIOSK_IDLE_WARNING_SECONDS"] * 1000
    page.clock.install()
    page.goto(f"{live_server.url}/kiosk/{kiosk.token}")
    answer(page)
    dialog = page.get_by_role("alertdialog", name="Are you still there?")
    page.clock.run_for(idle_ms - 1000)
    assert not dialog.is_visible()  # not a moment too early
    page.clock.run_for(1500)
    assert dialog.is_visible()
    # A guest who is still there keeps the answers.
    page.get_by_role("button", name="Yes, I am still answering").click()
    assert not dialog.is_visible()
    assert page.locator("input[type=radio]:checked").count() == 2
    # One who walked away does not leave them for the next guest.
    page.clock.run_for(idle_ms + 500)
    assert dialog.is_visible()
    page.clock.run_for(warning_ms - 1000)
    assert dialog.is_visible() and page.locator("input[type=radio]:checked").count() == 2
    page.clock.run_for(1500)
    assert not dialog.is_visible()
    assert page.locator("input[type=radio]:checked").count() == 0
    assert store.responses.count() == 0


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_TIME_LIMIT": 1}])
def test_a_kiosk_left_open_past_the_token_lifetime_still_submits(page, live_server, store, kiosk):
    page.goto(f"{live_server.url}/kiosk/{kiosk.token}")
    time.sleep(2.2)  # the page's CSRF token is now expired
    answer(page)
    page.get_by_role("button", name="Send").click()
    page.get_by_role("heading", name="Thank you!").wait_for()
    assert wait_until(lambda: store.responses.count() == 1)
    assert page.locator(".error, .error-summary").count() == 0


def test_answers_given_offline_arrive_once_when_the_network_returns(page, live_server, store, kiosk):
    page.goto(f"{live_server.url}/kiosk/{kiosk.token}")
    page.context.set_offline(True)
    for welcome in ("Very good", "Very bad"):
        answer(page, welcome)
        page.get_by_role("button", name="Send").click()
        page.get_by_role("heading", name="Thank you!").wait_for()
        page.get_by_role("button", name="Start again").click()
    assert "2 answers are waiting" in page.locator("#kiosk-queue").inner_text()
    assert store.responses.count() == 0
    page.context.set_offline(False)
    assert wait_until(lambda: store.responses.count() == 2, timeout=15)
    assert wait_until(lambda: page.evaluate("Object.keys(localStorage).every(k => localStorage[k] === '[]')"))
    time.sleep(1)  # any late resend would land now
    assert sorted(r.answers["welcome"] for r in store.responses.all("central")) == [1, 5]
    assert page.locator("#kiosk-queue").inner_text() == ""


def test_the_kiosk_on_a_small_screen(browser, live_server, kiosk, tmp_path):
    """Screenshots for people to look at (GUEST_SCREENSHOTS=folder); checks that targets stay 48 px or more."""
    folder = Path(os.environ.get("GUEST_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/kiosk/{kiosk.token}?lang=es")
    page.get_by_role("group", name="¿Se sintió bienvenido?").get_by_text("Muy bien").tap()
    page.screenshot(path=str(folder / "kiosk-phone.png"), full_page=True)
    sizes = page.evaluate("""() => [...document.querySelectorAll('.choice label, button, .languages a')]
        .filter(e => e.checkVisibility())
        .map(e => e.getBoundingClientRect()).map(r => Math.min(r.width, r.height))""")
    assert len(sizes) > 20 and min(sizes) >= 48
    context.close()
