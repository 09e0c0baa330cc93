"""Runs inside a private mount namespace whose instance folder is a tiny tmpfs; prints JSON results.

The parent test (``test_disk_faults.py``) starts this with ``unshare``; the
kernel's own ENOSPC is what the app meets, not a simulation.
"""

import json
import os
import sys
from pathlib import Path

from feedback import create_app
from feedback.model import Branch


def post(client, comment):
    return client.post("/s/central", data={"q_welcome": "5", "q_helpful": "4", "q_comment": comment})


def main(instance: Path) -> None:
    app = create_app({"INSTANCE_PATH": instance, "TESTING": True, "SECRET_KEY": "k" * 32,
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    store = app.extensions["feedback_store"]
    store.directory.add_branch(Branch("central", "Central"))
    client = app.test_client()
    before = [post(client, f"before {i}").status_code for i in range(5)]
    stored_before = sorted(r.id for r in store.responses.all())
    # Fill the disk: a filler file takes every byte that is left.
    filler = instance / "filler"
    with filler.open("wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    try:
        os.fsync(handle.fileno())
    except (OSError, ValueError):
        pass
    full = [post(client, "x" * 1500 + f" during {i}") for i in range(8)]
    store.cache.clear()
    stored_during = sorted(r.id for r in store.responses.all())
    filler.unlink()
    after = [post(client, f"after {i}").status_code for i in range(3)]
    store.cache.clear()
    print(json.dumps({
        "before": before,
        "full_status": [r.status_code for r in full],
        "full_said_thanks": any("Thank you" in r.get_data(as_text=True) for r in full if r.status_code != 200),
        "full_pages_thanks": [("Thank you" in r.get_data(as_text=True)) for r in full],
        "stored_before": stored_before,
        "stored_during": stored_during,
        "after": after,
        "count_after": store.responses.count(),
        "corrupt": [str(p.path) for p in store.corrupt_files()],
        "leftover_temp_files": [p.name for p in instance.rglob(".*.tmp")],
    }))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
