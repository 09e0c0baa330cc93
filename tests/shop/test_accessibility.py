"""axe-core in Chromium: no serious or critical WCAG 2.1 AA violation on the shop pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from feedback.services import shopping
from feedback.services.rubric import default_rubric
from feedback.services.shopping import VisitInput

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parents[1] / "js" / "node_modules" / "axe-core" / "axe.min.js"


def serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
        const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
        return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}));
    }""")
    return [f"{v['id']} ({v['impact']}): {v['nodes'][:3]}" for v in result if v["impact"] in ("serious", "critical")]


def sign_in(page, base, email):
    page.goto(f"{base}/auth/login?next=/shop/")
    page.fill("#email", email)
    page.fill("#password", "correct-horse-battery")
    page.click("form.card button[type=submit]")
    page.wait_for_load_state()


def test_shop_pages_pass_axe(browser, live_server, store, world):
    if not AXE.exists():
        pytest.fail(f"axe-core is missing: run npm install --prefix tests/js ({AXE})")
    other = world.assign(store, scenario="local-history")
    shopping.submit_visit(store, assignment_id=other.id, shopper=world.shopper, data=VisitInput(
        visited_at=datetime.now(UTC) - timedelta(hours=1), wait_minutes=1, duration_minutes=4, staff=None,
        staff_description="Red scarf", answers=dict.fromkeys(default_rubric().item_ids(), "partly"),
        accuracy="partly_correct", narrative="Fine.", would_return=True))
    visit_id = store.assignments.get(other.id).visit
    base = live_server.url
    found: dict[str, list[str]] = {}
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    sign_in(page, base, "shopper@example.org")
    found["my assignments"] = serious_violations(page)
    page.goto(f"{base}/shop/assignments/{world.assignment.id}/visit")
    page.get_by_role("button", name="Submit for review", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("#error-summary").is_visible()
    found["visit form with errors"] = serious_violations(page)
    context.close()

    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    sign_in(page, base, "admin@example.org")
    for name, path in [("review", "/shop/review"), ("visit detail", f"/shop/visits/{visit_id}"),
                       ("new assignment", "/shop/assignments/new"), ("assignments", "/shop/assignments"),
                       ("shoppers", "/shop/shoppers")]:
        page.goto(base + path)
        found[name] = serious_violations(page)
    context.close()
    assert {name: v for name, v in found.items() if v} == {}
