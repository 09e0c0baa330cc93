"""The coaching page of one staff member, and the branch's "you said, we did" log.

For managers of the staff member's branch and administrators only: another
branch's manager gets a 404 (as if the person did not exist), other roles a
403. Each POST parses one form, calls one service function and returns to
the page (Post/Redirect/Get); a form with a problem shows the page again
with the message next to the field and nothing stored.
"""

from __future__ import annotations

from datetime import date

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..links import public_base
from ..pdf import PdfRenderError
from ..services import coaching_record as record_service
from ..services import posters, visit_appeals
from ..services import you_said_we_did as actions_service
from ..services.coaching_page import NOT_COUNTED_LABELS, build_coaching_page
from ..services.periods import current_period
from ..services.surveys import DIMENSION_LABELS
from ..store import current_store
from .access import manager_required, visible_branch_or_404, visible_branches
from .coaching_forms import (
    STATUS_LABELS,
    ActionStatusForm,
    AppealForm,
    BranchActionForm,
    ConversationForm,
    PlanForm,
    ReviewDateForm,
    StaffCommentForm,
    applied,
)
from .forms import PeriodForm
from .views import bp


def _member_or_404(staff_id: str):
    member = current_store().directory.staff_member(staff_id)
    if member is None:
        abort(404)
    visible_branch_or_404(member.branch)  # another branch's manager: 404
    return member


def _period():
    """The console's period picker, read from the query string: (form, period or None when invalid)."""
    form = PeriodForm(formdata=request.args)
    if not form.validate():
        return form, None
    period = form.chosen
    form.show_chosen(period)
    return form, period


def _render_coaching(member, forms: dict | None = None, status: int = 200):
    form, period = _period()
    if period is None:
        period = current_period("month")
        status = 400
    page = build_coaching_page(current_store(), member, current_user.user, period,
                               min_count=current_app.config["MIN_RESPONSES_FOR_FIGURE"],
                               compare_min=current_app.config["MIN_RESPONSES_TO_COMPARE"],
                               language=current_user.language)
    forms = forms or {}
    forms.setdefault("conversation", ConversationForm(formdata=None))
    forms.setdefault("plan", PlanForm(formdata=None))
    for plan in page.plans:
        forms.setdefault(f"review-{plan.id}", ReviewDateForm(formdata=None, prefix=f"r-{plan.id}",
                                                              review_on=date.fromisoformat(plan.review_on)))
        forms.setdefault(f"comment-{plan.id}", StaffCommentForm(formdata=None, prefix=f"c-{plan.id}"))
        for action in plan.action_list():
            forms.setdefault(f"status-{action.id}", ActionStatusForm(formdata=None, prefix=f"s-{action.id}",
                                                                     status=action.status))
    for visit in page.visits:
        forms.setdefault(f"appeal-{visit.id}", AppealForm(formdata=None, prefix=f"a-{visit.id}"))
    return render_template("manage/coaching.html", page=page, form=form, forms=forms,
                           status_labels=STATUS_LABELS,
                           behaviour_labels=DIMENSION_LABELS, not_counted_labels=NOT_COUNTED_LABELS), status


def _back(member):
    return redirect(url_for("manage.staff_coaching", staff_id=member.id, **request.args))


def _saved(member, message: str):
    flash(message)
    return _back(member)


def _change_record(member, form, form_key: str, saved: str, change):
    """Validate ``form``, make the change, and go back with ``saved``; else the page again, errors by the fields."""
    if applied(form, change, not_found=record_service.CoachingAccessError, refused=record_service.CoachingInputError):
        return _saved(member, saved)
    return _render_coaching(member, {form_key: form}, 400)


@bp.get("/staff/<staff_id>/coaching")
@manager_required
def staff_coaching(staff_id: str):
    return _render_coaching(_member_or_404(staff_id))


@bp.post("/staff/<staff_id>/coaching/conversations")
@manager_required
def staff_coaching_conversation(staff_id: str):
    member = _member_or_404(staff_id)
    return _change_record(
        member, ConversationForm(), "conversation", _("Conversation recorded."),
        lambda form: record_service.record_conversation(current_store(), member, held_on=form.held_on.data,
                                                        present=form.present.data, notes=form.notes.data,
                                                        by=current_user.user))


@bp.post("/staff/<staff_id>/coaching/plans")
@manager_required
def staff_coaching_plan(staff_id: str):
    member = _member_or_404(staff_id)

    def record(form):
        actions = [record_service.ActionInput(row.behaviour.data or "", row.action.data or "", row.by_when.data,
                                              row.support.data or "", row.how_we_know.data or "")
                   for row in form.actions]
        record_service.record_plan(current_store(), member, agreed_on=form.agreed_on.data,
                                   review_on=form.review_on.data, actions=actions, by=current_user.user)

    return _change_record(member, PlanForm(), "plan", _("Plan recorded."), record)


@bp.post("/staff/<staff_id>/coaching/plans/<plan_id>/actions/<action_id>")
@manager_required
def staff_coaching_action_status(staff_id: str, plan_id: str, action_id: str):
    member = _member_or_404(staff_id)
    return _change_record(
        member, ActionStatusForm(prefix=f"s-{action_id}"), f"status-{action_id}", _("Status saved."),
        lambda form: record_service.set_action_status(current_store(), member, plan_id=plan_id, action_id=action_id,
                                                      status=form.status.data, reason=form.reason.data or "",
                                                      by=current_user.user))


@bp.post("/staff/<staff_id>/coaching/plans/<plan_id>/review")
@manager_required
def staff_coaching_review_date(staff_id: str, plan_id: str):
    member = _member_or_404(staff_id)
    return _change_record(
        member, ReviewDateForm(prefix=f"r-{plan_id}"), f"review-{plan_id}", _("Review date saved."),
        lambda form: record_service.set_review_date(current_store(), member, plan_id=plan_id,
                                                    review_on=form.review_on.data, by=current_user.user))


@bp.post("/staff/<staff_id>/coaching/plans/<plan_id>/comment")
@manager_required
def staff_coaching_comment(staff_id: str, plan_id: str):
    """The staff member's comment, written down by the manager on their behalf (the audit says so)."""
    member = _member_or_404(staff_id)
    return _change_record(
        member, StaffCommentForm(prefix=f"c-{plan_id}"), f"comment-{plan_id}", _("Comment saved."),
        lambda form: record_service.add_staff_comment(current_store(), member, plan_id=plan_id,
                                                      comment=form.comment.data, by=current_user.user))


@bp.post("/staff/<staff_id>/coaching/visits/<visit_id>/appeal")
@manager_required
def staff_coaching_appeal(staff_id: str, visit_id: str):
    member = _member_or_404(staff_id)
    form = AppealForm(prefix=f"a-{visit_id}")
    if applied(form, lambda f: visit_appeals.request_appeal(current_store(), visit_id=visit_id, reason=f.reason.data,
                                                            by=current_user.user),
               not_found=visit_appeals.AppealNotAllowed, refused=visit_appeals.AppealError):
        return _saved(member, _("Appeal sent to the reviewers. The visit counts as before until they decide."))
    return _render_coaching(member, {f"appeal-{visit_id}": form}, 400)


# -- you said, we did -----------------------------------------------------------------------
@bp.get("/you-said-we-did/")
@manager_required
def you_said_we_did_branches():
    branches = visible_branches()
    if not branches:
        abort(404)
    return redirect(url_for("manage.you_said_we_did", slug=branches[0].slug))


def _render_actions(branch, form=None, status: int = 200):
    actions = actions_service.branch_actions(current_store(), branch.slug)
    return render_template("manage/you_said_we_did.html", branch=branch, branches=visible_branches(),
                           actions=actions, form=form or BranchActionForm(formdata=None)), status


@bp.route("/you-said-we-did/<slug>", methods=["GET", "POST"])
@manager_required
def you_said_we_did(slug: str):
    branch = visible_branch_or_404(slug)
    if request.method == "GET":
        return _render_actions(branch)
    form = BranchActionForm()
    if applied(form, lambda f: actions_service.record_branch_action(current_store(), slug, you_said=f.you_said.data,
                                                                    we_did=f.we_did.data, done_on=f.done_on.data,
                                                                    by=current_user.user),
               refused=actions_service.BranchActionError):
        flash(_("Added to the branch's \u201cyou said, we did\u201d log."))
        return redirect(url_for("manage.you_said_we_did", slug=slug))
    return _render_actions(branch, form, 400)


@bp.get("/you-said-we-did/<slug>/poster.pdf")
@manager_required
def you_said_we_did_poster(slug: str):
    branch = visible_branch_or_404(slug)
    try:
        pdf = posters.build_you_said_we_did_poster(current_store(), branch=branch.slug,
                                                   base_url=public_base())
    except PdfRenderError as exc:
        flash(str(exc))
        return redirect(url_for("manage.you_said_we_did", slug=slug))
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="you-said-we-did-{slug}.pdf"'})
