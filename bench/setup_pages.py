"""Benchmark of the set-up pages at 100 branches, 400 desks and 1,000 staff: one command, one table.

    python bench/setup_pages.py [--repeat 15]

Each page is fetched through the Flask test client, signed in as an
administrator, on two instances built in the same run: a small one (3
branches, 12 staff, the demo's size: the baseline) and a large one (100
branches, 4 desks each, 1,000 staff, 200 managers). It prints the median and
the 90th percentile for each page and the large/small ratio; the goal is
under 300 ms a page at the large size.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PASSWORD = "bench-password-long-enough"
PAGES = [
    "/manage/setup/branches", "/manage/setup/branches?q=042", "/manage/setup/branches/branch-001",
    "/manage/setup/branches/branch-001/desks", "/manage/setup/staff", "/manage/setup/staff?page=10",
    "/manage/setup/staff?branch=branch-001", "/manage/setup/staff?q=staff+0420", "/manage/setup/users",
    "/manage/setup/users?q=user042", "/manage/setup/kiosks", "/manage/setup/staff/new",
]


def directory(branches: int, desks: int, staff: int, managers: int, password_hash: str) -> dict:
    from feedback.model import Branch, Desk, StaffMember, User, new_id

    rows = {
        "branches": [Branch(f"branch-{b:03d}", f"Branch {b:03d}") for b in range(branches)],
        "desks": [Desk(f"branch-{b:03d}", f"desk-{d}", f"Desk {d}") for b in range(branches) for d in range(desks)],
        "staff": [StaffMember(new_id(), f"Staff {s:04d}", f"branch-{s % branches:03d}", f"S{s:04d}")
                  for s in range(staff)],
        "users": [User(new_id(), "admin@bench.library", password_hash, "admin")] + [
            User(new_id(), f"user{u:03d}@bench.library", password_hash, "manager",
                 branches=[f"branch-{u % branches:03d}"]) for u in range(managers)],
    }
    return {"directory.json": {name: {str(n): r.to_doc() for n, r in enumerate(records, start=1)}
                               for name, records in rows.items()}}


def signed_in_client(folder: Path, files: dict):
    from feedback import create_app
    from feedback.store.snapshot import restore_snapshot

    app = create_app({"INSTANCE_PATH": folder, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False})
    restore_snapshot(app.extensions["feedback_store"], files)
    client = app.test_client()
    if client.post("/auth/login", data={"email": "admin@bench.library", "password": PASSWORD}).status_code != 302:
        raise SystemExit("could not sign in")
    return client


def timings(client, path: str, repeat: int) -> list[float]:
    client.get(path)  # warm: templates compiled, files parsed once
    found = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        found.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    return found


def main() -> None:
    from werkzeug.security import generate_password_hash

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    password_hash = generate_password_hash(PASSWORD)
    with tempfile.TemporaryDirectory() as tmp:
        small = signed_in_client(Path(tmp) / "small", directory(3, 3, 12, 2, password_hash))
        large = signed_in_client(Path(tmp) / "large", directory(100, 4, 1000, 200, password_hash))
        print(f"{'page':44} {'small ms':>9} {'large ms':>9} {'p90 ms':>8} {'ratio':>6}")
        worst = 0.0
        for path in PAGES:
            base = statistics.median(timings(small, path, args.repeat)) * 1000
            big = timings(large, path, args.repeat)
            median = statistics.median(big) * 1000
            p90 = sorted(big)[int(0.9 * (len(big) - 1))] * 1000
            worst = max(worst, p90)
            print(f"{path:44} {base:9.1f} {median:9.1f} {p90:8.1f} {median / base:6.1f}")
        print(f"\nslowest p90 at 100 branches / 400 desks / 1,000 staff: {worst:.0f} ms (goal: under 300 ms)")


if __name__ == "__main__":
    main()
