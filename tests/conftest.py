"""Shared fixtures: an app on a temporary instance, its store, factories, a live server and a browser.

Everything is real: TinyDB files in a temp folder, the Flask test client,
WeasyPrint, and Debian's Chromium driven by Playwright.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from feedback import create_app
from feedback.model import Branch, Desk, Response, StaffMember, format_utc, new_id
from feedback.services.accounts import create_user
from feedback.store import Store

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture
def make_app(tmp_path: Path):
    """Build an app on a fresh instance; keyword arguments override config."""

    def build(**overrides):
        config = {
            "INSTANCE_PATH": tmp_path / "instance",
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-not-for-production",
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": False,
        }
        config.update(overrides)
        return create_app(config)

    return build


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def csrf_app(make_app):
    """An app with CSRF protection on, as in production."""
    return make_app(WTF_CSRF_ENABLED=True)


@pytest.fixture
def store(app) -> Store:
    return app.extensions["feedback_store"]


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Factory:
    """Makes branches, desks, staff, users and responses in a store, with sensible defaults."""

    def __init__(self, store: Store):
        self.store = store
        self._codes = 0

    def branch(self, slug: str = "central", name: str | None = None, timezone: str = "Europe/Copenhagen"):
        return self.store.directory.add_branch(Branch(slug, name or slug.title(), timezone))

    def desk(self, branch: str = "central", slug: str = "info", name: str = "Information desk"):
        return self.store.directory.add_desk(Desk(branch, slug, name))

    def staff(self, name: str = "Maria Jensen", branch: str = "central", code: str | None = None):
        self._codes += 1
        return self.store.directory.add_staff(StaffMember(new_id(), name, branch, code or f"C{self._codes:04d}"))

    def user(self, email: str, role: str, branches=(), password: str = "correct-horse-battery"):
        return create_user(self.store, email=email, password=password, role=role, branches=list(branches))

    def response(self, branch: str = "central", *, answers=None, at: datetime | None = None, staff=None,
                 desk=None, survey: str = "qr", channel: str = "qr", language: str = "en", comment: str = "",
                 key: str | None = None, flagged: bool = False, store: bool = True) -> Response:
        response = Response(
            id=new_id(), survey=survey, survey_version=1, branch=branch,
            submitted_at=format_utc(at or datetime.now(UTC)), channel=channel, language=language,
            answers=dict(answers or {"welcome": 5, "helpful": 4}), desk=desk, staff=staff, comment=comment,
            idempotency_key=key, review="held" if flagged else None, hold_reasons=["burst"] if flagged else [],
        )
        if store:
            self.store.responses.add(response)
        return response


@pytest.fixture
def factory(store) -> Factory:
    return Factory(store)


class AuthActions:
    """Sign in and out through the real form, CSRF token included."""

    def __init__(self, client):
        self.client = client

    def login(self, email: str, password: str = "correct-horse-battery"):
        page = self.client.get("/auth/login").get_data(as_text=True)
        token = csrf_token_in(page)
        data = {"email": email, "password": password}
        if token:
            data["csrf_token"] = token
        return self.client.post("/auth/login", data=data)

    def logout(self):
        page = self.client.get("/").get_data(as_text=True)
        return self.client.post("/auth/logout", data={"csrf_token": csrf_token_in(page) or ""})


def csrf_token_in(html: str) -> str | None:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    return match.group(1) if match else None


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


class LiveServer:
    """The app served over real HTTP on a loopback port, in a thread."""

    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(5)


@pytest.fixture
def live_server(app) -> Iterator[LiveServer]:
    with LiveServer(app) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright; never a downloaded browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()
