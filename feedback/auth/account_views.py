"""The signed-in user's own account page: the language they read pages, e-mails and reports in."""

from __future__ import annotations

from babel import Locale
from flask import current_app, flash, redirect, render_template, session, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from ..services.accounts import set_language
from ..store import current_store
from .forms import AccountForm
from .views import bp


def language_choices(languages: list[str]) -> list[SelectChoice]:
    """Each language named in itself ("Dansk", "Español"), so anyone can find theirs."""
    choices = []
    for code in languages:
        name = Locale.parse(code).get_display_name(code) or code
        choices.append(SelectChoice(code, name[:1].upper() + name[1:]))
    return choices


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = AccountForm()
    form.language.choices = language_choices(current_app.config["LANGUAGES"])
    if form.validate_on_submit():
        set_language(current_store(), current_user.id, form.language.data, current_app.config["LANGUAGES"])
        session.pop("lang", None)  # the account's language, not an earlier one-off pick, from now on
        with force_locale(form.language.data):
            flash(_("Your language is saved."))
        return redirect(url_for("auth.account"))
    if not form.is_submitted():
        form.language.data = current_user.language
    return render_template("auth/account.html", form=form), (400 if form.errors else 200)
