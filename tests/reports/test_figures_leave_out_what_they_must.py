"""Each figure counts only what it must: a test for each mistake that once went unnoticed.

Each test here fails under one mutation of the code that builds the figures
(reproduced by hand when the test was written): flagged responses counted on
the staff page; unapproved visits in the staff PDF; a staff trend drawn from
the branch's series; a report cache that misses new answers.
"""

from __future__ import annotations

from datetime import UTC, datetime

from feedback.model import Visit
from feedback.services import coaching
from feedback.services.dashboard import build_staff_page
from feedback.services.periods import parse_period
from feedback.store.visits import new_visit_id

from .conftest import PERIOD, pdf_text

MARIA_WELCOME = [5, 5, 5, 5, 4, 4]  # her six unflagged responses in the period (see known_branch)


def test_the_staff_page_leaves_out_a_flagged_burst(known_branch, store):
    maria = known_branch["maria"]
    page = build_staff_page(store, maria, store.directory.branch("central"), parse_period(PERIOD))
    assert page.summary.responses == 6  # the flagged seventh is not hers to answer for
    assert page.summary.dimensions["welcome"].count == 6
    assert abs(page.summary.dimensions["welcome"].mean - sum(MARIA_WELCOME) / 6) < 1e-9
    may = page.trend_months.index("2026-05")
    assert page.trend_counts[may] == 6


def test_the_staff_pdf_counts_approved_visits_only(runner, known_branch, store, tmp_path):
    maria = known_branch["maria"]
    for status, day in (("submitted", 10), ("returned", 11), ("draft", 12)):
        store.visits.add(Visit(
            id=new_visit_id(2026), shopper="s1", branch="central", channel="phone", scenario="housing-help",
            visited_at=f"2026-06-{day}T10:00:00Z", status=status, staff=maria.id, accuracy="incorrect",
            answers={"acknowledged": "no", "greeting": "no", "said_goodbye": "no", "respectful": "no"}))
    out = tmp_path / "maria.pdf"
    result = runner.invoke(args=["report", "staff", "MARIA", "--period", PERIOD, "--out", str(out)])
    assert result.exit_code == 0, result.output
    flat = " ".join(pdf_text(out.read_bytes(), tmp_path).split())
    visits = flat[flat.index("Mystery-shopper visits", flat.index("Appendix")):flat.index("In guests")]
    assert "Visit 1" in visits and "Visit 2" not in visits  # one scorecard: the approved visit only
    assert "Local history" in visits
    assert "Housing benefit" not in visits and "incorrect" not in visits


def test_the_staff_trend_is_the_persons_own_series(known_branch, store, factory):
    maria = known_branch["maria"]
    # The quarter before: Maria's guests were delighted, the rest of the branch's were not.
    for day in range(1, 7):
        factory.response("central", staff=maria.id, answers={"welcome": 5, "helpful": 5, "courtesy": 5},
                         at=datetime(2026, 2, day, 10, 0, tzinfo=UTC))
        factory.response("central", answers={"welcome": 1, "helpful": 1, "courtesy": 1},
                         at=datetime(2026, 2, day, 11, 0, tzinfo=UTC))
    report = coaching.build_staff_report(store, "MARIA", parse_period(PERIOD))
    welcome = next(line for line in report.dimensions if line.dimension == "welcome")
    previous = report.trend_labels.index("2026-Q1")
    assert welcome.trend[previous] == 5.0  # hers, not the branch's 3.0
    assert abs(welcome.trend[report.trend_labels.index(PERIOD)] - sum(MARIA_WELCOME) / 6) < 1e-9


def test_a_report_made_again_after_new_answers_shows_them(known_branch, store, factory):
    maria = known_branch["maria"]
    first = coaching.build_staff_report(store, "MARIA", parse_period(PERIOD))
    assert first.headline.responses == 6
    for day in range(1, 5):
        factory.response("central", staff=maria.id, answers={"welcome": 1, "helpful": 1, "courtesy": 1},
                         at=datetime(2026, 6, 20 + day, 10, 0, tzinfo=UTC))
    again = coaching.build_staff_report(store, "MARIA", parse_period(PERIOD))
    assert again.headline.responses == 10
    welcome = next(line for line in again.dimensions if line.dimension == "welcome")
    assert abs(welcome.score - (sum(MARIA_WELCOME) + 4) / 10) < 1e-9
