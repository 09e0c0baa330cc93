"""Several processes writing into one instance at once lose nothing."""

import json
import subprocess
import sys
from pathlib import Path

from feedback.store import Store

WRITER = Path(__file__).with_name("writer_process.py")


def test_four_processes_storing_250_responses_each_keep_all_1000(tmp_path):
    data = tmp_path / "data"
    writers = [
        subprocess.Popen([sys.executable, str(WRITER), str(data), "central", "250", f"w{n}"],
                         stdout=subprocess.PIPE, text=True)
        for n in range(4)
    ]
    acknowledged = set()
    for writer in writers:
        out, _ = writer.communicate(timeout=240)
        assert writer.returncode == 0
        acknowledged.update(out.split())

    assert len(acknowledged) == 1000
    store = Store(data)
    stored = [r.id for r in store.responses.all()]
    assert len(stored) == 1000
    assert set(stored) == acknowledged
    for path in store.data_files():
        json.loads(path.read_text())  # every file parses
    assert store.corrupt_files() == []
