"""axe-core in Chromium: no serious or critical WCAG 2.1 AA violation on any guest page, in any language."""

from __future__ import annotations

import pytest

from feedback.services.kiosks import register_kiosk

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("app_config", [{"KIOSK_IDLE_SECONDS": 600, "KIOSK_IDLE_WARNING_SECONDS": 600,
                                         "QR_REFUSE_LIMIT": "1 per minute", "RATELIMIT_ENABLED": True}])
@pytest.mark.parametrize("language", ["en", "es", "da"])
def test_every_guest_page_passes_axe(axe_context, axe_violations, live_server, store, site, language):
    kiosk = register_kiosk(store, "central", "info")
    page = axe_context.new_page()
    found: dict[str, list[str]] = {}

    def check(name: str) -> None:
        assert page.evaluate("document.documentElement.lang") == language, name
        found[name] = axe_violations(page)

    page.goto(f"{live_server.url}/s/central/info?staff=MARIA7&lang={language}")
    check("qr survey")
    page.locator("button.send").click()  # nothing answered: errors next to the required questions
    page.locator("#error-summary").wait_for()
    check("qr survey with errors")
    page.locator("#q_welcome-4").check()
    page.locator("#q_helpful-3").check()
    page.locator("button.send").click()
    page.locator(".thanks").wait_for()
    check("qr thank-you")
    page.goto(f"{live_server.url}/s/central")
    page.locator("#q_welcome-4").check()
    page.locator("#q_helpful-3").check()
    page.locator("button.send").click()
    page.locator("h1").wait_for()
    assert "429" in page.evaluate("String(performance.getEntriesByType('navigation')[0].responseStatus)")
    check("refused, answers kept")
    page.goto(f"{live_server.url}/s/atlantis")
    check("unknown survey")
    page.clock.install()  # the kiosk's ten-minute idle time passes when the test says, not while axe reads
    page.goto(f"{live_server.url}/kiosk/{kiosk.token}")
    check("kiosk start")
    page.locator("#q_welcome-0").check()
    page.clock.run_for(601_000)
    page.get_by_role("alertdialog").wait_for()
    check("kiosk still-there question")
    page.locator("#kiosk-continue").click()
    page.locator("#q_helpful-0").check()
    page.locator("button.send").click()
    page.locator("#kiosk-thanks").wait_for()
    check("kiosk thank-you")
    page.goto(f"{live_server.url}/kiosk/not-a-kiosk")
    check("unknown kiosk")
    assert {name: v for name, v in found.items() if v} == {}
    assert len(found) == 9


def test_the_check_itself_catches_a_faulty_page(axe_context, axe_violations):
    """Guards the test above: were axe not running, it would pass on anything."""
    page = axe_context.new_page()
    page.set_content('<html><body><img src="x.png"><input type="text"></body></html>')
    found = " ".join(axe_violations(page))
    assert "image-alt" in found and "label" in found
