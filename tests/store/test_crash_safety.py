"""A writer killed with SIGKILL at any instant leaves every file parseable and every acknowledged write."""

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from feedback.store import Store

WRITER = Path(__file__).with_name("writer_process.py")


def _run_and_kill(data: Path, label: str, after: float) -> set[str]:
    writer = subprocess.Popen([sys.executable, str(WRITER), str(data), "central", "100000", label],
                              stdout=subprocess.PIPE, text=True, bufsize=1)
    acknowledged: set[str] = set()
    deadline = time.monotonic() + after
    # Read acknowledgements until the random moment, then kill mid-stream.
    while time.monotonic() < deadline:
        line = writer.stdout.readline()
        if not line:
            break
        acknowledged.add(line.strip())
    writer.send_signal(signal.SIGKILL)
    rest, _ = writer.communicate()
    acknowledged.update(rest.split())  # written before the kill, so acknowledged too
    assert writer.returncode == -signal.SIGKILL
    return acknowledged


def test_sigkill_at_random_moments_keeps_every_acknowledged_response(tmp_path):
    data = tmp_path / "data"
    rng = random.Random()
    acknowledged: set[str] = set()
    for round_number in range(12):
        acknowledged |= _run_and_kill(data, f"r{round_number}", after=rng.uniform(0.4, 1.2))
        store = Store(data)  # a fresh process view: no cache from before
        assert store.corrupt_files() == []
        for path in store.data_files():
            json.loads(path.read_text())
        stored_list = [r.id for r in store.responses.all()]
        stored = set(stored_list)
        assert len(stored_list) == len(stored), "a response was stored twice"
        missing = acknowledged - stored
        assert not missing, f"round {round_number}: {len(missing)} acknowledged responses lost"
    assert len(acknowledged) > 100  # the writer really wrote between kills
