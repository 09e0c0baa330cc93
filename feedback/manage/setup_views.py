"""Set-up pages for administrators: branches, desks, staff, users, kiosks, survey texts, retention.

Each resource has a table page (search, branch filter, pages of 50 rows, so
it reads the same at 12 staff and at 1,000), a page to add one, and an edit
page per record. A form that fails shows its page again with the message next
to the field at fault (``SetupError.field``) and nothing stored.
"""

from __future__ import annotations

import hashlib

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from ..auth.account_views import language_choices
from ..links import public_url
from ..services import kiosks as kiosk_service
from ..services import setup
from ..services.listing import list_page
from ..services.posters import qr_svg
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
    ListFilterForm,
    RetentionForm,
    SignOutEverywhereForm,
    StaffEditForm,
    StaffForm,
    UserEditForm,
    UserForm,
    with_other_names,
)
from .views import bp


def _attach(form: FlaskForm, error: setup.SetupError) -> None:
    """Show a service's complaint next to the field it names (or the first field)."""
    field = getattr(form, error.field, None) or next(iter(form))
    field.errors = [*field.errors, error.message] if isinstance(field.errors, list) else [error.message]


def _branch_choices() -> list[SelectChoice]:
    return [SelectChoice(b.slug, b.name) for b in current_store().directory.branches(include_inactive=True)]


def _other_languages() -> list[str]:
    """The languages a record may be named in besides its main name (all offered but the default)."""
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    return [code for code in current_app.config["LANGUAGES"] if code != default]


def _language_names() -> dict[str, str]:
    return {c.value: c.label for c in language_choices(current_app.config["LANGUAGES"])}


def _names_from(form: FlaskForm) -> dict[str, str]:
    return {code: form[f"name_{code}"].data or "" for code in _other_languages()}


def _listing(items, *, text_of, branch_of=None, with_branch_filter=True):
    """The search form bound to the query string, and the page of ``items`` it selects."""
    form = ListFilterForm(formdata=request.args)
    form.branch.choices = [SelectChoice("", _("All branches"))] + _branch_choices()
    if not with_branch_filter:
        del form.branch
    form.validate()
    try:
        number = int(request.args.get("page", "1"))
    except ValueError:
        number = 1
    page = list_page(items, text_of=text_of, search=form.q.data or "", branch_of=branch_of,
                     branch=(form.branch.data or "") if with_branch_filter else "", page=number)
    query = {k: v for k, v in request.args.items() if k in ("q", "branch") and v}
    return form, page, query


@bp.get("/setup/")
@admin_required
def setup_index():
    return render_template("manage/setup/index.html")


# -- branches ---------------------------------------------------------------------
@bp.route("/setup/branches", methods=["GET", "POST"])
@admin_required
def setup_branches():
    if request.method == "POST":  # the form on the "add a branch" page
        form = BranchForm()
        if form.validate_on_submit():
            try:
                branch = setup.add_branch(current_store(), slug=form.slug.data, name=form.name.data,
                                          timezone=form.timezone.data)
            except setup.SetupError as exc:
                _attach(form, exc)
            else:
                flash(_("Branch %(name)s added.", name=branch.name))
                return redirect(url_for("manage.setup_branch_edit", slug=branch.slug))
        return render_template("manage/setup/branch_new.html", form=form), 400
    store = current_store()
    desk_counts: dict[str, int] = {}
    for desk in store.directory.desks():
        desk_counts[desk.branch] = desk_counts.get(desk.branch, 0) + 1
    form, page, query = _listing(store.directory.branches(include_inactive=True),
                                 text_of=lambda b: f"{b.name} {b.slug} {' '.join(b.names.values())}",
                                 with_branch_filter=False)
    return render_template("manage/setup/branches.html", form=form, page=page, query=query,
                           desk_counts=desk_counts)


@bp.get("/setup/branches/new")
@admin_required
def setup_branch_new():
    return render_template("manage/setup/branch_new.html", form=BranchForm(formdata=None))


def _branch_edit_form(branch, formdata=None):
    cls = with_other_names(BranchEditForm, _other_languages(), branch.names, _language_names())
    return cls(formdata=formdata, obj=branch) if formdata is None else cls(formdata=formdata)


@bp.route("/setup/branches/<slug>", methods=["GET", "POST"])
@admin_required
def setup_branch_edit(slug: str):
    branch = _branch_or_404(slug)
    form = _branch_edit_form(branch, request.form if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                setup.update_branch(current_store(), slug, name=form.name.data, timezone=form.timezone.data,
                                    active=form.active.data, names=_names_from(form))
            except setup.SetupError as exc:
                _attach(form, exc)
            else:
                flash(_("Branch saved."))
                return redirect(url_for("manage.setup_branches"))
        status = 400
    return render_template("manage/setup/branch_edit.html", branch=branch, form=form,
                           desks=current_store().directory.desks(slug)), status


# -- desks ------------------------------------------------------------------------------
def _branch_or_404(slug: str):
    branch = current_store().directory.branch(slug)
    if branch is None:
        abort(404)
    return branch


@bp.route("/setup/branches/<slug>/desks", methods=["GET", "POST"])
@admin_required
def setup_desks(slug: str):
    branch = _branch_or_404(slug)
    form = DeskForm() if request.method == "POST" else DeskForm(formdata=None)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                setup.add_desk(current_store(), branch=slug, slug=form.slug.data, name=form.name.data)
            except setup.SetupError as exc:
                _attach(form, exc)
            else:
                flash(_("Desk added."))
                return redirect(url_for("manage.setup_desks", slug=slug))
        status = 400
    return render_template("manage/setup/desks.html", branch=branch, desks=current_store().directory.desks(slug),
                           add_form=form), status


@bp.route("/setup/branches/<slug>/desks/<desk>", methods=["GET", "POST"])
@admin_required
def setup_desk_edit(slug: str, desk: str):
    branch = _branch_or_404(slug)
    record = current_store().directory.desk(slug, desk)
    if record is None:
        abort(404)
    cls = with_other_names(DeskEditForm, _other_languages(), record.names, _language_names())
    form = cls() if request.method == "POST" else cls(formdata=None, obj=record)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                setup.update_desk(current_store(), slug, desk, name=form.name.data, active=form.active.data,
                                  names=_names_from(form))
            except setup.SetupError as exc:
                _attach(form, exc)
            else:
                flash(_("Desk saved."))
                return redirect(url_for("manage.setup_desks", slug=slug))
        status = 400
    return render_template("manage/setup/desk_edit.html", branch=branch, desk=record, form=form), status


# -- staff ---------------------------------------------------------------------------------
@bp.route("/setup/staff", methods=["GET", "POST"])
@admin_required
def setup_staff():
    if request.method == "POST":  # the form on the "add a staff member" page
        form = StaffForm()
        form.branch.choices = _branch_choices()
        if form.validate_on_submit():
            try:
                member = setup.add_staff(current_store(), display_name=form.display_name.data,
                                         branch=form.branch.data)
            except setup.SetupError as exc:
                _attach(form, exc)
            else:
                flash(_("%(name)s added with code %(code)s.", name=member.display_name, code=member.code))
                return redirect(url_for("manage.setup_staff"))
        return render_template("manage/setup/staff_new.html", form=form), 400
    store = current_store()
    names = {c.value: c.label for c in _branch_choices()}
    staff = sorted(store.directory.staff(include_inactive=True),
                   key=lambda s: (names.get(s.branch, s.branch).casefold(), s.display_name.casefold()))
    form, page, query = _listing(staff, text_of=lambda s: f"{s.display_name} {s.code}",
                                 branch_of=lambda s: (s.branch,))
    return render_template("manage/setup/staff.html", form=form, page=page, query=query, branch_names=names)


@bp.get("/setup/staff/new")
@admin_required
def setup_staff_new():
    form = StaffForm(formdata=None, branch=request.args.get("branch"))
    form.branch.choices = _branch_choices()
    return render_template("manage/setup/staff_new.html", form=form)


@bp.route("/setup/staff/<staff_id>", methods=["GET", "POST"])
@admin_required
def setup_staff_edit(staff_id: str):
    member = current_store().directory.staff_member(staff_id)
    if member is None:
        abort(404)
    form = StaffEditForm() if request.method == "POST" else StaffEditForm(formdata=None, obj=member)
    form.branch.choices = _branch_choices()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                setup.update_staff(current_store(), staff_id, display_name=form.display_name.data,
                                   branch=form.branch.data, active=form.active.data)
            except setup.SetupError as exc:
                _attach(form, exc)
            else:
                flash(_("Staff member saved."))
                return redirect(url_for("manage.setup_staff"))
        status = 400
    return render_template("manage/setup/staff_edit.html", member=member, form=form), status


# -- users ------------------------------------------------------------------------------------
def _user_form(cls, **kwargs):
    form = cls(**kwargs)
    form.branches.choices = _branch_choices()
    form.language.choices = language_choices(current_app.config["LANGUAGES"])
    return form


@bp.route("/setup/users", methods=["GET", "POST"])
@admin_required
def setup_users():
    if request.method == "POST":  # the form on the "add an account" page
        form = _user_form(UserForm)
        if form.validate_on_submit():
            try:
                user = setup.add_user(current_store(), email=form.email.data, password=form.password.data,
                                      role=form.role.data, branches=form.branches.data or [],
                                      display_name=form.display_name.data or "",
                                      language=form.language.data or None,
                                      languages=current_app.config["LANGUAGES"])
            except setup.SetupError as exc:
                _attach(form, exc)
            else:
                flash(_("Account %(email)s added.", email=user.email))
                return redirect(url_for("manage.setup_users"))
        return render_template("manage/setup/user_new.html", form=form), 400
    users = sorted(current_store().directory.users(), key=lambda u: u.email)
    form, page, query = _listing(users, text_of=lambda u: f"{u.email} {u.display_name}",
                                 branch_of=lambda u: u.branches)
    return render_template("manage/setup/users.html", form=form, page=page, query=query,
                           branch_names={c.value: c.label for c in _branch_choices()})


@bp.get("/setup/users/new")
@admin_required
def setup_user_new():
    form = _user_form(UserForm, formdata=None, language=current_app.config["BABEL_DEFAULT_LOCALE"])
    return render_template("manage/setup/user_new.html", form=form)


@bp.route("/setup/users/<user_id>", methods=["GET", "POST"])
@admin_required
def setup_user_edit(user_id: str):
    user = current_store().directory.user(user_id)
    if user is None:
        abort(404)
    form = _user_form(UserEditForm) if request.method == "POST" else _user_form(UserEditForm, formdata=None,
                                                                                 obj=user)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                setup.update_user(current_store(), user_id, role=form.role.data, branches=form.branches.data or [],
                                  display_name=form.display_name.data or "", active=form.active.data,
                                  acting_user_id=current_user.id, language=form.language.data or None,
                                  languages=current_app.config["LANGUAGES"])
            except setup.SetupError as exc:
                _attach(form, exc)
            else:
                flash(_("Account saved."))
                return redirect(url_for("manage.setup_users"))
        status = 400
    return render_template("manage/setup/user_edit.html", user=user, form=form,
                           sign_out_form=SignOutEverywhereForm(formdata=None)), status


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


def _kiosks_page(form=None, new_kiosk=None, status=200):
    store = current_store()
    form = form or KioskForm(formdata=None)
    form.desk.choices = _desk_choices()
    kiosks = [(kiosk_reference(k.token), k) for k in store.directory.kiosks()]
    branches = {b.slug: b for b in store.directory.branches(include_inactive=True)}
    desks = {(d.branch, d.slug): d for d in store.directory.desks()}
    new_link = public_url("kiosk.kiosk", token=new_kiosk.token) if new_kiosk else None
    return render_template("manage/setup/kiosks.html", form=form, kiosks=kiosks, new_link=new_link,
                           new_kiosk=new_kiosk, new_qr=qr_svg(new_link) if new_link else None,
                           branches=branches, desks=desks,
                           revoke_form=KioskRevokeForm(formdata=None)), status


def _desk_choices() -> list[SelectChoice]:
    """Active desks grouped by branch (one ``optgroup`` each): 400 desks read as 100 short lists."""
    directory = current_store().directory
    names = {b.slug: b.name for b in directory.branches(include_inactive=True)}
    desks = sorted((d for d in directory.desks() if d.active), key=lambda d: (names.get(d.branch, d.branch), d.name))
    return [SelectChoice(f"{d.branch}/{d.slug}", d.name, optgroup=names.get(d.branch, d.branch)) for d in desks]


@bp.route("/setup/kiosks", methods=["GET", "POST"])
@admin_required
def setup_kiosks():
    form = KioskForm()
    form.desk.choices = _desk_choices()
    if request.method == "POST":
        if form.validate_on_submit():
            branch, _sep, desk = form.desk.data.partition("/")
            try:
                kiosk = kiosk_service.register_kiosk(current_store(), branch, desk, form.label.data or "")
            except kiosk_service.KioskError as exc:
                form.desk.errors.append(str(exc))
            else:
                # Redirect after the POST, so a reload never registers a second kiosk. The link is
                # the kiosk's only credential: the next page shows it once (the session keeps only
                # a reference to it), and never again.
                session["new_kiosk"] = kiosk_reference(kiosk.token)
                return redirect(url_for("manage.setup_kiosks"))
        return _kiosks_page(form=form, status=400)
    reference = session.pop("new_kiosk", None)
    new_kiosk = next((k for k in current_store().directory.kiosks() if reference
                      and kiosk_reference(k.token) == reference and k.active), None)
    return _kiosks_page(new_kiosk=new_kiosk)


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
