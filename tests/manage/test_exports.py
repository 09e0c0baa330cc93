"""Downloads for the current filter: CSV and XLSX hold the same rows, with formulas neutralised."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from openpyxl import load_workbook


def test_csv_and_xlsx_hold_the_filtered_rows_with_formulas_neutralised(world, sign_in, factory):
    factory.response("central", comment="=HYPERLINK(\"http://evil\")", channel="kiosk", desk="info",
                     at=datetime(2026, 3, 20, 9, 0, tzinfo=UTC))
    factory.response("central", comment="outside the period", at=datetime(2026, 4, 2, 9, 0, tzinfo=UTC))
    client = sign_in(world.users["manager_a"])
    query = "period=2026-03&branch=central&desk=info&channel=kiosk"
    response = client.get(f"/manage/export/responses.csv?{query}")
    assert response.headers["Content-Disposition"] == 'attachment; filename="responses-2026-03-central.csv"'
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["comment"] for r in rows] == ["'=HYPERLINK(\"http://evil\")"]
    book = load_workbook(io.BytesIO(client.get(f"/manage/export/responses.xlsx?{query}").data))
    sheet = list(book.active.iter_rows(values_only=True))
    assert len(sheet) == 2 and "'=HYPERLINK(\"http://evil\")" in sheet[1]
    visits = list(csv.DictReader(io.StringIO(
        client.get("/manage/export/visits.csv?period=2026-03").get_data(as_text=True))))
    assert [v["branch"] for v in visits] == ["central"] and visits[0]["score"] == "100.0"


def test_a_bad_filter_sends_the_manager_back_to_the_form(world, sign_in):
    client = sign_in(world.users["manager_a"])
    response = client.get("/manage/export/responses.csv?period=March")
    assert response.status_code == 302 and "/manage/" in response.location
    page = client.get("/manage/?period=March")
    assert page.status_code == 400
    assert 'id="period-error"' in page.get_data(as_text=True)
    page = client.get("/manage/?desk=info")
    assert "Choose a branch to filter by desk" in page.get_data(as_text=True)
