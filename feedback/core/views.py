"""Pages that belong to no area: the front page and the health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template

from ..store import current_store

bp = Blueprint("core", __name__)


@bp.get("/healthz")
def healthz():
    """200 once the store is readable; 503 otherwise, so a load balancer can tell."""
    store = current_store()
    if not store.is_readable():
        return jsonify(status="unavailable", store="unreadable"), 503
    return jsonify(status="ok", store="readable")


@bp.get("/")
def index():
    store = current_store()
    return render_template("core/index.html", branches=store.directory.branches())
