"""The app factory: configuration layers, the instance folder, the secret key, health."""

import json

from feedback import create_app
from feedback.config import apply_environment


def test_instance_config_then_environment_override_defaults(tmp_path, monkeypatch):
    instance = tmp_path / "inst"
    instance.mkdir()
    (instance / "config.py").write_text('SYSTEM_NAME = "Aalborg Libraries"\nKIOSK_IDLE_SECONDS = 90\n')
    monkeypatch.setenv("FEEDBACK_KIOSK_IDLE_SECONDS", "45")
    monkeypatch.setenv("FEEDBACK_INSTANCE", str(instance))
    app = create_app()
    assert app.config["SYSTEM_NAME"] == "Aalborg Libraries"
    assert app.config["KIOSK_IDLE_SECONDS"] == 45
    assert app.config["DATA_DIR"] == str(instance / "data")


def test_environment_values_are_typed():
    config = {}
    apply_environment(config, {"FEEDBACK_RATELIMIT_ENABLED": "0", "FEEDBACK_LANGUAGES": '["en","da"]',
                               "FEEDBACK_SYSTEM_NAME": "Odense", "OTHER": "x"})
    assert config == {"RATELIMIT_ENABLED": 0, "LANGUAGES": ["en", "da"], "SYSTEM_NAME": "Odense"}


def test_a_secret_key_is_generated_once_into_the_instance(tmp_path):
    first = create_app({"INSTANCE_PATH": tmp_path})
    second = create_app({"INSTANCE_PATH": tmp_path})
    key_file = tmp_path / "secret_key"
    assert len(first.config["SECRET_KEY"]) >= 64
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] == key_file.read_text()
    assert key_file.stat().st_mode & 0o077 == 0


def test_healthz_answers_once_the_store_is_readable_and_503_when_not(app, client, store):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"
    (store.data_dir / "directory.json").write_text("{garbled")
    store.cache.clear()
    broken = client.get("/healthz")
    assert broken.status_code == 503
    assert json.loads(broken.data)["store"] == "unreadable"


def test_mail_settings_have_flask_names_and_are_overridden_as_feedback_mail(monkeypatch, tmp_path):
    from feedback import create_app

    monkeypatch.setenv("FEEDBACK_MAIL_SERVER", "relay.library.local")
    monkeypatch.setenv("FEEDBACK_MAIL_PORT", "2525")
    monkeypatch.setenv("FEEDBACK_MAIL_USE_TLS", "true")
    app = create_app({"INSTANCE_PATH": tmp_path / "instance", "TESTING": True, "SECRET_KEY": "k"})
    assert (app.config["MAIL_SERVER"], app.config["MAIL_PORT"], app.config["MAIL_USE_TLS"]) == (
        "relay.library.local", 2525, True)
    state = app.extensions["mailman"]
    assert (state.server, state.port, state.use_tls, state.use_ssl) == ("relay.library.local", 2525, True, False)
