"""Views of the reports area: thin; they parse with a form, call a service, render.

URLs (for links from the manager console):
``reports.index`` ``/manage/reports/`` a period form and the downloads the user may have;
``reports.staff_pdf`` ``/manage/reports/staff/<code>.pdf?period=2026-Q3``;
``reports.branch_pdf`` ``/manage/reports/branch/<slug>.pdf?period=...``;
``reports.system_pdf`` ``/manage/reports/system.pdf?period=...`` (administrators).
A manager gets only their branches' reports; others answer 404, as if absent.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user

from ..auth.session import role_required
from ..pdf import PdfRenderError
from ..services.coaching import ReportNotFound
from ..store import current_store
from . import documents
from .forms import PeriodForm

bp = Blueprint("reports", __name__, url_prefix="/manage/reports")


def _index(form: PeriodForm, status: int = 200, error: str | None = None):
    store = current_store()
    branches = [b for b in store.directory.branches() if current_user.can_see_branch(b.slug)]
    staff = {b.slug: store.directory.staff(b.slug) for b in branches}
    return render_template("reports/index.html", form=form, branches=branches, staff=staff,
                           period=form.period.data if not form.errors else None, error=error), status


def _pdf_response(make, filename: str, form: PeriodForm):
    try:
        pdf = make()
    except ReportNotFound:
        abort(404)
    except PdfRenderError as exc:
        return _index(form, 503, str(exc))
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/")
@role_required("manager")
def index():
    form = PeriodForm.from_args(request.args)
    return _index(form, 200 if form.validate() else 400)


@bp.get("/staff/<code>.pdf")
@role_required("manager")
def staff_pdf(code: str):
    form = PeriodForm.from_args(request.args)
    if not form.validate():
        return _index(form, 400)
    member = current_store().directory.staff_by_code(code)
    if member is None or not current_user.can_see_branch(member.branch):
        abort(404)
    return _pdf_response(lambda: documents.staff_report_pdf(current_store(), code, form.chosen,
                                                            language=current_user.language),
                         f"coaching-{code}-{form.chosen.label}.pdf", form)


@bp.get("/branch/<slug>.pdf")
@role_required("manager")
def branch_pdf(slug: str):
    form = PeriodForm.from_args(request.args)
    if not form.validate():
        return _index(form, 400)
    if not current_user.can_see_branch(slug):
        abort(404)
    return _pdf_response(lambda: documents.branch_report_pdf(current_store(), slug, form.chosen,
                                                             language=current_user.language),
                         f"branch-{slug}-{form.chosen.label}.pdf", form)


@bp.get("/system.pdf")
@role_required()  # administrators only: it shows every branch
def system_pdf():
    form = PeriodForm.from_args(request.args)
    if not form.validate():
        return _index(form, 400)
    return _pdf_response(lambda: documents.system_report_pdf(current_store(), form.chosen,
                                                             language=current_user.language),
                         f"system-{form.chosen.label}.pdf", form)
