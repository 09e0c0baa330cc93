"""The batch of all reports, in a real browser: started from the Reports page, watched, downloaded as a ZIP."""

from __future__ import annotations

import re
import time
import zipfile
from datetime import UTC, datetime

import pytest

from feedback.services.demo import seed_demo
from tests.conftest import LiveServer

pytestmark = pytest.mark.browser


def test_the_batch_job_shows_progress_and_delivers_a_zip(csrf_app, page, tmp_path, start_worker):
    store = csrf_app.extensions["feedback_store"]
    seed_demo(store, responses=600, visits=10, now=datetime.now(UTC))
    with LiveServer(csrf_app) as server:
        page.goto(f"{server.url}/auth/login")
        page.get_by_label("E-mail").fill("manager@demo.library")
        page.get_by_label("Password").fill("manager-demo-pass")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/manage/")
        page.get_by_role("link", name="Reports", exact=True).click()
        page.get_by_role("button", name="Make all reports (ZIP)").click()
        page.wait_for_url("**/manage/reports/batches/**")
        # The web request only queued the work: the page says so until the worker takes it.
        assert "Waiting for the background worker" in page.locator("#batch-status").inner_text()

        start_worker(csrf_app)
        seen = set()
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            status = page.locator("#batch-status")
            state = status.get_attribute("data-status")
            seen.add(state)
            if state == "running" and page.locator("progress").count():
                seen.add("progress")
            if state == "done":
                break
            time.sleep(0.3)
            page.reload()
        assert "done" in seen, seen
        assert "running" in seen or "progress" in seen, seen  # the page showed the work under way
        made = re.search(r"(\d+) of (\d+) reports made", page.locator("#batch-progress").inner_text())
        assert made and made.group(1) == made.group(2) and int(made.group(2)) > 2
        with page.expect_download() as info:
            page.locator("#batch-zip").click()
        path = tmp_path / "reports.zip"
        info.value.save_as(path)
    names = zipfile.ZipFile(path).namelist()
    assert len(names) == int(made.group(2))
    assert all(n.startswith(("staff-central-", "staff-riverside-", "branch-")) for n in names)
    assert any(re.match(r"staff-central-[a-z-]+-[A-Z0-9]+\.pdf", n) for n in names)
    page.screenshot(path=str(tmp_path / "batch.png"))
