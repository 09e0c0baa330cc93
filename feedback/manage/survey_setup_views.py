"""Set-up pages where the library shapes its survey: the questions, their order, texts and choices.

One page lists a survey's questions (move, remove, add) and its versions; one
page edits a question in every language. Every save is a new version of the
survey (see :mod:`feedback.services.survey_editor`); older versions stay
readable on their own page, since stored answers are read with them.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..services import survey_editor
from ..services.setup import SetupError
from ..services.survey_editor import ADVISED_QUESTIONS, ChoiceEdit, QuestionEdit
from ..services.surveys import DIMENSION_LABELS, QUESTION_TYPES, Question, Survey
from ..store import current_store
from .access import admin_required
from .views import bp

__all__ = ["KIND_LABELS"]

KIND_LABELS = {
    "smiley": _l("Faces, very bad to very good"), "nps": _l("0 to 10"), "yesno": _l("Yes or no"),
    "choice": _l("One of several choices"), "multichoice": _l("Any of several choices"),
    "comment": _l("A comment in the guest's own words"),
}


class _Checkboxes(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ActionForm(FlaskForm):
    """A button that changes the survey (move, remove): the CSRF token is all it carries."""

    direction = HiddenField(validators=[Optional()])


class AddQuestionForm(FlaskForm):
    question_id = StringField(_l("Short id (letters, digits and _; it names the answers in exports)"),
                              validators=[Length(max=40)])
    kind = SelectField(_l("Kind of question"), choices=[SelectChoice(k, KIND_LABELS[k]) for k in QUESTION_TYPES])
    text_en = StringField(_l("Question in English"), validators=[Length(max=400)])
    dimension = SelectField(_l("What it measures (faces and 0-10 only)"), validators=[Optional()])


def _languages() -> list[str]:
    return list(current_app.config["LANGUAGES"])


def _places() -> list[tuple[str, str]]:
    store = current_store()
    places = []
    for branch in store.directory.branches(include_inactive=True):
        places.append((branch.slug, branch.name))
        places.extend((f"{branch.slug}/{d.slug}", f"{branch.name} · {d.name}")
                      for d in store.directory.desks(branch.slug))
    return places


def _survey_or_404(survey_id: str) -> Survey:
    try:
        return survey_editor.current_survey(current_store(), survey_id)
    except SetupError:
        abort(404)


def _question_form(question: Question, languages: list[str], formdata=None) -> FlaskForm:
    """The edit form of one question: texts per language, flags, places, "why?" and choices."""

    class QuestionForm(FlaskForm):
        required = BooleanField(_l("Guests must answer it"), default=question.required)
        asked = BooleanField(_l("Ask this question"), default=question.asked)
        where = _Checkboxes(_l("Ask it only at (none ticked: everywhere)"),
                            choices=[SelectChoice(value, label) for value, label in _places()],
                            default=list(question.where), validate_choice=False)

    for language in languages:
        setattr(QuestionForm, f"text_{language}", StringField(
            _l("Question (%(language)s)", language=language), default=question.text.get(language, ""),
            validators=[Length(max=400)]))
    if question.type == "smiley":
        for language in languages:
            setattr(QuestionForm, f"why_{language}", StringField(
                _l("After a bad or very bad face, ask why (%(language)s; empty: do not ask)", language=language),
                default=question.why.get(language, ""), validators=[Length(max=400)]))
    if question.type in survey_editor.CHOICE_TYPES:
        rows = [*question.choices, None]
        for n, choice in enumerate(rows):
            setattr(QuestionForm, f"choice_{n}_id", StringField(
                _l("Id of a new choice") if choice is None else _l("Choice id"),
                default=choice.id if choice else "", validators=[Length(max=40)]))
            for language in languages:
                setattr(QuestionForm, f"choice_{n}_{language}", StringField(
                    _l("Choice (%(language)s)", language=language),
                    default=choice.text.get(language, "") if choice else "", validators=[Length(max=400)]))
            if choice is not None:
                setattr(QuestionForm, f"choice_{n}_remove", BooleanField(_l("Remove this choice")))
    return QuestionForm(formdata=formdata)


def _edit_of(form: FlaskForm, question: Question, languages: list[str]) -> QuestionEdit:
    choices = []
    if question.type in survey_editor.CHOICE_TYPES:
        for n in range(len(question.choices) + 1):
            existing = n < len(question.choices)
            choices.append(ChoiceEdit(
                # An existing choice keeps its id: answers already given name it.
                id=question.choices[n].id if existing else form[f"choice_{n}_id"].data or "",
                text={lang: form[f"choice_{n}_{lang}"].data or "" for lang in languages},
                remove=bool(existing and form[f"choice_{n}_remove"].data)))
    return QuestionEdit(
        text={lang: form[f"text_{lang}"].data or "" for lang in languages},
        required=bool(form.required.data), asked=bool(form.asked.data), where=tuple(form.where.data or ()),
        why={lang: form[f"why_{lang}"].data or "" for lang in languages} if question.type == "smiley" else {},
        choices=tuple(choices),
    )


def _attach(form: FlaskForm, error: SetupError) -> None:
    """Put a service's complaint next to the field it names (or at the top of the form)."""
    field = form._fields.get(error.field)
    if field is None:
        form.form_errors.append(error.message)
    else:
        field.errors = [*field.errors, error.message]


def _add_form(formdata=None) -> AddQuestionForm:
    form = AddQuestionForm(formdata=formdata)
    form.dimension.choices = [SelectChoice("", _("Nothing")),
                              *(SelectChoice(d, str(label)) for d, label in DIMENSION_LABELS.items())]
    return form


def _questions_page(survey: Survey, add_form: AddQuestionForm | None = None, status: int = 200):
    versions = survey_editor.survey_versions(current_store(), survey.id)
    asked = [q for q in survey.asked_questions if q.type != "comment"]
    return render_template("manage/setup/survey_questions.html", survey=survey, versions=versions,
                           add_form=add_form or _add_form(), action_form=ActionForm(formdata=None),
                           kind_labels=KIND_LABELS, dimension_labels=DIMENSION_LABELS, places=dict(_places()),
                           asked_count=len(asked), advised=ADVISED_QUESTIONS), status


@bp.get("/setup/survey-questions/<survey_id>")
@admin_required
def setup_survey_questions(survey_id: str):
    return _questions_page(_survey_or_404(survey_id))


@bp.post("/setup/survey-questions/<survey_id>/new")
@admin_required
def setup_survey_question_add(survey_id: str):
    survey = _survey_or_404(survey_id)
    form = _add_form(request.form)
    if form.validate_on_submit():
        try:
            new = survey_editor.add_question(current_store(), survey_id, question_id=form.question_id.data,
                                             kind=form.kind.data, text_en=form.text_en.data,
                                             dimension=form.dimension.data or None, languages=_languages())
        except SetupError as exc:
            _attach(form, exc)
        else:
            flash(_("Question added (version %(version)d). It is not asked yet: write it in every language, "
                    "then tick “Ask this question”.", version=new.version))
            return redirect(url_for("manage.setup_survey_question", survey_id=survey_id,
                                    question_id=form.question_id.data.strip()))
    return _questions_page(survey, form, 400)


@bp.route("/setup/survey-questions/<survey_id>/<question_id>", methods=["GET", "POST"])
@admin_required
def setup_survey_question(survey_id: str, question_id: str):
    survey = _survey_or_404(survey_id)
    question = survey.question(question_id)
    if question is None or question.follows:
        abort(404)
    languages = _languages()
    form = _question_form(question, languages, request.form if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                new = survey_editor.edit_question(current_store(), survey_id, question_id,
                                                  _edit_of(form, question, languages), languages=languages)
            except SetupError as exc:
                _attach(form, exc)
            else:
                flash(_("Saved as version %(version)d. Answers given before keep their version.",
                        version=new.version))
                return redirect(url_for("manage.setup_survey_questions", survey_id=survey_id))
        status = 400
    return render_template("manage/setup/survey_question_edit.html", survey=survey, question=question, form=form,
                           languages=languages, kind_labels=KIND_LABELS), status


@bp.post("/setup/survey-questions/<survey_id>/<question_id>/move")
@admin_required
def setup_survey_question_move(survey_id: str, question_id: str):
    return _change(survey_id, lambda store: survey_editor.move_question(
        store, survey_id, question_id, request.form.get("direction", "")))


@bp.post("/setup/survey-questions/<survey_id>/<question_id>/remove")
@admin_required
def setup_survey_question_remove(survey_id: str, question_id: str):
    return _change(survey_id, lambda store: survey_editor.remove_question(store, survey_id, question_id))


def _change(survey_id: str, change):
    survey = _survey_or_404(survey_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        new = change(current_store())
    except SetupError as exc:
        flash(exc.message)
        return _questions_page(survey, status=400)
    if new.version != survey.version:
        flash(_("Saved as version %(version)d. Answers given before keep their version.", version=new.version))
    return redirect(url_for("manage.setup_survey_questions", survey_id=survey_id))


@bp.get("/setup/survey-questions/<survey_id>/versions/<int:version>")
@admin_required
def setup_survey_version(survey_id: str, version: int):
    """An older version, read-only: what guests were asked when they gave the answers stored under it."""
    _survey_or_404(survey_id)
    found = next((s for s in survey_editor.survey_versions(current_store(), survey_id) if s.version == version),
                 None)
    if found is None:
        abort(404)
    return render_template("manage/setup/survey_version.html", survey=found, kind_labels=KIND_LABELS,
                           dimension_labels=DIMENSION_LABELS, places=dict(_places()))
