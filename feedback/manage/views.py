"""Views of the manage area: thin; they parse with a form, call a service, render."""

from flask import Blueprint

bp = Blueprint("manage", __name__, url_prefix="/manage")
