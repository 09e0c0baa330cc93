"""Forms of the manager console: the dashboard filter, follow-ups and the set-up pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..model import RESPONSE_CHANNELS, ROLES
from ..services.accounts import MIN_PASSWORD_LENGTH
from ..services.followup_queue import NOTE_MAX_LENGTH
from .period_picker import PeriodPickerForm

CHANNEL_LABELS = {"kiosk": _l("Kiosk"), "qr": _l("QR code"), "web": _l("Web")}
ROLE_LABELS = {"admin": _l("Administrator"), "manager": _l("Manager"), "reviewer": _l("Reviewer"),
               "shopper": _l("Mystery shopper"), "staff": _l("Staff member (own coaching only)")}


class FilterForm(PeriodPickerForm):
    """The dashboard's and exports' filter, read from the query string (a GET changes nothing).

    A desk that is not at the chosen branch (the branch was switched with a
    desk selected) is dropped by the view with a notice, never shown as an
    error under a select that reads "All desks".
    """

    branch = SelectField(_l("Branch"), validators=[Optional()])
    desk = SelectField(_l("Desk"), validators=[Optional()])
    channel = SelectField(_l("Channel"), validators=[Optional()],
                          choices=[SelectChoice("", _l("All channels"))]
                          + [SelectChoice(c, CHANNEL_LABELS[c]) for c in RESPONSE_CHANNELS])


class PeriodForm(PeriodPickerForm):
    """The staff page's period."""


class FollowUpDoneForm(FlaskForm):
    note = TextAreaField(_l("What was done"), validators=[
        DataRequired(message=_l("Say in a few words what was done.")), Length(max=NOTE_MAX_LENGTH)])


# -- set-up -----------------------------------------------------------------------
class CheckboxListField(SelectMultipleField):
    """Several choices as checkboxes with their labels (the template lays them out), not a ctrl-click list."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ListFilterForm(FlaskForm):
    """Search and branch filter above a set-up table, read from the query string (a GET changes nothing)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
    branch = SelectField(_l("Branch"), validators=[Optional()])


def with_other_names(form_class: type[FlaskForm], languages: list[str], names: dict[str, str],
                     language_names: dict[str, str]) -> type[FlaskForm]:
    """``form_class`` with one optional ``name_<lang>`` field per other language, for guests' own language."""

    class Named(form_class):  # type: ignore[misc, valid-type]
        pass

    for code in languages:
        setattr(Named, f"name_{code}", StringField(
            _l("Name in %(language)s", language=language_names.get(code, code)),
            validators=[Optional(), Length(max=120)], default=names.get(code, ""),
            description=_l("Leave empty to show the main name.")))
    return Named


class BranchForm(FlaskForm):
    slug = StringField(_l("Short name (in links)"), validators=[DataRequired(), Length(max=63)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    timezone = StringField(_l("Time zone"), default="Europe/Copenhagen", validators=[DataRequired(), Length(max=64)])


class BranchEditForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    timezone = StringField(_l("Time zone"), validators=[DataRequired(), Length(max=64)])
    active = BooleanField(_l("Active"), description=_l("Clear this to close its survey links; its history stays."))


class DeskForm(FlaskForm):
    slug = StringField(_l("Short name (in links)"), validators=[DataRequired(), Length(max=63)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])


class DeskEditForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    active = BooleanField(_l("Active"), description=_l(
        "Clear this and its survey links count for the branch only; its history stays."))


class StaffForm(FlaskForm):
    display_name = StringField(_l("Name shown to guests"), validators=[DataRequired(), Length(max=120)])
    branch = SelectField(_l("Branch"), validators=[DataRequired()])


class StaffEditForm(StaffForm):
    active = BooleanField(_l("Active"), description=_l(
        "Clear this and answers through their code no longer name them; their history stays."))


class UserForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    display_name = StringField(_l("Name"), validators=[Optional(), Length(max=120)])
    role = SelectField(_l("Role"), choices=[SelectChoice(r, ROLE_LABELS[r]) for r in ROLES],
                       validators=[DataRequired()])
    branches = CheckboxListField(_l("Branches this manager sees"), validators=[Optional()])
    language = SelectField(_l("Language"), validators=[Optional()],
                           description=_l("Pages, e-mails and reports are in this language."))
    password = PasswordField(_l("First password"), validators=[
        DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=256,
                               message=_l("Use at least %(min)d characters.", min=MIN_PASSWORD_LENGTH))])


class UserEditForm(FlaskForm):
    display_name = StringField(_l("Name"), validators=[Optional(), Length(max=120)])
    role = SelectField(_l("Role"), choices=[SelectChoice(r, ROLE_LABELS[r]) for r in ROLES],
                       validators=[DataRequired()])
    branches = CheckboxListField(_l("Branches this manager sees"), validators=[Optional()])
    language = SelectField(_l("Language"), validators=[Optional()],
                           description=_l("Pages, e-mails and reports are in this language."))
    active = BooleanField(_l("Active"), description=_l("Clear this and the account can no longer sign in."))


class KioskForm(FlaskForm):
    desk = SelectField(_l("Branch and desk"), validators=[DataRequired()])
    label = StringField(_l("Label (where it stands)"), validators=[
        DataRequired(message=_l("Say where the kiosk stands, for example: by the entrance.")), Length(max=80)],
        description=_l("Shown in the list of kiosks, so you can tell them apart."))


class KioskRevokeForm(FlaskForm):
    kiosk = StringField(validators=[DataRequired(), Length(max=64)])


class SignOutEverywhereForm(FlaskForm):
    """A button: its CSRF token is all it carries (the user is in the URL)."""


class RetentionForm(FlaskForm):
    retention_days = IntegerField(_l("Keep guest responses for (days)"), validators=[
        InputRequired(message=_l("Give a number of days."))])


# -- answers held for review --------------------------------------------------------
class ReviewDecisionForm(FlaskForm):
    """Confirm a held answer as genuine (it then counts) or discard it as abuse; the note is optional."""

    decision = SelectField(_l("Decision"), choices=[SelectChoice("confirm", _l("Genuine: count it")),
                                                    SelectChoice("discard", _l("Abuse: discard it"))],
                           validators=[InputRequired()])
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=500)])
