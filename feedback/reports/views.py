"""Views of the reports area: thin; they parse with a form, call a service, render."""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/manage/reports")
