"""The two baselines ``bench/web.py`` serves beside the project: what a guest submit costs at the least.

* ``ceiling_app``: bare Flask + Flask-WTF, the QR survey's fields with CSRF,
  validates the post and stores nothing: the most any Flask app could answer.
* ``floor_app``: the same, appending each answer as one JSON line to the file
  named by ``BENCH_FLOOR_FILE`` with ``fsync`` before answering: the least a
  durable answer costs.

Both are served by gunicorn exactly like the project (same workers, same
settings file). Nothing here is used by the app.
"""

from __future__ import annotations

import json
import os
import secrets

from flask import Flask, render_template_string, request
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import Length, Optional, Regexp

FACES = [(v, str(v)) for v in range(1, 6)]
PAGE = """<!doctype html><title>Survey</title><form method="post">{{ form.csrf_token }}
{% for field in form if field.name != "csrf_token" %}{{ field() }}{% endfor %}<button>Send</button></form>"""
THANKS = '<!doctype html><title>Thank you</title><main class="survey thanks"><h1>Thank you</h1></main>'


class SurveyForm(FlaskForm):
    """The default QR survey's fields, as the project's form builds them."""

    idempotency_key = HiddenField(validators=[Optional(), Regexp(r"^[A-Za-z0-9_-]{8,64}$")])
    answered_at = HiddenField(validators=[Optional(), Length(max=40)])
    homepage = StringField(validators=[Optional()])
    contact_me = BooleanField()
    contact = StringField(validators=[Optional(), Length(max=200)])
    q_welcome = RadioField(choices=FACES, coerce=int, validators=[Optional()])
    q_listening = RadioField(choices=FACES, coerce=int, validators=[Optional()])
    q_helpful = RadioField(choices=FACES, coerce=int, validators=[Optional()])
    q_courtesy = RadioField(choices=FACES, coerce=int, validators=[Optional()])
    q_found = RadioField(choices=[("yes", "Yes"), ("no", "No")], validators=[Optional()])
    q_reason = RadioField(choices=[(c, c) for c in ("borrow", "question", "study", "computer", "event", "other")],
                          validators=[Optional()])
    q_nps = RadioField(choices=[(v, str(v)) for v in range(11)], coerce=int, validators=[Optional()])
    q_comment = TextAreaField(validators=[Optional(), Length(max=2000)])


def _make_app(store_answer) -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ.get("BENCH_SECRET_KEY") or secrets.token_hex(16)

    @app.route("/s/central", methods=["GET", "POST"])
    def survey():
        form = SurveyForm()
        if request.method == "POST" and form.validate_on_submit():
            store_answer({name: field.data for name, field in form._fields.items() if name != "csrf_token"})
            return THANKS
        return render_template_string(PAGE, form=form), 400 if request.method == "POST" else 200

    return app


def _append_durably(answer: dict) -> None:
    line = json.dumps(answer, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
    fd = os.open(os.environ["BENCH_FLOOR_FILE"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


ceiling_app = _make_app(lambda answer: None)
floor_app = _make_app(_append_durably)
