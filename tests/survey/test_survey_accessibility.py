"""axe-core in Chromium: no serious or critical WCAG 2.1 AA violation on any guest page, in any language."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from feedback.services.kiosks import register_kiosk
from feedback.services.setup import survey_to_dict
from feedback.services.targets import guest_survey

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("app_config", [{"KIOSK_IDLE_SECONDS": 600, "KIOSK_IDLE_WARNING_SECONDS": 600,
                                         "QR_REFUSE_LIMIT": "1 per minute", "RATELIMIT_ENABLED": True}])
@pytest.mark.parametrize("language", ["en", "es", "da"])
def test_every_guest_page_passes_axe(axe_context, axe_violations, live_server, store, site, language):
    kiosk = register_kiosk(store, "central", "info")
    # The kiosk asks "why?" after a low face, so that screen is checked too.
    kiosk_survey = survey_to_dict(guest_survey(store, "kiosk"))
    kiosk_survey["questions"][0]["why"] = {"en": "What went wrong?", "es": "¿Qué falló?", "da": "Hvad gik galt?"}
    store.directory.update_settings(surveys=[kiosk_survey])
    page = axe_context.new_page()
    found: dict[str, list[str]] = {}

    def check(name: str) -> None:
        assert page.evaluate("document.documentElement.lang") == language, name
        found[name] = axe_violations(page)

    def tap(locator) -> None:
        with page.expect_navigation():
            locator.click()

    page.goto(f"{live_server.url}/s/central/info?staff=MARIA7&lang={language}")
    check("qr survey")
    tap(page.locator("#q_welcome-4"))
    check("qr second question")
    tap(page.locator("#q_helpful-3"))
    check("qr yes/no question")
    tap(page.locator("#q_found-0"))
    check("qr comment")
    page.locator("details.contact-me summary").click()
    page.locator("#contact_me").check()
    page.locator("button.send").click()  # asked to be contacted, but no contact: an error next to the field
    page.locator("#error-summary").wait_for()
    check("qr survey with errors")
    page.locator("#contact_me").uncheck()
    page.locator("button.send").click()
    page.locator(".thanks").wait_for()
    check("qr thank-you")
    for _guest in range(2):  # two more guests from the same address; the limit counts each guest once
        page.goto(f"{live_server.url}/s/central")
        tap(page.locator("#q_welcome-4"))
    assert "429" in page.evaluate("String(performance.getEntriesByType('navigation')[0].responseStatus)")
    check("refused, answers kept")
    page.goto(f"{live_server.url}/s/atlantis")
    check("unknown survey")
    page.clock.install()  # the kiosk's ten-minute idle time passes when the test says, not while axe reads
    page.goto(f"{live_server.url}/kiosk/{kiosk.token}")
    check("kiosk start")
    page.locator("label[for=q_welcome-0]").click()
    page.clock.run_for(601_000)
    page.get_by_role("alertdialog").wait_for()
    check("kiosk still-there question")
    page.locator("#kiosk-continue").click()
    page.locator("label[for=q_welcome_why]").wait_for()  # a very bad face: "why?"
    check("kiosk why after a low face")
    kiosk_click(page, "#kiosk-next")
    kiosk_click(page, "label[for=q_helpful-0]")
    kiosk_click(page, "label[for=q_found-1]")
    page.locator("button.send").wait_for()
    check("kiosk comment")
    kiosk_click(page, "button.send")
    page.locator("#kiosk-thanks").wait_for()
    check("kiosk thank-you")
    page.goto(f"{live_server.url}/kiosk/not-a-kiosk")
    check("unknown kiosk")
    assert {name: v for name, v in found.items() if v} == {}
    assert len(found) == 14


def kiosk_click(page, selector: str) -> None:
    """Click on the kiosk, first answering "still there?" should the (1 s) idle question be up."""
    for _attempt in range(3):
        if page.locator("#kiosk-idle").is_visible():
            page.locator("#kiosk-continue").click()
        try:
            page.locator(selector).click(timeout=2000)
            return
        except PlaywrightTimeout:
            continue
    page.locator(selector).click(timeout=2000)


def test_the_check_itself_catches_a_faulty_page(axe_context, axe_violations):
    """Guards the test above: were axe not running, it would pass on anything."""
    page = axe_context.new_page()
    page.set_content('<html><body><img src="x.png"><input type="text"></body></html>')
    found = " ".join(axe_violations(page))
    assert "image-alt" in found and "label" in found
