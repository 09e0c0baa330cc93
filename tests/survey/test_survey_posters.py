"""Posters: a printable PDF whose QR code, read back from the rendered page, is the survey link."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from feedback.services.posters import PosterError, build_poster, survey_link

BASE = "https://feedback.example.org"


def decode_qr(pdf: bytes, folder: Path) -> list[str]:
    """Render page 1 to PNG (pdftoppm) and decode every QR code on it (zbarimg)."""
    (folder / "poster.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", "-f", "1",
                    str(folder / "poster.pdf"), str(folder / "poster")], check=True)
    found = subprocess.run(["zbarimg", "--quiet", "--raw", str(folder / "poster.png")],
                           capture_output=True, text=True, check=True)
    return found.stdout.split()


def pdf_text(pdf: bytes, folder: Path) -> str:
    (folder / "text.pdf").write_bytes(pdf)
    return subprocess.run(["pdftotext", str(folder / "text.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.parametrize(("desk", "staff", "expected"), [
    (None, None, f"{BASE}/s/central"),
    ("info", None, f"{BASE}/s/central/info"),
    ("info", "MARIA7", f"{BASE}/s/central/info?staff=MARIA7"),
])
def test_the_poster_qr_code_decodes_to_the_survey_link(app, store, site, tmp_path, desk, staff, expected):
    with app.test_request_context():
        pdf = build_poster(store, base_url=BASE, branch="central", desk=desk, staff_code=staff)
    assert pdf.startswith(b"%PDF")
    assert decode_qr(pdf, tmp_path) == [expected]
    text = pdf_text(pdf, tmp_path)
    assert "Central Library" in text and expected in text


def test_the_call_to_action_is_in_every_language_of_the_installation(app, store, site, tmp_path):
    with app.test_request_context():
        text = pdf_text(build_poster(store, base_url=BASE, branch="central"), tmp_path)
    assert "Tell us how we did" in text
    assert "Cuéntenos qué tal lo hicimos" in text
    assert "Fortæl os, hvordan vi klarede os" in text


def test_the_qr_code_is_vector_not_a_picture(app, store, site):
    with app.test_request_context():
        from feedback.services.posters import poster_html

        html = poster_html(store, base_url=BASE, branch="central")
    assert '<svg viewBox="0 0 ' in html and "<path" in html and "<img" not in html


def test_markup_in_a_branch_name_is_printed_as_text(app, store, factory, tmp_path):
    factory.branch("odd", "<b>Odd</b> & Sons")
    with app.test_request_context():
        from feedback.services.posters import poster_html

        html = poster_html(store, base_url=BASE, branch="odd")
    assert "&lt;b&gt;Odd&lt;/b&gt; &amp; Sons" in html and "<b>Odd" not in html


def test_an_unknown_desk_or_staff_code_is_an_error_not_a_broken_poster(app, store, site):
    with app.test_request_context():
        for kwargs in ({"branch": "atlantis"}, {"branch": "central", "desk": "roof"},
                       {"branch": "central", "staff_code": "NOBODY"}):
            with pytest.raises(PosterError):
                build_poster(store, base_url=BASE, **kwargs)


def test_the_poster_command_writes_a_pdf(runner, site, tmp_path):
    out = tmp_path / "desk.pdf"
    result = runner.invoke(args=["poster", "central", "info", "--staff", "MARIA7", "--base-url", BASE,
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert decode_qr(out.read_bytes(), tmp_path) == [f"{BASE}/s/central/info?staff=MARIA7"]
    failed = runner.invoke(args=["poster", "nowhere", "--out", str(tmp_path / "x.pdf")])
    assert failed.exit_code != 0 and "no branch" in failed.output


def test_survey_links_quote_what_they_carry():
    assert survey_link(BASE + "/", "central", "info", "A B") == f"{BASE}/s/central/info?staff=A+B"
