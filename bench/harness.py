"""Serve the real app under gunicorn on loopback and drive it like guests do.

Shared by ``bench/load.py``, ``bench/crash.py`` and the served crash test:
nothing here is mocked. A guest fetches the survey page (cookie, CSRF token
and the page's idempotency key), then posts the answers; it counts as
*acknowledged* only when the thank-you page came back. Each answer is a new
guest (a new cookie jar): one phone's session keeps its key across reloads.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_KEY = re.compile(r'name="idempotency_key"[^>]*value="([^"]+)"')
THANKS_MARK = 'class="survey thanks"'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def seed_instance(instance: Path, responses: int = 2000) -> None:
    env = dict(os.environ, FEEDBACK_INSTANCE=str(instance))
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "seed-demo", "--responses", str(responses)],
                   cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


@dataclass
class Server:
    """gunicorn serving ``wsgi:app`` on a loopback port; started in its own process group."""

    instance: Path
    workers: int = 4
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    log: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> Server:
        env = dict(os.environ, FEEDBACK_INSTANCE=str(self.instance), FEEDBACK_RATELIMIT_ENABLED="0")
        self.log = self.instance / "gunicorn.log"
        handle = self.log.open("ab")
        self.process = subprocess.Popen(
            # gunicorn.conf.py in the project folder sets the access log, as in production.
            [sys.executable, "-m", "gunicorn", "--workers", str(self.workers), "--bind",
             f"127.0.0.1:{self.port}", "wsgi:app"],
            cwd=ROOT, env=env, stdout=handle, stderr=handle, start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as reply:
                    if reply.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer within {timeout} s; see {self.log}")

    def kill_everything(self) -> None:
        """SIGKILL the master and every worker at once: the harshest crash there is."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill_everything()


class Guest:
    """One phone: its own cookie jar, fetching the form and posting answers."""

    def __init__(self, base_url: str, path: str = "/s/central"):
        self.url = base_url + path

    def answer(self, timeout: float = 10.0, think: float = 0.0) -> tuple[str, bool, float]:
        """Post one survey, ``think`` seconds after the page arrived; returns (key, acknowledged, POST seconds)."""
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        with self.opener.open(self.url, timeout=timeout) as reply:
            page = reply.read().decode()
        token = _TOKEN.search(page).group(1)
        found = _KEY.search(page)
        key = found.group(1) if found else uuid.uuid4().hex
        time.sleep(think)
        body = urllib.parse.urlencode({
            "csrf_token": token, "idempotency_key": key, "q_welcome": "5", "q_helpful": "4",
            "q_nps": "9", "q_comment": "Quick and kind help at the desk.",
        }).encode()
        started = time.perf_counter()
        try:
            with self.opener.open(self.url, data=body, timeout=timeout) as reply:
                ok = reply.status == 200 and THANKS_MARK in reply.read().decode()
        except (urllib.error.URLError, http.client.HTTPException, OSError):
            ok = False  # the server died mid-answer: not acknowledged
        return key, ok, time.perf_counter() - started


def stored_keys(instance: Path) -> list[str]:
    """Every idempotency key in the store, read from the files as a fresh process would."""
    sys.path.insert(0, str(ROOT))
    from feedback.store import Store

    store = Store(instance / "data")
    return [r.idempotency_key for r in store.responses.all() if r.idempotency_key]


@dataclass
class CrashRound:
    acknowledged: set[str]
    stored: list[str]
    corrupt: list[str]
    restarted: bool

    @property
    def lost(self) -> set[str]:
        return self.acknowledged - set(self.stored)

    @property
    def duplicates(self) -> int:
        return len(self.stored) - len(set(self.stored))


def crash_round(instance: Path, *, kill_after: float, guests: int = 8, workers: int = 2) -> CrashRound:
    """Guests post while gunicorn is SIGKILLed at ``kill_after`` s; then restart and count."""
    import threading

    server = Server(instance, workers=workers).start()
    acknowledged: set[str] = set()
    lock = threading.Lock()
    stop = threading.Event()

    def guest_loop() -> None:
        guest = Guest(server.url)
        while not stop.is_set():
            try:
                key, ok, _ = guest.answer(timeout=5)
            except (urllib.error.URLError, http.client.HTTPException, OSError, AttributeError):
                continue  # the server is gone: the page could not even be fetched
            if ok:
                with lock:
                    acknowledged.add(key)

    threads = [threading.Thread(target=guest_loop, daemon=True) for _ in range(guests)]
    for thread in threads:
        thread.start()
    time.sleep(kill_after)
    server.kill_everything()
    stop.set()
    for thread in threads:
        thread.join(10)
    restarted = Server(instance, workers=workers)
    try:
        restarted.start()
        ok = True
    except RuntimeError:
        ok = False
    finally:
        restarted.stop()
    sys.path.insert(0, str(ROOT))
    from feedback.store import Store

    store = Store(instance / "data")
    corrupt = [str(p.path) for p in store.corrupt_files()]
    return CrashRound(acknowledged, stored_keys(instance), corrupt, ok)
