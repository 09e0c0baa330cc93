"""The staff coaching report: its numbers are those computed here from the seeded responses and visit."""

from __future__ import annotations

import json

from feedback.services.rubric import default_rubric, score_visit

from .conftest import PERIOD, pdf_text


def _section(text: str, start: str, end: str) -> str:
    return text[text.index(start):text.index(end, text.index(start))]


def test_staff_report_pdf_shows_the_figures_computed_from_the_seeded_data(runner, known_branch, store, tmp_path):
    out = tmp_path / "maria.pdf"
    result = runner.invoke(args=["report", "staff", "MARIA", "--period", PERIOD, "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = pdf_text(out.read_bytes(), tmp_path)

    # Six responses count; the flagged one does not. A personal report speaks of behaviours only:
    # no NPS, no wait. The share of 4s and 5s is over the behaviour questions (welcome, helpful, courtesy, listening).
    behaviour_answers = [5, 5, 5, 5, 4, 4] + [3, 3, 2, 3, 3, 4] + [4] * 6 + [4] * 3
    share = round(100 * sum(v >= 4 for v in behaviour_answers) / len(behaviour_answers))
    welcome, helpful = sum([5, 5, 5, 5, 4, 4]) / 6, sum([3, 3, 2, 3, 3, 4]) / 6
    # The branch, the person is compared with, leaves the flagged burst out as the person's figures do;
    # the system column is the dashboard's (every response).
    branch_welcome = (sum([5, 5, 5, 5, 4, 4]) + 5 * 3) / 11
    system_welcome = (sum([5, 5, 5, 5, 4, 4]) + 5 * 3 + 1 + 5 * 2) / 17
    [stored_visit] = store.visits.all()
    visit = score_visit(default_rubric(), stored_visit.answers)
    assert abs(visit.overall - 16.5 / 23) < 1e-9

    flat = " ".join(text.split())
    summary = _section(flat, "Summary", "Behaviours, beside")
    assert "Maria Jensen" in flat and "Central Library" in flat and PERIOD in flat
    assert f"Guest responses 6 Share of 4 and 5 on questions about staff behaviour {share}%" in summary
    assert f"Mystery-shopper visits (approved) 1 Mystery-shopper score {round(100 * visit.overall)}%" in summary
    assert "Net promoter" not in flat and "Wait time" not in flat

    dimensions = _section(flat, "Behaviours, beside", "Strengths")
    assert f"Welcome {welcome:.1f} 6 {branch_welcome:.1f} {system_welcome:.1f}" in dimensions
    assert f"Helpfulness and accuracy {helpful:.1f} 6" in dimensions
    assert "Courtesy and fairness 4.0 6" in dimensions
    assert "Listening not enough feedback yet 3" in dimensions  # three answers only

    # Six answers are too few to compare with the branch, and one visit is not a pattern: no labels at all,
    # although helpfulness (3.0) is her lowest score and welcome (4.7) her highest.
    strengths = _section(flat, "Strengths", "Focus areas")
    focus = _section(flat, "Focus areas", "In guests")
    assert "No behaviour stands out from the branch" in strengths
    assert "No focus area needed this period: choose a stretch goal together." in focus

    words = _section(flat, "In guests", "Mystery-shopper visits")
    assert "Maria was wonderful" in words and "[phone removed]" in words and "12 34 56 78" not in words
    assert "me@example.org" not in words
    # "Too slow" is about the wait, which she does not control: left to the branch report.
    assert "Too slow" not in words and "1 suggestion about the service" in words

    visits = _section(flat, "Mystery-shopper visits", "Action plan")
    assert "Local history" in visits and "correct" in visits
    assert "Asked clarifying open questions" in visits.split("Missed")[1]
    plan = flat[flat.index("Action plan"):]
    assert "Goals" in plan and "Agreed actions" in plan and "Manager" in plan and "review progress on" in plan


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


def test_a_staff_member_without_feedback_gets_a_report_saying_so(runner, known_branch, tmp_path):
    out = tmp_path / "ahmed.pdf"
    result = runner.invoke(args=["report", "staff", "AHMED", "--period", PERIOD, "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = pdf_text(out.read_bytes(), tmp_path)
    assert "No behaviour stands out from the branch" in text
    assert "No approved visits in this period." in text


def test_an_unknown_code_or_bad_period_is_a_clear_cli_error(runner, known_branch, tmp_path):
    result = runner.invoke(args=["report", "staff", "NOPE", "--period", PERIOD, "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0 and "no staff member with code 'NOPE'" in result.output
    result = runner.invoke(args=["report", "staff", "MARIA", "--period", "Q9", "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0 and "2026-Q4" in result.output
