"""The command-line interface: init, create-user, seed-demo, export, check."""

import csv
import io

from openpyxl import load_workbook

from feedback.services.export import RESPONSE_COLUMNS_AFTER, RESPONSE_COLUMNS_BEFORE, VISIT_COLUMNS


def test_init_creates_the_first_administrator_with_a_hashed_password(runner, store):
    result = runner.invoke(args=["init", "--email", "Boss@Library.example", "--password", "a-long-password"])
    assert result.exit_code == 0, result.output
    admin = store.directory.user_by_email("boss@library.example")
    assert admin.role == "admin"
    assert "a-long-password" not in admin.password_hash and admin.password_hash.startswith("scrypt:")
    again = runner.invoke(args=["init", "--email", "other@library.example", "--password", "a-long-password"])
    assert again.exit_code != 0 and "already has an administrator" in again.output


def test_init_refuses_a_short_password_and_stores_nothing(runner, store):
    result = runner.invoke(args=["init", "--email", "boss@library.example", "--password", "short"])
    assert result.exit_code != 0 and "at least 10 characters" in result.output
    assert store.directory.users() == []


def test_create_user_scopes_a_manager_to_known_branches(runner, store, factory):
    factory.branch("central")
    ok = runner.invoke(args=["create-user", "--email", "m@x.org", "--role", "manager", "--branch", "central",
                             "--password", "manager-password"])
    assert ok.exit_code == 0, ok.output
    assert store.directory.user_by_email("m@x.org").branches == ["central"]
    bad = runner.invoke(args=["create-user", "--email", "n@x.org", "--role", "manager", "--branch", "atlantis",
                              "--password", "manager-password"])
    assert bad.exit_code != 0 and "unknown branches: atlantis" in bad.output


def test_seed_demo_makes_three_branches_staff_accounts_responses_and_visits(runner, store):
    result = runner.invoke(args=["seed-demo", "--responses", "600", "--visits", "40"])
    assert result.exit_code == 0, result.output
    assert [b.slug for b in store.directory.branches()] == ["central", "riverside", "northside"]
    assert 10 <= len(store.directory.staff()) <= 14
    assert store.responses.count() == 600
    assert len(list(store.visits.all())) == 40
    assert len(store.assignments.matching()) == 2  # the demo shopper has work to do
    assert "manager-demo-pass" in result.output
    languages = {r.language for r in store.responses.all()}
    assert {"en", "es"} <= languages
    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "not seeding" in again.output and store.responses.count() == 600


def test_export_csv_has_the_promised_columns_and_every_response(runner, store, tmp_path):
    runner.invoke(args=["seed-demo", "--responses", "300", "--visits", "12"])
    out = tmp_path / "responses.csv"
    assert runner.invoke(args=["export", "responses", "--out", str(out)]).exit_code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM a spreadsheet needs to read UTF-8
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    header = rows[0]
    after = len(RESPONSE_COLUMNS_AFTER)
    assert header[:8] == RESPONSE_COLUMNS_BEFORE and header[-after:] == RESPONSE_COLUMNS_AFTER
    assert {"welcome", "helpful", "nps", "found"} <= set(header[8:-after])
    assert len(rows) - 1 == 300
    assert {r[0] for r in rows[1:]} == {r.id for r in store.responses.all()}


def test_export_visits_as_xlsx(runner, store, tmp_path):
    runner.invoke(args=["seed-demo", "--responses", "50", "--visits", "12"])
    out = tmp_path / "visits.xlsx"
    assert runner.invoke(args=["export", "visits", "--format", "xlsx", "--out", str(out)]).exit_code == 0
    sheet = load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == VISIT_COLUMNS
    assert len(rows) == 13
    scores = [r[8] for r in rows[1:] if r[8] is not None]
    assert scores and all(0 <= s <= 100 for s in scores)


def test_export_neutralises_cells_a_spreadsheet_would_run(runner, factory, store):
    factory.branch("central")
    factory.response(comment="=HYPERLINK(\"http://evil.example\",\"click\")")
    result = runner.invoke(args=["export", "responses", "--out", "-"])
    row = next(csv.DictReader(io.StringIO(result.output)))
    assert row["comment"].startswith("'=HYPERLINK")


def test_check_names_a_corrupt_file(runner, factory, store):
    factory.branch("central")
    assert runner.invoke(args=["check"]).exit_code == 0
    (store.data_dir / "directory.json").write_text("{oops")
    store.cache.clear()
    result = runner.invoke(args=["check"])
    assert result.exit_code == 1 and "directory.json" in result.output
