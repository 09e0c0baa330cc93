"""All reports of a period: started from the console, rendered by the real worker, delivered as a ZIP."""

from __future__ import annotations

import io
import zipfile

from .conftest import wait_until


def test_a_managers_batch_is_rendered_by_the_worker_with_progress_and_a_zip_named_by_person(
        app, factory, store, start_worker, auth, client):
    factory.branch("central", "Central Library")
    factory.branch("riverside", "Riverside Library")
    factory.staff("Maria Jensen", "central", code="MARIA")
    factory.staff("Søren Ørsted", "central", code="SOREN")
    factory.staff("Ida Holm", "riverside", code="IDAHO")
    factory.user("boss@test.library", "manager", ["central"])
    auth.login("boss@test.library")

    started = client.post("/manage/reports/batches", data={"period": "2026-Q2"})
    assert started.status_code == 302
    batch_id = started.headers["Location"].rsplit("/", 1)[-1]
    # Nothing is rendered in the web request: the batch waits for the worker.
    assert store.report_batches.get(batch_id).status == "queued"
    assert "Waiting for the background worker" in client.get(started.headers["Location"]).get_data(as_text=True)

    start_worker(app)
    wait_until(lambda: store.report_batches.get(batch_id).status == "done", 120, "batch done")
    batch = store.report_batches.get(batch_id)
    assert (batch.total, batch.done, batch.failures) == (3, 3, [])
    page = client.get(f"/manage/reports/batches/{batch_id}").get_data(as_text=True)
    assert "3 of 3 reports made" in page and 'id="batch-zip"' in page

    download = client.get(f"/manage/reports/batches/{batch_id}.zip")
    assert download.status_code == 200 and download.mimetype == "application/zip"
    names = sorted(zipfile.ZipFile(io.BytesIO(download.data)).namelist())
    assert names == ["branch-central.pdf", "staff-central-maria-jensen-MARIA.pdf",
                     "staff-central-soren-orsted-SOREN.pdf"]  # the manager's branch only


def test_another_manager_cannot_see_or_download_the_batch(app, factory, store, sign_in_as):
    factory.branch("central")
    factory.user("boss@test.library", "manager", ["central"])
    factory.user("other@test.library", "manager", ["central"])
    boss = sign_in_as("boss@test.library")
    batch_id = boss.post("/manage/reports/batches", data={"period": "2026-Q2"}).headers["Location"].rsplit("/", 1)[-1]
    other = sign_in_as("other@test.library")
    assert other.get(f"/manage/reports/batches/{batch_id}").status_code == 404
    assert other.get(f"/manage/reports/batches/{batch_id}.zip").status_code == 404
    assert boss.post("/manage/reports/batches", data={"period": "soon"}).status_code == 400


def test_a_batch_runs_once_even_if_queued_twice_and_a_lost_wake_up_is_found(app, factory, store):
    from datetime import timedelta

    from feedback.model import utc_now
    from feedback.services.periods import parse_period
    from feedback.services.report_batches import STALE_AFTER, request_report_batch, stale_batches

    factory.branch("central")
    user = factory.user("boss@test.library", "manager", ["central"])
    with app.test_request_context():
        batch = request_report_batch(store, app.extensions["feedback_jobs"], user=user,
                                     period=parse_period("2026-Q2"), branches=["central"], language="en")
    assert stale_batches(store) == []
    assert [b.id for b in stale_batches(store, now=utc_now() + STALE_AFTER + timedelta(seconds=1))] == [batch.id]
    assert store.report_batches.claim(batch.id) is True
    assert store.report_batches.claim(batch.id) is False  # the duplicate task finds it taken


def test_batch_files_older_than_a_week_are_removed_and_newer_ones_kept(tmp_path):
    import os
    import time as clock

    from feedback.services.report_batches import remove_old_batch_files

    old, new = tmp_path / "batches" / "old", tmp_path / "batches" / "new"
    for folder in (old, new):
        folder.mkdir(parents=True)
        (folder / "reports.zip").write_bytes(b"PK")
    eight_days_ago = clock.time() - 8 * 86400
    os.utime(old, (eight_days_ago, eight_days_ago))
    assert remove_old_batch_files(tmp_path) == 1
    assert not old.exists() and (new / "reports.zip").exists()
