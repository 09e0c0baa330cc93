"""Forms of the shop area: invitations, passwords, assignments, the visit report and its review.

The visit form is built from the rubric (one yes/partly/no/n-a question an
item), as survey forms are built from survey definitions. Fields are optional
at the form level so that a half-filled draft can be saved; what a submission
still lacks is decided by ``services.shopping.missing_for_submission`` and
shown next to each field by :func:`show_problems`.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from ..model import VISIT_CHANNELS, Visit, parse_utc
from ..services.accounts import MIN_PASSWORD_LENGTH
from ..services.rubric import Rubric
from ..services.shopping import VisitInput

__all__ = [
    "ACCURACY_LABELS",
    "ACTION_LABELS",
    "ANSWER_LABELS",
    "CHANNEL_LABELS",
    "STATE_LABELS",
    "STATUS_LABELS",
    "InviteShopperForm",
    "SetPasswordForm",
    "AssignmentForm",
    "ReviewForm",
    "visit_form_class",
    "show_problems",
    "error_summary",
]

DESCRIBED = "described"

CHANNEL_LABELS = {
    "in_person": _l("In person"),
    "phone": _l("Phone"),
    "chat": _l("Chat"),
    "email": _l("E-mail"),
}
ANSWER_LABELS = {"yes": _l("Yes"), "partly": _l("Partly"), "no": _l("No"), "na": _l("Not applicable")}
ACCURACY_LABELS = {
    "correct": _l("Correct"),
    "partly_correct": _l("Partly correct"),
    "incorrect": _l("Incorrect"),
    "referred": _l("Appropriately referred"),
}
STATE_LABELS = {
    "upcoming": _l("Upcoming"),
    "due": _l("Due"),
    "overdue": _l("Overdue"),
    "in_review": _l("In review"),
    "returned": _l("Returned to you"),
    "done": _l("Approved"),
}
STATUS_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "returned": _l("Returned"),
    "approved": _l("Approved"),
}
ACTION_LABELS = {
    "created": _l("created"),
    "saved": _l("saved"),
    "submitted": _l("submitted"),
    "returned": _l("returned"),
    "approved": _l("approved"),
    "staff_resolved": _l("staff member identified"),
    "appeal_requested": _l("appeal requested"),
    "appeal_upheld": _l("appeal upheld"),
    "appeal_rejected": _l("appeal rejected"),
}

# What to say next to a field, by the problem code a service gave.
_MESSAGES = {
    ("visited_at", "missing"): _l("Give the date and time of the visit."),
    ("visited_at", "future"): _l("The visit cannot be in the future."),
    ("visited_at", "before_window"): _l("The visit is before the assignment's window opens."),
    ("wait_minutes", "missing"): _l("Say how many minutes you waited (0 if none)."),
    ("duration_minutes", "missing"): _l("Say how many minutes the interaction lasted."),
    ("staff", "missing"): _l("Choose who served you, or describe them if you saw no name badge."),
    ("staff", "not_in_branch"): _l("Choose a member of this branch's staff."),
    ("accuracy", "missing"): _l("Judge the accuracy of the answer."),
    ("narrative", "missing"): _l("Describe the visit in a few sentences."),
    ("would_return", "missing"): _l("Say whether you would come back."),
    ("comment", "missing"): _l("Say what the shopper should fix."),
    ("comment", "contradicts_itself"): _l(
        "This visit contradicts itself (see the warning above): return it to the shopper to correct it."),
    ("accuracy", "contradicts_item"): _l(
        "This accuracy does not agree with your answer to \"Found an accurate answer\": correct goes with Yes, "
        "partly correct with Partly, incorrect with No."),
    ("shopper", "unknown"): _l("Choose a shopper."),
    ("branch", "not_yours"): _l("Choose one of your branches."),
    ("channel", "unknown"): _l("Choose a channel."),
    ("scenario", "unknown"): _l("Choose a scenario."),
    ("scenario", "wrong_channel"): _l("This scenario is for another channel; choose one for the channel above."),
    ("window_end", "before_start"): _l("The window must end on or after its first day."),
    ("window_end", "too_long"): _l("A window may be at most three months long."),
}
_ANSWER_MISSING = _l("Answer this item (choose \u201cNot applicable\u201d if it did not arise).")
_ITEM_MESSAGES = {
    "contradicts_accuracy": _l("This answer does not agree with the accuracy you recorded below."),
    "referred_without_place": _l("You recorded that the guest was appropriately referred: say Yes here, "
                                 "or change the accuracy."),
}


def _minutes(form, field) -> None:
    """0 to 600 minutes; text that is no number already has its own error."""
    if field.data is not None and not 0 <= field.data <= 600:
        raise ValidationError(_l("Give a number of minutes from 0 to 600."))


class InviteShopperForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    display_name = StringField(_l("Name"), validators=[Optional(), Length(max=80)])


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=256,
                                           message=_l("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))],
    )
    confirm = PasswordField(
        _l("The same password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )


class AssignmentForm(FlaskForm):
    shopper = SelectField(_l("Shopper"), validators=[DataRequired(message=_l("Choose a shopper."))])
    branch = SelectField(_l("Branch"), validators=[DataRequired(message=_l("Choose a branch."))])
    channel = SelectField(_l("Channel"), choices=[SelectChoice(c, CHANNEL_LABELS[c]) for c in VISIT_CHANNELS])
    scenario = SelectField(_l("Scenario"), validators=[DataRequired(message=_l("Choose a scenario."))])
    window_start = DateField(_l("First day"), validators=[DataRequired(message=_l("Give the first day."))])
    window_end = DateField(_l("Last day"), validators=[DataRequired(message=_l("Give the last day."))])


class ReviewForm(FlaskForm):
    staff = SelectField(_l("Staff member observed"), validators=[Optional()], validate_choice=False)
    comment = TextAreaField(_l("Comment (required when returning)"), validators=[Length(max=2000)])
    approve = SubmitField(_l("Approve"))
    send_back = SubmitField(_l("Return to shopper"))


class _VisitFormBase(FlaskForm):
    """Fields common to every rubric; the rubric items are added by :func:`visit_form_class`."""

    visited_at = DateTimeLocalField(
        _l("Date and time of the visit"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    wait_minutes = IntegerField(_l("Minutes waited before being served"), validators=[Optional(), _minutes])
    duration_minutes = IntegerField(_l("Length of the interaction, in minutes"), validators=[Optional(), _minutes])
    staff = SelectField(_l("Staff member who served you"), validators=[Optional()])
    staff_description = TextAreaField(
        _l("Describe them if you saw no name badge"), validators=[Optional(), Length(max=500)])
    accuracy = RadioField(_l("Accuracy of the answer"),
                          choices=[SelectChoice(v, label) for v, label in ACCURACY_LABELS.items()],
                          validators=[Optional()])
    narrative = TextAreaField(_l("What happened, in your words"), validators=[Optional(), Length(max=5000)])
    would_return = RadioField(_l("Would you come back to this library?"),
                              choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
                              validators=[Optional()])
    save = SubmitField(_l("Save draft"))
    submit_report = SubmitField(_l("Submit for review"))

    rubric: Rubric

    def set_roster(self, roster: list[tuple[str, str]]) -> None:
        self.staff.choices = ([SelectChoice("", _l("Choose…"))] + [SelectChoice(i, name) for i, name in roster]
                              + [SelectChoice(DESCRIBED, _l("I saw no name badge (describe below)"))])

    def item_fields(self):
        """(behaviour, [(item, field)]) in rubric order, for the template."""
        return [(b, [(i, self[f"item_{i.id}"]) for i in b.items]) for b in self.rubric.behaviours]

    def start_now(self, timezone: str, now: datetime) -> None:
        """A new report starts at the current local time, to the minute: most are written just after."""
        self.visited_at.data = now.astimezone(ZoneInfo(timezone)).replace(tzinfo=None, second=0, microsecond=0)

    def load(self, visit: Visit, timezone: str) -> None:
        """Fill the form from a stored visit (times shown in the branch's zone)."""
        if visit.visited_at:
            local = parse_utc(visit.visited_at).astimezone(ZoneInfo(timezone)).replace(tzinfo=None)
            self.visited_at.data = local
        self.wait_minutes.data = visit.wait_minutes
        self.duration_minutes.data = visit.duration_minutes
        self.staff.data = visit.staff or (DESCRIBED if visit.staff_description else "")
        self.staff_description.data = visit.staff_description
        self.accuracy.data = visit.accuracy
        self.narrative.data = visit.narrative
        self.would_return.data = None if visit.would_return is None else ("yes" if visit.would_return else "no")
        for item in self.rubric.items:
            self[f"item_{item.id}"].data = visit.answers.get(item.id)

    def to_input(self, timezone: str) -> VisitInput:
        """The entered values, with the local visit time made aware in the branch's zone."""
        moment = self.visited_at.data
        staff = self.staff.data or None
        return VisitInput(
            visited_at=moment.replace(tzinfo=ZoneInfo(timezone)) if isinstance(moment, datetime) else None,
            wait_minutes=self.wait_minutes.data,
            duration_minutes=self.duration_minutes.data,
            staff=None if staff == DESCRIBED else staff,
            staff_description=self.staff_description.data or "",
            answers={i.id: self[f"item_{i.id}"].data for i in self.rubric.items if self[f"item_{i.id}"].data},
            accuracy=self.accuracy.data or None,
            narrative=self.narrative.data or "",
            would_return={"yes": True, "no": False}.get(self.would_return.data),
        )


def visit_form_class(rubric: Rubric) -> type[_VisitFormBase]:
    """A visit form class with one radio question per rubric item (``item_<id>``)."""
    fields = {
        f"item_{item.id}": RadioField(_l(item.text), validators=[Optional()],
                                      choices=[SelectChoice(v, label) for v, label in ANSWER_LABELS.items()])
        for item in rubric.items
    }
    return type("VisitForm", (_VisitFormBase,), {"rubric": rubric, **fields})


# The order fields stand in on the page: the visit, the rubric's items, then the answer and impression.
_BEFORE_ITEMS = ("visited_at", "wait_minutes", "duration_minutes", "staff", "staff_description")
_AFTER_ITEMS = ("accuracy", "narrative", "would_return", "comment")


def _page_position(name: str, form: FlaskForm) -> tuple[int, int]:
    if name in _BEFORE_ITEMS:
        return (0, _BEFORE_ITEMS.index(name))
    if name.startswith("item_"):
        names = [f.name for f in form if f.name.startswith("item_")]
        return (1, names.index(name) if name in names else 0)
    if name in _AFTER_ITEMS:
        return (2, _AFTER_ITEMS.index(name))
    return (3, 0)


def _summarise(form: FlaskForm, problems: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(field id, line) in the page's order; unanswered rubric items as one line that leads to the first.

    Seventeen lines of "answer this item" made a summary taller than the
    screen; one line that counts them, and the message beside each item,
    says the same in the space of a sentence.
    """
    ordered = sorted(problems, key=lambda p: _page_position(p[0], form))
    summary: list[tuple[str, str]] = []
    items = [name for name, _message in ordered if name.startswith("item_")]
    for name, message in ordered:
        if name.startswith("item_"):
            if name == items[0]:
                summary.append((form[name].id, ngettext(
                    "%(num)d item of the rubric has no answer yet.",
                    "%(num)d items of the rubric have no answer yet.", len(items))))
            continue
        summary.append((form[name].id, f"{form[name].label.text}: {message}"))
    return summary


def show_problems(form: FlaskForm, problems: dict[str, str]) -> list[tuple[str, str]]:
    """Put each problem next to its field; return (field id, message) for the summary at the top."""
    found = []
    for key, code in problems.items():
        if key.startswith("answers."):
            name, message = f"item_{key.removeprefix('answers.')}", _ITEM_MESSAGES.get(code, _ANSWER_MISSING)
        else:
            name, message = key, _MESSAGES.get((key, code), _l("Check this field."))
        if key == "staff" and code == "missing" and name in form and form.staff.data == DESCRIBED:
            name = "staff_description"
        if name in form:
            form[name].errors = [*form[name].errors, message]
            found.append((name, str(message)))
    return _summarise(form, found)


def error_summary(form: FlaskForm) -> list[tuple[str, str]]:
    """(field id, "label: errors") for every field the form's own validation refused, in the page's order."""
    return _summarise(form, [(name, " ".join(str(e) for e in errors))
                             for name, errors in form.errors.items() if name in form])
