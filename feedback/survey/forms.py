"""The guest survey form, built from a survey definition; shared by the QR survey and the kiosk.

Each question becomes one field named ``q_<question id>`` whose choices are
exactly the definition's, so an answer outside them ("7" on a 1-5 face scale,
an unknown choice) is rejected with a message next to that question. The
form also carries the idempotency key (one per page shown), the honeypot,
and the optional "contact me" details.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from functools import lru_cache
from typing import Any

from babel import support
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.i18n import messages_path
from wtforms.validators import InputRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..model import new_id
from ..services.privacy import find_contact_details
from ..services.submission import Submission
from ..services.surveys import Question, Survey
from ..services.targets import SurveyTarget

__all__ = ["SMILEY_LABELS", "GuestSurveyForm", "build_survey_form", "field_name"]

SMILEY_LABELS = {1: _l("Very bad"), 2: _l("Bad"), 3: _l("OK"), 4: _l("Good"), 5: _l("Very good")}
NOT_A_CHOICE = _l("Please choose one of the answers shown.")
REQUIRED = _l("Please answer this question.")
CONTACT_MAX_LENGTH = 200
NOT_TICKED = _l("You wrote how to reach you but did not tick “Please contact me about this”. "
                "Tick it if you would like us to contact you, or clear the field.")


def field_name(question: Question) -> str:
    return f"q_{question.id}"


def _choice(value: Any, label: Any) -> SelectChoice:
    return SelectChoice(value, label)


def _choice_values(choices) -> list[Any]:
    return [c.value for c in choices]


def _int_or_text(value: Any) -> Any:
    """Coerce a rating to int; leave anything else as it came, for ``pre_validate`` to reject."""
    if value is None or isinstance(value, int):
        return value
    try:
        return int(value)
    except (TypeError, ValueError):
        return str(value)


class AnswerField(RadioField):
    """One answer from the definition's choices, with a plain-language error otherwise."""

    def pre_validate(self, form) -> None:
        if self.data is None or self.data == "":
            return
        if self.data not in _choice_values(self.choices):
            raise ValidationError(NOT_A_CHOICE)


class AnswersField(SelectMultipleField):
    """Several answers, each one of the definition's choices, shown as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        allowed = set(_choice_values(self.choices))
        if any(value not in allowed for value in self.data or ()):
            raise ValidationError(NOT_A_CHOICE)


@lru_cache(maxsize=32)
def _wtforms_translations(locale: str):
    """WTForms' own messages in ``locale``, loaded once per process (Flask-WTF parses them every request)."""
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class GuestSurveyForm(FlaskForm):
    """The fixed part of every guest survey; question fields are added by :func:`build_survey_form`."""

    class Meta:
        def get_translations(self, form):
            # Every guest's submit builds this form: keep the catalogue instead of re-reading it.
            return _wtforms_translations(str(get_locale()))

    # One key per page shown: a double tap or a resent form carries it again and is stored once.
    idempotency_key = HiddenField(default=new_id, validators=[Optional(), Regexp(r"^[A-Za-z0-9_-]{8,64}$")])
    # When the guest pressed Send, set by the kiosk script so a queued answer keeps its time.
    answered_at = HiddenField(validators=[Optional(), Length(max=40)])
    # Answers are sent as they are given: the kiosk script marks a part sent before the end "1".
    partial = HiddenField(validators=[Optional(), Regexp(r"^[01]?$")])
    # The QR survey's screen this part answers (a question id, or "end"); empty: the whole survey at once.
    step = HiddenField(validators=[Optional(), Length(max=80)])
    # The honeypot: hidden from people, tempting to form-filling robots.
    homepage = StringField(_l("Leave this field empty"), validators=[Optional()])
    contact_me = BooleanField(_l("Please contact me about this"))
    contact = StringField(
        _l("Your e-mail address or phone number"),
        validators=[Optional(), Length(max=CONTACT_MAX_LENGTH,
                                       message=_l("Please keep this under %(max)d characters."))],
    )

    survey: Survey  # the questions on this form
    full_survey: Survey  # the whole survey as shown at the target, which answers are checked against
    questions: list[tuple[Question, Any]]

    def validate_homepage(self, field) -> None:
        if field.data:
            raise ValidationError(_l("This field must stay empty. Please clear it and send again."))

    def validate_contact(self, field) -> None:
        if not find_contact_details(field.data or ""):
            raise ValidationError(_l("Please give an e-mail address or a phone number."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Checked here, not on the field: an empty contact field skips its own validators.
        typed = (self.contact.data or "").strip()
        if self.contact_me.data and not typed and not find_contact_details(self.comment_text()):
            self.contact.errors = [*self.contact.errors,
                                   _l("Tell us how to reach you, or untick “Please contact me about this”.")]
            return False
        if typed and not self.contact_me.data:
            # Never drop a contact silently: the guest says which they meant.
            self.contact.errors = [*self.contact.errors, NOT_TICKED]
            return False
        return valid

    def bind_questions(self) -> None:
        self.questions = [(q, self[field_name(q)]) for q in self.survey.questions]

    def answers(self) -> dict[str, Any]:
        """Question id to answer, for every answered question except the free comment."""
        found: dict[str, Any] = {}
        for question, bound in self.questions:
            if question.type == "comment" or bound.data in (None, "", []):
                continue
            found[question.id] = bound.data
        return found

    def comment_text(self) -> str:
        parts = [bound.data.strip() for q, bound in self.questions if q.type == "comment" and bound.data]
        return "\n\n".join(parts)

    def comment_texts(self) -> dict[str, str]:
        """Each comment question on this form (free comment, "why?") by id, empty ones included."""
        return {q.id: (bound.data or "") for q, bound in self.questions if q.type == "comment"}

    def is_empty(self) -> bool:
        """Nothing answered, written or asked for on this form: a skipped screen."""
        return not self.answers() and not self.comment_text().strip() and not self.contact_me.data \
            and not (self.contact.data or "").strip()

    def answer_time(self) -> datetime | None:
        raw = (self.answered_at.data or "").strip()
        if not raw:
            return None
        try:
            moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            return None
        return moment if moment.tzinfo else None

    def submission(self, target: SurveyTarget, channel: str, language: str, *, finished: bool | None = None,
                   required: tuple[str, ...] | None = None) -> Submission:
        """What the guest sent, for ``submit_response``.

        ``finished`` defaults to what the form says (a kiosk part marked
        partial is not finished); ``required`` names the questions this part
        must answer (one screen's), all required ones when None.
        """
        if finished is None:
            finished = self.partial.data != "1"
        return Submission(
            survey=self.full_survey, target=target, channel=channel, language=language,
            answers=self.answers(), comment=self.comment_text(), contact_me=bool(self.contact_me.data),
            contact=(self.contact.data or "").strip(), idempotency_key=self.idempotency_key.data or None,
            answered_at=self.answer_time(), finished=finished,
            required=required,
            comments=self.comment_texts(),
        )

    def add_service_errors(self, errors: dict[str, str]) -> None:
        """Show the service's verdict next to the right field (should the form have let it through)."""
        for name, reason in errors.items():
            bound = self._fields.get(field_name_for(self.survey, name)) or self._fields.get(name)
            message = REQUIRED if reason == "required" else NOT_A_CHOICE
            if name == "contact":
                message = (NOT_TICKED if reason == "not_ticked"
                           else _l("Please give an e-mail address or a phone number."))
            if bound is not None:
                bound.errors = [*bound.errors, message]
            else:
                self.form_errors.append(message)


def field_name_for(survey: Survey, name: str) -> str:
    question = survey.question(name)
    return field_name(question) if question else name


def _question_field(question: Question, language: str, comment_max_length: int, require: bool = True):
    label = question.label(language)
    required = [InputRequired(message=REQUIRED)] if question.required and require else [Optional()]
    if question.type == "smiley":
        return AnswerField(label, choices=[_choice(v, SMILEY_LABELS[v]) for v in (1, 2, 3, 4, 5)],
                           coerce=_int_or_text, validators=required, validate_choice=False)
    if question.type == "nps":
        return AnswerField(label, choices=[_choice(v, str(v)) for v in range(11)],
                           coerce=_int_or_text, validators=required, validate_choice=False)
    if question.type == "yesno":
        return AnswerField(label, choices=[_choice("yes", _l("Yes")), _choice("no", _l("No"))],
                           validators=required, validate_choice=False)
    if question.type == "choice":
        return AnswerField(label, choices=[_choice(c.id, c.label(language)) for c in question.choices],
                           validators=required, validate_choice=False)
    if question.type == "multichoice":
        return AnswersField(label, choices=[_choice(c.id, c.label(language)) for c in question.choices],
                            validators=required, validate_choice=False)
    too_long = _l("Please keep your comment under %(max)d characters.")
    return TextAreaField(label, validators=[*required, Length(max=comment_max_length, message=too_long)])


def build_survey_form(survey: Survey, language: str, *, comment_max_length: int,
                      only: tuple[str, ...] | None = None, require: bool = True, **kwargs) -> GuestSurveyForm:
    """A form for ``survey`` in ``language``, instantiated on the current request.

    ``only`` limits the form to some questions (one screen of the QR survey);
    ``require=False`` lets required questions be empty (a kiosk's part sent
    before the guest reached the end).
    """
    form = _form_class(survey, language, comment_max_length, only, require)(**kwargs)
    form.bind_questions()
    return form


_FORM_CLASSES: dict[tuple, type[GuestSurveyForm]] = {}
_FORM_CLASSES_KEPT = 128


def _form_class(survey: Survey, language: str, comment_max_length: int, only: tuple[str, ...] | None,
                require: bool) -> type[GuestSurveyForm]:
    """The form class for these arguments, built once per process and kept.

    Every guest's answer is a request; building the class (a field per
    question, labels and choices) anew each time was a tenth of a submit.
    The key is the survey's whole text (``repr``), so an edited survey gets
    its own class at once, whether or not its version changed.
    """
    key = (repr(survey), language, comment_max_length, only, require)
    known = _FORM_CLASSES.get(key)
    if known is not None:
        return known

    class DefinedSurveyForm(GuestSurveyForm):
        pass

    questions = [q for q in survey.questions if only is None or q.id in only]
    for question in questions:
        setattr(DefinedSurveyForm, field_name(question),
                _question_field(question, language, comment_max_length, require))
    DefinedSurveyForm.survey = dataclasses.replace(survey, questions=tuple(questions))
    DefinedSurveyForm.full_survey = survey
    if len(_FORM_CLASSES) >= _FORM_CLASSES_KEPT:
        _FORM_CLASSES.pop(next(iter(_FORM_CLASSES)))  # the oldest: surveys change rarely
    _FORM_CLASSES[key] = DefinedSurveyForm
    return DefinedSurveyForm
