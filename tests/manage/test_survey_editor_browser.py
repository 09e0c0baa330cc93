"""The survey editor in a real browser: an administrator turns a question on, a guest meets it; axe finds nothing."""

from __future__ import annotations

import pytest

from tests.conftest import LiveServer
from tests.survey.conftest import AXE, serious_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def served(csrf_app, factory):
    store = csrf_app.extensions["feedback_store"]
    factory.store = store
    factory.branch("central", "Central Library")
    factory.desk("central", "info", "Information desk")
    factory.user("admin@test.library", "admin")
    with LiveServer(csrf_app) as server:
        yield store, server


@pytest.fixture
def context(browser):
    """A browser context that lets the test inject axe-core (the app's CSP rightly forbids it)."""
    if not AXE.exists():
        pytest.fail(f"axe-core is missing: run npm install --prefix tests/js ({AXE})")
    context = browser.new_context(bypass_csp=True)
    yield context
    context.close()


def test_an_administrator_turns_on_the_wait_question_and_guests_are_asked_it(served, context):
    store, server = served
    page = context.new_page()
    page.goto(f"{server.url}/auth/login")
    page.get_by_label("E-mail").fill("admin@test.library")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{server.url}/manage/setup/surveys/")
    page.get_by_role("link", name="Questions, choices and order").last.click()
    assert serious_violations(page) == []
    page.get_by_role("link", name="How was the wait?").click()
    page.get_by_label("Question (en)").fill("")
    page.get_by_role("button", name="Save as a new version").click()
    assert "The English text cannot be empty" in page.locator("#text_en-error").inner_text()
    assert serious_violations(page) == []
    page.get_by_label("Question (en)").fill("How long did you wait?")
    page.get_by_label("Ask this question").check()
    page.get_by_label("Central Library · Information desk").check()
    page.get_by_role("button", name="Save as a new version").click()
    assert "Saved as version 3" in page.locator(".flash").inner_text()
    assert "Guests are asked 4 questions" in page.locator(".survey-length").inner_text()
    page.goto(f"{server.url}/manage/setup/survey-questions/qr/versions/2")
    assert serious_violations(page) == []
    guest = context.new_page()
    guest.goto(f"{server.url}/s/central/info")
    assert guest.get_by_text("Question 1 of 4").is_visible()
    guest.goto(f"{server.url}/s/central/info?step=wait")
    assert guest.get_by_role("group", name="How long did you wait?").is_visible()
    guest.goto(f"{server.url}/s/central")
    assert guest.get_by_text("Question 1 of 3").is_visible(), "only the information desk asks about the wait"
