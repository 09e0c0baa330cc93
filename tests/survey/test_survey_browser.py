"""The QR survey in headless Chromium: answered by keyboard and by touch, stored, and seen on a phone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
CSRF_ON = [{"WTF_CSRF_ENABLED": True}]


def screenshot_dir(tmp_path: Path) -> Path:
    """Where screenshots go: GUEST_SCREENSHOTS if set (to look at them), else the test's temp folder."""
    folder = Path(os.environ.get("GUEST_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("app_config", CSRF_ON)
def test_a_guest_answers_the_qr_survey_on_a_phone_in_at_most_8_taps_without_scrolling(
        browser, live_server, store, site, tmp_path):
    """The issue's walk-by test, at 390x844: every screen's answers and its Send fit the first screen."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, has_touch=True, is_mobile=True)
    page = context.new_page()
    taps = 0
    off_screen: list[str] = []

    def tap(locator) -> None:
        nonlocal taps
        box = locator.bounding_box()
        if box is None or box["y"] < 0 or box["y"] + box["height"] > PHONE["height"]:
            off_screen.append(locator.inner_text())
        taps += 1
        with page.expect_navigation():
            locator.tap()

    def on_screen(name: str) -> None:
        assert page.evaluate("window.scrollY") == 0
        page.screenshot(path=str(screenshot_dir(tmp_path) / f"qr-phone-{name}.png"))

    page.goto(f"{live_server.url}/s/central/info?staff=MARIA7")
    assert page.get_by_text("You were helped by Maria.").is_visible()
    assert page.get_by_text("Question 1 of 3").is_visible()
    on_screen("1-welcome")
    tap(page.get_by_role("group", name="How were you welcomed?").get_by_role("button", name="Very good"))
    assert page.get_by_text("Question 2 of 3").is_visible()
    on_screen("2-help")
    tap(page.get_by_role("group", name="How was the help you got?").get_by_role("button", name="Good", exact=True))
    on_screen("3-found")
    tap(page.get_by_role("group", name="Did you find what you came for?").get_by_role("button", name="Yes"))
    on_screen("4-comment")
    taps += 1
    page.get_by_label("Your comment").tap()
    page.get_by_label("Your comment").fill("Maria found the book <b>fast</b>.")
    tap(page.get_by_role("button", name="Send"))
    page.get_by_role("heading", name="Thank you!").wait_for()
    page.screenshot(path=str(screenshot_dir(tmp_path) / "qr-thanks-phone.png"), full_page=True)
    context.close()
    assert taps <= 8 and off_screen == []
    [response] = list(store.responses.all("central"))
    assert response.answers == {"welcome": 5, "helpful": 4, "found": "yes"}
    assert (response.desk, response.staff, response.channel, response.partial) == ("info", site.maria.id, "qr", False)
    assert response.comment == "Maria found the book <b>fast</b>."


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True, "LANGUAGES": ["en", "es", "da"]}])
@pytest.mark.parametrize("language", ["es", "da"])
def test_every_screen_fits_a_phone_in_spanish_and_danish_too(browser, live_server, store, site, language):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/s/central/info?staff=MARIA7&lang={language}")
    for step in ("welcome", "helpful", "found", "end"):
        page.goto(f"{live_server.url}/s/central/info?staff=MARIA7&step={step}")
        lowest = page.evaluate("""() => Math.max(...[...document.querySelectorAll('form button, .back-link')]
            .map(e => e.getBoundingClientRect().bottom))""")
        assert lowest <= PHONE["height"], (language, step, lowest)
    context.close()


@pytest.mark.parametrize("app_config", CSRF_ON)
def test_the_survey_can_be_answered_with_the_keyboard_alone(page, live_server, store, site):
    page.goto(f"{live_server.url}/s/central?lang=es")
    page.locator("#q_welcome-0").focus()
    page.keyboard.press("Tab")  # answers are buttons in reading order: now "Mal" (2)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "q_welcome-2"
    # The focus ring is visible on the face the keyboard is on.
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.locator("#q_helpful-4").focus()
    with page.expect_navigation():
        page.keyboard.press("Space")
    page.locator("button.skip").focus()  # "found" is optional: skipped
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.locator("button.send").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="¡Gracias!").wait_for()
    [response] = list(store.responses.all("central"))
    assert response.answers == {"welcome": 3, "helpful": 5}
    assert response.language == "es" and response.partial is False


@pytest.mark.parametrize("app_config", CSRF_ON)
def test_a_problem_is_shown_next_to_its_field_and_what_was_written_is_kept(page, live_server, store, site):
    page.goto(f"{live_server.url}/s/central")
    for group, answer in [("How were you welcomed?", "OK"), ("How was the help you got?", "Good")]:
        with page.expect_navigation():
            page.get_by_role("group", name=group).get_by_role("button", name=answer, exact=True).click()
    with page.expect_navigation():
        page.get_by_role("button", name="Skip this question").click()
    page.get_by_label("Your comment").fill("Half done")
    page.get_by_text("Would you like us to contact you?").click()
    page.get_by_label("Please contact me about this").check()
    page.get_by_role("button", name="Send").click()
    summary = page.get_by_role("alert")
    assert "Tell us how to reach you" in summary.inner_text()
    assert "Tell us how to reach you" in page.locator("#question-comment").inner_text()
    assert page.get_by_label("Your comment").input_value() == "Half done"
    # What was answered before counts already, as a partial response; the comment waits for Send.
    [response] = list(store.responses.all("central"))
    assert response.partial and response.answers == {"welcome": 3, "helpful": 4} and response.comment == ""
