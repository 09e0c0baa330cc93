"""A worker killed between the writes of one submission: the guest's retry with the same key completes it.

A submission writes the response, then (when held) its pointer in the review
queue, then the follow-up, then the burst holds.
Each test kills a real child process with SIGKILL between two of them, shows
what the crash left (the interrupted step is missing), and that the retry,
answered "we already had these answers", completes exactly that step, once.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from feedback.services.submission import Submission, submit_response
from feedback.services.surveys import default_surveys
from feedback.services.targets import find_target

CHILD = Path(__file__).with_name("submission_crash_child.py")
ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 3, 10, 0, tzinfo=UTC)
LOW = {"welcome": 1, "helpful": 1}


def killed_at(store, seam: str, key: str, answers: dict, contact: str = "", now: datetime = NOW) -> None:
    result = subprocess.run(
        [sys.executable, str(CHILD), str(store.data_dir), seam, key, json.dumps(answers), contact, now.isoformat()],
        capture_output=True, text=True, timeout=60, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == -signal.SIGKILL, (result.returncode, result.stdout, result.stderr)
    assert "finished" not in result.stdout


def retry(store, site, key: str, answers: dict, contact: str = "", now: datetime = NOW):
    target = find_target(store, "central", None, site.maria.code)
    return submit_response(store, Submission(
        survey=default_surveys()["qr"], target=target, channel="qr", language="en", answers=answers,
        comment="Please call me", contact_me=bool(contact), contact=contact, idempotency_key=key,
    ), now=now)


def test_a_worker_killed_before_the_follow_up_loses_it_only_until_the_guest_retries(store, site):
    killed_at(store, "followup", "crash-key-followup", {"welcome": 2, "helpful": 3}, contact="guest@example.org")
    [stored] = store.responses.all("central")
    assert stored.idempotency_key == "crash-key-followup"
    assert store.followups.for_branch("central") == [], "the crash left the follow-up unwritten"

    result = retry(store, site, "crash-key-followup", {"welcome": 2, "helpful": 3}, contact="guest@example.org")
    assert not result.created, "the guest is told we already had the answers"
    [followup] = store.followups.for_branch("central")
    assert (followup.response, followup.contact) == (stored.id, "guest@example.org")
    again = retry(store, site, "crash-key-followup", {"welcome": 2, "helpful": 3}, contact="guest@example.org")
    assert again.followup.id == followup.id and len(store.followups.for_branch("central")) == 1
    assert store.responses.count() == 1


def test_a_worker_killed_before_the_burst_holds_skips_them_only_until_the_guest_retries(store, site):
    for minute, key in ((0, "burst-key-one"), (1, "burst-key-two")):
        retry(store, site, key, LOW, now=NOW + timedelta(minutes=minute))
    killed_at(store, "burst", "burst-key-three", LOW, now=NOW + timedelta(minutes=2))
    assert store.responses.count() == 3
    assert not any(r.review == "held" for r in store.responses.all("central")), "the crash skipped the holds"

    result = retry(store, site, "burst-key-three", LOW, now=NOW + timedelta(minutes=2))
    assert not result.created and result.flagged
    stored = list(store.responses.all("central"))
    assert [r.review for r in stored] == ["held"] * 3 and all(r.hold_reasons == ["burst"] for r in stored)
    assert len(store.review_queue.for_branches(["central"])) == 3


def test_a_worker_killed_before_listing_a_held_answer_lists_it_when_the_guest_retries(store, site):
    store.review_queue.ensure()  # an installation that has listed held answers before
    killed_at(store, "queue", "held-key-0001", {"welcome": 4, "helpful": 4})
    [stored] = store.responses.all("central")
    assert stored.review == "held" and stored.hold_reasons == ["form_token"]
    assert store.review_queue.for_branches(["central"]) == [], "held, but the crash left it unlisted"
    retry(store, site, "held-key-0001", {"welcome": 4, "helpful": 4})
    assert [p["id"] for p in store.review_queue.for_branches(["central"])] == [stored.id]
