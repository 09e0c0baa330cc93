"""axe-core in Chromium: no serious or critical WCAG 2.1 AA violation on the console pages of this area."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from feedback.services.kiosks import register_kiosk
from tests.shop.test_accessibility import AXE, serious_violations

pytestmark = pytest.mark.browser


def test_console_pages_pass_axe(browser, live_server, store, world, factory):
    if not AXE.exists():
        pytest.fail(f"axe-core is missing: run npm install --prefix tests/js ({AXE})")
    register_kiosk(store, "central", "info", "By the door")
    factory.response("central", answers={"welcome": 1, "helpful": 1}, comment="Too loud", at=datetime.now(UTC))
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/auth/login")
    page.fill("#email", world.users["admin"])
    page.fill("#password", "correct-horse-battery")
    page.click("form.card button[type=submit]")
    page.wait_for_load_state()
    found = {}
    for name, path in [("dashboard", "/manage/"), ("reports", "/manage/reports/"), ("comments", "/manage/comments/"),
                       ("follow-ups", "/manage/followups/central"), ("alert rules", "/manage/alerts/central"),
                       ("kiosks", "/manage/kiosks/"), ("posters", "/manage/posters/?branch=central"),
                       ("outbox", "/manage/setup/outbox"), ("users", "/manage/setup/users")]:
        page.goto(live_server.url + path)
        found[name] = serious_violations(page)
    context.close()
    assert {name: v for name, v in found.items() if v} == {}
