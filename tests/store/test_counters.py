"""The counter file shared by every worker: counts add up across processes, expire, and speak ``limits``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from limits import parse
from limits.strategies import FixedWindowRateLimiter

from feedback.store import Store

ROOT = Path(__file__).resolve().parents[2]
CHILD = """
import sys
from feedback.store import Store
counters = Store(sys.argv[1]).counters
for _ in range(int(sys.argv[2])):
    counters.incr_many({"shared": 600, "other": 600})
"""


def test_two_processes_counting_at_once_lose_no_count(tmp_path):
    data = tmp_path / "data"
    children = [subprocess.Popen([sys.executable, "-c", CHILD, str(data), "150"], cwd=ROOT,
                                 env={**os.environ, "PYTHONPATH": str(ROOT)}) for _ in range(2)]
    assert [child.wait(timeout=120) for child in children] == [0, 0]
    counters = Store(data).counters
    assert counters.get("shared") == 300 and counters.get("other") == 300


def test_an_expired_window_starts_again_from_zero(tmp_path):
    counters = Store(tmp_path).counters
    assert counters.incr("soon", expiry=-1) == 1  # a window that has already ended
    assert counters.get("soon") == 0
    assert counters.incr("soon", expiry=600) == 1


def test_an_unreadable_file_only_forgets_recent_counts(tmp_path):
    counters = Store(tmp_path).counters
    counters.incr("k", 600)
    counters.path.write_text('{"k": [5, 9')  # torn by a crash mid-write
    assert counters.get("k") == 0 and counters.incr("k", 600) == 1


def test_the_limits_library_strategies_run_on_it(tmp_path):
    limiter = FixedWindowRateLimiter(Store(tmp_path).counters)
    item = parse("2 per minute")
    assert [limiter.hit(item, "guest") for _ in range(3)] == [True, True, False]
    assert limiter.hit(item, "another guest")
