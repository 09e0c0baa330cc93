"""Fixtures for background work: a real SMTP server (aiosmtpd) and the real huey worker, in-process.

The worker is the consumer ``flask worker`` runs, started on the test app's
own queue file with threads; tests wait for what it does (with a deadline),
never call the task bodies themselves.
"""

from __future__ import annotations

import email
import email.policy
import re
import signal
import socket
import threading
import time
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    to: list[str]
    subject: str
    body: str


@dataclass
class Inbox:
    """What the test SMTP server received."""

    messages: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(Received(list(envelope.rcpt_tos), str(parsed["subject"]),
                                          parsed.get_body(("plain",)).get_content()))
        return "250 OK"

    def wait_for(self, predicate, timeout: float = 60.0) -> Received:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                for message in self.messages:
                    if predicate(message):
                        return message
            time.sleep(0.1)
        raise AssertionError(f"no such message within {timeout:g} s; received: {self.messages!r}")


class SmtpServer:
    def __init__(self, port: int):
        self.port = port
        self.inbox = Inbox()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=port)

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def smtp_server(smtp_port):
    server = SmtpServer(smtp_port).start()
    yield server
    server.stop()


def mail_config(port: int) -> dict:
    """Plain SMTP to a local relay, as an installation would set it."""
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_USE_TLS": False, "MAIL_USE_SSL": False,
            "MAIL_DEFAULT_SENDER": "feedback@test.library", "MAIL_TIMEOUT": 5,
            "PUBLIC_URL": "https://feedback.test.library"}


class Worker:
    """The real huey consumer of an app, in this process (threads), started and stopped by the test."""

    def __init__(self, app):
        self.app = app
        self.consumer = app.extensions["feedback_jobs"].consumer(workers=2)
        self._handlers = {}

    def start(self):
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            self._handlers[signum] = signal.getsignal(signum)
        self.consumer.start()
        return self

    def stop(self):
        self.consumer.stop(graceful=True)
        for signum, handler in self._handlers.items():
            signal.signal(signum, handler)


@pytest.fixture
def start_worker():
    started = []

    def start(app):
        worker = Worker(app).start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def wait_until(predicate, timeout: float = 60.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"{what} not met within {timeout:g} s")


@pytest.fixture
def sign_in_as(app):
    def make(email: str):
        client = app.test_client()
        assert client.post("/auth/login", data={"email": email, "password": "correct-horse-battery"}
                           ).status_code == 302
        return client
    return make


def page_key(client, path: str = "/s/central") -> str:
    """The idempotency key the survey page gives this guest (a key of the test's own would be held for review)."""
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="idempotency_key"[^>]*value="([^"]+)"', html).group(1)
