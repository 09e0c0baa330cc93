"""The branch report: a decision document whose tiles, outcomes, hours and themes are the figures computed here."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest

from feedback.reports import documents
from feedback.services import branch_report
from feedback.services.branch_report import DimensionScore, choose_findings
from feedback.services.periods import current_period, parse_period
from feedback.services.report_figures import FollowUpLevel, OutcomeRow, ThemeLine, Tile

from .conftest import PERIOD, pdf_pages

WELCOME = [5, 5, 4, 4, 3, 2, 5, 4]
HELPFUL = [4, 4, 4, 4, 4, 4, 4, 3]
NPS = [10, 10, 9, 8, 7, 6, 3, 10]
FOUND = ["yes", "yes", "yes", "no", "yes", "yes", "yes", "no"]
REASON = ["question"] * 4 + ["borrow"] * 4


@pytest.fixture
def branch_data(factory, store):
    """Central in 2026-Q2 (eight answers), the quarter before (five unhappy ones) and a year before (five happy)."""
    factory.branch("central", "Central Library")
    factory.branch("riverside", "Riverside Library")
    maria = factory.staff("Maria Jensen", "central", code="MARIA")
    comments = ["", "", "", "", "The printer queue was long", "Wifi kept dropping, and the printer too",
                "Lovely staff, found my book", ""]
    for i in range(8):
        factory.response("central", staff=maria.id if i < 6 else None, comment=comments[i],
                         answers={"welcome": WELCOME[i], "helpful": HELPFUL[i], "nps": NPS[i], "found": FOUND[i],
                                  "reason": REASON[i]},
                         at=datetime(2026, 4, 6 + i, 10, 0, tzinfo=UTC))
    for i in range(5):
        factory.response("central", answers={"welcome": 2, "helpful": 2, "found": "no"},
                         at=datetime(2026, 2, 3 + i, 10, 0, tzinfo=UTC))
        factory.response("central", answers={"welcome": 5, "helpful": 5, "found": "yes"},
                         at=datetime(2025, 5, 3 + i, 10, 0, tzinfo=UTC))
    # One guest at half past midnight, local time: the hour must not be dropped.
    factory.response("riverside", answers={"welcome": 4, "helpful": 4}, at=datetime(2026, 5, 4, 22, 30, tzinfo=UTC))
    return maria


def _tiles(page: str) -> dict[str, list[str]]:
    """The tiles table of the report's HTML: key -> the cells' texts (figure, n, vs previous, vs a year earlier)."""
    rows = re.findall(r'<tr data-tile="(\w+)">(.*?)</tr>', page, re.S)
    return {key: [" ".join(html.unescape(re.sub(r"<[^>]+>", "", cell)).split())
                  for cell in re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)] for key, body in rows}


def test_the_tiles_are_the_figures_computed_here(app, branch_data, store, tmp_path):
    smileys = WELCOME + HELPFUL
    satisfied = sum(v >= 4 for v in smileys) / len(smileys)  # 13 of 16
    nps = 100 * (sum(v >= 9 for v in NPS) - sum(v <= 6 for v in NPS)) / len(NPS)
    found = FOUND.count("yes") / len(FOUND)
    with app.test_request_context():
        page = documents.branch_report_html(store, "central", parse_period(PERIOD))
        pdf = documents.branch_report_pdf(store, "central", parse_period(PERIOD))
    tiles = _tiles(page)
    assert tiles["responses"] == ["8", "8", "+3", "+3"]
    # The quarter before: every answer a 2 (none satisfied, none found); a year before: every answer a 5.
    assert tiles["satisfaction"] == [f"{100 * satisfied:.0f}%", "16", f"{100 * satisfied - 0:+.0f} pts",
                                     f"{100 * satisfied - 100:+.0f} pts"]
    assert tiles["nps"] == [f"{nps:+.0f}", "8", "no comparison", "no comparison"]
    assert tiles["found"] == [f"{100 * found:.0f}%", "8", f"{100 * found:+.0f} pts", f"{100 * found - 100:+.0f} pts"]
    assert tiles["visit_score"] == ["–", "0", "no comparison", "no comparison"]
    with app.test_request_context():
        report = branch_report.build_branch_report(store, "central", parse_period(PERIOD))
    months = {p.month: (p.satisfaction, p.n) for p in report.months}
    assert len(months) == 12 and months["2026-04"] == (satisfied, 16)  # the year line: April's eight guests
    assert months["2026-02"] == (0.0, 10) and months["2026-05"] == (None, 0)
    first = pdf_pages(pdf, tmp_path)[0]
    assert f"{100 * satisfied:.0f}% 16 {100 * satisfied:+.0f} pts {100 * satisfied - 100:+.0f} pts" in first


def test_outcomes_by_reason_and_every_hour_are_reported(app, branch_data, store):
    with app.test_request_context():
        report = branch_report.build_branch_report(store, "central", parse_period(PERIOD))
        low = branch_report.build_branch_report(store, "central", parse_period(PERIOD), min_count=4)
        riverside = branch_report.build_branch_report(store, "riverside", parse_period(PERIOD), min_count=1)
    outcomes = {o.reason: (o.share, o.n) for o in report.outcomes}
    assert outcomes[""] == (6 / 8, 8)
    # Four answers each: under the five a figure needs, so only their n is shown ...
    assert outcomes["question"] == (None, 4) and outcomes["borrow"] == (None, 4) and outcomes["study"] == (None, 0)
    # ... and with four enough, each reason's share is there.
    lowered = {o.reason: (o.share, o.n) for o in low.outcomes}
    assert lowered["question"] == (3 / 4, 4) and lowered["borrow"] == (3 / 4, 4)
    assert "A question: 75% (n=4)" in str(low.charts["outcomes"])
    # 22:30 UTC on Monday 4 May is 00:30 on Tuesday in Copenhagen: the 00 hour is on the chart, with its answer.
    heat = str(riverside.charts["heatmap"])
    assert ">00</text>" in heat and "Tue 00: 1" in heat


def test_themes_come_with_two_quotes_and_staff_are_letters(app, branch_data, store, tmp_path):
    with app.test_request_context():
        report = branch_report.build_branch_report(store, "central", parse_period(PERIOD))
        pdf = documents.branch_report_pdf(store, "central", parse_period(PERIOD))
    technology = next(t for t in report.themes if t.theme == "technology")
    assert technology.comments == 2 and technology.suggestions == 2 and len(technology.quotes) == 2
    text = " ".join(pdf_pages(pdf, tmp_path))
    assert "Wifi kept dropping" in text
    assert "Maria Jensen" not in text and "Staff member A" in text  # anonymised: the staff meeting's document
    assert all("no staff member is named" in page for page in pdf_pages(pdf, tmp_path))


def test_findings_follow_the_stated_rules_in_order():
    tiles = [Tile("satisfaction", "Satisfied", "share", 0.70, 200, 0.80, 0.75),
             Tile("found", "Found", "share", 0.90, 150, 0.82, None)]
    dims = [DimensionScore("wait_time", "Wait time", 3.1, 120, None, 3.6)]
    outcomes = [OutcomeRow("", "All", 0.9, 150), OutcomeRow("question", "A question", 0.6, 40)]
    themes = [ThemeLine("noise", "Noise", 12, 4, 9, ["Too loud"])]
    owed = FollowUpLevel(asked=5, answered=2, within=2, target_days=3, owed=3, overdue=2, oldest_owed_days=9,
                         median_days=1.0)
    found = choose_findings(tiles, dims, outcomes, themes, owed)
    assert [f.rule for f in found] == ["followups", "decline", "outcome"]  # three, in the rules' order
    assert "2 guests" in found[0].text and "fell by 10 points" in found[1].text and "60%" in found[2].text
    none_owed = FollowUpLevel(5, 5, 5, 3, 0, 0, None, 1.0)
    rules = [f.rule for f in choose_findings(tiles, dims, [], themes, none_owed)]
    assert rules == ["decline", "dimension", "theme"]
    steady = [Tile("satisfaction", "Satisfied", "share", 0.80, 200, 0.78, None)]  # +2 points: no finding
    assert choose_findings(steady, [], [], [], none_owed) == []


def test_a_period_without_answers_is_one_sentence_on_one_page(app, branch_data, store, tmp_path):
    with app.test_request_context():
        pdf = documents.branch_report_pdf(store, "central", parse_period("2020-01"))
        board = documents.system_report_pdf(store, parse_period("2020-01"))
    for document in (pdf, board):
        pages = pdf_pages(document, tmp_path)
        assert len(pages) == 1 and "nothing to report" in pages[0] and "January 2020" in pages[0]


def test_a_running_period_says_so_in_a_banner(app, factory, store, tmp_path):
    factory.branch("central", "Central Library")
    for _ in range(6):
        factory.response("central", answers={"welcome": 4, "helpful": 4})
    period = current_period("quarter")
    with app.test_request_context():
        report = branch_report.build_branch_report(store, "central", period)
        pdf = documents.branch_report_pdf(store, "central", period)
    elapsed = (datetime.now(UTC).date() - period.start).days + 1
    assert report.partial == (elapsed, (period.end - period.start).days)
    assert f"is not over: these figures cover {elapsed} of its" in pdf_pages(pdf, tmp_path)[0]
    responses = next(t for t in report.tiles if t.key == "responses")
    assert responses.change_previous is None and responses.change_last_year is None  # a count: not compared


def test_the_branch_report_is_tagged_and_its_charts_are_figures_with_titles(app, branch_data, store, tmp_path):
    import subprocess

    with app.test_request_context():
        page = documents.branch_report_html(store, "central", parse_period(PERIOD))
        pdf = documents.branch_report_pdf(store, "central", parse_period(PERIOD))
    path = tmp_path / "b.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Tagged:\s+yes", info) and "Subject:" in info
    figures = re.findall(r'<figure class="chart"><p class="chart-title">([^<]+)</p><svg[^>]*>\s*<title[^>]*>([^<]+)',
                         page)
    assert len(figures) >= 4
    for visible, alternative in figures:
        assert html.unescape(alternative).startswith(html.unescape(visible))  # the alt text opens with the title
    assert page.count("<figcaption") == len(figures)
