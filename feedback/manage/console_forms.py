"""Forms of the console pages in ``console_views``: comments filter, alert rule, account e-mails."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from ..model import parse_utc
from .period_picker import PeriodPickerForm

__all__ = ["CommentFilterForm", "AlertRuleForm", "AccountMailForm", "PosterForm", "BrandingForm"]

SCORE_CHOICES = [SelectChoice("", _l("Any score")), SelectChoice("unhappy", _l("Unhappy (faces 1-2)")),
                 SelectChoice("neutral", _l("In between (3)")), SelectChoice("happy", _l("Happy (faces 4-5)"))]


def _instant(form, field):
    if field.data:
        try:
            parse_utc(field.data)
        except ValueError:
            raise ValidationError(_l("Not a time this page understands.")) from None


class CommentFilterForm(PeriodPickerForm):
    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
    branch = SelectField(_l("Branch"), validators=[Optional()])
    desk = SelectField(_l("Desk"), validators=[Optional()])
    staff = SelectField(_l("Staff member"), validators=[Optional()])
    language = SelectField(_l("Language"), validators=[Optional()])
    score = SelectField(_l("Score"), choices=SCORE_CHOICES, validators=[Optional()])
    theme = SelectField(_l("Theme"), validators=[Optional()])
    answers = SelectField(_l("Show"), choices=[SelectChoice("comments", _l("Answers with a comment")),
                                               SelectChoice("all", _l("Every answer"))], validators=[Optional()])
    since = HiddenField(validators=[Optional(), Length(max=25), _instant])
    until = HiddenField(validators=[Optional(), Length(max=25), _instant])
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=100000)])


_CLOCK = Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", message=_l("A time like 09:00."))


class AlertRuleForm(FlaskForm):
    enabled = BooleanField(_l("Send alerts for this branch"))
    window_minutes = IntegerField(_l("Within (minutes)"), validators=[
        InputRequired(message=_l("Give a number of minutes.")), NumberRange(min=1, max=1440)])
    min_answers = IntegerField(_l("At least this many answers"), validators=[
        InputRequired(message=_l("Give a number of answers.")), NumberRange(min=1, max=1000)])
    unhappy_percent = IntegerField(_l("Of which at least this share unhappy (%)"), validators=[
        InputRequired(message=_l("Give a percentage.")), NumberRange(min=1, max=100)])
    low_score_comment = BooleanField(_l("Alert on a comment left with a very low score"))
    low_score = IntegerField(_l("Very low means a face of at most"), validators=[
        InputRequired(message=_l("Give a face from 1 to 5.")), NumberRange(min=1, max=5)])
    kiosk_silent_minutes = IntegerField(_l("Alert when a kiosk is silent for (minutes)"), validators=[
        InputRequired(message=_l("Give a number of minutes.")), NumberRange(min=10, max=1440)])
    opens = StringField(_l("Opens at"), validators=[InputRequired(message=_l("A time like 09:00.")), _CLOCK])
    closes = StringField(_l("Closes at"), validators=[InputRequired(message=_l("A time like 20:00.")), _CLOCK])


class AccountMailForm(FlaskForm):
    action = SelectField(choices=[SelectChoice("reset", "reset"), SelectChoice("invite", "invite")],
                         validators=[InputRequired()])


class PosterForm(FlaskForm):
    """Which poster: read from the query string (a download changes nothing)."""

    class Meta:
        csrf = False

    branch = SelectField(_l("Branch"), validators=[InputRequired(message=_l("Choose a branch."))])
    desk = SelectField(_l("Desk"), validators=[Optional()])
    staff = SelectField(_l("Staff member"), validators=[Optional()])
    format = SelectField(_l("Format"), default="a4", choices=[
        SelectChoice("a4", _l("A4 poster")), SelectChoice("a5", _l("A5 poster")),
        SelectChoice("tent", _l("Table tent (A4, folded)"))])


class BrandingForm(FlaskForm):
    library_name = StringField(_l("The library's name on posters"), validators=[Optional(), Length(max=120)])
    logo = FileField(_l("Logo (PNG or JPEG, at most 2 MB)"))
    remove_logo = BooleanField(_l("Remove the logo"))
