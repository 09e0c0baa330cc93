"""Exports open in the reader's spreadsheet: BOM, their separator, real dates, names beside codes."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from openpyxl import load_workbook

from feedback.services.export import CsvDialect, csv_dialect_for


def danish(store, email: str) -> None:
    store.directory.update_user(store.directory.user_by_email(email).id, language="da")


def test_the_separator_follows_the_decimal_mark_of_the_language():
    assert csv_dialect_for("da") == CsvDialect(separator=";", decimal=",")
    assert csv_dialect_for("es").separator == ";"
    assert csv_dialect_for("en") == CsvDialect(separator=",", decimal=".")


def test_a_danish_manager_gets_a_csv_that_opens_as_columns_with_aeoeaa_intact(world, sign_in, factory, store):
    factory.response("central", comment="Søde medarbejdere; god kaffe, æbler og å-udsigt", desk="info",
                     staff=world.staff_a.id, at=datetime(2026, 3, 20, 9, 0, tzinfo=UTC))
    danish(store, world.users["manager_a"])
    client = sign_in(world.users["manager_a"])
    response = client.get("/manage/export/responses.csv?period=2026-03&branch=central")
    assert response.headers.getlist("Content-Type") == ["text/csv; charset=utf-8"]
    body = response.data
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM: Excel then reads UTF-8, not Latin-1
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    header, data = rows[0], rows[1:]
    assert len(header) > 10 and all(len(row) == len(header) for row in data)
    ours = [dict(zip(header, row, strict=True)) for row in data if row[header.index("comment")].startswith("Søde")]
    assert ours[0]["comment"] == "Søde medarbejdere; god kaffe, æbler og å-udsigt"
    assert ours[0]["local_time"] == "2026-03-20 10:00"  # Copenhagen wall clock, which spreadsheets parse
    assert ours[0]["staff_name"] == "Maria Jensen" and ours[0]["staff"] == world.staff_a.code


def test_an_english_reader_gets_commas(world, sign_in):
    client = sign_in(world.users["manager_a"])
    text = client.get("/manage/export/responses.csv?period=2026-03").data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("id,submitted_at,branch")


def test_the_xlsx_has_real_dates_a_frozen_filtered_header_widths_and_names(world, sign_in, store):
    client = sign_in(world.users["manager_a"])
    response = client.get("/manage/export/responses.xlsx?period=2026-03&branch=central")
    assert response.headers.getlist("Content-Type") == [
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    header = [c.value for c in sheet[1]]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
    assert sheet[1][0].font.bold
    local = sheet.cell(row=2, column=header.index("local_time") + 1)
    assert isinstance(local.value, datetime) and local.value == datetime(2026, 3, 10, 11, 30)
    assert sheet.cell(row=2, column=header.index("staff_name") + 1).value == "Maria Jensen"
    comment = sheet.column_dimensions[chr(ord("A") + header.index("comment"))].width
    assert comment >= len("central comment 5")


def test_a_managers_visit_export_never_names_the_shopper(world, sign_in, store):
    shopper = store.directory.user_by_email(world.users["shopper"])
    for fmt in ("csv", "xlsx"):
        manager = sign_in(world.users["manager_a"]).get(f"/manage/export/visits.{fmt}?period=2026-03").data
        admin = sign_in(world.users["admin"]).get(f"/manage/export/visits.{fmt}?period=2026-03").data
        if fmt == "xlsx":
            manager, admin = (repr(list(load_workbook(io.BytesIO(b)).active.iter_rows(values_only=True))).encode()
                              for b in (manager, admin))
        assert shopper.email.encode() not in manager and shopper.id.encode() not in manager
        assert shopper.email.encode() in admin  # the programme's administrator knows who went
