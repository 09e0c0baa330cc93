"""Set-up pages for administrators: branches, desks, staff, users, kiosks, survey texts, retention.

Each resource has one list page with an "add" form and one small edit form
per row. A form that fails shows the page again with the message next to the
field at fault (``SetupError.field``) and nothing stored.
"""

from __future__ import annotations

import hashlib

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from ..links import public_url
from ..services import kiosks as kiosk_service
from ..services import setup
from ..services.retention import retention_days
from ..services.surveys import surveys_from_settings
from ..services.user_sessions import end_all_sessions
from ..store import NotFoundError, current_store
from .access import admin_required
from .forms import (
    BranchEditForm,
    BranchForm,
    DeskEditForm,
    DeskForm,
    KioskForm,
    KioskRevokeForm,
    RetentionForm,
    SignOutEverywhereForm,
    StaffEditForm,
    StaffForm,
    UserEditForm,
    UserForm,
)
from .views import bp


def _attach(form: FlaskForm, error: setup.SetupError) -> None:
    """Show a service's complaint next to the field it names (or the first field)."""
    field = getattr(form, error.field, None) or next(iter(form))
    field.errors = [*field.errors, error.message] if isinstance(field.errors, list) else [error.message]


def _branch_choices() -> list[SelectChoice]:
    return [SelectChoice(b.slug, b.name) for b in current_store().directory.branches(include_inactive=True)]


@bp.get("/setup/")
@admin_required
def setup_index():
    return render_template("manage/setup/index.html")


# -- branches ---------------------------------------------------------------------
def _branches_page(add_form=None, edit_forms=None, status=200):
    branches = current_store().directory.branches(include_inactive=True)
    edit_forms = edit_forms or {}
    for b in branches:
        edit_forms.setdefault(b.slug, BranchEditForm(formdata=None, obj=b, prefix=f"b-{b.slug}"))
    return render_template("manage/setup/branches.html", branches=branches,
                           add_form=add_form or BranchForm(formdata=None), edit_forms=edit_forms), status


@bp.route("/setup/branches", methods=["GET", "POST"])
@admin_required
def setup_branches():
    form = BranchForm()
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                branch = setup.add_branch(current_store(), slug=form.slug.data, name=form.name.data,
                                          timezone=form.timezone.data)
            except setup.SetupError as exc:
                _attach(form, exc)
            else:
                flash(_("Branch %(name)s added.", name=branch.name))
                return redirect(url_for("manage.setup_branches"))
        return _branches_page(add_form=form, status=400)
    return _branches_page()


@bp.post("/setup/branches/<slug>")
@admin_required
def setup_branch_edit(slug: str):
    form = BranchEditForm(prefix=f"b-{slug}")
    if form.validate_on_submit():
        try:
            setup.update_branch(current_store(), slug, name=form.name.data, timezone=form.timezone.data,
                                active=form.active.data)
        except setup.SetupError as exc:
            _attach(form, exc)
        else:
            flash(_("Branch saved."))
            return redirect(url_for("manage.setup_branches"))
    return _branches_page(edit_forms={slug: form}, status=400)


# -- desks ------------------------------------------------------------------------------
def _desks_page(branch, add_form=None, edit_forms=None, status=200):
    desks = current_store().directory.desks(branch.slug)
    edit_forms = edit_forms or {}
    for d in desks:
        edit_forms.setdefault(d.slug, DeskEditForm(formdata=None, obj=d, prefix=f"d-{d.slug}"))
    return render_template("manage/setup/desks.html", branch=branch, desks=desks,
                           add_form=add_form or DeskForm(formdata=None), edit_forms=edit_forms), status


def _branch_or_404(slug: str):
    branch = current_store().directory.branch(slug)
    if branch is None:
        abort(404)
    return branch


@bp.route("/setup/branches/<slug>/desks", methods=["GET", "POST"])
@admin_required
def setup_desks(slug: str):
    branch = _branch_or_404(slug)
    form = DeskForm()
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                setup.add_desk(current_store(), branch=slug, slug=form.slug.data, name=form.name.data)
            except setup.SetupError as exc:
                _attach(form, exc)
            else:
                flash(_("Desk added."))
                return redirect(url_for("manage.setup_desks", slug=slug))
        return _desks_page(branch, add_form=form, status=400)
    return _desks_page(branch)


@bp.post("/setup/branches/<slug>/desks/<desk>")
@admin_required
def setup_desk_edit(slug: str, desk: str):
    branch = _branch_or_404(slug)
    form = DeskEditForm(prefix=f"d-{desk}")
    if form.validate_on_submit():
        try:
            setup.update_desk(current_store(), slug, desk, name=form.name.data, active=form.active.data)
        except setup.SetupError as exc:
            _attach(form, exc)
        else:
            flash(_("Desk saved."))
            return redirect(url_for("manage.setup_desks", slug=slug))
    return _desks_page(branch, edit_forms={desk: form}, status=400)


# -- staff ---------------------------------------------------------------------------------
def _staff_page(add_form=None, edit_forms=None, status=200):
    store = current_store()
    staff = sorted(store.directory.staff(include_inactive=True), key=lambda s: (s.branch, s.display_name))
    choices = _branch_choices()
    add_form = add_form or StaffForm(formdata=None)
    add_form.branch.choices = choices
    edit_forms = edit_forms or {}
    for s in staff:
        edit_forms.setdefault(s.id, StaffEditForm(formdata=None, obj=s, prefix=f"s-{s.id}"))
        edit_forms[s.id].branch.choices = choices
    return render_template("manage/setup/staff.html", staff=staff, add_form=add_form, edit_forms=edit_forms,
                           branch_names={c.value: c.label for c in choices}), status


@bp.route("/setup/staff", methods=["GET", "POST"])
@admin_required
def setup_staff():
    form = StaffForm()
    form.branch.choices = _branch_choices()
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                member = setup.add_staff(current_store(), display_name=form.display_name.data,
                                         branch=form.branch.data)
            except setup.SetupError as exc:
                _attach(form, exc)
            else:
                flash(_("%(name)s added with code %(code)s.", name=member.display_name, code=member.code))
                return redirect(url_for("manage.setup_staff"))
        return _staff_page(add_form=form, status=400)
    return _staff_page()


@bp.post("/setup/staff/<staff_id>")
@admin_required
def setup_staff_edit(staff_id: str):
    form = StaffEditForm(prefix=f"s-{staff_id}")
    form.branch.choices = _branch_choices()
    if form.validate_on_submit():
        try:
            setup.update_staff(current_store(), staff_id, display_name=form.display_name.data,
                               branch=form.branch.data, active=form.active.data)
        except setup.SetupError as exc:
            _attach(form, exc)
        else:
            flash(_("Staff member saved."))
            return redirect(url_for("manage.setup_staff"))
    return _staff_page(edit_forms={staff_id: form}, status=400)


# -- users ------------------------------------------------------------------------------------
def _users_page(add_form=None, edit_forms=None, status=200):
    users = sorted(current_store().directory.users(), key=lambda u: u.email)
    choices = _branch_choices()
    add_form = add_form or UserForm(formdata=None)
    add_form.branches.choices = choices
    edit_forms = edit_forms or {}
    for u in users:
        edit_forms.setdefault(u.id, UserEditForm(formdata=None, obj=u, prefix=f"u-{u.id}"))
        edit_forms[u.id].branches.choices = choices
    return render_template("manage/setup/users.html", users=users, add_form=add_form, edit_forms=edit_forms,
                           sign_out_form=SignOutEverywhereForm(formdata=None)), status


@bp.route("/setup/users", methods=["GET", "POST"])
@admin_required
def setup_users():
    form = UserForm()
    form.branches.choices = _branch_choices()
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                user = setup.add_user(current_store(), email=form.email.data, password=form.password.data,
                                      role=form.role.data, branches=form.branches.data or [],
                                      display_name=form.display_name.data or "")
            except setup.SetupError as exc:
                _attach(form, exc)
            else:
                flash(_("Account %(email)s added.", email=user.email))
                return redirect(url_for("manage.setup_users"))
        return _users_page(add_form=form, status=400)
    return _users_page()


@bp.post("/setup/users/<user_id>")
@admin_required
def setup_user_edit(user_id: str):
    form = UserEditForm(prefix=f"u-{user_id}")
    form.branches.choices = _branch_choices()
    if form.validate_on_submit():
        try:
            setup.update_user(current_store(), user_id, role=form.role.data, branches=form.branches.data or [],
                              display_name=form.display_name.data or "", active=form.active.data,
                              acting_user_id=current_user.id)
        except setup.SetupError as exc:
            _attach(form, exc)
        else:
            flash(_("Account saved."))
            return redirect(url_for("manage.setup_users"))
    return _users_page(edit_forms={user_id: form}, status=400)


@bp.post("/setup/users/<user_id>/sign-out")
@admin_required
def setup_user_sign_out(user_id: str):
    """End every session of the user, on every device (a lost phone, a shared computer, a leaver)."""
    user = current_store().directory.user(user_id)
    if user is None:
        abort(404)
    if not SignOutEverywhereForm().validate_on_submit():
        abort(400)
    end_all_sessions(current_store(), user.id)
    flash(_("%(email)s is signed out everywhere.", email=user.email))
    return redirect(url_for("manage.setup_users"))


# -- kiosks -------------------------------------------------------------------------------------
def kiosk_reference(token: str) -> str:
    """A short public reference to a kiosk, so pages never show its secret token again."""
    return hashlib.sha256(token.encode()).hexdigest()[:12]


def _kiosks_page(form=None, new_link: str | None = None, status=200):
    store = current_store()
    desks = [SelectChoice(f"{d.branch}/{d.slug}", f"{d.branch} · {d.name}")
             for d in store.directory.desks() if d.active]
    form = form or KioskForm(formdata=None)
    form.desk.choices = desks
    kiosks = [(kiosk_reference(k.token), k) for k in store.directory.kiosks()]
    return render_template("manage/setup/kiosks.html", form=form, kiosks=kiosks, new_link=new_link,
                           revoke_form=KioskRevokeForm(formdata=None)), status


@bp.route("/setup/kiosks", methods=["GET", "POST"])
@admin_required
def setup_kiosks():
    form = KioskForm()
    form.desk.choices = [SelectChoice(f"{d.branch}/{d.slug}", d.name) for d in current_store().directory.desks()]
    if request.method == "POST":
        if form.validate_on_submit():
            branch, _sep, desk = form.desk.data.partition("/")
            try:
                kiosk = kiosk_service.register_kiosk(current_store(), branch, desk, form.label.data or "")
            except kiosk_service.KioskError as exc:
                form.desk.errors.append(str(exc))
            else:
                # The link is the kiosk's only credential: shown this once, never again.
                link = public_url("kiosk.kiosk", token=kiosk.token)
                return _kiosks_page(new_link=link)
        return _kiosks_page(form=form, status=400)
    return _kiosks_page()


@bp.post("/setup/kiosks/revoke")
@admin_required
def setup_kiosk_revoke():
    form = KioskRevokeForm()
    if not form.validate_on_submit():
        abort(400)
    store = current_store()
    match = next((k for k in store.directory.kiosks() if kiosk_reference(k.token) == form.kiosk.data), None)
    if match is None:
        abort(404)
    try:
        kiosk_service.revoke_kiosk(store, match.token)
    except NotFoundError:
        abort(404)
    flash(_("Kiosk revoked: it no longer accepts answers."))
    return redirect(url_for("manage.setup_kiosks"))


def _kiosk_of_form():
    form = KioskRevokeForm()
    if not form.validate_on_submit():
        abort(400)
    match = next((k for k in current_store().directory.kiosks() if kiosk_reference(k.token) == form.kiosk.data),
                 None)
    if match is None:
        abort(404)
    return match


@bp.post("/setup/kiosks/restore")
@admin_required
def setup_kiosk_restore():
    """Register a revoked kiosk again: the answers it kept meanwhile are then sent."""
    kiosk_service.reregister_kiosk(current_store(), _kiosk_of_form().token)
    flash(_("Kiosk registered again: the answers it kept are sent the next time it reaches the server."))
    return redirect(url_for("manage.setup_kiosks"))


@bp.post("/setup/kiosks/discard-queue")
@admin_required
def setup_kiosk_discard_queue():
    """On purpose: a revoked kiosk discards the answers it still holds."""
    kiosk_service.discard_kiosk_queue(current_store(), _kiosk_of_form().token)
    flash(_("The kiosk will discard the answers it still holds the next time it reaches the server."))
    return redirect(url_for("manage.setup_kiosks"))


# -- survey texts ----------------------------------------------------------------------------------
def _survey_texts_form(survey, language: str, formdata=None) -> FlaskForm:
    """A form with the survey title and one text field per question, filled in ``language``."""

    class SurveyTextsForm(FlaskForm):
        pass

    SurveyTextsForm.title = StringField(_("Title"), validators=[Optional(), Length(max=300)],
                                        default=survey.title.get(language, ""))
    for q in survey.questions:
        setattr(SurveyTextsForm, f"q_{q.id}", StringField(
            f"{q.id} ({q.type}) · EN: {q.text.get('en', '')}", validators=[Optional(), Length(max=300)],
            default=q.text.get(language, "")))
    return SurveyTextsForm(formdata=formdata)


@bp.route("/setup/surveys/<survey_id>/<language>", methods=["GET", "POST"])
@admin_required
def setup_survey_texts(survey_id: str, language: str):
    store = current_store()
    surveys = surveys_from_settings(store.directory.settings())
    languages = current_app.config["LANGUAGES"]
    if survey_id not in surveys or language not in languages:
        abort(404)
    survey = surveys[survey_id]
    form = _survey_texts_form(survey, language, request.form if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            texts = {q.id: form[f"q_{q.id}"].data for q in survey.questions}
            try:
                setup.set_survey_texts(store, survey_id, language, title=form.title.data, questions=texts,
                                       languages=languages)
            except setup.SetupError as exc:
                _attach(form, setup.SetupError(exc.field if exc.field == "title" else f"q_{exc.field}",
                                               exc.message))
            else:
                flash(_("Survey texts saved."))
                return redirect(url_for("manage.setup_survey_texts", survey_id=survey_id, language=language))
        status = 400
    return render_template("manage/setup/survey_texts.html", form=form, survey=survey, language=language,
                           surveys=surveys, languages=languages), status


@bp.get("/setup/surveys/")
@admin_required
def setup_surveys():
    surveys = surveys_from_settings(current_store().directory.settings())
    return render_template("manage/setup/surveys.html", surveys=surveys, languages=current_app.config["LANGUAGES"])


# -- retention ------------------------------------------------------------------------------------
@bp.route("/setup/retention", methods=["GET", "POST"])
@admin_required
def setup_retention():
    store = current_store()
    form = RetentionForm()
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                setup.set_retention_days(store, form.retention_days.data)
            except setup.SetupError as exc:
                _attach(form, exc)
            else:
                flash(_("Retention period saved."))
                return redirect(url_for("manage.setup_retention"))
        status = 400
    else:
        form.retention_days.data = retention_days(store, current_app.config["RETENTION_DAYS"])
        status = 200
    return render_template("manage/setup/retention.html", form=form,
                           followup_days=current_app.config["FOLLOWUP_RETENTION_DAYS"]), status
