"""The whole mystery-shopper path in a real browser, with CSRF on as in production."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from feedback.services.aggregate import summarise_visits
from feedback.services.rubric import default_rubric
from tests.conftest import LiveServer

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery"


def sign_in(page, base: str, email: str, password: str = PASSWORD, then: str = "/shop/") -> None:
    page.goto(f"{base}/auth/login?next={then}")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("form.card button[type=submit]")
    page.wait_for_url(f"{base}{then}")


def answer_rubric(page, answer: str = "yes", skip: tuple[str, ...] = ()) -> None:
    for item in default_rubric().item_ids():
        if item not in skip:
            page.check(f'input[name="item_{item}"][value="{answer}"]')


def test_invite_assign_draft_submit_return_resubmit_approve_counts(make_app, world, store, browser):
    app = make_app(WTF_CSRF_ENABLED=True)
    today = datetime.now(UTC).date()
    visit_time = (datetime.now(UTC) - timedelta(hours=1)).astimezone(ZoneInfo("Europe/Copenhagen"))
    with LiveServer(app) as server:
        base = server.url
        app.config["PUBLIC_URL"] = base  # links that leave the app are built on PUBLIC_URL
        admin = browser.new_context().new_page()
        manager = browser.new_context().new_page()
        shopper = browser.new_context().new_page()
        reviewer = browser.new_context().new_page()

        # An administrator invites a new shopper and copies the link.
        sign_in(admin, base, "admin@example.org", then="/shop/shoppers")
        admin.fill("#email", "sam@example.org")
        admin.fill("#display_name", "Sam Shopper")
        admin.get_by_role("button", name="Make invitation link", exact=True).click()
        link = admin.input_value("#invitation-link")
        assert link.startswith(f"{base}/shop/welcome/")

        # The shopper sets a password through the link and is signed in.
        shopper.goto(link)
        shopper.fill("#password", "sams-secret-password")
        shopper.fill("#confirm", "sams-secret-password")
        shopper.get_by_role("button", name="Set my password", exact=True).click()
        shopper.wait_for_url(f"{base}/shop/")
        expect(shopper.locator("main")).to_contain_text("You have no assignments yet")

        # A manager of the branch assigns Sam a visit, window open today.
        sign_in(manager, base, "manager@example.org", then="/shop/assignments/new")
        manager.select_option("#shopper", label="Sam Shopper")
        manager.select_option("#branch", "central")
        manager.select_option("#channel", "in_person")
        manager.select_option("#scenario", "renew-loan")
        manager.fill("#window_start", (today - timedelta(days=1)).isoformat())
        manager.fill("#window_end", (today + timedelta(days=6)).isoformat())
        manager.get_by_role("button", name="Assign", exact=True).click()
        manager.wait_for_url(f"{base}/shop/assignments")
        expect(manager.locator("tbody")).to_contain_text("Sam Shopper")

        # The shopper sees it, due, and starts a draft.
        shopper.reload()
        card = shopper.locator(".assignment")
        expect(card).to_have_count(1)
        expect(card.locator(".state-badge")).to_have_text("Due")
        expect(card).to_contain_text("Renewing a loan")
        shopper.get_by_role("link", name="Start my report").click()
        shopper.fill("#visited_at", visit_time.strftime("%Y-%m-%dT%H:%M"))
        shopper.fill("#wait_minutes", "3")
        shopper.check('input[name="item_acknowledged"][value="yes"]')
        shopper.get_by_role("button", name="Save draft", exact=True).click()
        expect(shopper.locator(".flash")).to_contain_text("Draft saved.")
        expect(shopper.locator("#wait_minutes")).to_have_value("3")
        expect(shopper.locator('input[name="item_acknowledged"][value="yes"]')).to_be_checked()

        # Submitting too early says what is missing, beside the fields.
        shopper.get_by_role("button", name="Submit for review", exact=True).click()
        expect(shopper.locator("#error-summary")).to_be_visible()
        expect(shopper.locator("#narrative-error")).to_contain_text("Describe the visit")
        expect(shopper.locator("#staff-error")).to_contain_text("Choose who served you")

        # ... so the shopper completes it, describing a staff member with no badge, and submits.
        shopper.fill("#duration_minutes", "6")
        shopper.select_option("#staff", "described")
        shopper.fill("#staff_description", "Curly hair, green cardigan, lending desk")
        answer_rubric(shopper, "yes", skip=("acknowledged", "named_place", "invited_back"))
        shopper.check('input[name="item_named_place"][value="na"]')
        shopper.check('input[name="item_invited_back"][value="no"]')
        shopper.check('input[name="accuracy"][value="correct"]')
        shopper.fill("#narrative", "Asked about renewing; shown the app.")
        shopper.check('input[name="would_return"][value="yes"]')
        shopper.get_by_role("button", name="Submit for review", exact=True).click()
        shopper.wait_for_url(f"{base}/shop/")
        expect(shopper.locator(".assignment")).to_contain_text("In review")

        # The reviewer returns it with a comment.
        sign_in(reviewer, base, "reviewer@example.org", then="/shop/review")
        reviewer.click("tbody a")
        expect(reviewer.locator("#visit-staff")).to_contain_text("Curly hair, green cardigan")
        reviewer.fill("#comment", "Which day of the week was it? Add it to the narrative.")
        reviewer.get_by_role("button", name="Return to shopper", exact=True).click()
        expect(reviewer.locator(".flash")).to_contain_text("Returned to the shopper.")

        # A submitted or returned visit does not count yet on the manager's dashboard.
        dashboard = f"{base}/manage/?branch=central&period={visit_time:%Y-%m}"
        manager.goto(dashboard)
        expect(manager.locator("main")).to_contain_text("Approved visits only: 0 in this period.")

        # The shopper sees the comment, fixes the report and submits again.
        shopper.reload()
        expect(shopper.locator(".assignment")).to_contain_text("Returned to you")
        expect(shopper.locator(".assignment .return-comment")).to_contain_text("Which day of the week")
        shopper.get_by_role("link", name="Continue my report").click()
        expect(shopper.locator("#wait_minutes")).to_have_value("3")  # earlier answers kept
        shopper.fill("#narrative", "Tuesday morning. Asked about renewing; shown the app.")
        shopper.get_by_role("button", name="Submit for review", exact=True).click()
        shopper.wait_for_url(f"{base}/shop/")
        expect(shopper.locator(".assignment")).to_contain_text("In review")

        # The reviewer identifies the staff member and approves.
        reviewer.goto(f"{base}/shop/review")
        reviewer.click("tbody a")
        expect(reviewer.locator(".narrative")).to_contain_text("Tuesday morning")
        reviewer.select_option("#staff", label="Ahmed Hassan")
        reviewer.get_by_role("button", name="Approve", exact=True).click()
        expect(reviewer.locator(".flash")).to_contain_text("Approved: the visit now counts.")

        shopper.reload()
        expect(shopper.locator(".assignment .state-badge")).to_have_text("Approved")

        # The manager sees the approved visit of the branch, with its score and the staff member.
        manager.goto(f"{base}/shop/visits")
        manager.click("tbody a")
        expect(manager.locator("#visit-staff")).to_contain_text("Ahmed Hassan")
        # Weights: 25 in all, named_place (2) n/a -> 23; invited_back (1) no -> 22 of 23.
        expect(manager.locator("#visit-score")).to_have_text("96 %")
        # ... and the branch figures on the manager's dashboard now include it.
        manager.goto(dashboard)
        expect(manager.locator("main")).to_contain_text("Approved visits only: 1 in this period. Overall score 96 %.")
        for page in (admin, manager, shopper, reviewer):
            page.context.close()

    # The same figures straight from the aggregation the dashboard and the reports share.
    visits = store.visits.matching(branch="central")
    summary = summarise_visits(visits, default_rubric())
    assert summary.visits == 1
    assert summary.mean_score == pytest.approx(23 / 24)  # named_place n/a; invited_back missed
    assert summary.accuracy["correct"] == 1
    (visit,) = visits
    assert visit.staff == world.ahmed.id
    assert [e["action"] for e in visit.audit] == [
        "created", "saved", "saved", "submitted", "returned", "saved", "submitted", "staff_resolved", "approved"]
