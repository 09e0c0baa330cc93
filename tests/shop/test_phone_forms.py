"""The shopper's and reviewer's forms on a 390 px phone: no sideways scroll, 44 px targets, errors in order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from feedback.services import shopping
from feedback.services.rubric import default_rubric
from feedback.services.shopping import VisitInput

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 1, "is_mobile": True, "has_touch": True}

WIDEST = """() => {
  const over = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391)
    .map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className);
  return {width: document.documentElement.scrollWidth, over: over.slice(0, 5)};
}"""
SMALL_TARGETS = """() => [...document.querySelectorAll('main input, main button, main select, main textarea, main a')]
  .filter(e => e.offsetParent !== null && e.type !== 'hidden')
  .map(e => e.closest('label') || e)
  .filter(e => { const r = e.getBoundingClientRect(); return r.height < 44 || r.width < 44; })
  .map(e => (e.id || e.textContent.trim().slice(0, 30)))"""


def phone_page(browser, base: str, email: str, then: str):
    page = browser.new_context(**PHONE).new_page()
    page.goto(f"{base}/auth/login?next={then}")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_url(f"{base}{then}")
    return page


def test_the_visit_report_fits_a_phone_and_its_error_summary_takes_focus_in_form_order(live_server, world, browser):
    path = f"/shop/assignments/{world.assignment.id}/visit"
    page = phone_page(browser, live_server.url, "shopper@example.org", path)
    layout = page.evaluate(WIDEST)
    assert layout["width"] <= 390, layout
    assert page.evaluate(SMALL_TARGETS) == []
    items = default_rubric().item_ids()
    page.check(f'input[name="item_{items[0]}"][value="yes"]')
    page.fill("#narrative", "Half done")
    page.click("#submit_report")
    summary = page.locator("#error-summary")
    summary.wait_for()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    box = summary.bounding_box()
    assert box["height"] < 844 * 1.5  # the summary is read, not scrolled through
    links = page.eval_on_selector_all("#error-summary a", "as => as.map(a => a.getAttribute('href').slice(1))")
    fields = page.eval_on_selector_all(
        "form.visit-form [id]", "es => es.map(e => e.id)")
    order = [fields.index(target) for target in links if target in fields]
    assert len(order) == len(links) and order == sorted(order)  # the summary follows the form
    assert page.evaluate(WIDEST)["width"] <= 390
    page.context.close()


def test_the_draft_saves_itself_while_the_shopper_types(live_server, world, browser, store):
    path = f"/shop/assignments/{world.assignment.id}/visit"
    page = phone_page(browser, live_server.url, "shopper@example.org", path)
    page.fill("#narrative", "Greeted at once, by name")
    page.locator("#autosave-status").get_by_text("Draft saved").wait_for()
    visit = store.visits.get(store.assignments.get(world.assignment.id).visit)
    assert visit.status == "draft" and visit.narrative == "Greeted at once, by name"
    page.reload()
    assert page.input_value("#narrative") == "Greeted at once, by name"
    page.context.close()


def test_the_reviewers_say_what_to_fix_error_is_in_view_next_to_its_field(live_server, world, browser, store):
    shopping.submit_visit(store, assignment_id=world.assignment.id, shopper=world.shopper, data=VisitInput(
        visited_at=datetime.now(UTC) - timedelta(hours=1), wait_minutes=1, duration_minutes=4, staff=world.maria.id,
        answers=dict.fromkeys(default_rubric().item_ids(), "yes"), accuracy="correct", narrative="Fine",
        would_return=True))
    visit_id = store.assignments.get(world.assignment.id).visit
    page = phone_page(browser, live_server.url, "reviewer@example.org", f"/shop/visits/{visit_id}")
    assert page.evaluate(WIDEST)["width"] <= 390
    page.click("#send_back")
    page.locator("#comment-error").wait_for()
    focused = page.evaluate("document.activeElement.id")
    assert focused in ("error-summary", "comment")
    page.locator("#error-summary a").click()
    assert page.evaluate("document.activeElement.id") == "comment"
    assert page.locator("#comment-error").is_visible()
    top = page.evaluate("document.getElementById('comment-error').getBoundingClientRect().top")
    assert 0 <= top <= 844, top
    page.context.close()
