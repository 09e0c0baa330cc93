"""The whole coaching cycle in a real browser, on the demo: dashboard, staff member, plan, report, staff comment."""

from __future__ import annotations

import subprocess
from datetime import UTC, date, datetime, timedelta

import pytest

from feedback.services.demo import seed_demo
from feedback.services.periods import current_period
from tests.conftest import LiveServer

pytestmark = pytest.mark.browser

ACTION = "Walk the guest to the shelf & check they found it"


@pytest.fixture
def demo(csrf_app):
    store = csrf_app.extensions["feedback_store"]
    seed_demo(store, responses=600, visits=20, now=datetime.now(UTC))
    with LiveServer(csrf_app) as server:
        yield store, server


def _sign_in(page, url, email, password):
    page.goto(f"{url}/auth/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_the_coaching_cycle_from_dashboard_to_the_staff_members_comment(demo, page, tmp_path):
    store, server = demo
    month = current_period("month").label
    quarter = current_period("quarter").label
    today = date.today()

    _sign_in(page, server.url, "manager@demo.library", "manager-demo-pass")
    page.wait_for_url("**/manage/")
    # The demo plan's review date has passed: the dashboard says so.
    assert "Sofie Nielsen" in page.locator("#reviews-due").inner_text()
    page.screenshot(path=str(tmp_path / "1-dashboard.png"), full_page=True)

    page.get_by_role("link", name="coaching record of Sofie Nielsen").click()
    # The dashboard's period (this month) comes along; the conversation looks at the quarter so far.
    page.wait_for_url(f"**/coaching?period={month}")
    assert page.locator("h1").inner_text() == "Coaching: Sofie Nielsen"
    page.get_by_label("Period").select_option("this_quarter")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/coaching?preset=this_quarter*")

    plan = page.locator("#new-plan")
    plan.get_by_label("Agreed on").fill(today.isoformat())
    plan.get_by_label("Review on").fill((today + timedelta(days=42)).isoformat())
    page.locator("#actions-0-behaviour").select_option("helpfulness")
    page.locator("#actions-0-action").fill(ACTION)
    page.locator("#actions-0-by_when").fill((today + timedelta(days=28)).isoformat())
    page.locator("#actions-0-support").fill("Pair with Maria on Saturdays")
    page.locator("#actions-0-how_we_know").fill("Shoppers see it offered")
    plan.get_by_role("button", name="Record the plan").click()
    page.wait_for_url(f"**/coaching?period={quarter}")
    assert "Plan recorded." in page.locator(".flash").inner_text()
    assert page.locator("#plans .words", has_text=ACTION).count() == 1
    page.screenshot(path=str(tmp_path / "2-coaching.png"), full_page=True)

    with page.expect_download() as info:
        page.locator("#report-download").click()
    pdf = tmp_path / "report.pdf"
    info.value.save_as(pdf)
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert ACTION in text and "Helpfulness and accuracy, shoppers:" in text
    assert "For coaching and development, not discipline." in text

    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, server.url, "staff@demo.library", "staff-demo-pass")
    page.wait_for_url("**/me/")
    assert page.locator("h1").inner_text() == "My coaching"
    assert page.get_by_label("Period").input_value() == "this_month"
    mine = page.locator("#plans article", has_text=ACTION)
    mine.get_by_label("Your comment on this plan").fill("Happy to try this; Saturdays suit me")
    mine.get_by_role("button", name="Save my comment").click()
    page.wait_for_url("**/me/?period=*")
    assert "Your comment is saved." in page.locator(".flash").inner_text()
    page.screenshot(path=str(tmp_path / "3-staff.png"), full_page=True)
    [latest] = [p for p in store.coaching.get(store.directory.user_by_email("staff@demo.library").staff_member)
                .plan_list() if p.action_list()[0].action == ACTION]
    assert latest.staff_comment == "Happy to try this; Saturdays suit me"
