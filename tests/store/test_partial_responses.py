"""A partial response completed in place: one response, whatever process or day state reads it."""

from __future__ import annotations

from datetime import UTC, datetime

from feedback.model import Response, format_utc, new_id
from feedback.store import Store

AT = datetime(2026, 11, 20, 10, tzinfo=UTC)


def _part(key="guest-key-0001", partial=True, at=AT, **answers) -> Response:
    return Response(id=new_id(), survey="qr", survey_version=2, branch="central", submitted_at=format_utc(at),
                    channel="qr", language="en", answers=answers, idempotency_key=key, partial=partial)


def merge(stored: Response, part: Response) -> Response:
    return Response.from_doc({**stored.to_doc(), "answers": {**stored.answers, **part.answers},
                              "partial": stored.partial and part.partial})


def test_parts_with_one_key_are_one_response_completed_in_place(tmp_path):
    store = Store(tmp_path)
    first, outcome = store.responses.add_or_complete(_part(welcome=4), merge)
    assert outcome == "created"
    _, outcome = store.responses.add_or_complete(_part(helpful=5), merge)
    assert outcome == "completed"
    done, outcome = store.responses.add_or_complete(_part(partial=False, found="yes"), merge)
    assert outcome == "completed" and done.id == first.id
    for reader in (store, Store(tmp_path)):  # this process, and a fresh one reading the log
        [response] = list(reader.responses.all("central"))
        assert response.answers == {"welcome": 4, "helpful": 5, "found": "yes"} and not response.partial
    again, outcome = Store(tmp_path).responses.add_or_complete(_part(welcome=1), merge)
    assert outcome == "duplicate" and again.answers["welcome"] == 4


def test_a_part_arriving_after_the_day_was_compacted_completes_the_same_response(tmp_path):
    store = Store(tmp_path)
    store.responses.add_or_complete(_part(welcome=2), merge)
    assert store.responses.compact_closed(now=datetime(2026, 11, 23, tzinfo=UTC)) == 1
    # A kiosk that was offline sends the rest days later, with the first answer's time.
    _, outcome = Store(tmp_path).responses.add_or_complete(_part(partial=False, helpful=3), merge)
    assert outcome == "completed"
    [response] = list(Store(tmp_path).responses.all("central"))
    assert response.answers == {"welcome": 2, "helpful": 3} and not response.partial
    assert Store(tmp_path).responses.count() == 1
