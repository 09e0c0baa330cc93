"""Exactly once, whatever the browser does: Back and Send, reload and Send, in headless Chromium."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def answer(page) -> None:
    page.get_by_role("group", name="Were you made to feel welcome?").get_by_text("Very good").click()
    page.get_by_role("group", name="Did you get the help you needed?").get_by_text("Good", exact=True).click()


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": True}])
def test_back_and_send_in_a_real_browser_stores_once(page, live_server, store, site):
    page.goto(f"{live_server.url}/s/central?staff=MARIA7")
    answer(page)
    page.get_by_role("button", name="Send").click()
    page.get_by_role("heading", name="Thank you!").wait_for()
    assert "Your answers reached" in page.content()

    page.go_back()
    page.get_by_role("button", name="Send").wait_for()
    answer(page)
    page.get_by_role("button", name="Send").click()
    page.get_by_role("heading", name="Thank you!").wait_for()
    assert "We already had these answers" in page.content()

    page.go_back()
    page.reload()
    answer(page)
    page.get_by_role("button", name="Send").click()
    page.get_by_role("heading", name="Thank you!").wait_for()
    assert "We already had these answers" in page.content()

    [stored] = store.responses.all("central")
    assert stored.counted and stored.review is None, "the guest's own page, token and key: a normal answer"
