"""The staff coaching report: a one-page conversation sheet, an appendix of evidence, figures computed here."""

from __future__ import annotations

import html
import json
import re
import subprocess
from datetime import UTC, datetime

import pytest

from feedback.model import Visit
from feedback.reports import documents
from feedback.services import staff_report
from feedback.services.periods import parse_period
from feedback.services.rubric import default_rubric, score_visit
from feedback.store.visits import new_visit_id

from .conftest import PERIOD, pdf_pages


def _pages(pdf: bytes, tmp_path) -> list[str]:
    return pdf_pages(pdf, tmp_path)


def _pdfinfo(pdf: bytes, tmp_path) -> dict[str, str]:
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return {k.strip(): v.strip() for k, _sep, v in (line.partition(":") for line in out.splitlines())}


def test_the_appendix_shows_the_figures_computed_from_the_seeded_data(runner, known_branch, store, tmp_path):
    out = tmp_path / "maria.pdf"
    result = runner.invoke(args=["report", "staff", "MARIA", "--period", PERIOD, "--out", str(out)])
    assert result.exit_code == 0, result.output
    flat = " ".join(pdf_pages(out.read_bytes(), tmp_path))

    # Six responses count; the flagged one does not, neither in her figures nor in the branch she is compared with.
    welcome, helpful = sum([5, 5, 5, 5, 4, 4]) / 6, sum([3, 3, 2, 3, 3, 4]) / 6
    branch_welcome = (sum([5, 5, 5, 5, 4, 4]) + 5 * 3) / 11
    branch_helpful = (sum([3, 3, 2, 3, 3, 4]) + 5 * 5) / 11
    appendix = flat[flat.index("Appendix: the evidence"):]
    assert f"Welcome {welcome:.1f} (6) {branch_welcome:.1f} too few answers to" in appendix
    assert f"Helpfulness and accuracy {helpful:.1f} (6) {branch_helpful:.1f} too few answers to" in appendix
    assert "Courtesy and fairness 4.0 (6)" in appendix
    assert "Listening – (3)" in appendix and "too few answers (n=3)" in appendix  # three answers only
    assert "Approachability – (0) – no guest question on" in appendix
    assert "Net promoter" not in flat and "Wait time" not in flat  # a person is judged on behaviours only

    # The one approved visit, as a scorecard: welcome fully seen, listening partly (let finish, no open questions).
    [stored_visit] = store.visits.all()
    visit = score_visit(default_rubric(), stored_visit.answers)
    cards = appendix[appendix.index("Mystery-shopper visits"):]
    assert "Local history (in person)" in cards and "Accuracy of the answer: correct" in cards
    assert f"Score {round(100 * visit.overall)}%" in cards
    assert "Welcome ✓ seen Approachability ◐ partly Listening ✗ missed" in cards  # the evidence layer's outcome
    assert "Referral –" in cards  # no referral item was judged

    words = appendix[appendix.index("In guests"):]
    assert "Maria was wonderful" in words and "[phone removed]" in words and "12 34 56 78" not in words
    assert "me@example.org" not in words
    # "Too slow" is about the wait, which she does not control: left to the branch report.
    assert "Too slow" not in words and "1 suggestion about the service" in words


@pytest.fixture
def labelled(factory, store):
    """Lena, whose evidence allows labels: guests rate her welcome far above the branch, her help far below,
    and two approved visits saw her welcome every time and missed the accurate answer twice."""
    factory.branch("central", "Central Library")
    lena = factory.staff("Lena Berg", "central", code="LENA")
    for i in range(80):  # the rest of the branch
        factory.response("central", answers={"welcome": 3 + i % 2, "helpful": 4, "courtesy": 4},
                         at=datetime(2026, 4, 2 + i % 28, 10, i % 50, tzinfo=UTC))
    for i in range(40):
        factory.response("central", staff=lena.id, answers={"welcome": 5, "helpful": 2 + (i % 5 == 0), "courtesy": 4},
                         comment="Such a warm welcome, thank you" if i < 3 else "",
                         at=datetime(2026, 5, 1 + i % 28, 11, i, tzinfo=UTC))
    seen_welcome = {"acknowledged": "yes", "eye_contact": "yes", "greeting": "yes"}
    for day in (3, 17):
        store.visits.add(Visit(
            id=new_visit_id(2026), shopper="s1", branch="central", channel="in_person", scenario="local-history",
            visited_at=f"2026-06-{day:02d}T10:00:00Z", status="approved", staff=lena.id, accuracy="incorrect",
            answers={**seen_welcome, "explained": "no", "offered_show": "no", "accurate": "no"},
            narrative="She greeted me at once but sent me to the wrong shelf.", wait_minutes=2, duration_minutes=6))
    return lena


def test_page_one_is_the_conversation_sheet(runner, labelled, tmp_path):
    out = tmp_path / "lena.pdf"
    result = runner.invoke(args=["report", "staff", "LENA", "--period", PERIOD, "--out", str(out)])
    assert result.exit_code == 0, result.output
    pages = _pages(out.read_bytes(), tmp_path)
    first = pages[0]
    assert "STRENGTH FOCUS AREA Welcome Helpfulness and accuracy" in first
    assert "Guests: 5.0" in first and "(n=40)" in first
    assert "A guest said: “Such a warm" in first and "welcome, thank you”" in first  # the card wraps the quote
    assert "A shopper saw" in first and "in 2 of 2 visits" in first
    assert "Goal:" in first
    assert "Since last time" in first and "Progress on the last plan" in first and "No earlier plan recorded." in first
    assert first.count("?") >= 4  # the four talking points
    assert "What By when Support from the manager How we'll know" in first  # the actions table
    assert "Your comments" in first
    assert "Lena Berg, signature and date" in first and "Manager: name, signature and date" in first
    assert "Follow-up conversation on" in first
    assert "Appendix" not in first
    assert all("Confidential" in page for page in pages)


def test_the_pdf_is_tagged_with_title_subject_and_creation_date(runner, known_branch, tmp_path):
    out = tmp_path / "maria.pdf"
    assert runner.invoke(args=["report", "staff", "MARIA", "--period", PERIOD, "--out", str(out)]).exit_code == 0
    info = _pdfinfo(out.read_bytes(), tmp_path)
    assert info["Tagged"] == "yes"
    assert info["Title"] == "Coaching report: Maria Jensen, April-June 2026"
    assert "Maria Jensen" in info["Subject"]
    assert info["CreationDate"].endswith(str(datetime.now(UTC).year) + " UTC")


def test_every_demo_staff_report_fits_two_sheets_with_the_sheet_on_page_one(app, tmp_path):
    from feedback.services.demo import seed_demo
    from feedback.services.periods import current_period

    store = app.extensions["feedback_store"]
    seed_demo(store, responses=3000, visits=40)
    period = current_period("quarter").previous()
    with app.test_request_context():
        for member in store.directory.staff():
            for language in ("en", "da"):
                pages = _pages(documents.staff_report_pdf(store, member.code, period, language=language), tmp_path)
                assert len(pages) <= 4, (member.display_name, language, len(pages))
                signed = "signature and date" if language == "en" else "underskrift og dato"
                assert signed in pages[0], (member.display_name, language)  # the whole sheet on page one


def test_a_period_without_feedback_is_one_sentence_on_one_page(runner, known_branch, tmp_path):
    out = tmp_path / "maria.pdf"
    assert runner.invoke(args=["report", "staff", "MARIA", "--period", "2020-01", "--out", str(out)]).exit_code == 0
    pages = _pages(out.read_bytes(), tmp_path)
    assert len(pages) == 1
    assert "nothing to discuss" in pages[0] and "January 2020" in pages[0]


def test_the_report_json_is_the_evidence_the_pdf_is_built_from(runner, known_branch, tmp_path):
    out = tmp_path / "maria.json"
    result = runner.invoke(args=["report", "staff", "MARIA", "--period", PERIOD, "--format", "json",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text("utf-8"))
    assert data["strengths"] == [] and data["focus_areas"] == []
    by_id = {b["id"]: b for b in data["behaviours"]}
    assert list(by_id) == ["welcome", "approachability", "listening", "helpfulness", "follow_up", "referral",
                           "farewell", "courtesy"]
    assert by_id["welcome"]["guest"]["n"] == 6 and by_id["welcome"]["guest"]["position"] == "too_few"
    assert by_id["welcome"]["guest"]["reference_n"] == 11
    assert by_id["listening"]["guest"]["mean"] is None and by_id["listening"]["guest"]["position"] == "none"
    assert by_id["approachability"]["guest"] is None  # no guest question asks about it
    assert by_id["listening"]["shopper"]["missed"] == 1 and by_id["listening"]["shopper"]["visits"] == 1
    assert by_id["referral"]["shopper"]["visits"] == 0  # n/a in that visit


def test_without_evidence_beyond_chance_the_sheet_names_no_label(runner, known_branch, tmp_path):
    out = tmp_path / "maria.pdf"
    assert runner.invoke(args=["report", "staff", "MARIA", "--period", PERIOD, "--out", str(out)]).exit_code == 0
    first = _pages(out.read_bytes(), tmp_path)[0]
    # Six answers are too few to compare with the branch, and one visit is not a pattern: no labels at all,
    # although helpfulness (3.0) is her lowest score and welcome (4.7) her highest.
    assert "STRENGTH" not in first and "FOCUS AREA" not in first
    assert "No behaviour stands out from the branch beyond what chance explains" in first
    assert "Actions we agree" in first


def test_a_staff_member_without_feedback_in_a_period_with_feedback_gets_one_page(runner, known_branch, tmp_path):
    out = tmp_path / "ahmed.pdf"
    assert runner.invoke(args=["report", "staff", "AHMED", "--period", PERIOD, "--out", str(out)]).exit_code == 0
    pages = _pages(out.read_bytes(), tmp_path)
    assert len(pages) == 1 and "Ahmed Hassan" in pages[0]


def _headings(page: str) -> list[str]:
    """Texts of headings, table headers, chart titles and card kinds, in document order."""
    found = re.findall(r'<(h[1-3]|th|p class="(?:chart-title|point-kind)")[^>]*>(.*?)</', page, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", text)).strip() for _tag, text in found]


def test_the_danish_report_has_no_english_heading(app, known_branch, store):
    with app.test_request_context():
        english = _headings(documents.staff_report_html(store, "MARIA", parse_period(PERIOD), language="en"))
        danish = _headings(documents.staff_report_html(store, "MARIA", parse_period(PERIOD), language="da"))
    assert len(english) == len(danish) > 20
    neutral = {"Maria Jensen", "n", "#", "Score"}  # names, and words Danish shares with English
    same = [(en, da) for en, da in zip(english, danish, strict=True) if en == da and en not in neutral]
    assert not same, same
    assert "Samtalepunkter" in danish and "Aftalte handlinger" in danish


def test_the_tips_library_speaks_the_reports_language(app, labelled, store):
    with app.test_request_context():
        page = documents.staff_report_html(store, "LENA", parse_period(PERIOD), language="es")
    assert "Diga lo que está haciendo mientras busca" in page  # the focus area's tip, in Spanish
    assert "Say what you are doing" not in page


def test_progress_on_the_last_plan_comes_from_the_coaching_record_hook(app, known_branch, store, monkeypatch):
    goal = staff_report.PlanGoal("Listening", "Ask one open question before searching", "in progress")
    monkeypatch.setattr(staff_report, "PREVIOUS_PLAN_SOURCE", lambda store, member, period: [goal])
    with app.test_request_context():
        page = documents.staff_report_html(store, "MARIA", parse_period(PERIOD))
    assert "Ask one open question before searching" in page and "No earlier plan recorded." not in page


def test_an_unknown_code_or_bad_period_is_a_clear_cli_error(runner, known_branch, tmp_path):
    result = runner.invoke(args=["report", "staff", "NOPE", "--period", PERIOD, "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0 and "no staff member with code 'NOPE'" in result.output
    result = runner.invoke(args=["report", "staff", "MARIA", "--period", "Q9", "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0 and "2026-Q4" in result.output
