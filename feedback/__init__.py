"""Guest Feedback: hear library guests, measure service, coach staff.

``create_app`` builds the Flask app: configuration, extensions, the store,
blueprints and CLI commands.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from . import config as config_module
from .resources import resource_path

__all__ = ["create_app"]


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app. ``config`` (tests) overrides instance config and environment."""
    instance = config_module.instance_path()
    if config and "INSTANCE_PATH" in config:
        instance = config["INSTANCE_PATH"]
    app = Flask(
        __name__,
        instance_path=str(instance),
        instance_relative_config=True,
        template_folder=str(resource_path("templates")),
        static_folder="static",
    )
    app.config.from_mapping(config_module.DEFAULTS)
    app.config["DATA_DIR"] = str(instance / "data")
    app.config.from_pyfile("config.py", silent=True)
    config_module.apply_environment(app.config)
    if config:
        app.config.update(config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config_module.ensure_secret_key(instance)
    config_module.derive_from_public_url(app.config)

    from . import jobs, store, web

    store.init_app(app)
    jobs.init_app(app)
    web.init_app(app)

    from .cli import register_commands

    register_commands(app)
    return app
