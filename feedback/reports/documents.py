"""Report documents: staff, branch and board reports (``services.*_report``) through a template into a PDF.

Views and CLI commands call one function here each. HTML is built in the app
process (it needs the templates and the manager's language); the PDF is
rendered by ``feedback.pdf`` in a worker with time and memory limits.

A batch (:func:`write_all_reports`) streams: each document's HTML is built
just before a render process is free for it, so both cores work and only a
few documents are in memory at once. It goes branch by branch: the system's
figures, the same for every branch report, are computed once, without
keeping every branch's months in the process; each branch's months are kept
while its staff and branch reports are made, and let go after.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale, pgettext
from flask_babel import gettext as _

from .. import evidence
from ..evidence import cells
from ..pdf import PdfJob, PdfRenderError, render_pdf, renderer
from ..services import branch_report, staff_report, system_report
from ..services.period_names import day_name, period_name
from ..services.periods import Period
from ..services.plan_progress import plan_progress
from ..services.programme_notices import branch_notices
from ..services.report_figures import SystemComparison, system_comparison
from ..services.surveys import surveys_from_settings

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
    "batch_system_figures",
    "report_count",
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


def _render(template: str, report, language: str, title: str, subject: str, **coaching_cycle) -> str:
    """The document's HTML; title, subject and creation time become the PDF's metadata.

    ``coaching_cycle``: the plan's progress and the programme notice, for their includes.
    """
    now = datetime.now(UTC)
    return render_template(template, report=report, language=language, document_title=title,
                           document_subject=subject, created=now.strftime("%Y-%m-%dT%H:%M:%SZ"),
                           prepared=day_name(now.date()), share_points=branch_report.SHARE_CHANGE_POINTS,
                           low_outcome=round(100 * branch_report.LOW_OUTCOME_SHARE),
                           body_class=template.rsplit("/", 1)[-1].removesuffix(".html"), **coaching_cycle)


def _followup_days() -> int:
    return int(current_app.config.get("FOLLOWUP_TARGET_DAYS", 3))


def _staff_report(store, code: str, period: Period, language: str) -> staff_report.StaffDocument:
    config = current_app.config
    return staff_report.build_staff_report(store, code, period, min_count=_settings()[0], language=language,
                                           compare_min=int(config.get("MIN_RESPONSES_TO_COMPARE", 10)))


def staff_report_html(store, code: str, period: Period, *, language: str | None = None) -> str:
    language = _language(language)
    with force_locale(language):
        report = _staff_report(store, code, period, language)
        title = pgettext("report", "Coaching report: %(name)s, %(period)s", name=report.member.display_name,
                         period=period_name(period))
        subject = _("Confidential coaching conversation and evidence for %(name)s", name=report.member.display_name)
        return _render("reports/staff.html", report, language, title, subject,
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


def branch_report_html(store, slug: str, period: Period, *, language: str | None = None,
                       system: SystemComparison | None = None) -> str:
    """``system``: the system's figures, when a batch computed them once (see :func:`batch_system_figures`)."""
    min_count, _size = _settings()
    language = _language(language)
    with force_locale(language):
        report = branch_report.build_branch_report(store, slug, period, min_count=min_count, language=language,
                                                   followup_days=_followup_days(), system=system)
        title = pgettext("report", "Branch report: %(name)s, %(period)s", name=report.branch.name,
                         period=report.period_name)
        subject = _("Findings, actions and figures of %(name)s for a staff meeting", name=report.branch.name)
        return _render("reports/branch.html", report, language, title, subject,
                       programme=branch_notices(store, slug))


def system_report_html(store, period: Period, *, language: str | None = None,
                       system: SystemComparison | None = None) -> str:
    min_count, _size = _settings()
    language = _language(language)
    with force_locale(language):
        report = system_report.build_system_report(store, period, min_count=min_count, language=language,
                                                   followup_days=_followup_days(), system=system)
        title = _("Board report, %(period)s", period=report.period_name)
        subject = _("Guest experience across the library system, for the board")
        return _render("reports/system.html", report, language, title, subject)


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


def _wanted_branches(store, branches: Iterable[str] | None) -> tuple[list, bool]:
    """The active branches of the batch, and whether it holds the system report (every branch is in it)."""
    everyone = store.directory.branches()
    wanted = None if branches is None else set(branches)
    whole = wanted is None or wanted >= {b.slug for b in everyone}
    return [b for b in everyone if wanted is None or b.slug in wanted], whole


def report_count(store, *, branches: Iterable[str] | None = None) -> int:
    """How many documents :func:`report_files` yields, known before any is made (for progress)."""
    chosen, whole = _wanted_branches(store, branches)
    return int(whole) + sum(len(store.directory.staff(b.slug)) + 1 for b in chosen)


def batch_system_figures(store, period: Period) -> SystemComparison:
    """The system's figures every branch report of a batch compares with, computed once.

    Read without keeping a hundred branches' months in the process (``cells.passing_through``).
    """
    with cells.passing_through():
        return system_comparison(store, store.directory.branches(), period,
                                 surveys_from_settings(store.directory.settings()), _settings()[0])


def report_files(store, period: Period, *, language: str | None = None,
                 branches: Iterable[str] | None = None) -> Iterator[ReportFile]:
    """Every active staff member's report and every active branch's (of ``branches``), ready to render.

    A batch of every branch (``branches`` None, or naming them all) also holds the system report, the
    board's document; a batch of some branches does not, since the system report shows every branch.

    Lazy: each document's HTML is built when it is asked for. A branch's kept months are let go once
    its reports are made, so a batch's memory does not grow with the number of branches.
    """
    page_size = _settings()[1]
    chosen, whole = _wanted_branches(store, branches)
    system = batch_system_figures(store, period) if chosen or whole else None
    if whole:
        with cells.passing_through():
            html = system_report_html(store, period, language=language, system=system)
        name = f"system-{period.label}.pdf"
        yield ReportFile(name, PdfJob(html, page_size=page_size, name=name))
    for branch in chosen:
        for member in store.directory.staff(branch.slug):
            html = staff_report_html(store, member.code, period, language=language)
            name = staff_file_name(branch.slug, member)
            yield ReportFile(name, PdfJob(html, page_size=page_size, name=name))
        html = branch_report_html(store, branch.slug, period, language=language, system=system)
        cells.forget_branch(store, branch.slug)
        name = f"branch-{branch.slug}.pdf"
        yield ReportFile(name, PdfJob(html, page_size=page_size, name=name))


def write_all_reports(store, period: Period, out_dir: Path, *, language: str | None = None,
                      progress: Callable[[str], None] | None = None, branches: Iterable[str] | None = None,
                      started: Callable[[int], None] | None = None) -> tuple[Path, list[str]]:
    """Render every staff and branch report (and, for every branch, the system report) into ``out_dir`` and a ZIP.

    Returns the ZIP and the failures.

    A report that fails (too slow, too large) is named in the failures; the
    others are still written. Documents are built as the render processes
    take them (:func:`report_files` is lazy), never all at once.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    if started:
        started(report_count(store, branches=branches))
    names: dict[int, str] = {}

    def jobs() -> Iterator[PdfJob]:
        for report_file in report_files(store, period, language=language, branches=branches):
            names[id(report_file.job)] = report_file.name
            yield report_file.job

    zip_path = out_dir / f"reports-{period.label}.zip"
    failures: list[str] = []
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for job, result in renderer().render_many(jobs()):
            name = names.pop(id(job))
            if isinstance(result, PdfRenderError):
                failures.append(f"{name}: {result}")
            else:
                (out_dir / name).write_bytes(result)
                archive.writestr(name, result)
            if progress:
                progress(name)
    return zip_path, failures
