"""A full disk or an I/O error never yields a false "thank you", never harms stored data, and passes."""

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

CHILD = Path(__file__).with_name("disk_full_child.py")


def _post(client, comment="Lovely staff"):
    return client.post("/s/central", data={"q_welcome": "5", "q_helpful": "4", "q_comment": comment})


def test_an_io_error_during_a_write_answers_503_and_keeps_what_was_stored(client, store, factory, monkeypatch):
    factory.branch("central")
    assert _post(client).status_code == 200
    kept = [r.id for r in store.responses.all()]

    def failing_fsync(fd):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    failed = _post(client, "sent while the disk failed")
    monkeypatch.undo()

    assert failed.status_code == 503
    page = failed.get_data(as_text=True)
    assert "Thank you" not in page and "not stored" in page
    store.cache.clear()
    assert [r.id for r in store.responses.all()] == kept
    assert store.corrupt_files() == []
    assert _post(client, "after the disk recovered").status_code == 200
    assert store.responses.count() == 2


def test_a_really_full_disk_answers_503_then_writes_resume_when_space_returns(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    script = (f'mount -t tmpfs -o size=256k tmpfs "{instance}" && '
              f'exec "{sys.executable}" "{CHILD}" "{instance}"')
    # A private mount namespace (as root, or as a user through a user namespace): no mount leaks out.
    command = ["unshare", "-m", "sh", "-c", script] if os.geteuid() == 0 else \
        ["unshare", "-rm", "sh", "-c", script]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120,
                            cwd=Path(__file__).resolve().parent.parent)
    assert result.returncode == 0, result.stderr[-2000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["before"] == [200] * 5
    assert set(seen["full_status"]) <= {200, 503} and 503 in seen["full_status"]
    assert not any(thanks for status, thanks in zip(seen["full_status"], seen["full_pages_thanks"], strict=True)
                   if status == 503)
    # Everything stored before the disk filled is still there, and nothing half-written.
    assert set(seen["stored_before"]) <= set(seen["stored_during"])
    assert seen["corrupt"] == [] and seen["leftover_temp_files"] == []
    assert seen["after"] == [200] * 3
    assert seen["count_after"] == len(seen["stored_during"]) + 3
