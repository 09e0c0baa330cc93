"""The served app, SIGKILLed with guests mid-submit, keeps every acknowledged response exactly once."""

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from harness import crash_round, seed_instance  # noqa: E402


def test_killing_gunicorn_mid_stream_loses_no_acknowledged_response(tmp_path):
    seed_instance(tmp_path, responses=200)
    rng = random.Random()
    acknowledged = 0
    for _ in range(3):
        result = crash_round(tmp_path, kill_after=rng.uniform(0.8, 2.0), guests=6)
        assert result.restarted, "the app did not start again after the crash"
        assert result.corrupt == []
        assert result.lost == set(), f"{len(result.lost)} acknowledged responses lost"
        assert result.duplicates == 0
        acknowledged += len(result.acknowledged)
    assert acknowledged > 20  # guests really were answered between kills
