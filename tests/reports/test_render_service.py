"""One render service per server: documents sent over its socket come back as PDFs, within the limits."""

import threading

import pytest

from feedback import pdf
from feedback.render_service import RenderServiceClient, service_socket, start_service, stop_service

from .conftest import pdf_text


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    process = start_service(instance, workers=2, timeout=4, memory_mb=1024)
    yield instance
    stop_service(process)


def test_documents_from_several_callers_come_back_whole_and_in_order(service, tmp_path):
    client = RenderServiceClient(service_socket(service), timeout=4)
    results = {}

    def caller(number):
        results[number] = client.render(pdf.PdfJob(f"<h1>Caller {number}</h1>", name=f"caller {number}"))

    threads = [threading.Thread(target=caller, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    batch = list(client.render_many(pdf.PdfJob(f"<p>Page {n}</p>", name=f"page {n}") for n in range(5)))
    for thread in threads:
        thread.join()
    assert [pdf_text(results[n], tmp_path).strip() for n in range(3)] == [f"Caller {n}" for n in range(3)]
    assert [job.name for job, _ in batch] == [f"page {n}" for n in range(5)]
    assert [pdf_text(result, tmp_path).strip() for _, result in batch] == [f"Page {n}" for n in range(5)]


def test_a_runaway_document_is_stopped_and_the_service_keeps_serving(service, tmp_path):
    client = RenderServiceClient(service_socket(service), timeout=4)
    huge = "<table>" + "<tr><td>row</td><td>of a long table</td></tr>" * 60000 + "</table>"
    with pytest.raises(pdf.PdfRenderError, match="the huge report took longer than 4 s"):
        client.render(pdf.PdfJob(huge, name="the huge report"))
    assert "still here" in pdf_text(client.render(pdf.PdfJob("<p>still here</p>")), tmp_path)


def test_a_url_outside_the_report_assets_is_refused_in_the_service_too(service, tmp_path):
    client = RenderServiceClient(service_socket(service), timeout=4)
    document = client.render(pdf.PdfJob('<p>before</p><img src="file:///etc/hostname"><p>after</p>'))
    text = pdf_text(document, tmp_path)
    assert "before" in text and "after" in text
    with open("/etc/hostname") as handle:
        assert handle.read().strip() not in text


def test_the_app_sends_its_documents_to_the_service_of_its_instance(make_app, tmp_path):
    app = make_app()
    process = start_service(app.instance_path, workers=1, timeout=4, memory_mb=1024)
    try:
        with app.app_context():
            assert isinstance(pdf.renderer(), RenderServiceClient)
            assert "Poster" in pdf_text(pdf.render_pdf("<p>Poster</p>"), tmp_path)
    finally:
        stop_service(process)
    assert not service_socket(app.instance_path).exists()
    with app.app_context():
        assert isinstance(pdf.renderer(), pdf.PdfRenderer)  # no service: a pool of its own, as before


def test_a_report_written_from_the_command_line_starts_no_pool(runner, factory, tmp_path):
    factory.branch("central")
    out = tmp_path / "branch.pdf"
    started = set(pdf._renderers)
    result = runner.invoke(args=["report", "branch", "central", "--period", "2026-11", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    assert set(pdf._renderers) == started  # no pool was started for it
    assert not pdf._here.active
