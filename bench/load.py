"""Load: 50 guests post surveys for 60 s while a manager downloads reports, against gunicorn.

Run: ``python bench/load.py [--guests 50] [--seconds 60] [--workers 4]``.
Each guest loads the survey, takes ``--think`` seconds to answer (a real
guest takes 15-30 s; the default of 1 s makes 50 guests send about 40
surveys a second, far more than any library system receives), posts, and
starts again as the next guest. ``--think 0`` is a saturation test instead:
then latency is mostly queueing (Little's law), not the cost of a request.
Prints requests per second, median and p99 latency of a survey submit,
errors, the manager's downloads, and afterwards the stored count against the
acknowledged count. The baseline in the same run is the health check, the
cheapest request the app serves, measured under the same load.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import Guest, Server, seed_instance, stored_keys  # noqa: E402

_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
MANAGER = ("manager@demo.library", "manager-demo-pass")


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))] if ordered else float("nan")


def manager_loop(base: str, paths: list[str], stop: threading.Event, results: list) -> None:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with opener.open(base + "/auth/login", timeout=30) as reply:
        token = _TOKEN.search(reply.read().decode()).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "email": MANAGER[0], "password": MANAGER[1]}).encode()
    opener.open(base + "/auth/login", data=body, timeout=30).close()
    while not stop.is_set():
        for path in paths:
            started = time.perf_counter()
            try:
                with opener.open(base + path, timeout=60) as reply:
                    size = len(reply.read())
                    results.append((path, reply.status, size, time.perf_counter() - started))
            except urllib.error.HTTPError as exc:
                results.append((path, exc.code, 0, time.perf_counter() - started))
            if stop.is_set():
                break


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guests", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--think", type=float, default=1.0, help="seconds a guest takes to answer")
    parser.add_argument("--report", action="append", default=None,
                        help="a manager URL to download in a loop (repeatable)")
    args = parser.parse_args()
    report_paths = args.report or ["/manage/reports/branch/central.pdf", "/manage/?branch=central"]

    instance = Path(tempfile.mkdtemp(prefix="feedback-load-"))
    server = None
    try:
        seed_instance(instance, responses=20000)
        server = Server(instance, workers=args.workers).start()
        lock = threading.Lock()
        submits: list[float] = []
        acknowledged: set[str] = set()
        errors: list[str] = []
        health: list[float] = []
        manager_results: list = []
        stop = threading.Event()

        def guest_loop() -> None:
            guest = Guest(server.url)
            while not stop.is_set():
                try:
                    key, ok, seconds = guest.answer(timeout=30, think=args.think)
                except Exception as exc:  # noqa: BLE001 - every failure is counted, none hidden
                    with lock:
                        errors.append(type(exc).__name__)
                    continue
                with lock:
                    submits.append(seconds)
                    if ok:
                        acknowledged.add(key)
                    else:
                        errors.append("not acknowledged")

        def health_loop() -> None:
            while not stop.is_set():
                started = time.perf_counter()
                with urllib.request.urlopen(server.url + "/healthz", timeout=30) as reply:
                    reply.read()
                health.append(time.perf_counter() - started)
                time.sleep(0.2)

        threads = [threading.Thread(target=guest_loop, daemon=True) for _ in range(args.guests)]
        threads.append(threading.Thread(target=health_loop, daemon=True))
        threads.append(threading.Thread(target=manager_loop, args=(server.url, report_paths, stop, manager_results),
                                        daemon=True))
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        time.sleep(args.seconds)
        stop.set()
        for thread in threads:
            thread.join(60)
        elapsed = time.perf_counter() - started
        server.stop()
        stored = stored_keys(instance)
    finally:
        if server:
            server.stop()
        shutil.rmtree(instance, ignore_errors=True)

    ms = 1000
    stored_ack = acknowledged & set(stored)
    print(f"\nLoad: {args.guests} guests (answering in {args.think:g} s) for {args.seconds:.0f} s against gunicorn "
          f"with {args.workers} workers\n")
    print(f"{'request':<28} {'count':>7} {'per s':>7} {'median':>9} {'p99':>9}")
    print("-" * 64)
    print(f"{'survey submit (POST)':<28} {len(submits):>7} {len(submits) / elapsed:7.1f} "
          f"{statistics.median(submits) * ms:7.1f}ms {_percentile(submits, .99) * ms:7.1f}ms")
    print(f"{'health check (baseline)':<28} {len(health):>7} {len(health) / elapsed:7.1f} "
          f"{statistics.median(health) * ms:7.1f}ms {_percentile(health, .99) * ms:7.1f}ms")
    for path in report_paths:
        times = [r[3] for r in manager_results if r[0] == path]
        codes = sorted({r[1] for r in manager_results if r[0] == path})
        if times:
            print(f"{'manager ' + path[:19]:<28} {len(times):>7} {len(times) / elapsed:7.1f} "
                  f"{statistics.median(times) * ms:7.1f}ms {_percentile(times, .99) * ms:7.1f}ms  HTTP {codes}")
    print(f"\nsubmit p99 / health p99: {_percentile(submits, .99) / _percentile(health, .99):.1f}x")
    print(f"errors: {len(errors)} {sorted(set(errors))}")
    print(f"acknowledged: {len(acknowledged)}, of which stored: {len(stored_ack)}, lost: "
          f"{len(acknowledged) - len(stored_ack)}, stored twice: {len(stored) - len(set(stored))}")
    target_met = not errors and len(acknowledged) == len(stored_ack) and _percentile(submits, .99) < 0.2
    print(f"Target (zero errors, zero lost, submit p99 under 200 ms): {'MET' if target_met else 'NOT MET'}")


if __name__ == "__main__":
    main()
