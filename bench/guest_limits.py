"""What shared abuse control adds to a guest's submit: the counter file, against the same submit without it.

Run: ``python bench/guest_limits.py [--samples 300]`` (part of ``make bench``).

Three rows, measured in the same run on a fresh instance in a temp folder:

* one ``screen_submission`` call alone (lock, read, count, atomic replace of
  the shared counter file), with about 200 addresses already counted;
* a QR survey POST through the Flask test client (CSRF on, page fetched
  first, answer stored durably) with abuse control off: the baseline;
* the same POST with abuse control on, as installed by default.

Each POST comes from a new guest (session) on one of 200 addresses, so the
counter file holds as many keys as a busy hour would.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from feedback import create_app  # noqa: E402
from feedback.model import Branch, Desk  # noqa: E402
from feedback.services.guest_limits import GuestLimits, screen_submission  # noqa: E402

_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_KEY = re.compile(r'name="idempotency_key"[^>]*value="([^"]+)"')


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def _app(folder: Path, limits_on: bool):
    app = create_app({"INSTANCE_PATH": folder, "SECRET_KEY": "bench", "TESTING": True, "WTF_CSRF_ENABLED": True,
                      "RATELIMIT_ENABLED": limits_on, "BACKUP_INTERVAL_HOURS": 0})
    store = app.extensions["feedback_store"]
    store.directory.add_branch(Branch("central", "Central Library"))
    store.directory.add_desk(Desk("central", "info", "Information desk"))
    return app


def measure_posts(folder: Path, samples: int, limits_on: bool) -> list[float]:
    app = _app(folder, limits_on)
    timings = []
    for index in range(samples):
        client = app.test_client()
        address = f"10.0.{index % 200 // 100}.{index % 100}"
        html = client.get("/s/central", environ_base={"REMOTE_ADDR": address}).get_data(as_text=True)
        data = {"csrf_token": _TOKEN.search(html).group(1), "idempotency_key": _KEY.search(html).group(1),
                "q_welcome": "5", "q_helpful": "4", "q_nps": "9"}
        started = time.perf_counter()
        reply = client.post("/s/central", data=data, environ_base={"REMOTE_ADDR": address})
        timings.append(time.perf_counter() - started)
        assert reply.status_code == 200, reply.status_code
    return timings


def measure_screening(folder: Path, samples: int) -> list[float]:
    app = _app(folder, True)
    counters = app.extensions["feedback_store"].counters
    limits = GuestLimits.for_qr(app.config)
    for index in range(200):
        screen_submission(counters, limits, f"address-{index}")
    timings = []
    for index in range(samples):
        started = time.perf_counter()
        screen_submission(counters, limits, f"address-{index % 200}")
        timings.append(time.perf_counter() - started)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=300)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-limits-"))
    try:
        rows = [
            ("screen_submission alone", measure_screening(root / "screen", args.samples)),
            ("QR submit, abuse control off (baseline)", measure_posts(root / "off", args.samples, False)),
            ("QR submit, abuse control on (default)", measure_posts(root / "on", args.samples, True)),
        ]
    finally:
        shutil.rmtree(root, ignore_errors=True)
    baseline = statistics.median(rows[1][1])
    print(f"{'what':44} {'median ms':>10} {'p95 ms':>8} {'vs baseline':>12}")
    for name, timings in rows:
        median = statistics.median(timings)
        print(f"{name:44} {1000 * median:10.2f} {1000 * _percentile(timings, 0.95):8.2f} {median / baseline:11.2f}x")


if __name__ == "__main__":
    main()
