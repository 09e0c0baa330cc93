"""CLI commands of the reports area, registered by ``feedback.cli``.

``report staff|branch|system`` writes one PDF; ``reports`` writes every staff
and branch report of a period and the system report, with a progress bar, and a ZIP of them.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..pdf import PdfRenderError, render_here
from ..services.coaching import ReportNotFound
from ..services.periods import PeriodError, parse_period
from ..store import current_store
from . import documents

__all__ = ["COMMANDS"]


def _period(ctx, param, value: str):
    try:
        return parse_period(value)
    except PeriodError as exc:
        raise click.BadParameter(str(exc)) from None


_period_option = click.option("--period", required=True, callback=_period, help="2026-11, 2026-Q4 or 2026.")
_out_option = click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
                           help="The file to write.")
_format_option = click.option("--format", "fmt", type=click.Choice(["pdf", "json"]), default="pdf",
                              show_default=True, help="pdf: the report; json: the evidence it is built from.")
_lang_option = click.option("--lang", default=None, help="Language of the report (default: the app's).")


def _write(out: Path, make) -> None:
    try:
        # One document: render it here rather than start a pool of render processes for it.
        with render_here():
            result = make()
    except (ReportNotFound, PdfRenderError) as exc:
        raise click.ClickException(str(exc)) from None
    data = result if isinstance(result, bytes) else (json.dumps(result, ensure_ascii=False, indent=2) + "\n").encode()
    out.write_bytes(data)
    click.echo(f"Wrote {out} ({len(data) // 1024} KiB).")


@click.group("report")
def report_group() -> None:
    """Write one PDF report: a staff member's coaching report, a branch's, or the system's."""


@report_group.command("staff")
@click.argument("code")
@_period_option
@_out_option
@_lang_option
@_format_option
def report_staff(code: str, period, out: Path, lang: str | None, fmt: str) -> None:
    """The coaching report of the staff member with public code CODE (or, as JSON, its evidence)."""
    make = documents.staff_report_json if fmt == "json" else documents.staff_report_pdf
    _write(out, lambda: make(current_store(), code, period, language=lang))


@report_group.command("branch")
@click.argument("slug")
@_period_option
@_out_option
@_lang_option
@_format_option
def report_branch(slug: str, period, out: Path, lang: str | None, fmt: str) -> None:
    """The report of the branch SLUG: by desk and staff, heatmap, NPS, themes, follow-ups, visits."""
    make = documents.branch_report_json if fmt == "json" else documents.branch_report_pdf
    _write(out, lambda: make(current_store(), slug, period, language=lang))


@report_group.command("system")
@_period_option
@_out_option
@_lang_option
def report_system(period, out: Path, lang: str | None) -> None:
    """Every branch side by side."""
    _write(out, lambda: documents.system_report_pdf(current_store(), period, language=lang))


@click.command("reports")
@_period_option
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the PDFs and the ZIP.")
@_lang_option
def reports_command(period, out: Path, lang: str | None) -> None:
    """Every staff and branch report of a period and the system report, into a folder and a ZIP."""
    store = current_store()
    total = 1 + sum(len(store.directory.staff(b.slug)) + 1 for b in store.directory.branches())  # 1: the board's
    with click.progressbar(length=total, label=f"Rendering {total} reports", show_pos=True) as bar:
        zip_path, failures = documents.write_all_reports(store, period, out, language=lang,
                                                         progress=lambda name: bar.update(1))
    for failure in failures:
        click.echo(f"FAILED {failure}", err=True)
    click.echo(f"Wrote {total - len(failures)} reports to {out} and {zip_path}.")
    if failures:
        raise SystemExit(1)


COMMANDS: list = [report_group, reports_command]
