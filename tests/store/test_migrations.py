"""Stored documents carry a schema version; documents of the previous version are migrated at start-up."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from feedback import create_app
from feedback.model import SCHEMA_KEY, Branch, User
from feedback.services.periods import parse_period
from feedback.store import Store
from feedback.store.migrations import CURRENT, STEPS, migrate, upgrade_document

# Documents exactly as the release before schema versions wrote them.
PREVIOUS_USER = {"id": "u1", "email": "boss@test.library", "password_hash": "scrypt:32768:8:1$x$y",
                 "role": "manager", "branches": ["central"], "display_name": "Boss", "active": True,
                 "language": "en", "failed_logins": ["2026-03-01T12:00:00Z"] * 9,
                 "locked_until": "2026-03-01T12:15:00Z", "password_changed_at": ""}
PREVIOUS_BRANCH = {"slug": "central", "name": "Central", "timezone": "Europe/Copenhagen", "active": True}
PREVIOUS_RESPONSE = {"id": "r1", "survey": "qr", "survey_version": 1, "branch": "central",
                     "submitted_at": "2026-03-10T10:30:00Z", "channel": "qr", "language": "en",
                     "answers": {"welcome": 5, "helpful": 4}, "desk": None, "staff": None, "comment": "",
                     "idempotency_key": "k1", "flagged": False}


def _write_tinydb(path: Path, tables: dict[str, list[dict]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({t: {str(i + 1): d for i, d in enumerate(docs)} for t, docs in tables.items()}))


@pytest.fixture
def previous_instance(tmp_path) -> Path:
    """An instance folder written by the previous release: no schema versions, the old lock fields."""
    data = tmp_path / "instance" / "data"
    _write_tinydb(data / "directory.json", {"branches": [PREVIOUS_BRANCH], "users": [PREVIOUS_USER]})
    _write_tinydb(data / "responses" / "central" / "2026-03" / "10" / "000.json",
                  {"responses": [PREVIOUS_RESPONSE, {**PREVIOUS_RESPONSE, "id": "r2", "idempotency_key": "k2"}]})
    return tmp_path / "instance"


def _raw(path: Path, table: str) -> list[dict]:
    return list(json.loads(path.read_text())[table].values())


def test_every_step_turns_a_previous_version_document_into_the_next(tmp_path):
    for kind, steps in STEPS.items():
        assert sorted(steps) == list(range(1, CURRENT[kind])), kind
    user = upgrade_document("user", dict(PREVIOUS_USER))
    assert user[SCHEMA_KEY] == CURRENT["user"] and "failed_logins" not in user and "locked_until" not in user
    assert {k: v for k, v in user.items() if k != SCHEMA_KEY} == {
        k: v for k, v in PREVIOUS_USER.items() if k not in ("failed_logins", "locked_until")}
    unflagged = {k: v for k, v in PREVIOUS_RESPONSE.items() if k != "flagged"}
    assert upgrade_document("response", dict(PREVIOUS_RESPONSE)) == {**unflagged, SCHEMA_KEY: CURRENT["response"]}
    held = upgrade_document("response", {**PREVIOUS_RESPONSE, "flagged": True, SCHEMA_KEY: 2})
    assert held == {**unflagged, "review": "held", "hold_reasons": ["burst"], SCHEMA_KEY: 3}


def test_the_app_migrates_a_previous_instance_at_start_up_and_serves_it(previous_instance):
    app = create_app({"INSTANCE_PATH": previous_instance, "TESTING": True, "SECRET_KEY": "k",
                      "RATELIMIT_ENABLED": False})
    data = previous_instance / "data"
    users = _raw(data / "directory.json", "users")
    assert users[0][SCHEMA_KEY] == 2 and "locked_until" not in users[0] and "failed_logins" not in users[0]
    assert _raw(data / "directory.json", "branches")[0][SCHEMA_KEY] == 2
    responses = _raw(data / "responses/central/2026-03/10/000.json", "responses")
    assert [r[SCHEMA_KEY] for r in responses] == [CURRENT["response"]] * 2
    store = app.extensions["feedback_store"]
    start, end = parse_period("2026-03").utc_bounds()
    assert [r.id for r in store.responses.in_period("central", start, end)] == ["r1", "r2"]
    assert store.directory.user_by_email("boss@test.library").display_name == "Boss"
    assert app.test_client().get("/s/central").status_code == 200


def test_flask_migrate_reports_what_it_did_and_is_safe_to_repeat(previous_instance):
    app = create_app({"INSTANCE_PATH": previous_instance, "TESTING": True, "SECRET_KEY": "k"})
    # Put one document back to the previous version, as a restored old backup file would.
    directory = previous_instance / "data" / "directory.json"
    _write_tinydb(directory, {"branches": [PREVIOUS_BRANCH], "users": [PREVIOUS_USER]})
    runner = app.test_cli_runner()
    first = runner.invoke(args=["migrate"])
    assert first.exit_code == 0, first.output
    assert "Upgraded 1 branch documents." in first.output and "Upgraded 1 user documents." in first.output
    again = runner.invoke(args=["migrate"])
    assert again.exit_code == 0 and "(0 documents upgraded)" in again.output


def test_a_document_from_newer_code_keeps_the_keys_this_code_does_not_know(tmp_path):
    store = Store(tmp_path / "data")
    store.ensure()
    newer = {**PREVIOUS_BRANCH, "slug": "north", "opening_hours": {"mon": "9-17"}, SCHEMA_KEY: 3}
    _write_tinydb(tmp_path / "data" / "directory.json", {"branches": [dict(PREVIOUS_BRANCH), newer]})
    result = migrate(store)
    assert result.newer == {"branch": 1} and result.upgraded == {"branch": 1}
    branch = store.directory.branch("north")
    assert branch.unknown_keys == {"opening_hours": {"mon": "9-17"}, SCHEMA_KEY: 3}
    # Saved again (as a restore or a copy would), nothing newer code wrote is lost or downgraded.
    doc = branch.to_doc()
    assert doc["opening_hours"] == {"mon": "9-17"} and doc[SCHEMA_KEY] == 3
    assert Branch.from_doc(doc) == branch


def test_documents_written_now_carry_the_current_version(store, factory):
    factory.branch("central")
    user = factory.user("new@test.library", "manager", ["central"])
    response = factory.response()
    assert user.to_doc()[SCHEMA_KEY] == User.SCHEMA == 2
    # Today's answers are lines of the day's log until the day is compacted into chunk files.
    raw = json.dumps([_raw(p, "responses") for p in (store.data_dir / "responses").rglob("*.json")]
                     + [store.responses.read_log(p) for p in store.responses.log_files()])
    assert f'"{SCHEMA_KEY}": {CURRENT["response"]}' in raw and response.id in raw
