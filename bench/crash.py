"""Kill the served app with SIGKILL at random moments while guests post; count what survives.

Run: ``python bench/crash.py [--rounds 20]``. Each round starts gunicorn on a
seeded instance, lets 8 guests post surveys, SIGKILLs the master and every
worker at a random moment, restarts, and checks that every acknowledged
response is stored exactly once and every data file parses.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import crash_round, seed_instance  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    rng = random.Random()
    instance = Path(tempfile.mkdtemp(prefix="feedback-crash-"))
    try:
        seed_instance(instance, responses=500)
        print(f"{'round':>5} {'kill at':>8} {'acknowledged':>12} {'stored':>7} {'lost':>5} {'twice':>6} "
              f"{'corrupt':>8} {'restart':>8}")
        total_ack = total_lost = total_dup = total_corrupt = 0
        for number in range(1, args.rounds + 1):
            kill_after = rng.uniform(0.5, 3.0)
            result = crash_round(instance, kill_after=kill_after)
            total_ack += len(result.acknowledged)
            total_lost += len(result.lost)
            total_dup += result.duplicates
            total_corrupt += len(result.corrupt)
            print(f"{number:>5} {kill_after:7.2f}s {len(result.acknowledged):>12} {len(result.stored):>7} "
                  f"{len(result.lost):>5} {result.duplicates:>6} {len(result.corrupt):>8} "
                  f"{'ok' if result.restarted else 'FAILED':>8}", flush=True)
        print(f"\n{args.rounds} rounds: {total_ack} acknowledged, {total_lost} lost, {total_dup} stored twice, "
              f"{total_corrupt} corrupt files")
    finally:
        shutil.rmtree(instance, ignore_errors=True)


if __name__ == "__main__":
    main()
