"""Views of the survey area: thin; they parse with a form, call a service, render."""

from flask import Blueprint

bp = Blueprint("survey", __name__)
