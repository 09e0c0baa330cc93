"""Comments: themes by whole words in the guest's language; a colleague's name keeps a comment off a report."""

from __future__ import annotations

import json

import pytest

from feedback.evidence import staff_evidence
from feedback.evidence.comments import themes_of

from .conftest import PERIOD


@pytest.mark.parametrize(("text", "language", "theme", "expected"), [
    ("The library was quiet today", "da", "friendliness", False),  # Danish "rar" is not inside "library"
    ("What a lovely event", "da", "wait", False),  # Danish "vent" (wait) is not inside "event"
    ("Lang ventetid ved skranken", "da", "wait", True),
    ("Meget rar og venlig", "da", "friendliness", True),
    ("I waited twenty minutes", "en", "wait", True),
    ("The e-book app keeps crashing", "en", "collections", False),  # "book" is not "e-book"
    ("The e-book app keeps crashing", "en", "technology", True),
    ("Esperé mucho tiempo", "es", "wait", True),
    ("Nobody noticed me at the desk", "en", "acknowledgement", True),
])
def test_themes_match_whole_words_in_the_comments_language(app, text, language, theme, expected):
    assert (theme in themes_of(text, language)) is expected


def test_a_comment_naming_a_colleague_is_not_credited_to_the_person_on_the_qr_code(team, store):
    team.answers(team.subject, 10, {b: [5] for b in ("welcome", "listening", "helpfulness", "courtesy")},
                 comments=["Ahmed found exactly the book I needed, thank you!", "Maria was so kind to me"])
    ev = staff_evidence(store, "MARIA", PERIOD)
    praise = [c.text for c in ev.praise]
    assert praise == ["Maria was so kind to me"]
    [(mention, names)] = ev.colleague_mentions
    assert mention.text.startswith("Ahmed found exactly") and names == ["Ahmed Hassan"]
    assert all("Ahmed" not in q for b in ev.behaviours for q in b.quotes)


def test_a_suggestion_about_the_wait_is_left_to_the_branch_report(team, store):
    team.answers(team.subject, 10, {b: [2] for b in ("welcome", "listening", "helpfulness", "courtesy")},
                 comments=["I waited far too long in the queue", "She did not listen to what I needed"])
    ev = staff_evidence(store, "MARIA", PERIOD)
    assert [c.text for c in ev.suggestions] == ["She did not listen to what I needed"]
    assert ev.suggestions[0].behaviours == ("listening",)
    assert ev.service_comments == 1


def test_branch_json_keeps_what_no_person_controls_and_counts_themes_by_whole_words(team, store, runner, tmp_path):
    team.answers(team.subject, 10, {b: [2] for b in ("welcome", "listening", "helpfulness", "courtesy")},
                 comments=["I waited far too long in the queue", "The library felt lovely and friendly"])
    out = tmp_path / "central.json"
    result = runner.invoke(args=["report", "branch", "central", "--period", "2026-05", "--format", "json",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text("utf-8"))
    themes = {t["id"]: t for t in data["themes"]}
    assert themes["wait"]["comments"] == 1 and themes["wait"]["service"] is True
    assert themes["wait"]["quotes"] == ["I waited far too long in the queue"]
    assert themes["friendliness"]["comments"] == 1 and "collections" not in themes
    assert [b["id"] for b in data["behaviours"]][:2] == ["welcome", "approachability"]
    assert data["behaviours"][0]["guest"]["n"] == 210
    assert {s["code"] for s in data["staff"]} == {"MARIA", "AHMED", "SOFIE", "LUCAS", "CARMEN", "EMIL"}
