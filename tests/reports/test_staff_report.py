"""The staff coaching report: its numbers are those computed here from the seeded responses and visit."""

from __future__ import annotations

from feedback.services import coaching
from feedback.services.periods import parse_period
from feedback.services.rubric import default_rubric, score_visit

from .conftest import PERIOD, pdf_text


def _section(text: str, start: str, end: str) -> str:
    return text[text.index(start):text.index(end, text.index(start))]


def test_staff_report_pdf_shows_the_figures_computed_from_the_seeded_data(runner, known_branch, store, tmp_path):
    out = tmp_path / "maria.pdf"
    result = runner.invoke(args=["report", "staff", "MARIA", "--period", PERIOD, "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = pdf_text(out.read_bytes(), tmp_path)

    # Six responses count; the flagged one does not.
    smileys = [5, 5, 5, 5, 4, 4] + [3, 3, 2, 3, 3, 4] + [4] * 6 + [4] * 3
    satisfaction = round(100 * sum(v >= 4 for v in smileys) / len(smileys))
    welcome, helpful = sum([5, 5, 5, 5, 4, 4]) / 6, sum([3, 3, 2, 3, 3, 4]) / 6
    # A held (flagged) answer counts in no figure: not the branch's or the system's either, as on the dashboard.
    branch_welcome = (sum([5, 5, 5, 5, 4, 4]) + 5 * 3) / 11
    system_welcome = (sum([5, 5, 5, 5, 4, 4]) + 5 * 3 + 5 * 2) / 16
    nps = round(100 * (4 - 1) / 6)  # promoters 10 9 9 10, detractor 3
    [stored_visit] = store.visits.all()
    visit = score_visit(default_rubric(), stored_visit.answers)
    assert abs(visit.overall - 16.5 / 23) < 1e-9

    flat = " ".join(text.split())
    summary = _section(flat, "Summary", "Behaviours, beside")
    assert "Maria Jensen" in flat and "Central Library" in flat and PERIOD in flat
    assert f"Guest responses 6 Satisfaction (share of 4 and 5) {satisfaction}% Net promoter score +{nps}" in summary
    assert f"Mystery-shopper visits (approved) 1 Mystery-shopper score {round(100 * visit.overall)}%" in summary

    dimensions = _section(flat, "Behaviours, beside", "Strengths")
    assert f"Welcome {welcome:.1f} 6 {branch_welcome:.1f} {system_welcome:.1f}" in dimensions
    assert f"Helpfulness and accuracy {helpful:.1f} 6" in dimensions
    assert "Courtesy and fairness 4.0 6" in dimensions
    assert "Listening not enough feedback yet 3" in dimensions  # three answers only

    strengths = _section(flat, "Strengths", "Focus areas")
    focus = _section(flat, "Focus areas", "In guests")
    assert f"Welcome {welcome:.1f}" in strengths
    assert f"Helpfulness and accuracy {helpful:.1f}" in focus
    assert "Helpfulness" not in strengths and "Welcome" not in focus.split("What shoppers saw")[0]
    assert "Say what you are doing as you search" in focus  # a tip from the tips library
    assert "Found an accurate answer: seen in 1 of 1 visits" in focus

    words = _section(flat, "In guests", "Mystery-shopper visits")
    assert "Maria was wonderful" in words and "[phone removed]" in words and "12 34 56 78" not in words
    assert "Too slow" in words and "me@example.org" not in words
    assert words.index("Maria was wonderful") < words.index("Suggestions") < words.index("Too slow")

    visits = _section(flat, "Mystery-shopper visits", "Action plan")
    assert "Local history" in visits and "correct" in visits
    assert "Asked clarifying open questions" in visits.split("Missed")[1]
    plan = flat[flat.index("Action plan"):]
    assert "Goals" in plan and "Agreed actions" in plan and "Manager" in plan and "review progress on" in plan


def test_strengths_and_focus_never_name_the_same_dimension(app, known_branch, store):
    with app.test_request_context():
        report = coaching.build_staff_report(store, "MARIA", parse_period(PERIOD))
    assert [p.dimension for p in report.strengths] == ["welcome"]
    assert [p.dimension for p in report.focus_areas] == ["helpfulness"]
    listening = next(line for line in report.dimensions if line.dimension == "listening")
    assert listening.score is None and listening.count == 3


def test_a_staff_member_without_feedback_gets_a_report_saying_so(runner, known_branch, tmp_path):
    out = tmp_path / "ahmed.pdf"
    result = runner.invoke(args=["report", "staff", "AHMED", "--period", PERIOD, "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = pdf_text(out.read_bytes(), tmp_path)
    assert "Not enough feedback yet to name strengths." in text
    assert "No approved visits in this period." in text


def test_an_unknown_code_or_bad_period_is_a_clear_cli_error(runner, known_branch, tmp_path):
    result = runner.invoke(args=["report", "staff", "NOPE", "--period", PERIOD, "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0 and "no staff member with code 'NOPE'" in result.output
    result = runner.invoke(args=["report", "staff", "MARIA", "--period", "Q9", "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0 and "2026-Q4" in result.output
