"""Views of the reports area: thin; they parse with a form, call a service, render.

URLs (for links from the manager console):
``reports.index`` ``/manage/reports/`` the period picker and every download the user may have;
``reports.staff_pdf`` ``/manage/reports/staff/<code>.pdf?period=2026-Q3``;
``reports.branch_pdf`` ``/manage/reports/branch/<slug>.pdf?period=...``;
``reports.system_pdf`` ``/manage/reports/system.pdf?period=...`` (administrators);
``reports.batch_start`` (POST) and ``reports.batch_status`` / ``reports.batch_zip``: all reports of a
period, rendered by the background worker, never inside a web worker.
A manager gets only their branches' reports; others answer 404, as if absent.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_login import current_user

from ..auth.session import role_required
from ..jobs import current_jobs
from ..pdf import PdfRenderError
from ..services.coaching import ReportNotFound
from ..services.periods import PeriodError, parse_period
from ..services.report_batches import BatchNotFound, batch_for_user, batch_zip, request_report_batch
from ..store import current_store
from . import documents
from .forms import BatchForm, PeriodForm

bp = Blueprint("reports", __name__, url_prefix="/manage/reports")


def _visible_branches():
    return [b for b in current_store().directory.branches() if current_user.can_see_branch(b.slug)]


def _index(form: PeriodForm, status: int = 200, error: str | None = None):
    store = current_store()
    branches = _visible_branches()
    staff = {b.slug: store.directory.staff(b.slug) for b in branches}
    period = None
    if not form.errors:
        period = form.chosen
        form.show_chosen(period)
    return render_template("reports/index.html", form=form, branches=branches, staff=staff,
                           period=period.label if period else None, error=error,
                           batch_form=BatchForm(formdata=None, period=period.label if period else ""),
                           batches=store.report_batches.for_user(current_user.id, limit=5)), status


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


# -- all reports of a period, in the background ---------------------------------------------------
@bp.post("/batches")
@role_required("manager")
def batch_start():
    form = BatchForm()
    try:
        period = parse_period(form.period.data) if form.validate_on_submit() else None
    except PeriodError:
        period = None
    if period is None:
        abort(400)
    batch = request_report_batch(current_store(), current_jobs(), user=current_user.user, period=period,
                                 branches=[b.slug for b in _visible_branches()], language=str(get_locale()))
    return redirect(url_for("reports.batch_status", batch_id=batch.id))


@bp.get("/batches/<batch_id>")
@role_required("manager")
def batch_status(batch_id: str):
    try:
        batch = batch_for_user(current_store(), batch_id, current_user.user)
    except BatchNotFound:
        abort(404)
    return render_template("reports/batch.html", batch=batch)


@bp.get("/batches/<batch_id>.zip")
@role_required("manager")
def batch_zip_download(batch_id: str):
    try:
        path = batch_zip(current_store(), batch_id, current_user.user, instance=current_app.instance_path)
    except BatchNotFound:
        abort(404)
    return send_file(path, mimetype="application/zip", as_attachment=True, download_name=path.name)
