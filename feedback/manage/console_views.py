"""More pages of the manager console: the comments browser, alert rules, the outbox, account e-mails.

Thin like the rest: a form parses the query or the post, one service
function does the work, a template shows it. Registered on the ``manage``
blueprint (imported at the end of ``views``).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ..model import parse_utc
from ..pdf import PdfRenderError
from ..services import account_links
from ..services.accounts import AccountError
from ..services.alerts import AlertRuleError, alert_rule, rule_from_form, save_alert_rule
from ..services.branding import LOGO_MAX_BYTES, LogoError, poster_branding, save_library_name, save_logo
from ..services.comment_browser import CommentQuery, browse_comments, theme_choices
from ..services.followup_queue import language_name
from ..services.kiosk_fleet import kiosk_fleet
from ..services.mail import mail_configured
from ..services.posters import PosterError, build_poster
from ..services.surveys import surveys_from_settings
from ..store import current_store
from .access import admin_required, branch_scope, manager_required, visible_branch_or_404, visible_branches
from .console_forms import AccountMailForm, AlertRuleForm, BrandingForm, CommentFilterForm, PosterForm
from .forms import KioskRevokeForm
from .views import bp


# -- comments ------------------------------------------------------------------------------
def _comment_form():
    slug = request.args.get("branch", "")
    chosen = branch_scope(slug)
    store = current_store()
    form = CommentFilterForm(formdata=request.args)
    form.branch.choices = [SelectChoice("", _("All my branches"))] + [SelectChoice(b.slug, b.name)
                                                                    for b in visible_branches()]
    desks = store.directory.desks(slug) if slug else []
    form.desk.choices = [SelectChoice("", _("All desks"))] + [SelectChoice(d.slug, d.name) for d in desks]
    slugs = {b.slug for b in chosen}
    members = [m for m in store.directory.staff(include_inactive=True) if m.branch in slugs]
    form.staff.choices = [SelectChoice("", _("Everyone"))] + [SelectChoice(m.id, m.display_name) for m in members]
    form.language.choices = [SelectChoice("", _("Every language"))] + [
        SelectChoice(code, language_name(code, str(get_locale()))) for code in current_app.config["LANGUAGES"]]
    form.theme.choices = [SelectChoice("", _("Every theme"))] + [SelectChoice(v, label) for v, label in theme_choices()]
    notice = None
    if form.desk.data and form.desk.data not in {d.slug for d in desks}:
        notice = _("That desk is not at the chosen branch, so every desk is shown.")
        form.desk.data = ""
    if form.staff.data and form.staff.data not in {m.id for m in members}:
        notice = _("That staff member is not at the chosen branch, so everyone is shown.")
        form.staff.data = ""
    return form, chosen, notice


@bp.get("/comments/")
@manager_required
def comments():
    form, chosen, notice = _comment_form()
    page = window = None
    if form.validate():
        if form.since.data and form.until.data:
            # Exact instants, from an alert's link: the answers of that window, the last one included.
            start, end = parse_utc(form.since.data), parse_utc(form.until.data) + timedelta(seconds=1)
            window = (form.since.data, form.until.data)
        else:
            period = form.chosen
            form.show_chosen(period)
            start, end = period.utc_bounds(chosen[0].timezone if chosen else "UTC")
        query = CommentQuery(tuple(chosen), start, end, desk=form.desk.data or None, staff=form.staff.data or None,
                             language=form.language.data or None, score=form.score.data or None,
                             theme=form.theme.data or None, text=(form.q.data or "").strip() or None,
                             with_comment=form.answers.data != "all", page=form.page.data or 1)
        page = browse_comments(current_store(), query, surveys_from_settings(current_store().directory.settings()),
                               viewer_language=str(get_locale()))
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template("manage/comments.html", form=form, page=page, args=args, notice=notice,
                           window=window), (200 if page else 400)


# -- alert rules per branch ------------------------------------------------------------------
@bp.route("/alerts/<branch_slug>", methods=["GET", "POST"])
@manager_required
def alert_settings(branch_slug: str):
    branch = visible_branch_or_404(branch_slug)
    store = current_store()
    current = alert_rule(store, branch.slug)
    form = AlertRuleForm(data=None if request.method == "POST" else {
        **asdict(current), "unhappy_percent": int(round(current.unhappy_share * 100))})
    status = 200
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in (
            "enabled", "window_minutes", "min_answers", "low_score_comment", "low_score",
            "kiosk_silent_minutes", "opens", "closes")}
        values["unhappy_share"] = form.unhappy_percent.data / 100
        try:
            save_alert_rule(store, branch.slug, rule_from_form(values))
        except AlertRuleError as exc:
            target = "unhappy_percent" if exc.field == "unhappy_share" else exc.field
            getattr(form, target).errors.append(_("Give %(what)s.", what=str(exc)))
            status = 400
        else:
            flash(_("Alert rule for %(branch)s saved.", branch=branch.name))
            return redirect(url_for("manage.alert_settings", branch_slug=branch.slug))
    elif request.method == "POST":
        status = 400
    return render_template("manage/alert_settings.html", branch=branch, form=form), status


# -- the outbox (administrators) ----------------------------------------------------------------
@bp.get("/setup/outbox")
@admin_required
def setup_outbox():
    store = current_store()
    return render_template("manage/setup/outbox.html", pending=store.outbox.pending(),
                           recent=[m for m in store.outbox.recent(30) if m.status == "sent"],
                           configured=mail_configured(current_app.config))


@bp.post("/setup/users/<user_id>/mail")
@admin_required
def setup_user_mail(user_id: str):
    """Send a reset link, or a fresh invitation to a shopper who has not accepted the first."""
    form = AccountMailForm()
    store = current_store()
    user = store.directory.user(user_id)
    if user is None or not form.validate_on_submit():
        abort(404 if user is None else 400)
    secret = current_app.config["SECRET_KEY"]
    if form.action.data == "invite":
        try:
            account_links.resend_invitation(store, user, secret_key=secret)
        except AccountError:
            flash(_("%(email)s already has an active account: send a reset link instead.", email=user.email))
            return redirect(url_for("manage.setup_users"))
        done = _("A new invitation for %(email)s is in the outbox; earlier links no longer work.", email=user.email)
    else:
        if account_links.send_password_reset(store, user, secret_key=secret) is None:
            flash(_("%(email)s is inactive: make the account active first.", email=user.email))
            return redirect(url_for("manage.setup_users"))
        done = _("A reset link for %(email)s is in the outbox.", email=user.email)
    if not mail_configured(current_app.config):
        done += " " + _("No mail server is set up: open the outbox to pass the link on.")
    flash(done)
    return redirect(url_for("manage.setup_users"))


# -- the kiosk fleet -----------------------------------------------------------------------------
@bp.get("/kiosks/")
@manager_required
def kiosk_list():
    rows = kiosk_fleet(current_store(), [b.slug for b in visible_branches()])
    return render_template("manage/kiosk_fleet.html", rows=rows)


@bp.get("/setup/kiosks/<reference>/revoke")
@admin_required
def setup_kiosk_revoke_confirm(reference: str):
    """Revoking stops a kiosk for good: say what will happen and ask first (the POST is the existing revoke)."""
    row = next((r for r in kiosk_fleet(current_store(), [b.slug for b in visible_branches()])
                if r.reference == reference and r.active), None)
    if row is None:
        abort(404)
    return render_template("manage/setup/kiosk_revoke.html", row=row, revoke_form=KioskRevokeForm(formdata=None))


# -- posters ---------------------------------------------------------------------------------------
def _poster_form() -> tuple[PosterForm, str | None]:
    store = current_store()
    form = PosterForm(formdata=request.args if request.args else None)
    branches = visible_branches()
    form.branch.choices = [SelectChoice(b.slug, b.name) for b in branches if b.active]
    slug = form.branch.data if form.branch.data in {b.slug for b in branches} else None
    desks = store.directory.desks(slug) if slug else []
    form.desk.choices = [SelectChoice("", _("The whole branch"))] + [SelectChoice(d.slug, d.name)
                                                                   for d in desks if d.active]
    members = store.directory.staff(slug) if slug else []
    form.staff.choices = [SelectChoice("", _("Nobody in particular"))] + [SelectChoice(m.code, m.display_name)
                                                                       for m in members]
    notice = None
    if form.desk.data and form.desk.data not in {d.slug for d in desks}:
        form.desk.data, notice = "", _("That desk is not at the chosen branch: choose one of its own.")
    if form.staff.data and form.staff.data not in {m.code for m in members}:
        form.staff.data, notice = "", _("That staff member is not at the chosen branch: choose one of its own.")
    return form, notice


@bp.get("/posters/")
@manager_required
def posters():
    form, notice = _poster_form()
    branding = None
    if current_user.role == "admin":
        name, logo = poster_branding(current_store(), current_app.config["SYSTEM_NAME"])
        branding = BrandingForm(formdata=None, library_name=name)
        branding.has_logo = logo is not None
    return render_template("manage/posters.html", form=form, notice=notice, branding=branding)


@bp.get("/posters/poster.pdf")
@manager_required
def poster_pdf():
    form, notice = _poster_form()
    if notice or not form.validate():
        return render_template("manage/posters.html", form=form, notice=notice, branding=None), 400
    visible_branch_or_404(form.branch.data)
    try:
        pdf = build_poster(current_store(), base_url=current_app.config["PUBLIC_URL"], branch=form.branch.data,
                           desk=form.desk.data or None, staff_code=form.staff.data or None,
                           poster_format=form.format.data)
    except PosterError:
        abort(404)
    except PdfRenderError as exc:
        return render_template("manage/posters.html", form=form, notice=str(exc), branding=None), 503
    parts = [form.branch.data, form.desk.data, form.staff.data, form.format.data]
    name = "poster-" + "-".join(p for p in parts if p) + ".pdf"
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.post("/posters/branding")
@admin_required
def poster_branding_save():
    form = BrandingForm()
    store = current_store()
    if form.validate_on_submit():
        upload = request.files.get("logo")
        try:
            if form.remove_logo.data:
                store.branding.remove_logo()
            elif upload and upload.filename:
                save_logo(store, upload.read(LOGO_MAX_BYTES + 1))
        except LogoError as exc:
            form.logo.errors.append({
                "too_large": _("The logo is larger than 2 MB."),
                "too_many_pixels": _("The logo has too many pixels; use a smaller image."),
            }.get(exc.reason, _("Upload a PNG or JPEG image.")))
        else:
            save_library_name(store, form.library_name.data or "")
            flash(_("Poster name and logo saved."))
            return redirect(url_for("manage.posters"))
    poster_form, _notice = _poster_form()
    form.has_logo = store.branding.logo() is not None
    return render_template("manage/posters.html", form=poster_form, notice=None, branding=form), 400
