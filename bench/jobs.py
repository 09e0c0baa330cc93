"""What waking the background worker adds to a guest's submit, against the durable-append floor.

A guest's answer, once stored, enqueues one task (``check_branch``: alerts and
follow-up notices) in the SQLite job queue. This measures that enqueue, with
no worker running and with the worker busy draining the queue, against one
``write`` + ``fsync`` of a 600-byte line in the same folder (the floor for a
durable answer, measured in the same run). Prints a table of medians and p99.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from feedback import create_app  # noqa: E402


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.99) - 1] * 1000


def fsync_append(folder: Path, count: int) -> list[float]:
    path = folder / "floor.log"
    line = b"x" * 599 + b"\n"
    times = []
    with open(path, "ab") as handle:
        for _ in range(count):
            started = time.perf_counter()
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())
            times.append(time.perf_counter() - started)
    return times


def enqueues(app, count: int) -> list[float]:
    jobs = app.extensions["feedback_jobs"]
    times = []
    for _ in range(count):
        started = time.perf_counter()
        assert jobs.enqueue("check_branch", "central")
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        instance = Path(folder) / "instance"
        app = create_app({"INSTANCE_PATH": instance, "TESTING": True, "SECRET_KEY": "bench"})
        rows = [("fsync'd append of 600 bytes (floor)", fsync_append(Path(folder), args.count)),
                ("enqueue, no worker running", enqueues(app, args.count))]
        consumer = app.extensions["feedback_jobs"].consumer(workers=2)
        consumer.start()
        try:
            time.sleep(0.5)
            rows.append(("enqueue, worker draining the queue", enqueues(app, args.count)))
        finally:
            consumer.stop(graceful=True)
            threading.Event().wait(0.1)
    floor = statistics.median(rows[0][1])
    print(f"{'operation':40} {'median ms':>10} {'p99 ms':>8} {'x floor':>8}")
    for name, samples in rows:
        median, p99 = _percentiles(samples)
        print(f"{name:40} {median:10.3f} {p99:8.3f} {statistics.median(samples) / floor:8.2f}")


if __name__ == "__main__":
    main()
