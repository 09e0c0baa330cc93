"""Views of the shop area: thin; they parse with a form, call a service, render."""

from flask import Blueprint

bp = Blueprint("shop", __name__, url_prefix="/shop")
