"""Views of the manager console: dashboard, staff pages, follow-ups, exports and backup.

Thin: each parses the request with a form, checks the branch against the
user (``access``), calls one service function and renders. The set-up pages
for administrators are in ``setup_views``; comments, alert rules, kiosks,
posters and the outbox in ``console_views``.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ..services import export
from ..services.backup import write_backup
from ..services.coaching_reminders import coaching_reminders
from ..services.console import console_notices
from ..services.dashboard import Scope, build_dashboard, build_staff_page, responses_in_scope, visits_in_scope
from ..services.followup_queue import FollowUpError, complete_followup, followup_queue, followup_rows
from ..services.review import held_count
from ..store import current_store
from .access import admin_required, branch_scope, manager_required, visible_branch_or_404, visible_branches
from .forms import CHANNEL_LABELS, FilterForm, FollowUpDoneForm, PeriodForm

bp = Blueprint("manage", __name__, url_prefix="/manage")

_MEDIA_TYPES = {"csv": export.CSV_MEDIA_TYPE, "xlsx": export.XLSX_MEDIA_TYPE}


def _filter_from_request() -> tuple[FilterForm, Scope | None, str | None]:
    """The filter form bound to the query string, the scope it selects (None if invalid), and a notice."""
    slug = request.args.get("branch", "")
    chosen = branch_scope(slug)  # 404 for a branch the user may not see
    form = FilterForm(formdata=request.args)
    language = str(get_locale())
    form.branch.choices = [SelectChoice("", _("All my branches"))] + [SelectChoice(b.slug, b.name_in(language))
                                                                    for b in visible_branches()]
    desks = current_store().directory.desks(slug) if slug else []
    form.desk.choices = [SelectChoice("", _("All desks"))] + [SelectChoice(d.slug, d.name_in(language))
                                                             for d in desks]
    notice = None
    if form.desk.data and form.desk.data not in {d.slug for d in desks}:
        # The branch was switched (or cleared) with a desk still selected: show every desk and say so.
        notice = (_("That desk is not at %(branch)s, so every desk is shown.", branch=chosen[0].name) if slug
                  else _("Choose a branch to filter by desk; every desk is shown."))
        form.desk.data = ""
    if not form.validate():
        return form, None, notice
    period = form.chosen
    form.show_chosen(period)
    return form, Scope(tuple(chosen), period, form.desk.data or None, form.channel.data or None), notice


@bp.get("/")
@manager_required
def dashboard():
    form, scope, notice = _filter_from_request()
    board = notices = None
    if scope is not None:
        board = build_dashboard(current_store(), scope, min_count=current_app.config["MIN_RESPONSES_FOR_FIGURE"])
        notices = console_notices(current_store(), [b.slug for b in scope.branches],
                                  overdue_days=current_app.config["FOLLOWUP_OVERDUE_DAYS"])
    query = {k: v for k, v in request.args.items() if k in ("branch", "desk", "channel") and v}
    if form.desk.data == "":
        query.pop("desk", None)
    if scope is not None:
        query["period"] = scope.period.label
    held = held_count(current_store(), [b.slug for b in visible_branches()])
    reminders = coaching_reminders(current_store(), list(scope.branches)) if scope is not None else None
    page = render_template("manage/dashboard.html", form=form, board=board, query=query, notice=notice,
                           notices=notices, held_waiting=held, channel_labels=CHANNEL_LABELS, reminders=reminders)
    return page, (200 if board else 400)


@bp.get("/staff/<staff_id>")
@manager_required
def staff_member(staff_id: str):
    store = current_store()
    member = store.directory.staff_member(staff_id)
    if member is None:
        abort(404)
    branch = visible_branch_or_404(member.branch)
    form = PeriodForm(formdata=request.args)
    if not form.validate():
        return render_template("manage/staff.html", form=form, page=None, member=member), 400
    period = form.chosen
    form.show_chosen(period)
    page = build_staff_page(store, member, branch, period, min_count=current_app.config["MIN_RESPONSES_FOR_FIGURE"],
                            compare_min=current_app.config["MIN_RESPONSES_TO_COMPARE"], language=str(get_locale()))
    return render_template("manage/staff.html", form=form, page=page, member=member)


@bp.get("/export/<what>.<fmt>")
@manager_required
def export_download(what: str, fmt: str):
    if what not in ("responses", "visits") or fmt not in _MEDIA_TYPES:
        abort(404)
    form, scope, _notice = _filter_from_request()
    if scope is None:
        return redirect(url_for("manage.dashboard", **request.args))
    store = current_store()
    buffer: io.StringIO | io.BytesIO = io.StringIO() if fmt == "csv" else io.BytesIO()
    dialect = export.csv_dialect_for(str(get_locale()))  # the reader's spreadsheet: ";" in Danish
    if what == "responses":
        export.export_responses(store, buffer, fmt, responses_in_scope(store, scope), dialect=dialect)
    else:
        export.export_visits(store, buffer, fmt, visits_in_scope(store, scope), dialect=dialect,
                             for_manager=current_user.role != "admin")
    body = buffer.getvalue()
    name = f"{what}-{scope.period.label}-{request.args.get('branch') or 'all'}.{fmt}"
    # content_type, not mimetype: Flask would add a second "; charset=utf-8" to a mimetype.
    return Response(body.encode("utf-8") if isinstance(body, str) else body, content_type=_MEDIA_TYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/backup.json")
@admin_required
def backup_download():
    buffer = io.StringIO()
    write_backup(current_store(), buffer)
    name = f"feedback-backup-{datetime.now(UTC):%Y%m%d-%H%M%S}.json"
    return Response(buffer.getvalue().encode("utf-8"), mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/followups/")
@manager_required
def followup_branches():
    store = current_store()
    counts = [(b, len(followup_queue(store, b.slug)[0])) for b in visible_branches()]
    return render_template("manage/followup_branches.html", counts=counts)


def _render_queue(branch, forms=None, status: int = 200):
    store = current_store()
    open_items, done_items = followup_queue(store, branch.slug)
    forms = forms or {}
    for item in open_items:
        forms.setdefault(item.id, FollowUpDoneForm(formdata=None))
    rows = followup_rows(store, branch, open_items, viewer_language=str(get_locale()),
                         overdue_after=timedelta(days=current_app.config["FOLLOWUP_OVERDUE_DAYS"]))
    return render_template("manage/followups.html", branch=branch, open_items=rows,
                           done_items=done_items[:20], forms=forms), status


@bp.get("/followups/<branch_slug>")
@manager_required
def followups(branch_slug: str):
    return _render_queue(visible_branch_or_404(branch_slug))


@bp.post("/followups/<branch_slug>/<followup_id>/done")
@manager_required
def followup_done(branch_slug: str, followup_id: str):
    branch = visible_branch_or_404(branch_slug)
    form = FollowUpDoneForm()
    if not form.validate_on_submit():
        return _render_queue(branch, {followup_id: form}, 400)
    try:
        complete_followup(current_store(), followup_id, branches={branch.slug}, by=current_user.id,
                          note=form.note.data)
    except FollowUpError:
        abort(404)
    flash(_("Marked done; the guest's contact details are deleted."))
    return redirect(url_for("manage.followups", branch_slug=branch.slug))


# Register more pages on ``bp``: the console's, the review queue, the set-up pages and the coaching cycle's.
from . import (  # noqa: E402,F401
    coaching_setup_views,
    coaching_views,
    console_views,
    review_views,
    setup_views,
    survey_setup_views,
)
