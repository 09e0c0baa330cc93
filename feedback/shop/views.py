"""Views of the shop area: thin; they parse with a form, call a service, render.

Who sees what: a shopper sees only their own assignments and visits (anything
else is a 404); managers create assignments for their own branches and see
approved visits there; reviewers see and decide submitted visits; an
administrator invites shoppers.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from ..auth.session import role_required, sign_in_fresh
from ..links import public_url
from ..local_time import format_local
from ..model import VISIT_CHANNELS, utc_now
from ..services import assignments, invitations, notices, shopping
from ..services.accounts import AccountError
from ..services.rubric import default_rubric
from ..services.scenarios import default_scenarios, scenarios_for_channel
from ..services.visit_history import history_note
from ..store import current_store
from .forms import (
    ACCURACY_LABELS,
    ACTION_LABELS,
    ANSWER_LABELS,
    CHANNEL_LABELS,
    STATE_LABELS,
    STATUS_LABELS,
    AssignmentForm,
    InviteShopperForm,
    ReviewForm,
    SetPasswordForm,
    error_summary,
    show_problems,
    visit_form_class,
)

bp = Blueprint("shop", __name__, url_prefix="/shop")


@bp.context_processor
def _labels():
    return {
        "channel_labels": CHANNEL_LABELS, "answer_labels": ANSWER_LABELS, "accuracy_labels": ACCURACY_LABELS,
        "state_labels": STATE_LABELS, "status_labels": STATUS_LABELS, "action_labels": ACTION_LABELS,
        "history_note": history_note,
    }


def _me():
    return current_user.user


# -- everyone signed in: the way in ------------------------------------------------
@bp.get("/")
@login_required
def index():
    """A shopper's assignments; other roles go to their own page of the programme."""
    role = current_user.role
    if role == "reviewer":
        return redirect(url_for("shop.review"))
    if role in ("manager", "admin"):
        return redirect(url_for("shop.assignment_list"))
    if role != "shopper":
        abort(403)
    items = assignments.shopper_assignments(current_store(), _me())
    return render_template("shop/my_assignments.html", items=items)


# -- invitations ------------------------------------------------------------------------
@bp.route("/shoppers", methods=["GET", "POST"])
@role_required("admin")
def shoppers():
    form = InviteShopperForm()
    link = None
    if form.validate_on_submit():
        try:
            invitation = invitations.invite_shopper(
                current_store(), email=form.email.data, display_name=form.display_name.data or "",
                secret_key=current_app.config["SECRET_KEY"])
        except AccountError:
            form.email.errors.append(_("This e-mail address already has an account."))
        else:
            link = public_url("shop.welcome", token=invitation.token)
            notices.send_invitation(current_store(), invitation.user, link, invitations.INVITATION_VALID_FOR.days)
    status = 422 if form.errors else 200
    return render_template("shop/shoppers.html", form=form, link=link,
                           shoppers=assignments.shopper_choices(current_store()),
                           valid_days=invitations.INVITATION_VALID_FOR.days), status


@bp.route("/welcome/<token>", methods=["GET", "POST"])
def welcome(token: str):
    """An invited shopper chooses a password, and is signed in."""
    store, secret = current_store(), current_app.config["SECRET_KEY"]
    try:
        invited = invitations.read_invitation(store, token, secret_key=secret)
    except invitations.InvitationError as exc:
        return render_template("shop/invitation_invalid.html", reason=exc.reason), 410
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            user = invitations.accept_invitation(store, token, password=form.password.data, secret_key=secret)
        except invitations.InvitationError as exc:
            return render_template("shop/invitation_invalid.html", reason=exc.reason), 410
        sign_in_fresh(user)
        flash(_("Welcome! Your password is set."))
        return redirect(url_for("shop.index"))
    status = 422 if form.errors else 200
    return render_template("shop/welcome.html", form=form, invited=invited), status


# -- managers: assignments ---------------------------------------------------------------
@bp.get("/assignments")
@role_required("manager")
def assignment_list():
    items = assignments.branch_assignments(current_store(), _me())
    return render_template("shop/assignments.html", items=items)


@bp.route("/assignments/new", methods=["GET", "POST"])
@role_required("manager")
def assignment_new():
    store, me = current_store(), _me()
    form = AssignmentForm()
    form.shopper.choices = [SelectChoice("", _("Choose…"))] + [
        SelectChoice(u.id, u.display_name + ("" if u.active else " " + _("(invited)")))
        for u in assignments.shopper_choices(store)]
    form.branch.choices = [SelectChoice(b.slug, b.name)
                           for b in store.directory.branches() if me.can_see_branch(b.slug)]
    form.scenario.choices = [SelectChoice("", _("Choose…"))] + [
        SelectChoice(s.id, _(s.title), optgroup=str(CHANNEL_LABELS[channel]))
        for channel in VISIT_CHANNELS for s in scenarios_for_channel(channel)]
    if form.validate_on_submit():
        try:
            assignments.create_assignment(
                store, manager=me, shopper_id=form.shopper.data, branch=form.branch.data,
                channel=form.channel.data, scenario=form.scenario.data,
                window_start=form.window_start.data, window_end=form.window_end.data)
        except assignments.AssignmentProblems as exc:
            show_problems(form, exc.problems)
        else:
            flash(_("Assignment made."))
            return redirect(url_for("shop.assignment_list"))
    status = 422 if form.errors else 200
    return render_template("shop/assignment_new.html", form=form, channels=VISIT_CHANNELS), status


# -- shoppers: the visit report ---------------------------------------------------------
@bp.route("/assignments/<assignment_id>/visit", methods=["GET", "POST"])
@role_required("shopper")
def visit_form(assignment_id: str):
    store, me = current_store(), _me()
    try:
        page = shopping.shopper_visit_page(store, assignment_id, me)
    except shopping.VisitNotFound:
        abort(404)
    form = visit_form_class(default_rubric())()
    form.set_roster(page.roster)
    summary: list[tuple[str, str]] = []
    status = 200
    if not page.editable:
        if request.method == "POST":
            flash(_("This visit has been submitted and can no longer be changed."))
            return redirect(url_for("shop.visit_form", assignment_id=assignment_id))
        form.load(page.visit, page.timezone)
    elif form.validate_on_submit():
        data = form.to_input(page.timezone)
        submitting = bool(form.submit_report.data)
        action = shopping.submit_visit if submitting else shopping.save_draft
        try:
            action(store, assignment_id=assignment_id, shopper=me, data=data)
        except shopping.VisitIncomplete as exc:
            summary = show_problems(form, exc.problems)
            status = 422
        except shopping.VisitStateError:
            flash(_("This visit has been submitted and can no longer be changed."))
            return redirect(url_for("shop.visit_form", assignment_id=assignment_id))
        except shopping.VisitConflictError:
            summary = [("visited_at", _("Someone changed this visit while you were editing it. "
                                        "Copy your notes, then reload the page."))]
            status = 409
        else:
            if submitting:
                flash(_("Submitted for review. Thank you!"))
                return redirect(url_for("shop.index"))
            flash(_("Draft saved."))
            return redirect(url_for("shop.visit_form", assignment_id=assignment_id))
    elif request.method == "POST":
        status = 422
        summary = error_summary(form)
    elif page.visit:
        form.load(page.visit, page.timezone)
    else:
        form.start_now(page.timezone, utc_now())
    return render_template("shop/visit_form.html", form=form, page=page, summary=summary), status


@bp.post("/assignments/<assignment_id>/visit/draft")
@role_required("shopper")
def visit_autosave(assignment_id: str):
    """The page saves the draft by itself while the shopper types (JSON: whether it was saved, and a line to show)."""
    store, me = current_store(), _me()
    try:
        page = shopping.shopper_visit_page(store, assignment_id, me)
    except shopping.VisitNotFound:
        abort(404)
    if not page.editable:
        return jsonify(saved=False, message=_("This visit has been submitted and can no longer be changed.")), 409
    form = visit_form_class(default_rubric())()
    form.set_roster(page.roster)
    if not form.validate_on_submit():
        return jsonify(saved=False, message=_("Not saved yet: check the fields marked when you save.")), 422
    now = utc_now()
    try:
        shopping.save_draft(store, assignment_id=assignment_id, shopper=me, data=form.to_input(page.timezone),
                            now=now)
    except shopping.VisitIncomplete:
        return jsonify(saved=False, message=_("Not saved yet: give the date and time of the visit.")), 422
    except (shopping.VisitStateError, shopping.VisitConflictError):
        return jsonify(saved=False, message=_("Not saved: this visit was changed elsewhere. Reload the page.")), 409
    return jsonify(saved=True, message=_("Draft saved at %(time)s.", time=format_local(
        now, page.timezone, str(get_locale()), kind="time")))


# -- reviewers ---------------------------------------------------------------------------
@bp.get("/review")
@role_required("reviewer")
def review():
    submitted, returned = shopping.review_queue(current_store(), _me())
    return render_template("shop/review.html", submitted=submitted, returned=returned,
                           scenarios=default_scenarios())


@bp.get("/visits")
@role_required("manager")
def visit_list():
    """Approved visits in the manager's branches, with their scores."""
    visits = shopping.approved_visits_for(current_store(), _me())
    return render_template("shop/visits.html", visits=visits, scenarios=default_scenarios())


def _review_form(detail: shopping.VisitDetail) -> ReviewForm:
    form = ReviewForm()
    form.staff.choices = [SelectChoice("", _("Keep as recorded"))] + [
        SelectChoice(i, name) for i, name in detail.roster]
    return form


@bp.get("/visits/<visit_id>")
@role_required("reviewer", "manager")
def visit_detail(visit_id: str):
    try:
        detail = shopping.visit_detail(current_store(), visit_id, _me())
    except shopping.VisitNotFound:
        abort(404)
    return render_template("shop/visit_detail.html", detail=detail, form=_review_form(detail))


@bp.post("/visits/<visit_id>/review")
@role_required("reviewer")
def visit_review(visit_id: str):
    store, me = current_store(), _me()
    try:
        detail = shopping.visit_detail(store, visit_id, me)
    except shopping.VisitNotFound:
        abort(404)
    form = _review_form(detail)
    if form.validate_on_submit():
        try:
            if form.send_back.data:
                returned = shopping.return_visit(store, visit_id=visit_id, reviewer=me,
                                                 comment=form.comment.data or "")
                notices.send_visit_returned(store, returned, form.comment.data or "")
                flash(_("Returned to the shopper."))
            else:
                shopping.approve_visit(store, visit_id=visit_id, reviewer=me, note=form.comment.data or "",
                                       staff=form.staff.data or None)
                flash(_("Approved: the visit now counts."))
            return redirect(url_for("shop.review"))
        except shopping.VisitIncomplete as exc:
            summary = show_problems(form, exc.problems)
        except (shopping.VisitStateError, shopping.VisitConflictError):
            flash(_("This visit has already been reviewed or changed; here it is as it stands."))
            return redirect(url_for("shop.visit_detail", visit_id=visit_id))
    else:
        summary = error_summary(form)
    return render_template("shop/visit_detail.html", detail=detail, form=form, summary=summary), 422


from . import appeal_views  # noqa: E402,F401  (registers the appeal pages on ``bp``)
