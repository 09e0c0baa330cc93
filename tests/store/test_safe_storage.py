"""The storage's write is atomic and its cache trusts a file only while it is unchanged."""

import json
import os

import pytest

from feedback.store.safe_storage import ParsedFileCache, SafeJSONStorage


def test_a_failed_write_leaves_the_old_file_whole_and_no_temp_file(tmp_path, monkeypatch):
    path = tmp_path / "data.json"
    storage = SafeJSONStorage(path, ParsedFileCache())
    storage.write({"t": {"1": {"a": 1}}})

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(OSError):
        storage.write({"t": {"1": {"a": 2}}})
    monkeypatch.undo()
    assert json.loads(path.read_text()) == {"t": {"1": {"a": 1}}}
    assert [p.name for p in tmp_path.iterdir()] == ["data.json"]
    assert storage.read() == {"t": {"1": {"a": 1}}}


def test_another_process_replacing_the_file_is_seen_at_once(tmp_path):
    path = tmp_path / "data.json"
    ours = SafeJSONStorage(path, ParsedFileCache())
    theirs = SafeJSONStorage(path, ParsedFileCache())  # another worker's cache
    ours.write({"t": {"1": {"v": "old"}}})
    assert ours.read()["t"]["1"]["v"] == "old"
    theirs.write({"t": {"1": {"v": "new"}}})
    assert ours.read()["t"]["1"]["v"] == "new"


def test_the_cache_is_bounded_by_file_size(tmp_path):
    cache = ParsedFileCache(max_bytes=100)
    cache.put("a", (1, 60, 1), {"a": {}})
    cache.put("b", (2, 60, 1), {"b": {}})
    assert cache.get("a", (1, 60, 1)) is None
    assert cache.get("b", (2, 60, 1)) == {"b": {}}
