"""A backup restored into an empty instance gives the same exports, byte for byte."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from feedback import create_app
from feedback.services.backup import BackupError, make_backup, restore_backup
from feedback.services.demo import seed_demo
from feedback.services.retention import purge


def _exports(runner, tmp_path, tag):
    files = {}
    for what in ("responses", "visits"):
        out = tmp_path / f"{tag}-{what}.csv"
        result = runner.invoke(args=["export", what, "--out", str(out)])
        assert result.exit_code == 0, result.output
        files[what] = out.read_bytes()
    return files


def test_backup_then_restore_into_an_empty_instance_gives_the_same_exports(app, store, runner, tmp_path):
    seed_demo(store, responses=400, visits=12, now=datetime(2026, 6, 1, tzinfo=UTC))
    # Kept monthly figures travel too: purge a little first.
    purge(store, days=120, followup_days=30, now=datetime(2026, 6, 1, tzinfo=UTC))
    before = _exports(runner, tmp_path, "before")
    assert before["responses"].count(b"\r\n") > 100 and before["visits"].count(b"\r\n") == 13
    backup_file = tmp_path / "backup.json"
    result = runner.invoke(args=["backup", "--out", str(backup_file)])
    assert result.exit_code == 0, result.output

    empty = create_app({"INSTANCE_PATH": tmp_path / "other", "TESTING": True, "SECRET_KEY": "another-key"})
    other_runner = empty.test_cli_runner()
    result = other_runner.invoke(args=["restore", str(backup_file)])
    assert result.exit_code == 0, result.output
    after = _exports(other_runner, tmp_path, "after")
    assert after["responses"] == before["responses"]
    assert after["visits"] == before["visits"]
    restored = empty.extensions["feedback_store"]
    assert restored.aggregates.months() == store.aggregates.months() != []
    assert restored.directory.user_by_email("manager@demo.library").password_hash == \
        store.directory.user_by_email("manager@demo.library").password_hash


def test_restore_refuses_an_instance_that_holds_data(store, factory, runner, tmp_path):
    factory.branch("central")
    backup_file = tmp_path / "backup.json"
    backup_file.write_text(json.dumps(make_backup(store)))
    result = runner.invoke(args=["restore", str(backup_file)])
    assert result.exit_code != 0
    assert "already holds data" in result.output
    assert [b.slug for b in store.directory.branches()] == ["central"]


def test_restore_refuses_a_file_that_is_not_a_backup_or_names_paths_outside(make_app, tmp_path):
    store = make_app(INSTANCE_PATH=tmp_path / "fresh").extensions["feedback_store"]
    with pytest.raises(BackupError):
        restore_backup(store, {"format": "guest-feedback-backup", "version": 1,
                               "files": {"../escape.json": {"t": {}}}})
    assert not (tmp_path / "fresh" / "escape.json").exists()
    runner = make_app(INSTANCE_PATH=tmp_path / "fresh").test_cli_runner()
    bogus = tmp_path / "bogus.json"
    bogus.write_text('{"hello": 1}')
    result = runner.invoke(args=["restore", str(bogus)])
    assert result.exit_code != 0 and "not a Guest Feedback backup" in result.output


def test_the_backup_download_is_the_same_backup(world, sign_in, store):
    response = sign_in(world.users["admin"]).get("/manage/backup.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    downloaded = json.loads(response.data)
    assert downloaded["files"] == make_backup(store)["files"]
