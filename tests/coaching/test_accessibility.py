"""axe-core in Chromium: no serious or critical WCAG 2.1 AA violation on the coaching cycle's pages."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from feedback.services import coaching_record as cr
from feedback.services import visit_appeals
from tests.coaching.conftest import PASSWORD, add_visit, utc

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


def _signed_in(browser, base, email):
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(f"{base}/auth/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_load_state()
    return context, page


def test_coaching_pages_pass_axe(browser, live_server, store, coaching_world):
    if not AXE.exists():
        pytest.fail(f"axe-core is missing: run npm install --prefix tests/js ({AXE})")
    maria = coaching_world.maria
    visit = add_visit(store, maria, utc(2026, 5, 20, 10), default="no")
    cr.record_plan(store, maria, agreed_on=date(2026, 5, 1), review_on=date(2026, 6, 1),
                   by=coaching_world.users["manager_a"], now=utc(2026, 5, 2),
                   actions=[cr.ActionInput("listening", "Ask one open question", date(2026, 5, 30))])
    visit_appeals.request_appeal(store, visit_id=visit.id, reason="Fire drill", by=coaching_world.users["staff_maria"])
    base = live_server.url
    found: dict[str, list[str]] = {}
    pages = {
        "manager_a": [("dashboard", "/manage/"), ("coaching", f"/manage/staff/{maria.id}/coaching?period=2026-Q2"),
                      ("you said, we did", "/manage/you-said-we-did/central")],
        "staff_maria": [("my coaching", "/me/?period=2026-Q2")],
        "reviewer": [("appeals", "/shop/appeals"), ("visit with appeal", f"/shop/visits/{visit.id}")],
        "admin": [("notices", "/manage/setup/programme-notices"), ("staff accounts", "/manage/setup/staff-accounts")],
    }
    for who, paths in pages.items():
        context, page = _signed_in(browser, base, coaching_world.email(who))
        for name, path in paths:
            assert page.goto(base + path).ok, name
            found[name] = serious_violations(page)
        context.close()
    assert {name: v for name, v in found.items() if v} == {}
