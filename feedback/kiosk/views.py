"""Views of the kiosk area: thin; they parse with a form, call a service, render."""

from flask import Blueprint

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")
