"""The one way the app turns HTML into PDF: safe, bounded, and cheap to repeat.

Every PDF (coaching reports, posters) goes through :func:`render_pdf`. It
exists because WeasyPrint, left to its defaults, would fetch any URL a
document names (``file:///etc/passwd``, ``http://10.0.0.1/``) and would run as
long and grow as large as a document asks. Here:

* :func:`report_asset_fetcher` serves only files under ``reports/`` (fonts,
  stylesheets, images) and images the caller generated for this one document
  (``generated:<name>``); every other URL (other files, http(s), data:, ftp)
  is refused, and nothing is followed by redirect. It is passed to every
  WeasyPrint call, stylesheets included.
* Rendering runs in a small pool of long-lived worker processes, each with an
  address-space limit and a wall-clock limit per document. A report that
  exceeds either fails with :class:`PdfRenderError` and a clear message; the
  app, and the pool, stay up. Under gunicorn the pool is one per server, in
  the render service (``render_service``), shared by every web worker and the
  batch; :func:`renderer` finds it and otherwise keeps a pool of its own.
* A command that writes one report (:func:`render_here`) starts no pool: it
  forks one render process at once, which imports WeasyPrint and warms up
  while the command computes the report's figures, then renders with the
  same limits (where forking is not safe, it renders in its own process).
* Each process builds one ``FontConfiguration`` and parses each stylesheet
  once, and imports WeasyPrint once (about a second), so a render pays only
  for layout.

Charts and QR codes go into documents as inline SVG, never as URLs.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
import pickle
import resource
import select
import signal
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .resources import resource_path

__all__ = [
    "ASSETS",
    "DEFAULT_STYLESHEETS",
    "PdfJob",
    "PdfRenderError",
    "PdfRenderer",
    "RefusedURL",
    "report_asset_fetcher",
    "render_here",
    "render_in_process",
    "render_pdf",
    "renderer",
]

log = logging.getLogger(__name__)

#: The only folder WeasyPrint may read from.
ASSETS = resource_path("reports")
ASSET_BASE_URL = ASSETS.as_uri() + "/"
DEFAULT_STYLESHEETS: tuple[str, ...] = ("print.css",)
GENERATED_SCHEME = "generated:"
_ASSET_TYPES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".svg": "image/svg+xml",
}
_PAGE_SIZES = {"A4", "A5", "A3", "LETTER", "LEGAL"}

# Defaults when the app's config does not say (REPORT_TIMEOUT_SECONDS, ...).
DEFAULT_TIMEOUT_SECONDS = 20.0
DEFAULT_MEMORY_MB = 1536
# Beyond the worker's own alarm, how long the parent waits before it gives up on
# a worker stuck in C code and replaces the pool.
_GRACE_SECONDS = 5.0


class PdfRenderError(RuntimeError):
    """A document could not be rendered (too slow, too large, or broken); the message says which."""


class RefusedURL(ValueError):
    """A document named a URL that is not one of our report assets."""


@cache
def _fetcher_class():
    """WeasyPrint's ``URLFetcher`` made safe; built on first use so the app need not import WeasyPrint."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ReportAssetFetcher(URLFetcher):
        """Serves ``file:`` URLs under ``reports/`` and ``generated:`` images; refuses the rest."""

        def __init__(self, generated: Mapping[str, tuple[bytes, str]] | None, root: Path):
            # No protocols and no redirects for the urllib machinery of the base class: it is never used.
            super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)
            self.generated = dict(generated or {})
            self.root = os.path.realpath(root)
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            try:
                body, mime = self._resolve(url)
            except RefusedURL:
                self.refused.append(url[:200])
                log.warning("PDF render refused a URL: %.200s", url)
                raise
            return URLFetcherResponse(url, body, {"Content-Type": mime})

        def _resolve(self, url: str) -> tuple[bytes, str]:
            if url.startswith(GENERATED_SCHEME):
                name = url[len(GENERATED_SCHEME):]
                if name in self.generated:
                    return self.generated[name]
                raise RefusedURL(f"no generated image {name!r}")
            parts = urlsplit(url)
            if parts.scheme != "file" or parts.netloc not in ("", "localhost") or parts.query:
                raise RefusedURL(f"not a report asset: {url!r}")
            # Judge the text of the path first, so a refused file is never even looked at.
            path = os.path.normpath(unquote(parts.path))
            suffix = os.path.splitext(path)[1].lower()
            if not path.startswith(self.root + os.sep) or suffix not in _ASSET_TYPES:
                raise RefusedURL(f"not a report asset: {url!r}")
            real = os.path.realpath(path)  # a symlink must not lead out of reports/
            if not real.startswith(self.root + os.sep) or not os.path.isfile(real):
                raise RefusedURL(f"not a report asset: {url!r}")
            with open(real, "rb") as handle:
                return handle.read(), _ASSET_TYPES[suffix]

    return ReportAssetFetcher


def report_asset_fetcher(generated: Mapping[str, tuple[bytes, str]] | None = None, root: Path = ASSETS):
    """A WeasyPrint URL fetcher that knows only our report assets (and this document's generated images)."""
    return _fetcher_class()(generated, root)


# -- what one process keeps: fonts and parsed stylesheets -------------------------
_font_config = None
_stylesheets: dict[str, object] = {}
_process_lock = threading.Lock()


def _shared_font_config():
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        _font_config = FontConfiguration()
    return _font_config


def _stylesheet(name: str):
    """A report stylesheet from ``reports/``, parsed once per process with the shared fonts."""
    sheet = _stylesheets.get(name)
    if sheet is None:
        from weasyprint import CSS

        path = os.path.normpath(ASSETS / name)
        if not path.startswith(str(ASSETS) + os.sep) or not path.endswith(".css"):
            raise PdfRenderError(f"not a report stylesheet: {name!r}")
        sheet = CSS(filename=path, url_fetcher=report_asset_fetcher(), font_config=_shared_font_config())
        _stylesheets[name] = sheet
    return sheet


def _page_size_sheet(page_size: str):
    """``@page { size: A4 }`` (or Letter...), parsed once per size."""
    size = page_size.strip().upper()
    if size not in _PAGE_SIZES:
        raise PdfRenderError(f"unknown page size {page_size!r}; use one of {', '.join(sorted(_PAGE_SIZES))}")
    key = f"@page-size:{size}"
    sheet = _stylesheets.get(key)
    if sheet is None:
        from weasyprint import CSS

        sheet = CSS(string=f"@page {{ size: {size.lower()} }}",
                    base_url=ASSET_BASE_URL, url_fetcher=report_asset_fetcher(),
                    font_config=_shared_font_config())
        _stylesheets[key] = sheet
    return sheet


def render_in_process(html: str, *, stylesheets: Sequence[str] = DEFAULT_STYLESHEETS,
                      page_size: str | None = None, images: Mapping[str, tuple[bytes, str]] | None = None
                      ) -> bytes:
    """Render here, with the safe fetcher but without time or memory limits.

    This is what a pool worker runs. Call it directly only where the
    limits do not matter: tests of the fetcher, and the benchmark that
    measures WeasyPrint alone.
    """
    from weasyprint import HTML

    with _process_lock:
        sheets = [_stylesheet(name) for name in stylesheets]
        if page_size:
            sheets.append(_page_size_sheet(page_size))
        font_config = _shared_font_config()
        document = HTML(string=html, base_url=ASSET_BASE_URL, url_fetcher=report_asset_fetcher(images))
        # Tagged PDF: headings, tables, lists and figures (with their alternative text) for screen readers.
        return document.write_pdf(stylesheets=sheets, font_config=font_config, pdf_tags=True)


# -- the worker side ------------------------------------------------------------------
class _RenderTimeout(Exception):
    pass


def _on_alarm(signum, frame):
    raise _RenderTimeout()


def _start_worker(memory_bytes: int) -> None:
    """Pool initializer: import WeasyPrint and build fonts once, then cap the address space."""
    import weasyprint  # noqa: F401  (the import is the point: pay it once per worker)

    _shared_font_config()
    for name in DEFAULT_STYLESHEETS:
        if (ASSETS / name).exists():
            _stylesheet(name)
    if memory_bytes > 0:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    signal.signal(signal.SIGALRM, _on_alarm)


@contextmanager
def _wall_clock_limit(seconds: float):
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


@dataclass(frozen=True)
class PdfJob:
    """One document to render: what crosses from the app to a worker process."""

    html: str
    stylesheets: tuple[str, ...] = DEFAULT_STYLESHEETS
    page_size: str | None = None
    images: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    name: str = "document"


def _render_job(job: PdfJob, seconds: float) -> bytes:
    try:
        with _wall_clock_limit(seconds):
            return render_in_process(job.html, stylesheets=job.stylesheets, page_size=job.page_size,
                                     images=job.images)
    except _RenderTimeout:
        raise PdfRenderError(f"{job.name} took longer than {seconds:g} s to render and was stopped; "
                             "choose a shorter period or fewer details") from None
    except (MemoryError, SystemError):
        # Under the address-space cap, C code (cairo, pango, harfbuzz) that fails to allocate may
        # surface as SystemError ("error return without exception set") instead of MemoryError.
        raise PdfRenderError(f"{job.name} needed more memory than the rendering limit allows and was "
                             "stopped; choose a shorter period or fewer details") from None


# -- the app side -----------------------------------------------------------------------
class PdfRenderer:
    """A pool of render processes with a time and memory limit per document."""

    def __init__(self, *, workers: int = 2, timeout: float = DEFAULT_TIMEOUT_SECONDS,
                 memory_mb: int = DEFAULT_MEMORY_MB):
        self.workers = max(1, workers)
        self.timeout = timeout
        self.memory_mb = memory_mb
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                # spawn, not fork: the app may hold threads and locks that a fork would copy mid-use.
                self._pool = ProcessPoolExecutor(
                    max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start_worker, initargs=(self.memory_mb * 1024 * 1024,),
                )
            return self._pool

    def _discard_pool(self, pool: ProcessPoolExecutor) -> None:
        """Kill a pool whose worker is stuck or dead; the next render starts a fresh one."""
        with self._lock:
            if self._pool is pool:
                self._pool = None
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)

    def warm_up(self) -> None:
        """Start the workers now (they import WeasyPrint), so the first report is not slow."""
        pool = self._executor()
        list(pool.map(abs, range(self.workers)))

    def submit(self, job: PdfJob) -> tuple[ProcessPoolExecutor, Future]:
        pool = self._executor()
        return pool, pool.submit(_render_job, job, self.timeout)

    def _result(self, pool: ProcessPoolExecutor, future: Future, job: PdfJob, *, retry: bool = True) -> bytes:
        try:
            return future.result(timeout=self.timeout + _GRACE_SECONDS)
        except PdfRenderError:
            # A worker that hit its time or memory limit is not to be trusted with the next document.
            self._discard_pool(pool)
            raise
        except BrokenProcessPool:
            self._discard_pool(pool)
            if retry:
                # The pool may have been broken by an earlier document; give this one a fresh worker once.
                fresh, again = self.submit(job)
                return self._result(fresh, again, job, retry=False)
            raise PdfRenderError(f"the process rendering {job.name} stopped (most likely it ran out of "
                                 "memory); choose a shorter period or fewer details") from None
        except FutureTimeout:
            self._discard_pool(pool)
            raise PdfRenderError(f"{job.name} took longer than {self.timeout:g} s to render and was stopped; "
                                 "choose a shorter period or fewer details") from None

    def render(self, job: PdfJob) -> bytes:
        pool, future = self.submit(job)
        return self._result(pool, future, job)

    def render_many(self, jobs: Iterable[PdfJob]) -> Iterator[tuple[PdfJob, bytes | PdfRenderError]]:
        """Render jobs on every worker at once; yield each job with its PDF or its error, in order.

        One failed document does not stop the batch.
        """
        window = self.workers * 2  # documents built and in flight at once, so memory stays flat
        submitted: deque = deque()
        for job in jobs:
            submitted.append((job, *self.submit(job)))
            if len(submitted) >= window:
                yield self._collect(*submitted.popleft())
        while submitted:
            yield self._collect(*submitted.popleft())

    def _collect(self, job: PdfJob, pool: ProcessPoolExecutor, future: Future) -> tuple[PdfJob, bytes | PdfRenderError]:
        try:
            return job, self._result(pool, future, job)
        except PdfRenderError as exc:
            return job, exc

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


_renderers: dict[tuple, PdfRenderer] = {}
_renderers_lock = threading.Lock()


def renderer(*, workers: int | None = None, timeout: float | None = None,
             memory_mb: int | None = None):
    """The renderer to use: this process's own in-process one, the server's render service, or a pool.

    The service is used when it listens (its socket is named by the gunicorn
    hook, or lies in the app's instance folder); otherwise this process keeps
    a pool for these limits (from the app's config when not given).
    """
    config = {}
    instance = None
    try:
        from flask import current_app

        config = current_app.config
        instance = current_app.instance_path
    except RuntimeError:  # outside an app context: scripts and benchmarks
        pass
    if _here.active:
        return _here
    from .render_service import SOCKET_ENV, RenderServiceClient, service_socket

    path = os.environ.get(SOCKET_ENV) or (service_socket(instance) if instance else None)
    if path and RenderServiceClient.available(path):
        return RenderServiceClient(path, timeout=float(timeout or config.get("REPORT_TIMEOUT_SECONDS",
                                                                              DEFAULT_TIMEOUT_SECONDS)),
                                   workers=int(workers or config.get("REPORT_WORKERS", 2)))
    key = (
        workers or int(config.get("REPORT_WORKERS", min(2, os.cpu_count() or 1))),
        float(timeout or config.get("REPORT_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS)),
        int(memory_mb or config.get("REPORT_MEMORY_MB", DEFAULT_MEMORY_MB)),
    )
    with _renderers_lock:
        found = _renderers.get(key)
        if found is None:
            found = _renderers[key] = PdfRenderer(workers=key[0], timeout=key[1], memory_mb=key[2])
        return found


class _ForkedRenderer:
    """One render process forked for a command that writes a report, with the pool's time and memory limits.

    Forked when the command starts, it pays WeasyPrint's import (a third of
    a second) and its first-use costs on the other core while the command
    computes the report's figures; then it renders each document it is sent.
    Its address space may grow by the memory limit beyond what it inherited;
    a document is stopped after the time limit; if it dies, the document fails
    clearly and the command's process is untouched.
    """

    _WARM_UP = "<p>warm</p>"
    _STARTING_SECONDS = 60.0  # the import and warm-up, on a busy machine

    def __init__(self, *, timeout: float, memory_bytes: int):
        self.timeout = timeout
        jobs_read, jobs_write = os.pipe()
        results_read, results_write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the render process: never returns
            os.close(jobs_write)
            os.close(results_read)
            self._serve(jobs_read, results_write, memory_bytes)
        os.close(jobs_read)
        os.close(results_write)
        self._jobs = os.fdopen(jobs_write, "wb")
        self._results = os.fdopen(results_read, "rb")
        self._started = False
        self.broken = False  # it hit a limit or died: not to be trusted with another document

    def _serve(self, jobs_fd: int, results_fd: int, memory_bytes: int) -> None:
        status = 0
        try:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            _start_worker(0)  # WeasyPrint, fonts and stylesheets; the cap comes next, above what was inherited
            if memory_bytes > 0:
                soft, hard = resource.getrlimit(resource.RLIMIT_AS)
                limit = _address_space_bytes() + memory_bytes
                resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY
                                                        else min(limit, hard), hard))
            if not select.select([jobs_fd], [], [], 0)[0]:
                # Still no document (its figures take a while): pay the first render's one-off costs meanwhile.
                _render_job(PdfJob(self._WARM_UP), self.timeout)
            with os.fdopen(jobs_fd, "rb") as jobs, os.fdopen(results_fd, "wb") as results:
                while (job := pickle.load(jobs)) is not None:
                    try:
                        outcome = (True, _render_job(job, self.timeout))
                    except PdfRenderError as exc:
                        outcome = (False, str(exc))
                    pickle.dump(outcome, results)
                    results.flush()
        except (EOFError, BrokenPipeError):
            pass  # the command is gone, or is done
        except BaseException:  # noqa: BLE001 - the command sees the process gone and says so
            status = 1
        finally:
            os._exit(status)  # never the command's own exit handlers or buffers

    def render(self, job: PdfJob) -> bytes:
        gone = PdfRenderError(f"the process rendering {job.name} stopped (most likely it ran out of memory); "
                              "choose a shorter period or fewer details")
        try:
            pickle.dump(job, self._jobs)
            self._jobs.flush()
        except (BrokenPipeError, OSError):
            self.broken = True
            raise gone from None
        wait = self.timeout + _GRACE_SECONDS + (0 if self._started else self._STARTING_SECONDS)
        ready, _, _ = select.select([self._results], [], [], wait)
        if not ready:
            self.kill()
            self.broken = True
            raise PdfRenderError(f"{job.name} took longer than {self.timeout:g} s to render and was stopped; "
                                 "choose a shorter period or fewer details")
        try:
            ok, value = pickle.load(self._results)
        except (EOFError, pickle.UnpicklingError, OSError):
            self.kill()
            self.broken = True
            raise gone from None
        self._started = True
        if not ok:
            self.kill()
            self.broken = True
            raise PdfRenderError(value)
        return value

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def close(self) -> None:
        for step in (lambda: pickle.dump(None, self._jobs), self._jobs.close, self._results.close):
            try:
                step()
            except (BrokenPipeError, OSError, ValueError):
                pass
        for _ in range(100):  # it exits as soon as it reads the end; a stuck one is stopped
            if os.waitpid(self.pid, os.WNOHANG) != (0, 0):
                return
            threading.Event().wait(0.02)
        self.kill()
        os.waitpid(self.pid, 0)


class _RenderHere:
    """Renders for a command writing one report, within a time and memory limit, without a pool.

    Starting a pool costs seconds (a process importing WeasyPrint) for a
    document that takes a quarter of one. While active, documents go to the
    render process forked when the block began (:class:`_ForkedRenderer`);
    where forking is not safe (other threads run in this process, which a
    fork would copy mid-use) they render here instead: the process's address
    space may then grow by at most the memory limit (its soft limit is put
    back afterwards), and a document is stopped after the time limit.
    """

    def __init__(self):
        self.active = False
        self.timeout = DEFAULT_TIMEOUT_SECONDS
        self.memory_bytes = DEFAULT_MEMORY_MB * 1024 * 1024
        self.forked: _ForkedRenderer | None = None

    def render(self, job: PdfJob) -> bytes:
        if self.forked is not None:
            if self.forked.broken:  # as a pool replaces a worker that hit a limit
                self.forked.close()
                self.forked = _ForkedRenderer(timeout=self.timeout, memory_bytes=self.memory_bytes)
            return self.forked.render(job)
        if threading.current_thread() is not threading.main_thread():  # signals reach the main thread only
            return render_in_process(job.html, stylesheets=job.stylesheets, page_size=job.page_size,
                                     images=job.images)
        return _render_job(job, self.timeout)

    def render_many(self, jobs: Iterable[PdfJob]) -> Iterator[tuple[PdfJob, bytes | PdfRenderError]]:
        for job in jobs:
            try:
                yield job, self.render(job)
            except PdfRenderError as exc:
                yield job, exc

    def warm_up(self) -> None:
        pass

    def close(self) -> None:
        pass


_here = _RenderHere()


def _address_space_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[0]) * resource.getpagesize()


@contextmanager
def render_here(*, timeout: float | None = None, memory_mb: int | None = None):
    """``with render_here(): ...`` renders every document of the block without a pool, within the limits.

    In a forked render process that warms up while the block computes its documents, when this process
    runs one thread only (a command); otherwise in this process.
    """
    config = {}
    try:
        from flask import current_app

        config = current_app.config
    except RuntimeError:
        pass
    budget = int(memory_mb or config.get("REPORT_MEMORY_MB", DEFAULT_MEMORY_MB)) * 1024 * 1024
    _here.timeout = float(timeout or config.get("REPORT_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS))
    _here.memory_bytes = budget
    if hasattr(os, "fork") and threading.active_count() == 1:
        _here.forked = _ForkedRenderer(timeout=_here.timeout, memory_bytes=budget)
        _here.active = True
        try:
            yield _here
        finally:
            _here.active = False
            forked, _here.forked = _here.forked, None
            if forked is not None:
                forked.close()
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = _address_space_bytes() + budget
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    previous_handler = signal.signal(signal.SIGALRM, _on_alarm) if _in_main_thread() else None
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    _here.active = True
    try:
        yield _here
    finally:
        _here.active = False
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        if previous_handler is not None:
            signal.signal(signal.SIGALRM, previous_handler)


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@atexit.register
def _close_renderers() -> None:
    for item in list(_renderers.values()):
        item.close()


def render_pdf(html: str, *, stylesheets: Sequence[str] = DEFAULT_STYLESHEETS, page_size: str | None = None,
               images: Mapping[str, tuple[bytes, str]] | None = None, name: str = "document") -> bytes:
    """Render ``html`` to PDF bytes in a limited worker; raise :class:`PdfRenderError` on failure.

    ``stylesheets`` are file names under ``reports/``; ``page_size`` adds an
    ``@page`` size (A4, Letter...); ``images`` maps names to ``(bytes, mime)``
    for ``<img src="generated:<name>">``; ``name`` says what failed in messages.
    """
    job = PdfJob(html, tuple(stylesheets), page_size, dict(images or {}), name)
    return renderer().render(job)
