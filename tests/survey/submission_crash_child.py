"""A child process that submits one guest answer and is SIGKILLed at a seam between two of its writes.

``seam`` names where: ``queue`` (a held response is written, its pointer in
the review queue about to be), ``followup`` (the response is written, the follow-up is
about to be), ``burst`` (response and follow-up written, the burst holds about
to be). The process kills itself with SIGKILL there, as the kernel's OOM
killer or a power cut would: no ``finally`` block, no flush, nothing runs.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from datetime import UTC, datetime

from feedback.services import submission as submission_module
from feedback.services.submission import Submission, submit_response
from feedback.services.surveys import default_surveys
from feedback.services.targets import find_target
from feedback.store import Store


def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)


def main(data_dir: str, seam: str, key: str, answers: str, contact: str, now: str) -> None:
    store = Store(data_dir)
    if seam == "queue":
        store.review_queue.add = die
    elif seam == "followup":
        store.followups.add = die
    elif seam == "burst":
        submission_module._hold_burst = die
    target = find_target(store, "central", None, "MARIA7")
    submit_response(store, Submission(
        survey=default_surveys()["qr"], target=target, channel="qr", language="en", answers=json.loads(answers),
        comment="Please call me", contact_me=bool(contact), contact=contact, idempotency_key=key,
        hold_reasons=("form_token",) if seam == "queue" else (),
    ), now=datetime.fromisoformat(now).astimezone(UTC))
    sys.stdout.write("finished\n")  # only when the seam was never reached


if __name__ == "__main__":
    main(*sys.argv[1:])
