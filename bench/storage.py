"""How long storing one guest response takes as the store grows, against plain TinyDB.

Run: ``make bench`` (or ``python bench/storage.py [--sizes 1000,10000,...]``).

For each size the store is filled the way ``seed-demo`` fills it (six months,
three branches, weekday and hour patterns), then one new response of *today*
is stored, many times, through the same ``responses.add`` the web app uses
(lock, idempotency check, one appended line, fsync). Two columns:

* warm: one writer, so the process holds the day's state;
* cold: every cache is cleared before each write, as in a process that has
  never read the day (another worker's writes cost less: only the lines they
  added are read).

The baseline is TinyDB with its default single-file ``JSONStorage``, measured
in the same run up to the size where one write takes over a second.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tinydb import TinyDB  # noqa: E402

from feedback.model import Response, format_utc, new_id  # noqa: E402
from feedback.services.demo import generate_responses, seed_directory  # noqa: E402
from feedback.store import Store  # noqa: E402


def _new_response(now: datetime) -> Response:
    return Response(
        id=new_id(), survey="qr", survey_version=1, branch="central", submitted_at=format_utc(now),
        channel="qr", language="en", answers={"welcome": 5, "listening": 4, "helpful": 5, "courtesy": 5,
                                             "found": "yes", "reason": "question", "nps": 9},
        desk="info", comment="Helpful and kind, thank you.", idempotency_key=new_id(),
    )


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def measure_ours(store: Store, samples: int, *, cold: bool) -> list[float]:
    timings = []
    for _ in range(samples):
        response = _new_response(datetime.now(UTC))
        if cold:
            store.cache.clear()
            store.responses.forget_cached_days()
        started = time.perf_counter()
        store.responses.add(response)
        timings.append(time.perf_counter() - started)
    return timings


def measure_plain_tinydb(folder: Path, docs: list[dict], samples: int) -> list[float]:
    path = folder / "plain.json"
    path.write_text(json.dumps({"_default": {str(i + 1): d for i, d in enumerate(docs)}}))
    db = TinyDB(path)  # TinyDB's default: JSONStorage, one file, no lock
    timings = []
    for _ in range(samples):
        doc = _new_response(datetime.now(UTC)).to_doc()
        started = time.perf_counter()
        db.insert(doc)
        timings.append(time.perf_counter() - started)
    db.close()
    path.unlink()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000")
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    folder = Path(tempfile.mkdtemp(prefix="feedback-bench-"))
    try:
        store = Store(folder / "data")
        rng = random.Random(7)
        staff = seed_directory(store, rng)
        branches = store.directory.branches()
        now = datetime.now(UTC)
        held = 0
        plain_docs: list[dict] = []
        plain_too_slow = False
        rows = []
        for size in sizes:
            batch = list(generate_responses(branches, staff, size - held, now=now, rng=rng))
            store.responses.add_many(batch)
            if not plain_too_slow:
                plain_docs.extend(r.to_doc() for r in batch)
            del batch
            # Let the bulk load reach the disk first: we measure a store that holds N responses,
            # not one still flushing hundreds of megabytes it just wrote.
            os.sync()
            held = store.responses.count()
            warm = measure_ours(store, args.samples, cold=False)
            cold = measure_ours(store, max(20, args.samples // 4), cold=True)
            plain = None
            if not plain_too_slow:
                plain = measure_plain_tinydb(folder, plain_docs, samples=max(3, min(50, 200_000 // size)))
                if statistics.median(plain) > 1.0:
                    plain_too_slow = True
                    plain_docs = []
            rows.append((size, warm, cold, plain))
            held = store.responses.count()
            print(f"  measured at {size:,} stored", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    base_warm = statistics.median(rows[0][1])
    base_cold = statistics.median(rows[0][2])
    ms = 1000.0
    print()
    print("Storing one new response (today's) through responses.add: lock, idempotency check, append, fsync")
    print(f"{'stored':>10} | {'warm median':>11} {'warm p99':>9} {'x 1k':>5} | {'cold median':>11} {'cold p99':>9} "
          f"{'x 1k':>5} | {'plain TinyDB median':>19} {'plain / ours':>12}")
    print("-" * 112)
    for size, warm, cold, plain in rows:
        warm_med, cold_med = statistics.median(warm), statistics.median(cold)
        plain_text = f"{statistics.median(plain) * ms:17.1f}ms" if plain else f"{'(over 1 s, skipped)':>19}"
        ratio_text = f"{statistics.median(plain) / warm_med:11.1f}x" if plain else f"{'':>12}"
        warm_p99 = _percentile(warm, .99)
        print(f"{size:>10,} | {warm_med * ms:9.2f}ms {warm_p99 * ms:7.2f}ms {warm_med / base_warm:5.2f} | "
              f"{cold_med * ms:9.2f}ms {_percentile(cold, .99) * ms:7.2f}ms {cold_med / base_cold:5.2f} | "
              f"{plain_text} {ratio_text}")
    last_warm = statistics.median(rows[-1][1])
    print()
    print(f"Target: at the largest size the warm median is at most 1.5x the smallest "
          f"({last_warm / base_warm:.2f}x) and under 10 ms ({last_warm * ms:.2f} ms): "
          f"{'MET' if last_warm / base_warm <= 1.5 and last_warm < 0.010 else 'NOT MET'}")


if __name__ == "__main__":
    main()
