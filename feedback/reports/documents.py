"""Report documents: the coaching data (``services.coaching``) through a template into a PDF.

Views and CLI commands call one function here each. HTML is built in the app
process (it needs the templates and the manager's language); the PDF is
rendered by ``feedback.pdf`` in a worker with time and memory limits. A batch
hands every document to the worker pool at once, so both cores work.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from .. import evidence
from ..pdf import PdfJob, PdfRenderError, render_pdf, renderer
from ..services import coaching
from ..services.periods import Period
from ..services.plan_progress import plan_progress
from ..services.programme_notices import branch_notices

__all__ = [
    "ReportFile",
    "staff_report_html",
    "staff_report_json",
    "branch_report_json",
    "branch_report_html",
    "system_report_html",
    "staff_report_pdf",
    "branch_report_pdf",
    "system_report_pdf",
    "write_all_reports",
]


@dataclass(frozen=True)
class ReportFile:
    name: str  # file name inside the batch, e.g. staff-central-K4M2P.pdf
    job: PdfJob


def _settings() -> tuple[int, str]:
    config = current_app.config
    return int(config.get("MIN_RESPONSES_FOR_FIGURE", 5)), str(config.get("REPORT_PAGE_SIZE", "A4"))


def _language(language: str | None) -> str:
    return language if language in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


def _render(template: str, report, language: str, title: str, **coaching_cycle) -> str:
    return render_template(template, report=report, language=language, document_title=title,
                           body_class=template.rsplit("/", 1)[-1].removesuffix(".html"), **coaching_cycle)


def _staff_report(store, code: str, period: Period, language: str) -> coaching.StaffReport:
    config = current_app.config
    return coaching.build_staff_report(store, code, period, min_count=_settings()[0], language=language,
                                       compare_min=int(config.get("MIN_RESPONSES_TO_COMPARE", 10)))


def staff_report_html(store, code: str, period: Period, *, language: str | None = None) -> str:
    language = _language(language)
    with force_locale(language):
        report = _staff_report(store, code, period, language)
        title = _("Coaching report: %(name)s, %(period)s", name=report.member.display_name, period=period.label)
        return _render("reports/staff.html", report, language, title,
                       plan_progress=plan_progress(store, report.member, period, min_count=_settings()[0]),
                       programme=branch_notices(store, report.branch.slug))


def staff_report_json(store, code: str, period: Period, *, language: str | None = None) -> dict:
    """The evidence the staff PDF is built from, as data (the same report object, not a second computation)."""
    language = _language(language)
    with force_locale(language):
        return _staff_report(store, code, period, language).evidence.as_json()


def branch_report_json(store, slug: str, period: Period, *, language: str | None = None) -> dict:
    """The branch's evidence: behaviour figures, service dimensions, themes, shopper observations, staff labels."""
    language = _language(language)
    with force_locale(language):
        return evidence.branch_evidence(store, slug, period, language=language, min_count=_settings()[0]).as_json()


def branch_report_html(store, slug: str, period: Period, *, language: str | None = None) -> str:
    min_count, _size = _settings()
    language = _language(language)
    with force_locale(language):
        report = coaching.build_branch_report(store, slug, period, min_count=min_count, language=language)
        title = _("Branch report: %(name)s, %(period)s", name=report.branch.name, period=period.label)
        return _render("reports/branch.html", report, language, title, programme=branch_notices(store, slug))


def system_report_html(store, period: Period, *, language: str | None = None) -> str:
    min_count, _size = _settings()
    language = _language(language)
    with force_locale(language):
        report = coaching.build_system_report(store, period, min_count=min_count, language=language)
        title = _("System report, %(period)s", period=period.label)
        return _render("reports/system.html", report, language, title)


def _pdf(html: str, name: str) -> bytes:
    return render_pdf(html, page_size=_settings()[1], name=name)


def staff_report_pdf(store, code: str, period: Period, *, language: str | None = None) -> bytes:
    """The coaching report of the staff member with ``code``; raises ReportNotFound or PdfRenderError."""
    return _pdf(staff_report_html(store, code, period, language=language), f"the report for {code}")


def branch_report_pdf(store, slug: str, period: Period, *, language: str | None = None) -> bytes:
    return _pdf(branch_report_html(store, slug, period, language=language), f"the report for {slug}")


def system_report_pdf(store, period: Period, *, language: str | None = None) -> bytes:
    return _pdf(system_report_html(store, period, language=language), "the system report")


def _file_part(text: str) -> str:
    """A person's name as part of a file name: ASCII letters, digits and hyphens (``Søren Ø`` -> ``soren-o``)."""
    folded = unicodedata.normalize("NFKD", text.replace("ø", "o").replace("Ø", "O").replace("æ", "ae")
                                   .replace("Æ", "Ae").replace("ß", "ss"))
    ascii_only = folded.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")[:40] or "staff"


def staff_file_name(branch_slug: str, member) -> str:
    """``staff-central-maria-jensen-K4M2P.pdf``: named by person, unique by code."""
    return f"staff-{branch_slug}-{_file_part(member.display_name)}-{member.code}.pdf"


def report_files(store, period: Period, *, language: str | None = None,
                 branches: Iterable[str] | None = None) -> Iterator[ReportFile]:
    """Every active staff member's report and every active branch's (of ``branches``), ready to render."""
    page_size = _settings()[1]
    wanted = None if branches is None else set(branches)
    for branch in store.directory.branches():
        if wanted is not None and branch.slug not in wanted:
            continue
        for member in store.directory.staff(branch.slug):
            html = staff_report_html(store, member.code, period, language=language)
            name = staff_file_name(branch.slug, member)
            yield ReportFile(name, PdfJob(html, page_size=page_size, name=name))
        html = branch_report_html(store, branch.slug, period, language=language)
        name = f"branch-{branch.slug}.pdf"
        yield ReportFile(name, PdfJob(html, page_size=page_size, name=name))


def write_all_reports(store, period: Period, out_dir: Path, *, language: str | None = None,
                      progress: Callable[[str], None] | None = None, branches: Iterable[str] | None = None,
                      started: Callable[[int], None] | None = None) -> tuple[Path, list[str]]:
    """Render every staff and branch report into ``out_dir`` and a ZIP of them; return the ZIP and failures.

    A report that fails (too slow, too large) is named in the failures; the
    others are still written.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    files = list(report_files(store, period, language=language, branches=branches))
    if started:
        started(len(files))
    by_job = {id(f.job): f for f in files}
    zip_path = out_dir / f"reports-{period.label}.zip"
    failures: list[str] = []
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for job, result in renderer().render_many(f.job for f in files):
            report_file = by_job[id(job)]
            if isinstance(result, PdfRenderError):
                failures.append(f"{report_file.name}: {result}")
            else:
                (out_dir / report_file.name).write_bytes(result)
                archive.writestr(report_file.name, result)
            if progress:
                progress(report_file.name)
    return zip_path, failures
