"""Site-wide behaviour: security headers, error pages, the size limit, language choice."""

import pytest


@pytest.mark.parametrize("path", ["/", "/auth/login", "/healthz", "/no-such-page"])
def test_every_page_carries_a_strict_csp_and_protective_headers(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"


def test_staff_pages_are_never_cached(client):
    assert client.get("/auth/login").headers["Cache-Control"] == "no-store"


def test_session_cookie_is_http_only_and_same_site(client):
    client.get("/auth/login?lang=es")
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"


def test_a_body_over_the_limit_gets_413_with_a_clear_page(make_app):
    app = make_app(MAX_CONTENT_LENGTH=1024)
    response = app.test_client().post("/auth/login", data={"email": "a@b.c", "password": "x" * 5000})
    assert response.status_code == 413
    assert "too long" in response.get_data(as_text=True)


def test_a_corrupt_store_answers_503_with_a_page_not_a_traceback(client, store, factory):
    factory.branch("central")
    (store.data_dir / "directory.json").write_text("{garbled")
    store.cache.clear()
    response = client.get("/")
    assert response.status_code == 503
    text = response.get_data(as_text=True)
    assert "Temporarily unavailable" in text and "Traceback" not in text


def test_the_page_speaks_the_language_asked_for(client):
    page = client.get("/?lang=es").get_data(as_text=True)
    assert '<html lang="es">' in page
    # the choice sticks for the next page
    assert '<html lang="es">' in client.get("/").get_data(as_text=True)
