"""Rendering is safe: only our report assets are fetched, guest text stays text, and runaway documents stop."""

from __future__ import annotations

import socket
import sys
import threading
from datetime import UTC, datetime

import pytest
from weasyprint.urls import URLFetchingError  # noqa: F401  (WeasyPrint is imported here once, as in a worker)

from feedback import pdf
from feedback.reports import documents
from feedback.services.periods import parse_period

from .conftest import PERIOD, pdf_text, pdf_tool_lines

# One audit hook for the whole test process (hooks cannot be removed): while a
# guard is armed, any socket connection or any opening of a forbidden path is recorded.
_guard: dict = {"armed": False, "forbidden": (), "events": []}


def _audit(event: str, args, _guard: dict = _guard) -> None:
    # The guard is bound at definition: at interpreter exit module globals are already cleared.
    if not _guard["armed"]:
        return
    if event == "socket.connect":
        _guard["events"].append((event, repr(args)[:200]))
    elif event in ("open", "os.open") and args and isinstance(args[0], (str, bytes)):
        path = args[0].decode() if isinstance(args[0], bytes) else args[0]
        if any(path.startswith(f) for f in _guard["forbidden"]):
            _guard["events"].append((event, path))
    elif event == "urllib.Request":
        _guard["events"].append((event, repr(args)[:200]))


sys.addaudithook(_audit)


@pytest.fixture
def guard(tmp_path):
    """Fails the test if rendering opens a socket or reads the secret file or /etc/passwd."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    _guard.update(armed=True, forbidden=(str(secret), "/etc/passwd"), events=[])
    yield secret
    _guard["armed"] = False
    assert _guard["events"] == [], f"rendering reached outside: {_guard['events']}"


def _hostile_comments(secret) -> list[str]:
    return [
        f'<img src="file://{secret}"> nice staff',
        f'<link rel="attachment" href="file://{secret}"> thanks',
        "<style>@import url(http://127.0.0.1:9/);</style> @import url(http://127.0.0.1:9/); great",
        '<img src="file:///etc/passwd"><b>bold?</b> <a href="http://127.0.0.1:9/">link</a> & more',
    ]


@pytest.fixture
def hostile_branch(factory, tmp_path):
    factory.branch("central", "Central Library")
    maria = factory.staff("Maria Jensen", "central", code="MARIA")
    secret = tmp_path / "secret.txt"
    for i, comment in enumerate(_hostile_comments(secret)):
        factory.response("central", staff=maria.id, comment=comment,
                         answers={"welcome": 5, "helpful": 5, "courtesy": 5},
                         at=datetime(2026, 5, 4 + i, 10, 0, tzinfo=UTC))
    return maria


def test_guest_markup_in_comments_is_printed_as_text_and_fetches_nothing(app, hostile_branch, guard, tmp_path):
    with app.test_request_context():
        html = documents.staff_report_html(app.extensions["feedback_store"], "MARIA", parse_period(PERIOD))
    assert "<img src=" not in html and "&lt;img src=" in html
    pdf_bytes = pdf.render_in_process(html, page_size="A4")  # in this process, so the guard sees everything
    text = " ".join(pdf_text(pdf_bytes, tmp_path).split())
    assert f'<img src="file://{guard}"> nice staff' in text
    assert '<link rel="attachment" href="file://' in text
    assert "@import url(http://127.0.0.1:9/);" in text
    assert "<b>bold?</b>" in text
    assert "TOP-SECRET-CONTENT" not in text and "root:x:" not in text
    assert pdf_tool_lines("pdfdetach", pdf_bytes, tmp_path)[0].startswith("0 embedded files")
    assert len(pdf_tool_lines("pdfimages", pdf_bytes, tmp_path)) == 2  # the header lines only: no image


def test_the_fetcher_refuses_raw_hostile_html_even_if_markup_got_through(guard, tmp_path):
    raw = (f'<html><head><link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
           f'<link rel="attachment" href="file://{guard}"><style>@import url(http://127.0.0.1:9/);'
           f'body {{ background: url(file:///etc/passwd) }}</style></head><body>'
           f'<img src="file://{guard}"><img src="file:///etc/passwd"><img src="data:image/png;base64,AAAA">'
           f'<img src="file://{pdf.ASSETS}/../feedback/config.py"><iframe src="http://127.0.0.1:9/"></iframe>'
           f'<p>plain</p></body></html>')
    pdf_bytes = pdf.render_in_process(raw)
    assert "plain" in pdf_text(pdf_bytes, tmp_path)
    assert pdf_tool_lines("pdfdetach", pdf_bytes, tmp_path)[0].startswith("0 embedded files")
    assert len(pdf_tool_lines("pdfimages", pdf_bytes, tmp_path)) == 2


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "http://127.0.0.1:9/", "https://example.org/x.css", "ftp://example.org/x",
    "data:text/css,body{}", "file://example.org/etc/passwd", "generated:unknown.png",
    f"file://{pdf.ASSETS}/../pyproject.toml", f"file://{pdf.ASSETS}/tips.json", f"file://{pdf.ASSETS}/print.css?x=1",
])
def test_the_fetcher_refuses_everything_but_our_assets(url):
    fetcher = pdf.report_asset_fetcher()
    with pytest.raises(pdf.RefusedURL):
        fetcher.fetch(url)


def test_the_fetcher_serves_our_assets_and_generated_images():
    fetcher = pdf.report_asset_fetcher({"qr.svg": (b"<svg/>", "image/svg+xml")})
    assert b"@page" in fetcher.fetch(f"file://{pdf.ASSETS}/print.css").read()
    assert fetcher.fetch(f"file://{pdf.ASSETS}/fonts/DejaVuSans.ttf").read()[:4] == b"\x00\x01\x00\x00"
    assert fetcher.fetch("generated:qr.svg").read() == b"<svg/>"


def test_the_worker_pool_connects_nowhere(tmp_path):
    """Through the real pool: a socket named by the document, listening for the whole render, is never reached."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.05)
    port = server.getsockname()[1]
    connections: list[socket.socket] = []
    rendered = threading.Event()

    def accept_until_the_render_is_done_and_one_more():
        # Listen for as long as the render runs, then until our own probe below arrives.
        while True:
            try:
                connection, _address = server.accept()
            except TimeoutError:
                continue
            connections.append(connection)
            if rendered.is_set():
                return

    listener = threading.Thread(target=accept_until_the_render_is_done_and_one_more, daemon=True)
    listener.start()
    html = (f'<style>@import url(http://127.0.0.1:{port}/a.css);</style>'
            f'<img src="http://127.0.0.1:{port}/b.png"><link rel="attachment" href="http://127.0.0.1:{port}/c">'
            f'<p>pooled</p>')
    pdf_bytes = pdf.render_pdf(html)
    rendered.set()
    # The probe: proves the listener was still listening when the render ended.
    probe = socket.create_connection(("127.0.0.1", port), timeout=5)
    listener.join(10)
    probe.close()
    server.close()
    assert not listener.is_alive()
    assert len(connections) == 1, "the render connected to the listening socket"
    assert "pooled" in pdf_text(pdf_bytes, tmp_path)


def test_a_runaway_document_fails_clearly_and_the_renderer_keeps_working():
    renderer = pdf.PdfRenderer(workers=1, timeout=1.0)
    try:
        huge = "<table>" + "".join(f"<tr><td>{i}</td><td>row {i}</td></tr>" for i in range(20000)) + "</table>"
        with pytest.raises(pdf.PdfRenderError, match="took longer than 1 s to render and was stopped"):
            renderer.render(pdf.PdfJob(huge, name="the huge report"))
        assert renderer.render(pdf.PdfJob("<p>small</p>")).startswith(b"%PDF")
    finally:
        renderer.close()


def test_a_document_beyond_the_memory_limit_fails_clearly():
    renderer = pdf.PdfRenderer(workers=1, timeout=60, memory_mb=450)
    try:
        huge = "<table>" + "".join(f"<tr><td>{i}</td><td>{'word ' * 30}</td></tr>" for i in range(20000)) + "</table>"
        with pytest.raises(pdf.PdfRenderError, match="memory"):
            renderer.render(pdf.PdfJob(huge, name="the huge report"))
        assert renderer.render(pdf.PdfJob("<p>small</p>")).startswith(b"%PDF")
    finally:
        renderer.close()
