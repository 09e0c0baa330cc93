"""The kiosk one question a screen, in headless Chromium: auto-advance, progress, parts sent as given."""

from __future__ import annotations

import time

import pytest

from feedback.services.setup import survey_to_dict
from feedback.services.targets import guest_survey

pytestmark = pytest.mark.browser


def wait_until(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def visible_questions(page) -> list[str]:
    return page.evaluate("[...document.querySelectorAll('.question')].filter(e => e.checkVisibility()).map(e => e.id)")


def test_one_question_a_screen_moves_on_by_itself_and_the_answer_is_stored_once(page, live_server, store, kiosk):
    page.goto(f"{live_server.url}/kiosk/{kiosk.token}")
    assert visible_questions(page) == ["question-welcome"]
    assert page.locator("#kiosk-progress-text").inner_text() == "Question 1 of 3"
    assert not page.get_by_role("button", name="Send").is_visible()
    page.get_by_role("group", name="How were you welcomed?").get_by_text("Good", exact=True).click()
    page.get_by_role("group", name="How was the help you got?").wait_for()
    assert page.locator("#kiosk-progress-text").inner_text() == "Question 2 of 3"
    # The first answer is on its way already: a guest who walks away now still counts.
    assert wait_until(lambda: [r.answers for r in store.responses.all("central")] == [{"welcome": 4}])
    assert next(store.responses.all("central")).partial
    page.get_by_role("button", name="Back").click()
    assert visible_questions(page) == ["question-welcome"] and page.locator("#q_welcome-3").is_checked()
    page.get_by_role("button", name="Next").click()
    page.get_by_role("group", name="How was the help you got?").get_by_text("Very good").click()
    page.get_by_role("group", name="Did you find what you came for?").get_by_text("Yes", exact=True).click()
    page.get_by_label("Your comment").wait_for()
    assert page.locator("#kiosk-progress-text").inner_text() == "Last step: anything to add?"
    page.get_by_label("Your comment").fill("Lovely")
    page.get_by_role("button", name="Send").click()
    page.get_by_role("heading", name="Thank you!").wait_for()
    assert wait_until(lambda: [r.partial for r in store.responses.all("central")] == [False])
    [response] = list(store.responses.all("central"))
    assert response.answers == {"welcome": 4, "helpful": 5, "found": "yes"} and response.comment == "Lovely"
    assert response.survey_version == 2
    assert page.evaluate("Object.keys(localStorage).every(k => localStorage[k] === '[]')")


def test_a_required_question_waits_for_its_answer_and_the_keyboard_moves_on_with_next(page, live_server, kiosk):
    page.goto(f"{live_server.url}/kiosk/{kiosk.token}")
    page.get_by_role("button", name="Next").click()
    assert "Please answer this question." in page.locator("#question-welcome").inner_text()
    assert visible_questions(page) == ["question-welcome"]
    page.locator("#q_welcome-0").focus()
    page.keyboard.press("ArrowRight")  # choosing with arrow keys does not jump ahead
    page.wait_for_timeout(600)
    assert visible_questions(page) == ["question-welcome"] and page.locator("#q_welcome-1").is_checked()
    page.get_by_role("button", name="Next").click()
    assert visible_questions(page) == ["question-helpful"]


def test_why_is_asked_only_after_a_low_face(page, live_server, store, kiosk):
    survey = survey_to_dict(guest_survey(store, "kiosk"))
    survey["questions"][0]["why"] = {"en": "What went wrong?"}
    store.directory.update_settings(surveys=[survey])
    page.goto(f"{live_server.url}/kiosk/{kiosk.token}")
    page.get_by_role("group", name="How were you welcomed?").get_by_text("Very good").click()
    page.get_by_role("group", name="How was the help you got?").wait_for()
    page.get_by_role("button", name="Back").click()
    page.get_by_role("group", name="How were you welcomed?").get_by_text("Bad", exact=True).click()
    page.get_by_label("What went wrong?").fill("Nobody looked up")
    page.get_by_role("button", name="Next").click()
    assert visible_questions(page) == ["question-helpful"]
    assert page.locator("#kiosk-progress-text").inner_text() == "Question 2 of 3"
    assert wait_until(lambda: [r.comment for r in store.responses.all("central")] == ["Nobody looked up"])


@pytest.mark.parametrize("language", ["en", "es", "da"])
def test_every_kiosk_screen_fits_1280_by_800_without_scrolling(browser, live_server, kiosk, language):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/kiosk/{kiosk.token}?lang={language}")
    bottoms = []

    def lowest_control() -> float:
        return page.evaluate("""() => Math.max(
            ...[...document.querySelectorAll('#kiosk-form label, #kiosk-form button')]
            .filter(e => e.checkVisibility()).map(e => e.getBoundingClientRect().bottom))""")

    for answer in ("label[for=q_welcome-4]", "label[for=q_helpful-3]", "label[for=q_found-0]"):
        bottoms.append(lowest_control())
        page.locator(answer).click()
        page.wait_for_timeout(500)
    page.locator("button.send").wait_for()
    bottoms.append(lowest_control())
    context.close()
    assert len(bottoms) == 4 and max(bottoms) <= 800, bottoms
