"""Exactly once, whatever the browser does: Back and Send, reload and Send, in headless Chromium."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def answer(page) -> None:
    """One question a screen: each answer a button that sends it, to the last screen (the optional one skipped)."""
    for group, choice in [("How were you welcomed?", "Very good"), ("How was the help you got?", "Good")]:
        with page.expect_navigation():
            page.get_by_role("group", name=group).get_by_role("button", name=choice, exact=True).click()
    with page.expect_navigation():
        page.get_by_role("button", name="Skip this question").click()
    page.get_by_role("button", name="Send").wait_for()


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": True}])
def test_back_and_send_in_a_real_browser_stores_once(page, live_server, store, site):
    page.goto(f"{live_server.url}/s/central?staff=MARIA7")
    answer(page)
    page.get_by_role("button", name="Send").click()
    page.get_by_role("heading", name="Thank you!").wait_for()
    assert "Your answers reached" in page.content()

    page.go_back()  # to the last screen: its link carries the guest's key
    page.get_by_role("button", name="Send").click()
    page.get_by_role("heading", name="Thank you!").wait_for()
    assert "We already had these answers" in page.content()

    page.go_back()
    page.reload()
    page.get_by_role("button", name="Send").click()
    page.get_by_role("heading", name="Thank you!").wait_for()
    assert "We already had these answers" in page.content()

    [stored] = store.responses.all("central")
    assert stored.counted and stored.review is None, "the guest's own page, token and key: a normal answer"
