"""Fixtures of the reports tests: a small, exactly known branch, and PDF reading helpers."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime

import pytest

from feedback.model import Visit
from feedback.store.visits import new_visit_id

PERIOD = "2026-Q2"


def pdf_text(pdf: bytes, tmp_path, name: str = "report") -> str:
    """The PDF's text as pdftotext reads it (reading order, not layout)."""
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def pdf_pages(pdf: bytes, tmp_path, name: str = "report") -> list[str]:
    """Each page's text as laid out (``pdftotext -layout``), runs of spaces collapsed: table rows stay rows."""
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


def pdf_tool_lines(tool: str, pdf: bytes, tmp_path) -> list[str]:
    """Output lines of a poppler tool run on the PDF (``pdfdetach -list``, ``pdfimages -list``)."""
    path = tmp_path / "inspect.pdf"
    path.write_bytes(pdf)
    args = {"pdfdetach": ["pdfdetach", "-list"], "pdfimages": ["pdfimages", "-list"]}[tool]
    return subprocess.run([*args, str(path)], check=True, capture_output=True, text=True).stdout.splitlines()


@pytest.fixture
def known_branch(factory, store):
    """Central with Maria (6 QR responses with chosen answers, one approved visit) and Riverside for contrast.

    Maria's answers, by dimension:
      welcome 5 5 5 5 4 4 (mean 4.67), helpful 3 3 2 3 3 4 (mean 3.0),
      courtesy 4 x6 (4.0), listening 4 x3 only (too few: "not enough feedback yet").
    """
    factory.branch("central", "Central Library")
    factory.branch("riverside", "Riverside Library")
    maria = factory.staff("Maria Jensen", "central", code="MARIA")
    factory.staff("Ahmed Hassan", "central", code="AHMED")
    welcome = [5, 5, 5, 5, 4, 4]
    helpful = [3, 3, 2, 3, 3, 4]
    nps = [10, 9, 9, 7, 3, 10]
    comments = ["Maria was wonderful, call me on +45 12 34 56 78", "", "", "", "Too slow, write to me@example.org", ""]
    responses = []
    for i in range(6):
        answers = {"welcome": welcome[i], "helpful": helpful[i], "courtesy": 4, "nps": nps[i]}
        if i < 3:
            answers["listening"] = 4
        responses.append(factory.response("central", staff=maria.id, answers=answers, comment=comments[i],
                                          at=datetime(2026, 5, 4 + i, 10, 0, tzinfo=UTC)))
    # Other guests of the branch and of another branch: the comparison figures.
    for i in range(5):
        factory.response("central", answers={"welcome": 3, "helpful": 5, "courtesy": 5},
                         at=datetime(2026, 5, 12 + i, 11, 0, tzinfo=UTC))
        factory.response("riverside", answers={"welcome": 2, "helpful": 2, "courtesy": 2},
                         at=datetime(2026, 5, 12 + i, 11, 0, tzinfo=UTC))
    # A flagged response aimed at Maria never counts towards her figures.
    factory.response("central", staff=maria.id, answers={"welcome": 1, "helpful": 1, "courtesy": 1},
                     at=datetime(2026, 5, 20, 9, 0, tzinfo=UTC), flagged=True)
    visit_at = datetime(2026, 6, 2, 10, 0, tzinfo=UTC)
    store.visits.add(Visit(
        id=new_visit_id(2026), shopper="s1", branch="central", channel="in_person", scenario="local-history",
        visited_at="2026-06-02T10:00:00Z", status="approved", staff=maria.id, accuracy="correct",
        answers={"acknowledged": "yes", "eye_contact": "yes", "greeting": "yes", "full_attention": "yes",
                 "unhurried": "partly", "let_finish": "yes", "open_questions": "no", "restated": "no",
                 "explained": "yes", "offered_show": "no", "accurate": "yes", "fully_answered": "no",
                 "invited_back": "yes", "named_place": "na", "said_goodbye": "yes", "respectful": "yes",
                 "positive": "yes"},
    ))
    return {"maria": maria, "responses": responses, "visit_at": visit_at}
