"""Scoring a visit against worked examples computed by hand."""

from __future__ import annotations

import pytest

from feedback.model import VISIT_CHANNELS
from feedback.services.rubric import Rubric, default_rubric, score_visit
from feedback.services.scenarios import default_scenarios, scenarios_for_channel

# Two behaviours; weights 2, 1, 1 and 3, 1; a1 and b2 are critical.
HAND_RUBRIC = Rubric.from_dict({
    "id": "hand", "version": 1, "behaviours": [
        {"id": "A", "title": "Alpha", "items": [
            {"id": "a1", "text": "one", "weight": 2, "critical": True},
            {"id": "a2", "text": "two", "weight": 1},
            {"id": "a3", "text": "three", "weight": 1},
        ]},
        {"id": "B", "title": "Beta", "items": [
            {"id": "b1", "text": "four", "weight": 3},
            {"id": "b2", "text": "five", "weight": 1, "critical": True},
        ]},
    ],
})


def test_every_item_yes_scores_full_marks():
    score = score_visit(HAND_RUBRIC, dict.fromkeys(["a1", "a2", "a3", "b1", "b2"], "yes"))
    assert score.overall == 1.0
    assert score.by_behaviour == {"A": 1.0, "B": 1.0}
    assert score.critical_misses == ()


def test_weights_partly_and_not_applicable_worked_by_hand():
    # earned: a1 yes 2 + a2 partly 0.5 + b1 no 0 + b2 yes 1 = 3.5
    # possible: 2 + 1 + 3 + 1 = 7 (a3 is n/a, so out of the denominator)
    score = score_visit(HAND_RUBRIC, {"a1": "yes", "a2": "partly", "a3": "na", "b1": "no", "b2": "yes"})
    assert score.overall == pytest.approx(3.5 / 7)
    assert score.by_behaviour["A"] == pytest.approx(2.5 / 3)
    assert score.by_behaviour["B"] == pytest.approx(1 / 4)
    assert score.critical_misses == ()


def test_not_applicable_is_left_out_not_counted_as_zero():
    # If n/a counted as "no", a3 would pull A down to 3/4; left out, A is 3/3.
    score = score_visit(HAND_RUBRIC, {"a1": "yes", "a2": "yes", "a3": "na"})
    assert score.by_behaviour["A"] == 1.0


def test_a_missed_critical_item_is_named_whatever_the_total():
    # a1 "no": A earns 0 + 1 + 1 of 4; B is all n/a, so it has no score.
    score = score_visit(HAND_RUBRIC, {"a1": "no", "a2": "yes", "a3": "yes", "b1": "na", "b2": "na"})
    assert score.overall == pytest.approx(2 / 4)
    assert score.by_behaviour == {"A": pytest.approx(0.5), "B": None}
    assert score.critical_misses == ("a1",)


def test_partly_on_a_critical_item_is_not_a_miss_but_no_is():
    score = score_visit(HAND_RUBRIC, {"a1": "partly", "a2": "yes", "a3": "yes", "b1": "yes", "b2": "no"})
    # earned 1 + 1 + 1 + 3 + 0 = 6 of 8
    assert score.overall == pytest.approx(6 / 8)
    assert score.critical_misses == ("b2",)


def test_all_not_applicable_has_no_score_rather_than_zero():
    score = score_visit(HAND_RUBRIC, dict.fromkeys(["a1", "a2", "a3", "b1", "b2"], "na"))
    assert score.overall is None
    assert score.by_behaviour == {"A": None, "B": None}


def test_unanswered_items_count_as_not_applicable():
    assert score_visit(HAND_RUBRIC, {"a2": "yes", "b1": "partly"}).overall == pytest.approx(2.5 / 4)


def test_an_unknown_answer_is_refused():
    with pytest.raises(ValueError, match="maybe"):
        score_visit(HAND_RUBRIC, {"a1": "maybe"})


@pytest.mark.parametrize("bad", [
    {"id": "x", "version": 1, "behaviours": [{"id": "A", "title": "A", "items": [
        {"id": "same", "text": "t"}, {"id": "same", "text": "u"}]}]},
    {"id": "x", "version": 1, "behaviours": [{"id": "A", "title": "A", "items": [
        {"id": "zero", "text": "t", "weight": 0}]}]},
])
def test_a_rubric_with_duplicate_ids_or_a_weightless_item_is_refused(bad):
    with pytest.raises(ValueError):
        Rubric.from_dict(bad)


def test_default_rubric_covers_the_reference_service_behaviours():
    titles = [b.title for b in default_rubric().behaviours]
    assert titles == ["Welcome and approachability", "Interest", "Listening and defining the need",
                      "Searching and assistance", "Follow-up", "Referral", "Farewell", "Courtesy and fairness"]
    critical = {i.id for i in default_rubric().items if i.critical}
    assert {"acknowledged", "accurate", "respectful"} <= critical


def test_default_rubric_worked_example():
    # Weights sum to 26; named_place (2) is n/a, leaving 24; "accurate" (3, critical) is no: 21 / 24.
    answers = dict.fromkeys(default_rubric().item_ids(), "yes") | {"named_place": "na", "accurate": "no"}
    score = score_visit(default_rubric(), answers)
    assert score.overall == pytest.approx(21 / 24)
    assert score.by_behaviour["helpfulness"] == pytest.approx(3 / 6)
    assert score.by_behaviour["referral"] is None
    assert score.critical_misses == ("accurate",)


def test_every_channel_has_scenarios_with_a_question_and_an_expected_answer():
    for channel in VISIT_CHANNELS:
        scenarios = scenarios_for_channel(channel)
        assert scenarios, channel
        for scenario in scenarios:
            assert scenario.question.strip() and scenario.expected.strip()


def test_defaults_include_a_referral_scenario_the_library_cannot_answer_itself():
    referrals = [s for s in default_scenarios().values() if s.referral]
    assert referrals
    assert all("refer" in s.expected.lower() for s in referrals)
