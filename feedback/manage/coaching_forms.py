"""Forms of the coaching cycle: conversations, plans, statuses, comments, appeals, notices, branch actions."""

from __future__ import annotations

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, FieldList, Form, FormField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..model import BEHAVIOURS
from ..services.coaching_record import MAX_ACTIONS, TEXT_MAX
from ..services.surveys import DIMENSION_LABELS

__all__ = [
    "applied",
    "STATUS_LABELS",
    "ConversationForm",
    "PlanForm",
    "ActionStatusForm",
    "ReviewDateForm",
    "StaffCommentForm",
    "AppealForm",
    "AppealDecisionForm",
    "NoticeForm",
    "BranchActionForm",
    "StaffLinkForm",
    "attach_error",
]

STATUS_LABELS = {"open": _l("open"), "done": _l("done"), "dropped": _l("dropped")}
_DATE = _l("Write a date like 2026-11-30.")


def _behaviour_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("Choose…"))] + [SelectChoice(b, DIMENSION_LABELS[b]) for b in BEHAVIOURS]


def applied(form, change, *, refused: type[Exception], not_found: type[Exception] | tuple = ()) -> bool:
    """Validate ``form`` and make ``change(form)``; True once made, False with the errors by the fields.

    The coaching page and a staff member's own page share this step: a
    ``not_found`` error (not theirs to change) is a 404, and a ``refused``
    error's message (it carries ``field`` and ``message``) goes next to the
    field it names.
    """
    if not form.validate_on_submit():
        return False
    try:
        change(form)
    except not_found:
        abort(404)
    except refused as exc:
        attach_error(form, exc.field, exc.message)
        return False
    return True


def attach_error(form, field_name: str, message: str) -> None:
    """Show a service's complaint next to the field it names (``actions-0-action`` inside a plan)."""
    target = form
    for part in field_name.split("-"):
        try:
            target = target[int(part)] if part.isdigit() else getattr(target, part)
        except (AttributeError, IndexError, KeyError, TypeError):
            target = None
            break
        if hasattr(target, "form") and not hasattr(target, "errors"):
            target = target.form
    if target is None or not hasattr(target, "errors"):
        target = next(iter(form))
    errors = target.errors if isinstance(target.errors, list) else []
    target.errors = [*errors, message]


class ConversationForm(FlaskForm):
    held_on = DateField(_l("Date held"), validators=[InputRequired(message=_DATE)])
    present = StringField(_l("Who was there"), validators=[DataRequired(message=_l("Say who was there.")),
                                                           Length(max=TEXT_MAX)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=TEXT_MAX)])


class ActionRowForm(Form):
    """One action of a plan (a sub-form: the plan form carries the CSRF token)."""

    behaviour = SelectField(_l("Behaviour"), choices=_behaviour_choices(), validators=[Optional()])
    action = TextAreaField(_l("Action agreed"), validators=[Optional(), Length(max=TEXT_MAX)])
    by_when = DateField(_l("By when"), validators=[Optional()])
    support = TextAreaField(_l("Support from the manager"), validators=[Optional(), Length(max=TEXT_MAX)])
    how_we_know = TextAreaField(_l("How we'll know"), validators=[Optional(), Length(max=TEXT_MAX)])


class PlanForm(FlaskForm):
    agreed_on = DateField(_l("Agreed on"), validators=[InputRequired(message=_DATE)])
    review_on = DateField(_l("Review on"), validators=[InputRequired(message=_DATE)])
    actions = FieldList(FormField(ActionRowForm), min_entries=MAX_ACTIONS, max_entries=MAX_ACTIONS)


class ActionStatusForm(FlaskForm):
    status = SelectField(_l("Status"), choices=[SelectChoice(k, v) for k, v in STATUS_LABELS.items()],
                         validators=[InputRequired()])
    reason = StringField(_l("Reason (when dropped)"), validators=[Optional(), Length(max=TEXT_MAX)])


class ReviewDateForm(FlaskForm):
    review_on = DateField(_l("Review on"), validators=[InputRequired(message=_DATE)])


class StaffCommentForm(FlaskForm):
    comment = TextAreaField(_l("Your comment on this plan"), validators=[
        DataRequired(message=_l("Write your comment.")), Length(max=TEXT_MAX)])


class AppealForm(FlaskForm):
    reason = TextAreaField(_l("Why should this visit be reviewed again?"), validators=[
        DataRequired(message=_l("Say why the visit should be reviewed again.")), Length(max=TEXT_MAX)])


class AppealDecisionForm(FlaskForm):
    decision = RadioField(_l("Decision"), choices=[
        SelectChoice("upheld", _l("Uphold: the visit stops counting")),
        SelectChoice("rejected", _l("Reject: the visit still counts"))],
        validators=[InputRequired(message=_l("Choose a decision."))])
    decision_note = TextAreaField(_l("Why"), validators=[
        DataRequired(message=_l("Say why, for the staff member and their manager.")), Length(max=TEXT_MAX)])


class NoticeForm(FlaskForm):
    branch = SelectField(_l("Branch"), validators=[DataRequired()])
    told_on = DateField(_l("Date staff were told"), validators=[InputRequired(message=_DATE)])
    how = StringField(_l("How they were told"), validators=[
        DataRequired(message=_l("Say how staff were told (for example: staff meeting and e-mail).")),
        Length(max=500)])


class BranchActionForm(FlaskForm):
    you_said = TextAreaField(_l("You said (what guests told us)"), validators=[
        DataRequired(message=_l("Write what guests said.")), Length(max=300)])
    we_did = TextAreaField(_l("We did"), validators=[
        DataRequired(message=_l("Write what the branch did.")), Length(max=300)])
    done_on = DateField(_l("Done on"), validators=[InputRequired(message=_DATE)])


class StaffLinkForm(FlaskForm):
    staff_member = SelectField(_l("Staff member"), validators=[Optional()])
