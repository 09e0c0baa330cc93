"""Exports of responses and visits as CSV or XLSX.

The column lists below are a promise to the spreadsheets people build on
them: add columns at the end if you must, never rename or reorder. Cells that
a spreadsheet would run as a formula (starting ``= + - @``, tab or carriage
return) are neutralised with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

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
]

RESPONSE_COLUMNS_BEFORE = ["id", "submitted_at", "branch", "desk", "staff", "channel", "language", "survey"]
# ``flagged``: counted in no figure (held for review or discarded); ``review`` and ``hold_reasons`` say which and why.
RESPONSE_COLUMNS_AFTER = ["comment", "flagged", "review", "hold_reasons"]
VISIT_COLUMNS = ["id", "visited_at", "branch", "staff", "channel", "scenario", "shopper", "status", "score", "accuracy"]
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


def response_table(responses: Iterable[Response], surveys: dict, staff_codes: dict[str, str]) -> tuple[
        list[str], Iterator[list[Any]]]:
    """Header and rows; ``staff_codes`` maps staff id to the public code shown in the column."""
    question_ids = export_question_ids(surveys)
    header = RESPONSE_COLUMNS_BEFORE + question_ids + RESPONSE_COLUMNS_AFTER

    def rows() -> Iterator[list[Any]]:
        for r in responses:
            yield [
                r.id, r.submitted_at, r.branch, r.desk, staff_codes.get(r.staff, r.staff) if r.staff else None,
                r.channel, r.language, f"{r.survey}/v{r.survey_version}",
                *(r.answers.get(q) for q in question_ids),
                r.comment, r.flagged, r.review, r.hold_reasons,
            ]

    return header, rows()


def visit_table(visits: Iterable[Visit], staff_codes: dict[str, str], shopper_emails: dict[str, str]) -> tuple[
        list[str], Iterator[list[Any]]]:
    rubric = default_rubric()

    def rows() -> Iterator[list[Any]]:
        for v in visits:
            score = visit_score(rubric, v).overall
            yield [
                v.id, v.visited_at, v.branch,
                staff_codes.get(v.staff, v.staff) if v.staff else v.staff_description,
                v.channel, v.scenario, shopper_emails.get(v.shopper, v.shopper), v.status,
                None if score is None else round(score * 100, 1), v.accuracy,
            ]

    return list(VISIT_COLUMNS), rows()


def write_csv(header: list[str], rows: Iterable[list[Any]], out: io.TextIOBase | Path) -> None:
    def write(handle):
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([neutralise(_cell(v)) for v in row])

    if isinstance(out, Path):
        with out.open("w", newline="", encoding="utf-8") as handle:
            write(handle)
    else:
        write(out)


def write_xlsx(header: list[str], rows: Iterable[list[Any]], out: io.BufferedIOBase | Path, title: str) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append([neutralise(_cell(v)) for v in row])
    book.save(out)


def _staff_codes(store) -> dict[str, str]:
    return {s.id: s.code for s in store.directory.staff(include_inactive=True)}


def export_responses(store, out, fmt: str, responses: Iterable[Response] | None = None) -> None:
    """Write responses (all stored ones unless given) as ``csv`` or ``xlsx`` to ``out``."""
    from .surveys import surveys_from_settings

    surveys = surveys_from_settings(store.directory.settings())
    header, rows = response_table(store.responses.all() if responses is None else responses, surveys,
                                  _staff_codes(store))
    _write(header, rows, out, fmt, "responses")


def export_visits(store, out, fmt: str, visits: Iterable[Visit] | None = None) -> None:
    """Write visits (all stored ones unless given) as ``csv`` or ``xlsx`` to ``out``."""
    emails = {u.id: u.email for u in store.directory.users()}
    header, rows = visit_table(store.visits.all() if visits is None else visits, _staff_codes(store), emails)
    _write(header, rows, out, fmt, "visits")


def _write(header, rows, out, fmt: str, title: str) -> None:
    if fmt == "csv":
        write_csv(header, rows, out)
    elif fmt == "xlsx":
        write_xlsx(header, rows, out, title)
    else:
        raise ValueError(f"unknown export format {fmt!r}; use csv or xlsx")
