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
def test_a_guest_answers_the_qr_survey_on_a_phone_and_it_is_stored(browser, live_server, store, site, tmp_path):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/s/central/info?staff=MARIA7")
    assert page.get_by_text("You were helped by Maria.").is_visible()
    page.screenshot(path=str(screenshot_dir(tmp_path) / "qr-survey-phone.png"), full_page=True)
    page.get_by_role("group", name="Were you made to feel welcome?").get_by_text("Very good").tap()
    page.get_by_role("group", name="Did you get the help you needed?").get_by_text("Good", exact=True).tap()
    page.get_by_role("group", name="What brought you in today?").get_by_text("A question").tap()
    page.get_by_label("Your comment").fill("Maria found the book <b>fast</b>.")
    page.get_by_role("button", name="Send").tap()
    page.get_by_role("heading", name="Thank you!").wait_for()
    page.screenshot(path=str(screenshot_dir(tmp_path) / "qr-thanks-phone.png"), full_page=True)
    context.close()
    [response] = list(store.responses.all("central"))
    assert response.answers == {"welcome": 5, "helpful": 4, "reason": "question"}
    assert (response.desk, response.staff, response.channel) == ("info", site.maria.id, "qr")
    assert response.comment == "Maria found the book <b>fast</b>."


@pytest.mark.parametrize("app_config", CSRF_ON)
def test_the_survey_can_be_answered_with_the_keyboard_alone(page, live_server, store, site):
    page.goto(f"{live_server.url}/s/central?lang=es")
    welcome = page.locator("#q_welcome-0")
    welcome.focus()
    page.keyboard.press("ArrowRight")  # radio groups move with arrow keys: now "Mal" (2)
    page.keyboard.press("ArrowRight")
    assert page.locator("#q_welcome-2").is_checked()
    # The focus ring is visible on the face the keyboard is on.
    outline = page.evaluate("getComputedStyle(document.querySelector('label[for=q_welcome-2]')).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Tab")  # on to the next question's group
    assert page.evaluate("document.activeElement.id") == "q_listening-0"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "q_helpful-0"
    page.keyboard.press("Space")
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    assert page.locator("#q_helpful-4").is_checked()
    page.locator("button.send").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="¡Gracias!").wait_for()
    [response] = list(store.responses.all("central"))
    assert response.answers["welcome"] == 3 and response.answers["helpful"] == 5
    assert response.language == "es"


@pytest.mark.parametrize("app_config", CSRF_ON)
def test_a_missing_answer_is_shown_next_to_its_question_and_the_rest_is_kept(page, live_server, store, site):
    page.goto(f"{live_server.url}/s/central")
    page.get_by_role("group", name="Were you made to feel welcome?").get_by_text("OK").click()
    page.get_by_label("Your comment").fill("Half done")
    page.get_by_role("button", name="Send").click()
    summary = page.get_by_role("alert")
    assert "Please answer this question." in summary.inner_text()
    helpful = page.locator("#question-helpful")
    assert "Please answer this question." in helpful.inner_text()
    assert page.locator("#q_welcome-2").is_checked()
    assert page.get_by_label("Your comment").input_value() == "Half done"
    assert store.responses.count() == 0
