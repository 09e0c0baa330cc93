"""The only code that touches TinyDB.

Use :func:`current_store` inside the app, or build a :class:`Store` on a
folder in scripts and tests. See ``safe_storage`` for how writes stay safe
and ``responses`` for how they stay cheap.
"""

from __future__ import annotations

from flask import Flask, current_app

from .base import Store
from .directory import DuplicateError, NotFoundError
from .safe_storage import CorruptFileError, ParsedFileCache

__all__ = [
    "CorruptFileError",
    "DuplicateError",
    "NotFoundError",
    "ParsedFileCache",
    "Store",
    "current_store",
    "init_app",
]

_EXTENSION = "feedback_store"


def init_app(app: Flask) -> Store:
    """Open the store on ``DATA_DIR`` and attach it to the app."""
    store = Store(app.config["DATA_DIR"], chunk_size=app.config["RESPONSE_CHUNK_SIZE"])
    store.ensure()
    app.extensions[_EXTENSION] = store
    return store


def current_store() -> Store:
    return current_app.extensions[_EXTENSION]
