"""The demo manager's month, in a real browser: sign in, change the period, open a staff member, download a CSV."""

from __future__ import annotations

import csv
import io
import subprocess
from datetime import UTC, datetime

import pytest

from feedback.services.demo import seed_demo
from feedback.services.periods import current_period
from tests.conftest import LiveServer

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(csrf_app):
    """The demo, served with CSRF protection on, as in production."""
    store = csrf_app.extensions["feedback_store"]
    seed_demo(store, responses=900, visits=20, now=datetime.now(UTC))
    with LiveServer(csrf_app) as server:
        yield store, server


def test_the_demo_manager_reviews_last_month_and_downloads_its_responses(demo, page, tmp_path):
    demo, live_server = demo
    page.goto(f"{live_server.url}/auth/login")
    page.get_by_label("E-mail").fill("manager@demo.library")
    page.get_by_label("Password").fill("manager-demo-pass")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/manage/")
    assert page.locator("h1").inner_text() == "Dashboard"

    last_month = current_period("month").previous()
    page.get_by_label("Period", exact=True).select_option(label="Last month")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/manage/?preset=last_month*")
    shown = int(page.locator("#figure-responses").inner_text())
    assert shown > 0
    assert page.locator("#heatmap svg title").count() == 1

    staff_link = page.locator("#staff-table a").first
    name = staff_link.inner_text()
    staff_link.click()
    page.wait_for_url("**/manage/staff/**")
    assert page.locator("h1").inner_text() == name
    page.go_back()

    with page.expect_download() as info:
        page.get_by_role("link", name="responses (CSV)").click()
    path = tmp_path / "responses.csv"
    info.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))  # it starts with a BOM

    # The rows the filter promised: the manager's two branches, last month in the branch's time zone.
    expected = []
    for slug in ("central", "riverside"):
        branch = demo.directory.branch(slug)
        lo, hi = last_month.utc_bounds(branch.timezone)
        expected.extend(r.id for r in demo.responses.in_period(slug, lo, hi))
    assert len(rows) == shown == len(expected)
    assert sorted(r["id"] for r in rows) == sorted(expected)
    assert {r["branch"] for r in rows} <= {"central", "riverside"}
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)


def test_from_the_dashboard_a_manager_reaches_a_staff_pdf_in_two_clicks(demo, page, tmp_path):
    _store, live_server = demo
    page.goto(f"{live_server.url}/auth/login")
    page.get_by_label("E-mail").fill("manager@demo.library")
    page.get_by_label("Password").fill("manager-demo-pass")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/manage/")

    clicks = 0
    staff_link = page.locator("#staff-table tbody th a").first
    name = staff_link.inner_text()
    staff_link.click()
    clicks += 1
    page.wait_for_url("**/manage/staff/**")
    with page.expect_download() as info:
        page.locator("#staff-pdf").click()
        clicks += 1
    path = tmp_path / "staff.pdf"
    info.value.save_as(path)
    assert clicks == 2
    assert path.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    assert name in text
