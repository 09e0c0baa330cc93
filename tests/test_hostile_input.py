"""Random and adversarial posts to the public forms: a 4xx or a correct store, never a 500 or a broken file.

Bodies are built as raw bytes, so they can carry what a browser never
sends: invalid UTF-8, lone surrogates' encodings, NUL bytes, huge values,
repeated and missing fields, unknown fields.
"""

from __future__ import annotations

import re
import urllib.parse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedback.model import Kiosk, format_utc, utc_now
from feedback.services.surveys import default_surveys

SURVEY_FIELDS = sorted({f"q_{q.id}" for s in default_surveys().values() for q in s.questions}
                       | {"idempotency_key", "answered_at", "homepage", "contact_me", "contact", "csrf_token"})
NASTY = [b"", b"\x00", b"7", b"-1", b"5.0", b"1e309", b"NaN", b"<script>alert(1)</script>", b"\xed\xa0\x80",
         b"\xff\xfe", "é".encode(), b"' OR 1=1 --", b"{{7*7}}", b"%00", b"../../etc/passwd", b"a" * 70_000,
         b"yes", b"no", b"borrow", b"5", b"10", b"0"]

values = st.one_of(st.sampled_from(NASTY), st.binary(max_size=300),
                   st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")))
names = st.one_of(st.sampled_from([f.encode() for f in SURVEY_FIELDS]),
                  st.text(max_size=20).map(lambda t: t.encode("utf-8", "surrogatepass")))
bodies = st.lists(st.tuples(names, values), max_size=14)


def _encode(pairs: list[tuple[bytes, bytes]]) -> bytes:
    return b"&".join(urllib.parse.quote_from_bytes(k).encode() + b"=" + urllib.parse.quote_from_bytes(v).encode()
                     for k, v in pairs)


@pytest.fixture
def hostile(make_app):
    app = make_app(WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=False)
    store = app.extensions["feedback_store"]
    from feedback.model import Branch, Desk, StaffMember

    store.directory.add_branch(Branch("central", "Central"))
    store.directory.add_desk(Desk("central", "info", "Information desk"))
    store.directory.add_staff(StaffMember("s1", "Maria Jensen", "central", "MARIA"))
    store.directory.add_kiosk(Kiosk(token="kiosk-token-123456", branch="central", desk="info",
                                    created_at=format_utc(utc_now())))
    return app, store


TARGETS = ["/s/central", "/s/central/info?staff=MARIA", "/kiosk/kiosk-token-123456", "/auth/login",
           "/s/nowhere", "/kiosk/not-a-token"]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs=bodies, target=st.sampled_from(TARGETS), with_token=st.booleans())
def test_any_post_gets_a_clear_answer_and_the_store_stays_whole(hostile, pairs, target, with_token):
    app, store = hostile
    client = app.test_client()
    if with_token:
        page = client.get(target.split("?")[0] if target.startswith("/kiosk") else target)
        match = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page.data)
        if match:
            pairs = [(b"csrf_token", match.group(1))] + [p for p in pairs if p[0] != b"csrf_token"]
    before = store.responses.count()
    response = client.post(target, data=_encode(pairs), content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 400, 404, 413, 429), response.status_code
    after = store.responses.count()
    assert after - before in (0, 1)
    if after > before:
        assert response.status_code == 200
    for stored in store.responses.all():
        survey = default_surveys()[stored.survey]
        for question_id, value in stored.answers.items():
            question = survey.question(question_id)
            assert question is not None, f"unknown question {question_id} stored"
            if question.valid_values is not None:
                allowed = set(question.valid_values)
                assert (set(value) <= allowed) if isinstance(value, list) else value in allowed


def _hidden_fields(page: bytes) -> list[tuple[bytes, bytes]]:
    """The hidden inputs of a page's form (CSRF token, idempotency key, time shown), as a browser sends them."""
    return [(m.group(1), m.group(2)) for m in re.finditer(rb'<input[^>]*name="([^"]+)"[^>]*type="hidden"[^>]*'
                                                          rb'value="([^"]*)"', page)] + [
            (m.group(2), m.group(1)) for m in re.finditer(rb'<input[^>]*type="hidden"[^>]*value="([^"]*)"[^>]*'
                                                          rb'name="([^"]+)"', page)]


def test_the_store_parses_after_the_storm(hostile):
    """Nasty values in every answer and comment, each post with a valid CSRF token so it reaches the store."""
    app, store = hostile
    stored_answers = 0
    for nasty in NASTY:
        for answers in ([(b"q_welcome", nasty), (b"q_helpful", b"4")], [(b"q_welcome", b"5"), (b"q_helpful", b"4")]):
            # A new guest each time: one phone's reloaded page keeps its key, and would be answered "already had".
            client = app.test_client()
            hidden = _hidden_fields(client.get("/s/central").data)
            assert any(name == b"csrf_token" for name, _value in hidden)
            before = store.responses.count()
            answer = client.post("/s/central", data=_encode(hidden + answers + [(b"q_comment", nasty)]),
                                 content_type="application/x-www-form-urlencoded")
            assert answer.status_code in (200, 400, 413), answer.status_code
            stored_answers += store.responses.count() - before
            assert store.responses.count() - before == (1 if answer.status_code == 200 else 0)
    # Most nasty comments come with valid answers and must be kept (held or masked, never dropped).
    assert stored_answers >= len(NASTY) - 2
    assert store.corrupt_files() == []
    for response in store.responses.all():  # every stored answer reads back whole
        assert response.answers["welcome"] in range(1, 6) and "\x00" not in response.comment


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(comment=st.text(max_size=400), welcome=st.integers(1, 5))
def test_a_valid_survey_with_any_comment_text_is_stored_as_clean_text(hostile, comment, welcome):
    app, store = hostile
    client = app.test_client()
    page = client.get("/s/central").data
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    body = _encode([(b"csrf_token", token), (b"q_welcome", str(welcome).encode()), (b"q_helpful", b"4"),
                    (b"q_comment", comment.encode("utf-8", "surrogatepass"))])
    before = store.responses.count()
    response = client.post("/s/central", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert store.responses.count() == before + 1
        stored = max(store.responses.all(), key=lambda r: r.submitted_at)
        assert "\x00" not in stored.comment and len(stored.comment) <= app.config["COMMENT_MAX_LENGTH"]
        assert stored.answers["welcome"] in range(1, 6)
    else:
        assert store.responses.count() == before
        assert 'class="error"' in response.get_data(as_text=True) or "error" in response.get_data(as_text=True)
