"""Exports of responses and visits as CSV or XLSX, made to open cleanly in a spreadsheet.

The column lists below are a promise to the spreadsheets people build on
them: add columns at the end if you must, never rename or reorder. Cells that
a spreadsheet would run as a formula (starting ``= + - @``, tab or carriage
return) are neutralised with a leading apostrophe.

What a spreadsheet needs to open a file the first time: a CSV starts with a
UTF-8 byte-order mark (else Excel reads æøå as Latin-1) and uses the list
separator of the reader's language (``;`` where the decimal mark is a comma,
as in Danish and Spanish, else Excel puts every row in one column), with
decimals written the same way. An XLSX holds real dates, a frozen header
row with a filter, and columns wide enough to read. Staff names stand beside
their codes; a mystery shopper's identity is never in a manager's export.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from babel import Locale
from babel.numbers import get_decimal_symbol

from ..local_time import local_moment
from ..model import Response, Visit
from .rubric import default_rubric
from .surveys import export_question_ids
from .visit_consistency import visit_score

__all__ = [
    "RESPONSE_COLUMNS_BEFORE",
    "RESPONSE_COLUMNS_AFTER",
    "VISIT_COLUMNS",
    "response_table",
    "visit_table",
    "write_csv",
    "write_xlsx",
    "neutralise",
    "export_responses",
    "export_visits",
    "CsvDialect",
    "csv_dialect_for",
    "CSV_MEDIA_TYPE",
    "XLSX_MEDIA_TYPE",
]

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_STAMP_COLUMNS = {"submitted_at", "visited_at"}
_LOCAL_FORMAT = "%Y-%m-%d %H:%M"  # what every spreadsheet parses as a date and time


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV must be written for a reader's spreadsheet to split it into columns."""

    separator: str = ","
    decimal: str = "."
    bom: bool = True


def csv_dialect_for(language: str) -> CsvDialect:
    """The reader's spreadsheet's list separator: ``;`` where a comma is the decimal mark (da, es)."""
    try:
        decimal = get_decimal_symbol(Locale.parse(language))
    except (ValueError, TypeError):
        decimal = "."
    return CsvDialect(separator=";" if decimal == "," else ",", decimal=decimal)

RESPONSE_COLUMNS_BEFORE = ["id", "submitted_at", "branch", "desk", "staff", "channel", "language", "survey"]
# ``flagged``: counted in no figure (held for review or discarded); ``review`` and ``hold_reasons`` say which and why.
# ``local_time``: the branch's wall clock (a real date in XLSX); ``staff_name`` beside the code in ``staff``.
RESPONSE_COLUMNS_AFTER = ["comment", "flagged", "review", "hold_reasons", "local_time", "staff_name",
                          "partial"]  # partial: the guest stopped before the end
VISIT_COLUMNS = ["id", "visited_at", "branch", "staff", "channel", "scenario", "shopper", "status", "score", "accuracy",
                 "local_time", "staff_name"]
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe; numbers pass."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return value


def _local(stamp: str | None, timezones: dict[str, str], branch: str) -> datetime | None:
    """A stored UTC stamp as the branch's wall-clock time (naive: spreadsheets have no zones)."""
    if not stamp:
        return None
    return local_moment(stamp, timezones.get(branch, "UTC")).replace(tzinfo=None, microsecond=0)


def response_table(responses: Iterable[Response], surveys: dict, staff_codes: dict[str, str],
                   staff_names: dict[str, str] | None = None, timezones: dict[str, str] | None = None) -> tuple[
        list[str], Iterator[list[Any]]]:
    """Header and rows; ``staff_codes`` maps staff id to the public code shown in the column."""
    question_ids = export_question_ids(surveys)
    header = RESPONSE_COLUMNS_BEFORE + question_ids + RESPONSE_COLUMNS_AFTER
    staff_names, timezones = staff_names or {}, timezones or {}

    def rows() -> Iterator[list[Any]]:
        for r in responses:
            yield [
                r.id, r.submitted_at, r.branch, r.desk, staff_codes.get(r.staff, r.staff) if r.staff else None,
                r.channel, r.language, f"{r.survey}/v{r.survey_version}",
                *(r.answers.get(q) for q in question_ids),
                r.comment, r.flagged, r.review, r.hold_reasons, _local(r.submitted_at, timezones, r.branch),
                staff_names.get(r.staff) if r.staff else None, r.partial,
            ]

    return header, rows()


def visit_table(visits: Iterable[Visit], staff_codes: dict[str, str], shopper_emails: dict[str, str],
                staff_names: dict[str, str] | None = None, timezones: dict[str, str] | None = None) -> tuple[
        list[str], Iterator[list[Any]]]:
    """Header and rows; a shopper missing from ``shopper_emails`` is left blank, never named by id."""
    rubric = default_rubric()
    staff_names, timezones = staff_names or {}, timezones or {}

    def rows() -> Iterator[list[Any]]:
        for v in visits:
            score = visit_score(rubric, v).overall
            yield [
                v.id, v.visited_at, v.branch,
                staff_codes.get(v.staff, v.staff) if v.staff else v.staff_description,
                v.channel, v.scenario, shopper_emails.get(v.shopper), v.status,
                None if score is None else round(score * 100, 1), v.accuracy,
                _local(v.visited_at, timezones, v.branch), staff_names.get(v.staff) if v.staff else None,
            ]

    return list(VISIT_COLUMNS), rows()


def _csv_cell(value: Any, dialect: CsvDialect) -> Any:
    if isinstance(value, datetime):
        return value.strftime(_LOCAL_FORMAT)
    if isinstance(value, float):
        return str(value).replace(".", dialect.decimal)
    return neutralise(_cell(value))


def write_csv(header: list[str], rows: Iterable[list[Any]], out: io.TextIOBase | Path,
              dialect: CsvDialect | None = None) -> None:
    """Write a CSV in ``dialect`` (by default: commas, and a BOM only when writing a file)."""

    def write(handle, dialect: CsvDialect):
        if dialect.bom:
            handle.write("\ufeff")
        writer = csv.writer(handle, delimiter=dialect.separator, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([_csv_cell(v, dialect) for v in row])

    if isinstance(out, Path):
        with out.open("w", newline="", encoding="utf-8") as handle:
            write(handle, dialect or CsvDialect())
    else:
        write(out, dialect or CsvDialect(bom=False))  # a stream (standard output) may be a pipe


def _width(value: Any) -> int:
    if isinstance(value, datetime):
        return 16
    return len(str(_cell(value)))


def write_xlsx(header: list[str], rows: Iterable[list[Any]], out: io.BufferedIOBase | Path, title: str) -> None:
    """A sheet with real dates, the header frozen and filtered, and columns sized to their contents."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    body = [[neutralise(_cell(v)) if not isinstance(v, datetime) else v for v in row] for row in rows]
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    sample = body[:500]
    for index, name in enumerate(header, start=1):
        widest = max([len(name), *(_width(row[index - 1]) for row in sample)])
        sheet.column_dimensions[get_column_letter(index)].width = min(60, widest + 2)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(body) + 1}"
    bold = Font(bold=True)
    heading = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    for row in body:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            cells.append(cell)
        sheet.append(cells)
    book.save(out)


def _staff_codes(store) -> dict[str, str]:
    return {s.id: s.code for s in store.directory.staff(include_inactive=True)}


def _staff_names(store) -> dict[str, str]:
    return {s.id: s.display_name for s in store.directory.staff(include_inactive=True)}


def _timezones(store) -> dict[str, str]:
    return {b.slug: b.timezone for b in store.directory.branches(include_inactive=True)}


def export_responses(store, out, fmt: str, responses: Iterable[Response] | None = None, *,
                     dialect: CsvDialect | None = None) -> None:
    """Write responses (all stored ones unless given) as ``csv`` or ``xlsx`` to ``out``."""
    from .surveys import surveys_from_settings

    surveys = surveys_from_settings(store.directory.settings())
    header, rows = response_table(store.responses.all() if responses is None else responses, surveys,
                                  _staff_codes(store), _staff_names(store), _timezones(store))
    _write(header, rows, out, fmt, "responses", dialect)


def export_visits(store, out, fmt: str, visits: Iterable[Visit] | None = None, *, for_manager: bool = False,
                  dialect: CsvDialect | None = None) -> None:
    """Write visits (all stored ones unless given) as ``csv`` or ``xlsx`` to ``out``.

    ``for_manager``: shoppers stay anonymous to the branches they visit, so the
    shopper column is left empty, and only approved visits (the ones that
    count, as on the manager's pages) are written.
    """
    visits = store.visits.all() if visits is None else visits
    if for_manager:
        visits = [v for v in visits if v.status == "approved"]
        emails: dict[str, str] = {}
    else:
        emails = {u.id: u.email for u in store.directory.users()}
    header, rows = visit_table(visits, _staff_codes(store), emails, _staff_names(store), _timezones(store))
    _write(header, rows, out, fmt, "visits", dialect)


def _write(header, rows, out, fmt: str, title: str, dialect: CsvDialect | None = None) -> None:
    if fmt == "csv":
        write_csv(header, rows, out, dialect)
    elif fmt == "xlsx":
        write_xlsx(header, rows, out, title)
    else:
        raise ValueError(f"unknown export format {fmt!r}; use csv or xlsx")
