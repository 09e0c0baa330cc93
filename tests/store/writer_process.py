"""A child process that stores responses and reports each one only after ``add`` returned.

Used by the concurrency and crash tests: the parent reads the acknowledged ids
from standard output, exactly as a web client would read "thank you".
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta

from feedback.model import Response, format_utc, new_id
from feedback.store import Store


def main(data_dir: str, branch: str, count: int, label: str) -> None:
    store = Store(data_dir, chunk_size=16)  # small chunks: many rollovers under test
    base = datetime.now(UTC)
    for index in range(count):
        response = Response(
            id=new_id(), survey="qr", survey_version=1, branch=branch,
            submitted_at=format_utc(base - timedelta(hours=index % 48)), channel="qr", language="en",
            answers={"welcome": 1 + index % 5}, comment=f"{label}-{index}", idempotency_key=f"{label}-{index}",
        )
        store.responses.add(response)
        sys.stdout.write(response.id + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4])
