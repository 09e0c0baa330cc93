"""The staff member's own view: ``/me/``. Thin; every page reads only the signed-in person's record.

A ``staff`` account sees its own evidence, praise (masked comments), plans
and visits (never a shopper's identity, never a colleague's figures), adds
its own comment to a plan, asks for a visit to be reviewed again, and
downloads its own coaching report. Every other role gets a 403 here.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.session import role_required
from ..manage.coaching_forms import STATUS_LABELS, AppealForm, StaffCommentForm, applied
from ..manage.forms import PeriodForm
from ..pdf import PdfRenderError
from ..reports import documents
from ..services import coaching_record as record_service
from ..services import visit_appeals
from ..services.coaching_page import NOT_COUNTED_LABELS, build_own_page, staff_for_user
from ..services.periods import current_period
from ..services.surveys import DIMENSION_LABELS
from ..store import current_store

bp = Blueprint("me", __name__, url_prefix="/me")

staff_required = role_required("staff")


def _own_member():
    if current_user.role != "staff":
        abort(403)  # an administrator has no staff record of their own
    member = staff_for_user(current_store(), current_user.user)
    if member is None:
        abort(404)
    return member


def _period():
    """The console's period picker, read from the query string: (form, period, status)."""
    form = PeriodForm(formdata=request.args)
    if not form.validate():
        return form, current_period("month"), 400
    period = form.chosen
    form.show_chosen(period)
    return form, period, 200


def _render(forms: dict | None = None, status: int = 200):
    _own_member()
    form, period, period_status = _period()
    try:
        page = build_own_page(current_store(), current_user.user, period,
                              min_count=current_app.config["MIN_RESPONSES_FOR_FIGURE"],
                              compare_min=current_app.config["MIN_RESPONSES_TO_COMPARE"],
                              language=current_user.language)
    except record_service.CoachingAccessError:
        abort(404)
    forms = forms or {}
    for plan in page.plans:
        forms.setdefault(f"comment-{plan.id}", StaffCommentForm(formdata=None, prefix=f"c-{plan.id}",
                                                                comment=plan.staff_comment))
    for visit in page.visits:
        forms.setdefault(f"appeal-{visit.id}", AppealForm(formdata=None, prefix=f"a-{visit.id}"))
    return render_template("me/index.html", page=page, form=form, forms=forms, status_labels=STATUS_LABELS,
                           behaviour_labels=DIMENSION_LABELS,
                           not_counted_labels=NOT_COUNTED_LABELS), max(status, period_status)


@bp.get("/")
@staff_required
def index():
    return _render()


@bp.post("/plans/<plan_id>/comment")
@staff_required
def plan_comment(plan_id: str):
    member = _own_member()
    form = StaffCommentForm(prefix=f"c-{plan_id}")
    if applied(form, lambda f: record_service.add_staff_comment(current_store(), member, plan_id=plan_id,
                                                                comment=f.comment.data, by=current_user.user),
               not_found=record_service.CoachingAccessError, refused=record_service.CoachingInputError):
        flash(_("Your comment is saved."))
        return redirect(url_for("me.index", **request.args))
    return _render({f"comment-{plan_id}": form}, 400)


@bp.post("/visits/<visit_id>/appeal")
@staff_required
def visit_appeal(visit_id: str):
    _own_member()
    form = AppealForm(prefix=f"a-{visit_id}")
    if applied(form, lambda f: visit_appeals.request_appeal(current_store(), visit_id=visit_id, reason=f.reason.data,
                                                            by=current_user.user),
               not_found=visit_appeals.AppealNotAllowed, refused=visit_appeals.AppealError):
        flash(_("Your request is with the reviewers. The visit counts as before until they decide."))
        return redirect(url_for("me.index", **request.args))
    return _render({f"appeal-{visit_id}": form}, 400)


@bp.get("/report.pdf")
@staff_required
def report_pdf():
    member = _own_member()
    _form, period, status = _period()
    if status != 200:
        return _render(status=400)
    try:
        pdf = documents.staff_report_pdf(current_store(), member.code, period, language=current_user.language)
    except PdfRenderError as exc:
        flash(str(exc))
        return redirect(url_for("me.index", period=period.label))
    name = f"coaching-{member.code}-{period.label}.pdf"
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'})
