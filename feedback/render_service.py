"""One render service per server: the limited render processes, shared by every web worker and the batch.

Without it each gunicorn worker would start its own pool of render processes
(four workers: eight renderers, each holding WeasyPrint and its fonts). The
service is one process that owns the pool of :class:`feedback.pdf.PdfRenderer`
(with the same time and memory limit per document as ever) and listens on a
Unix socket in the instance folder, ``<instance>/render.sock`` (mode 0600).
Web workers and the batch send it documents; :func:`feedback.pdf.renderer`
finds it there, and renders in a pool of its own when there is none.

Jobs wait in one queue by priority: a manager waiting for one PDF goes before
the documents of a batch, so a batch of a thousand reports never makes a
page time out. Only as many jobs as there are render processes are handed
to the pool at a time; the rest wait in the queue.

gunicorn starts it from ``gunicorn.conf.py`` (``on_starting``) and stops it
on exit; it also stops by itself when the process that started it is gone.
Run it alone with ``python -m feedback.render_service --socket PATH``.

The wire format is deliberately plain: a length-prefixed JSON header (images
as base64), answered by a JSON header and the PDF bytes.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import itertools
import json
import logging
import os
import queue
import socket
import socketserver
import struct
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .pdf import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_SECONDS, PdfJob, PdfRenderer, PdfRenderError

__all__ = ["RenderServiceClient", "serve", "service_socket", "start_for_gunicorn", "start_service", "stop_service"]

log = logging.getLogger(__name__)

SOCKET_NAME = "render.sock"
#: Set for the web workers by the gunicorn hook: where their server's render service listens.
SOCKET_ENV = "FEEDBACK_RENDER_SOCKET"
INTERACTIVE, BATCH = 0, 1
_FRAME = struct.Struct("!Q")
_MAX_FRAME = 256 * 1024 * 1024


def service_socket(instance: Path | str) -> Path:
    return Path(instance) / SOCKET_NAME


# -- framing -------------------------------------------------------------------------
def _send(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(_FRAME.pack(len(payload)) + payload)


def _receive(sock: socket.socket) -> bytes:
    size = _FRAME.unpack(_exactly(sock, _FRAME.size))[0]
    if size > _MAX_FRAME:
        raise ConnectionError("frame too large")
    return _exactly(sock, size)


def _exactly(sock: socket.socket, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            raise ConnectionError("connection closed mid-frame")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _encode_job(job: PdfJob, priority: int) -> bytes:
    return json.dumps({
        "html": job.html, "stylesheets": list(job.stylesheets), "page_size": job.page_size, "name": job.name,
        "images": {k: [base64.b64encode(data).decode("ascii"), mime] for k, (data, mime) in job.images.items()},
        "priority": priority,
    }).encode("utf-8")


def _decode_job(payload: bytes) -> tuple[PdfJob, int]:
    raw = json.loads(payload)
    images = {k: (base64.b64decode(data), mime) for k, (data, mime) in raw.get("images", {}).items()}
    job = PdfJob(raw["html"], tuple(raw.get("stylesheets") or ()), raw.get("page_size"), images,
                 raw.get("name") or "document")
    return job, BATCH if raw.get("priority") == BATCH else INTERACTIVE


# -- the service ------------------------------------------------------------------------
class _Dispatcher:
    """The queue in front of the pool: one thread per render process takes the most urgent job."""

    def __init__(self, renderer: PdfRenderer):
        self.renderer = renderer
        self.jobs: queue.PriorityQueue = queue.PriorityQueue()
        self._order = itertools.count()
        for number in range(renderer.workers):
            threading.Thread(target=self._work, name=f"render-dispatch-{number}", daemon=True).start()

    def render(self, job: PdfJob, priority: int) -> bytes:
        done = threading.Event()
        outcome: list = []
        self.jobs.put((priority, next(self._order), job, outcome, done))
        done.wait()
        if isinstance(outcome[0], Exception):
            raise outcome[0]
        return outcome[0]

    def _work(self) -> None:
        while True:
            _priority, _order, job, outcome, done = self.jobs.get()
            try:
                outcome.append(self.renderer.render(job))
            except PdfRenderError as exc:
                outcome.append(exc)
            except Exception as exc:  # noqa: BLE001 - the caller gets a clear error, the service stays up
                log.exception("render service: %s failed", job.name)
                outcome.append(PdfRenderError(f"{job.name} could not be rendered ({type(exc).__name__})"))
            finally:
                done.set()


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        try:
            job, priority = _decode_job(_receive(self.request))
        except (ConnectionError, ValueError, KeyError, TypeError):
            return
        try:
            pdf = self.server.dispatcher.render(job, priority)  # type: ignore[attr-defined]
            header = {"ok": True}
        except PdfRenderError as exc:
            pdf, header = b"", {"ok": False, "error": str(exc)}
        with contextlib.suppress(OSError):
            _send(self.request, json.dumps(header).encode())
            _send(self.request, pdf)


class _Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


def _is_listening(path: Path) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            probe.settimeout(1.0)
            probe.connect(str(path))
        return True
    except OSError:
        return False


def serve(path: Path, *, workers: int = 2, timeout: float = DEFAULT_TIMEOUT_SECONDS,
          memory_mb: int = DEFAULT_MEMORY_MB, parent: int | None = None) -> None:
    """Listen on ``path`` until stopped (or until the process ``parent`` is gone)."""
    path = Path(path)
    if _is_listening(path):
        log.info("a render service already listens on %s", path)
        return
    with contextlib.suppress(FileNotFoundError):
        path.unlink()  # left by a service that was killed
    renderer = PdfRenderer(workers=workers, timeout=timeout, memory_mb=memory_mb)
    old_umask = os.umask(0o177)  # the socket is for this user only
    try:
        server = _Server(str(path), _Handler)
    finally:
        os.umask(old_umask)
    server.dispatcher = _Dispatcher(renderer)  # type: ignore[attr-defined]
    threading.Thread(target=renderer.warm_up, name="render-warm-up", daemon=True).start()
    if parent:
        def watch_parent() -> None:
            while os.getppid() == parent:
                time.sleep(1.0)
            server.shutdown()

        threading.Thread(target=watch_parent, name="render-parent-watch", daemon=True).start()
    try:
        server.serve_forever(poll_interval=0.5)
    finally:
        server.server_close()
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        renderer.close()


def start_service(instance: Path | str, *, workers: int, timeout: float, memory_mb: int,
                  wait: float = 30.0) -> subprocess.Popen | None:
    """Start the service for ``instance`` as a child of this process; None if one already listens."""
    path = service_socket(instance)
    if _is_listening(path):
        return None
    Path(instance).mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "feedback.render_service", "--socket", str(path), "--workers", str(workers),
         "--timeout", str(timeout), "--memory-mb", str(memory_mb), "--parent", str(os.getpid())])
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and process.poll() is None:
        if _is_listening(path):
            return process
        time.sleep(0.05)
    stop_service(process)
    raise RuntimeError(f"the render service did not start on {path}")


def start_for_gunicorn() -> subprocess.Popen | None:
    """The gunicorn master's hook: start the instance's service and tell the workers where it is.

    Reads the render limits the app would read (defaults, the instance's
    ``config.py``, ``FEEDBACK_*`` variables) without building the app. If the
    service cannot start, the workers fall back to pools of their own.
    """
    from flask import Config

    from .config import DEFAULTS, apply_environment, instance_path

    instance = instance_path()
    config = Config(str(instance))
    config.from_mapping(DEFAULTS)
    config.from_pyfile("config.py", silent=True)
    apply_environment(config)
    try:
        process = start_service(instance, workers=int(config["REPORT_WORKERS"]),
                                timeout=float(config["REPORT_TIMEOUT_SECONDS"]),
                                memory_mb=int(config["REPORT_MEMORY_MB"]))
    except (OSError, RuntimeError) as exc:
        log.error("the render service did not start (%s); each worker will render in its own pool", exc)
        return None
    os.environ[SOCKET_ENV] = str(service_socket(instance))
    return process


def stop_service(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# -- the client -------------------------------------------------------------------------
class RenderServiceClient:
    """Renders through the server's render service; the same methods as :class:`PdfRenderer`."""

    def __init__(self, path: Path | str, *, timeout: float = DEFAULT_TIMEOUT_SECONDS, workers: int = 2):
        self.path = str(path)
        self.timeout = timeout
        self.workers = workers

    @staticmethod
    def available(path: Path | str) -> bool:
        return _is_listening(Path(path))

    def render(self, job: PdfJob, *, priority: int = INTERACTIVE) -> bytes:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            # The service enforces the document's own limit; this only guards against a service gone dead.
            sock.settimeout(None if priority == BATCH else self.timeout * 3 + 30)
            try:
                sock.connect(self.path)
                _send(sock, _encode_job(job, priority))
                header = json.loads(_receive(sock))
                pdf = _receive(sock)
            except (OSError, ConnectionError, ValueError) as exc:
                raise PdfRenderError(f"the render service did not answer for {job.name} ({exc}); "
                                     "try again in a moment") from None
        if not header.get("ok"):
            raise PdfRenderError(header.get("error") or f"{job.name} could not be rendered")
        return pdf

    def render_many(self, jobs: Iterable[PdfJob]) -> Iterator[tuple[PdfJob, bytes | PdfRenderError]]:
        """Send a batch at low priority, a few at a time to keep every render process busy; in order."""
        def one(job: PdfJob):
            try:
                return job, self.render(job, priority=BATCH)
            except PdfRenderError as exc:
                return job, exc

        window = self.workers * 2
        with ThreadPoolExecutor(max_workers=window, thread_name_prefix="render-client") as pool:
            # Only ``window`` documents are built and in flight at once: a batch of a thousand
            # reports never holds a thousand HTML documents in memory.
            pending: deque = deque()
            for job in jobs:
                pending.append(pool.submit(one, job))
                if len(pending) >= window:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()

    def warm_up(self) -> None:
        """The service warms its own workers when it starts."""

    def close(self) -> None:
        """Nothing to close: every render uses its own connection."""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--socket", required=True, type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_SECONDS)
    parser.add_argument("--memory-mb", type=int, default=DEFAULT_MEMORY_MB)
    parser.add_argument("--parent", type=int, default=None, help="stop when this process is gone")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="[render-service] %(message)s")
    import signal

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    serve(args.socket, workers=args.workers, timeout=args.timeout, memory_mb=args.memory_mb, parent=args.parent)


if __name__ == "__main__":
    main()
