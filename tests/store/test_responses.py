"""How responses are partitioned, found and kept unique."""

from datetime import UTC, datetime, timedelta

import pytest

from feedback.model import Response, format_utc, new_id
from feedback.store import CorruptFileError, Store

AUDIT = {"at": "2026-11-20T12:00:00Z", "by": "system", "action": "held", "note": "burst"}


def _response(branch="central", at=None, key=None, **answers):
    return Response(id=new_id(), survey="qr", survey_version=1, branch=branch,
                    submitted_at=format_utc(at or datetime(2026, 11, 20, 10, tzinfo=UTC)), channel="qr",
                    language="en", answers=answers or {"welcome": 4}, idempotency_key=key)


def test_a_day_is_appended_to_its_log_and_compacted_into_bounded_chunks_once_closed(tmp_path):
    store = Store(tmp_path, chunk_size=3)
    for _ in range(7):
        store.responses.add(_response())
    day = tmp_path / "responses" / "central" / "2026-11" / "20"
    assert sorted(p.name for p in day.iterdir()) == ["log.jsonl"]
    assert len((day / "log.jsonl").read_text().splitlines()) == 7
    assert store.responses.compact_closed(now=datetime(2026, 11, 22, tzinfo=UTC)) == 1
    assert sorted(p.name for p in day.iterdir()) == ["000.json", "001.json", "002.json"]
    assert store.responses.count() == 7
    assert Store(tmp_path).responses.count() == 7  # a fresh process view reads the same


def test_a_day_still_open_is_not_compacted(tmp_path):
    store = Store(tmp_path)
    store.responses.add(_response())
    assert store.responses.compact_closed(now=datetime(2026, 11, 21, 12, tzinfo=UTC)) == 0
    assert (tmp_path / "responses" / "central" / "2026-11" / "20" / "log.jsonl").exists()


def test_the_first_answer_of_a_day_compacts_the_branchs_closed_days(tmp_path):
    store = Store(tmp_path)
    store.responses.add(_response(at=datetime.now(UTC) - timedelta(days=3)))
    old_day = next((tmp_path / "responses" / "central").glob("*/*"))
    assert (old_day / "log.jsonl").exists()
    store.responses.add(_response(at=datetime.now(UTC)))
    assert [p.name for p in old_day.iterdir()] == ["000.json"]
    assert store.responses.count() == 2


def test_a_late_answer_to_a_compacted_day_is_kept_beside_its_chunks(tmp_path):
    store = Store(tmp_path)
    first = _response()
    store.responses.add(first)
    store.responses.compact_closed(now=datetime(2026, 11, 25, tzinfo=UTC))
    late = _response(key="late-1")
    store.responses.add(late)
    day = tmp_path / "responses" / "central" / "2026-11" / "20"
    assert sorted(p.name for p in day.iterdir()) == ["000.json", "log.jsonl"]
    assert {r.id for r in Store(tmp_path).responses.all()} == {first.id, late.id}
    assert store.responses.add(_response(key="late-1"))[1] is False


def test_an_update_is_durable_on_an_open_and_on_a_compacted_day(tmp_path):
    store = Store(tmp_path)
    response = _response()
    store.responses.add(response)
    assert store.responses.update(response, {"review": "held", "hold_reasons": ["burst"]}) is True
    assert Store(tmp_path).responses.get("central", response.id, response.submitted_at).flagged is True
    store.responses.compact_closed(now=datetime(2026, 11, 25, tzinfo=UTC))
    assert Store(tmp_path).responses.get("central", response.id, response.submitted_at).flagged is True
    store.responses.set_review(response, "confirmed", ["burst"], AUDIT)
    fresh = Store(tmp_path)
    assert fresh.responses.get("central", response.id, response.submitted_at).flagged is False
    assert fresh.responses.count() == 1
    assert store.responses.update(_response(), {"review": "held"}) is False  # not stored: nothing changes


def test_a_crash_during_compaction_leaves_the_same_responses_once_each(tmp_path):
    store = Store(tmp_path, chunk_size=2)
    added = [_response() for _ in range(5)]
    for response in added:
        store.responses.add(response)
    store.responses.set_review(added[0], "held", ["burst"], AUDIT)
    day = tmp_path / "responses" / "central" / "2026-11" / "20"
    log = (day / "log.jsonl").read_bytes()
    store.responses.compact_closed(now=datetime(2026, 11, 25, tzinfo=UTC))
    (day / "log.jsonl").write_bytes(log)  # as if killed after the new chunks, before the log's removal
    stored = list(Store(tmp_path).responses.all())
    assert sorted(r.id for r in stored) == sorted(r.id for r in added)
    assert [r.flagged for r in stored if r.id == added[0].id] == [True]


def test_an_incomplete_last_line_is_ignored_then_cut_off_by_the_next_writer(tmp_path):
    store = Store(tmp_path)
    kept = _response()
    store.responses.add(kept)
    log = tmp_path / "responses" / "central" / "2026-11" / "20" / "log.jsonl"
    with log.open("ab") as handle:
        handle.write(b'{"put": {"id": "half-writ')  # a writer died mid-line
    assert [r.id for r in Store(tmp_path).responses.all()] == [kept.id]
    assert Store(tmp_path).corrupt_files() == []
    later = _response()
    Store(tmp_path).responses.add(later)
    assert [r.id for r in Store(tmp_path).responses.all()] == [kept.id, later.id]
    assert all(line.startswith('{"put"') for line in log.read_text().splitlines())


def test_a_garbled_line_in_a_log_is_reported_and_never_appended_after(tmp_path):
    store = Store(tmp_path)
    store.responses.add(_response())
    log = tmp_path / "responses" / "central" / "2026-11" / "20" / "log.jsonl"
    with log.open("ab") as handle:
        handle.write(b'{"put": garbage}\n')
    before = log.read_bytes()
    fresh = Store(tmp_path)
    with pytest.raises(CorruptFileError):
        fresh.responses.add(_response())
    assert log.read_bytes() == before
    assert [p.path for p in fresh.corrupt_files()] == [log]


def test_the_same_idempotency_key_five_times_is_stored_once(tmp_path):
    store = Store(tmp_path)
    results = [store.responses.add(_response(key="tap-1")) for _ in range(5)]
    assert [created for _, created in results] == [True, False, False, False, False]
    assert {r.id for r, _ in results} == {results[0][0].id}
    assert store.responses.count() == 1


def test_a_retry_just_after_midnight_finds_the_key_stored_the_day_before(tmp_path):
    store = Store(tmp_path)
    store.responses.add(_response(at=datetime(2026, 11, 20, 23, 59, 50, tzinfo=UTC), key="k"))
    _, created = store.responses.add(_response(at=datetime(2026, 11, 21, 0, 0, 5, tzinfo=UTC), key="k"))
    assert created is False
    assert store.responses.count() == 1


def test_a_period_read_opens_only_that_periods_files(tmp_path):
    store = Store(tmp_path)
    inside = _response(at=datetime(2026, 11, 3, 9, tzinfo=UTC))
    store.responses.add(inside)
    store.responses.add(_response(at=datetime(2026, 10, 3, 9, tzinfo=UTC)))
    # Ruin October's file: a read of November must not even open it.
    october = next((tmp_path / "responses" / "central" / "2026-10").rglob("log.jsonl"))
    october.write_text("{not json\n")
    store.cache.clear()
    found = list(store.responses.in_period("central", datetime(2026, 11, 1, tzinfo=UTC),
                                           datetime(2026, 12, 1, tzinfo=UTC)))
    assert [r.id for r in found] == [inside.id]
    with pytest.raises(CorruptFileError):
        list(store.responses.in_period("central", datetime(2026, 10, 1, tzinfo=UTC),
                                       datetime(2026, 11, 1, tzinfo=UTC)))


def test_period_bounds_are_half_open(tmp_path):
    store = Store(tmp_path)
    start = datetime(2026, 11, 1, tzinfo=UTC)
    store.responses.add(_response(at=start))
    store.responses.add(_response(at=start - timedelta(seconds=1)))
    got = list(store.responses.in_period("central", start, start + timedelta(days=30)))
    assert [r.submitted_at for r in got] == ["2026-11-01T00:00:00Z"]


def test_a_corrupt_chunk_is_never_written_over(tmp_path):
    store = Store(tmp_path)
    store.responses.add(_response())
    store.responses.compact_closed(now=datetime(2026, 11, 25, tzinfo=UTC))
    chunk = next((tmp_path / "responses").rglob("*.json"))
    chunk.write_text('{"responses": {"1": ')
    store.cache.clear()
    with pytest.raises(CorruptFileError):
        store.responses.add(_response())
    assert chunk.read_text() == '{"responses": {"1": '
    assert [p.path for p in store.corrupt_files()] == [chunk]


def test_bulk_loading_fills_chunks_and_keeps_every_response(tmp_path):
    store = Store(tmp_path, chunk_size=10)
    responses = [_response(at=datetime(2026, 11, 20, 10, tzinfo=UTC) + timedelta(minutes=i)) for i in range(25)]
    assert store.responses.add_many(responses) == 25
    assert sorted(r.id for r in store.responses.all()) == sorted(r.id for r in responses)
    assert len(list((tmp_path / "responses" / "central" / "2026-11" / "20").glob("*.json"))) == 3


def test_retention_removes_whole_days_before_the_cutoff(tmp_path):
    store = Store(tmp_path)
    store.responses.add(_response(at=datetime(2024, 1, 5, tzinfo=UTC)))
    kept = _response(at=datetime(2026, 1, 5, tzinfo=UTC))
    store.responses.add(kept)
    assert store.responses.remove_days_before(datetime(2025, 1, 1).date()) == 1
    assert [r.id for r in store.responses.all()] == [kept.id]


def test_a_response_stores_no_ip_address_or_user_agent(tmp_path):
    store = Store(tmp_path)
    store.responses.add(_response())
    text = next((tmp_path / "responses").rglob("log.jsonl")).read_text()
    assert "ip" not in {k.lower() for k in Response.__dataclass_fields__}
    assert "user_agent" not in text and "remote_addr" not in text


def test_a_branch_slug_cannot_reach_outside_the_store(tmp_path):
    store = Store(tmp_path)
    with pytest.raises(ValueError):
        store.responses.add(_response(branch="../etc"))


def test_a_log_rewritten_under_a_reader_is_read_again_from_the_start(tmp_path):
    store = Store(tmp_path / "data")
    first = _response()
    store.responses.add(first)
    reader = Store(tmp_path / "data")  # another worker, which has read the day
    assert [r.id for r in reader.responses.all()] == [first.id]
    elsewhere = Store(tmp_path / "elsewhere")
    others = [_response(), _response()]
    for response in others:
        elsewhere.responses.add(response)
    log = next((tmp_path / "data" / "responses").rglob("log.jsonl"))
    with log.open("r+b") as handle:  # the same file, longer, holding other lines where the first was
        handle.write(next((tmp_path / "elsewhere" / "responses").rglob("log.jsonl")).read_bytes())
    assert sorted(r.id for r in reader.responses.all()) == sorted(r.id for r in others)


def test_migrating_the_store_upgrades_documents_still_in_a_days_log(tmp_path):
    import json

    from feedback.model import SCHEMA_KEY
    from feedback.store.migrations import CURRENT, migrate

    store = Store(tmp_path)
    store.responses.add(_response())
    log = tmp_path / "responses" / "central" / "2026-11" / "20" / "log.jsonl"
    previous = {"id": "r-old", "survey": "qr", "survey_version": 1, "branch": "central",
                "submitted_at": "2026-11-20T09:00:00Z", "channel": "qr", "language": "en",
                "answers": {"welcome": 5}, "desk": None, "staff": None, "comment": "", "idempotency_key": "k-old",
                "flagged": False}  # as the release before schema versions wrote it
    with log.open("ab") as handle:
        handle.write(json.dumps({"put": previous}).encode() + b"\n")
    assert migrate(Store(tmp_path)).upgraded.get("response") == 1
    last = json.loads(log.read_text().splitlines()[-1])["put"]
    assert last["id"] == "r-old" and last[SCHEMA_KEY] == CURRENT["response"]
    assert Store(tmp_path).responses.count() == 2
    assert migrate(Store(tmp_path)).upgraded.get("response") is None  # safe to repeat: nothing left to do
