"""Set-up pages of the coaching cycle (administrators): the programme notice register and staff accounts."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ..services import programme_notices, setup, staff_accounts
from ..store import current_store
from .access import admin_required
from .coaching_forms import NoticeForm, StaffLinkForm, attach_error
from .views import bp


def _notices_page(form=None, status: int = 200):
    store = current_store()
    form = form or NoticeForm(formdata=None)
    form.branch.choices = [SelectChoice(b.slug, b.name) for b in store.directory.branches(include_inactive=True)]
    return render_template("manage/setup/programme_notices.html", register=programme_notices.notice_register(store),
                           form=form), status


@bp.route("/setup/programme-notices", methods=["GET", "POST"])
@admin_required
def setup_programme_notices():
    form = NoticeForm()
    form.branch.choices = [SelectChoice(b.slug, b.name)
                           for b in current_store().directory.branches(include_inactive=True)]
    if not form.is_submitted():
        return _notices_page()
    if form.validate():
        try:
            programme_notices.record_notice(current_store(), branch=form.branch.data, told_on=form.told_on.data,
                                            how=form.how.data, by=current_user.user)
        except programme_notices.NoticeError as exc:
            attach_error(form, exc.field, exc.message)
        else:
            flash(_("Notice recorded in the register."))
            return redirect(url_for("manage.setup_programme_notices"))
    return _notices_page(form, 400)


def _staff_choices():
    members = sorted(current_store().directory.staff(include_inactive=True), key=lambda m: (m.branch, m.display_name))
    return [SelectChoice("", _("Not linked"))] + [SelectChoice(m.id, f"{m.display_name} ({m.branch}, {m.code})")
                                                  for m in members]


def _accounts_page(forms=None, status: int = 200):
    accounts = staff_accounts.staff_accounts(current_store())
    forms = forms or {}
    choices = _staff_choices()
    for account in accounts:
        forms.setdefault(account.user.id, StaffLinkForm(formdata=None, prefix=f"l-{account.user.id}",
                                                         staff_member=account.user.staff_member or ""))
        forms[account.user.id].staff_member.choices = choices
    return render_template("manage/setup/staff_accounts.html", accounts=accounts, forms=forms), status


@bp.get("/setup/staff-accounts")
@admin_required
def setup_staff_accounts():
    return _accounts_page()


@bp.post("/setup/staff-accounts/<user_id>")
@admin_required
def setup_staff_account_link(user_id: str):
    form = StaffLinkForm(prefix=f"l-{user_id}")
    form.staff_member.choices = _staff_choices()
    if form.validate_on_submit():
        try:
            staff_accounts.link_staff_account(current_store(), user_id, form.staff_member.data or None)
        except setup.SetupError as exc:
            attach_error(form, exc.field, exc.message)
        else:
            flash(_("Account linked."))
            return redirect(url_for("manage.setup_staff_accounts"))
    return _accounts_page({user_id: form}, 400)
