"""Posters from the console: per branch, desk and staff member; A4, A5 and a table tent; name and logo."""

from __future__ import annotations

import io
import subprocess

import pytest
from PIL import Image

from feedback.services.branding import LogoError, clean_logo


def pdf_info(pdf: bytes, tmp_path) -> dict[str, str]:
    path = tmp_path / "poster.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def png(width=300, height=120, color=(11, 92, 171)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize("fmt, size", [("a4", "595.276 x 841.89"), ("a5", "419.528 x 595.276"),
                                       ("tent", "595.276 x 841.89")])
def test_each_format_downloads_on_its_paper(world, sign_in, tmp_path, fmt, size):
    client = sign_in(world.users["manager_a"])
    response = client.get(f"/manage/posters/poster.pdf?branch=central&desk=info&staff={world.staff_a.code}"
                          f"&format={fmt}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    info = pdf_info(response.data, tmp_path)
    assert size in info["Page size"] and info["Pages"].strip() == "1"


def test_a_manager_gets_posters_of_their_own_branches_only(world, sign_in):
    client = sign_in(world.users["manager_a"])
    assert client.get("/manage/posters/poster.pdf?branch=riverside&format=a4").status_code == 400
    page = client.get("/manage/posters/?branch=central").get_data(as_text=True)
    assert "Riverside" not in page and "Maria Jensen" in page
    mixed = client.get(f"/manage/posters/poster.pdf?branch=central&staff={world.staff_b.code}")
    assert mixed.status_code == 400 and "not at the chosen branch" in mixed.get_data(as_text=True)


def test_the_uploaded_logo_and_name_are_on_the_poster(world, sign_in, store, tmp_path):
    admin = sign_in(world.users["admin"])
    saved = admin.post("/manage/posters/branding", data={"library_name": "Hjørring Bibliotekerne",
                                                         "logo": (io.BytesIO(png()), "logo.png")},
                       content_type="multipart/form-data")
    assert saved.status_code == 302
    assert store.branding.logo().startswith(b"\x89PNG")
    pdf = admin.get("/manage/posters/poster.pdf?branch=central&format=a4").data
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    images = subprocess.run(["pdfimages", "-list", str(path)], check=True, capture_output=True, text=True).stdout
    assert "Hjørring Bibliotekerne" in text
    assert len(images.splitlines()) >= 3  # header lines and the logo


def test_a_bad_logo_is_refused_next_to_the_field_and_nothing_is_stored(world, sign_in, store):
    admin = sign_in(world.users["admin"])
    response = admin.post("/manage/posters/branding",
                          data={"library_name": "X", "logo": (io.BytesIO(b"<svg onload=alert(1)>"), "logo.png")},
                          content_type="multipart/form-data")
    assert response.status_code == 400 and 'id="logo-error"' in response.get_data(as_text=True)
    assert store.branding.logo() is None


def test_a_logo_is_re_encoded_without_what_came_after_the_image():
    sneaky = png() + b"<?php system($_GET['x']); ?>"
    clean = clean_logo(sneaky)
    assert clean.startswith(b"\x89PNG") and b"php" not in clean
    with pytest.raises(LogoError) as error:
        clean_logo(b"GIF89a" + b"\0" * 100)
    assert error.value.reason == "not_an_image"
    with pytest.raises(LogoError) as error:
        clean_logo(b"\0" * (3 * 1024 * 1024))
    assert error.value.reason == "too_large"
    big = Image.open(io.BytesIO(clean_logo(png(4000, 1000))))
    assert max(big.size) == 1200
