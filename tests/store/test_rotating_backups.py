"""Rotating hard-link backups, and putting back a corrupt file from them."""

import logging
from datetime import UTC, datetime, timedelta

from feedback import create_app
from feedback.model import Branch


def test_a_backup_keeps_the_old_content_after_later_writes(store, factory):
    factory.branch("central")
    backup = store.backups.take()
    factory.branch("riverside")
    copy = (backup / "directory.json").read_text()
    assert "central" in copy and "riverside" not in copy
    assert "riverside" in (store.data_dir / "directory.json").read_text()


def test_only_the_newest_backups_are_kept(store, factory):
    factory.branch("central")
    start = datetime(2026, 11, 1, tzinfo=UTC)
    for day in range(10):
        store.backups.take(now=start + timedelta(days=day))
    assert [b.name for b in store.backups.list()] == [
        (start + timedelta(days=d)).strftime("%Y%m%dT%H%M%SZ") for d in range(9, 2, -1)]


def test_a_backup_is_taken_only_when_the_newest_is_old_enough(store, factory):
    factory.branch("central")
    now = datetime(2026, 11, 20, 12, tzinfo=UTC)
    assert store.backups.take_if_older_than(timedelta(hours=24), now=now) is not None
    assert store.backups.take_if_older_than(timedelta(hours=24), now=now + timedelta(hours=5)) is None
    assert store.backups.take_if_older_than(timedelta(hours=24), now=now + timedelta(hours=25)) is not None


def test_check_names_the_corrupt_file_and_restores_it_from_the_latest_backup(runner, store, factory):
    factory.branch("central")
    store.backups.take()
    directory = store.data_dir / "directory.json"
    directory.write_text('{"branches": {"1": {"slug": "cen')  # truncated mid-write
    store.cache.clear()
    offered = runner.invoke(args=["check"])
    assert offered.exit_code == 1
    assert "directory.json" in offered.output and "check --restore" in offered.output
    restored = runner.invoke(args=["check", "--restore"])
    assert restored.exit_code == 0, restored.output
    assert [b.slug for b in store.directory.branches()] == ["central"]
    assert list(store.data_dir.glob("directory.json.corrupt-*")), "the corrupt file is kept for inspection"


def test_a_corrupt_file_found_at_start_up_is_reported_by_name(tmp_path, caplog):
    first = create_app({"INSTANCE_PATH": tmp_path, "TESTING": True})
    first.extensions["feedback_store"].directory.add_branch(Branch("central", "Central"))
    (tmp_path / "data" / "directory.json").write_text("{garbled")
    with caplog.at_level(logging.ERROR):
        create_app({"INSTANCE_PATH": tmp_path, "TESTING": True})
    assert any("CORRUPT DATA FILE" in r.message and "directory.json" in r.message for r in caplog.records)


def test_damage_to_a_data_file_in_place_does_not_reach_its_backup(store, factory):
    factory.branch("central")
    backup = store.backups.take()
    live = store.data_dir / "directory.json"
    with live.open("r+b") as handle:  # same inode, overwritten in place
        handle.write(b"\0\0\0\0")
    assert (backup / "directory.json").read_bytes()[:4] != b"\0\0\0\0"


def test_unchanged_files_share_one_copy_between_backups(store, factory):
    factory.branch("central")
    first = store.backups.take(now=datetime(2026, 11, 1, tzinfo=UTC))
    second = store.backups.take(now=datetime(2026, 11, 2, tzinfo=UTC))
    assert (first / "directory.json").stat().st_ino == (second / "directory.json").stat().st_ino
    assert (second / "directory.json").stat().st_ino != (store.data_dir / "directory.json").stat().st_ino
