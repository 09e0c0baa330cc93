"""Labels follow the evidence: a strength or a focus area only where chance cannot explain it."""

from __future__ import annotations

from feedback.evidence import staff_evidence

from .conftest import PERIOD


def evidence(store, code="MARIA"):
    return staff_evidence(store, code, PERIOD)


def ids(labels):
    return [label.id for label in labels]


def test_a_person_above_the_branch_on_everything_gets_no_focus_area(team, store):
    team.answers(team.subject, 40, {b: [5, 5, 5, 4, 5] for b in ("welcome", "listening", "helpfulness", "courtesy")})
    ev = evidence(store)
    assert ev.focus_areas == []
    assert set(ids(ev.strengths)) == {"welcome", "listening", "helpfulness", "courtesy"}
    assert ev.no_focus_note == "No focus area needed this period: choose a stretch goal together."
    welcome = ev.behaviour("welcome").guest
    assert welcome.n == 40 and welcome.reference_n == 240 and welcome.position == "above"
    assert welcome.mean > welcome.upper


def test_tied_top_scores_never_make_a_behaviour_both_a_strength_and_a_focus_area(team, store):
    # Every behaviour scores exactly the same: the old rule named the same one as both.
    team.answers(team.subject, 40, {b: [5, 5, 5, 4, 5] for b in ("welcome", "listening", "helpfulness", "courtesy")})
    ev = evidence(store)
    assert not set(ids(ev.strengths)) & set(ids(ev.focus_areas))
    for item in ev.behaviours:
        assert item.label_kind in (None, "strength")


def test_a_person_far_below_on_one_behaviour_with_40_answers_gets_exactly_that_focus_area(team, store):
    team.answers(team.subject, 40, {"helpfulness": [2, 3, 2, 3, 2]})
    ev = evidence(store)
    assert ids(ev.focus_areas) == ["helpfulness"]
    assert ev.strengths == []
    helpful = ev.behaviour("helpfulness").guest
    assert helpful.position == "below" and helpful.mean < helpful.lower
    # Her other behaviours are typical: within the limits, no label.
    assert {b.id: b.guest.position for b in ev.behaviours if b.guest} == {
        "welcome": "within", "listening": "within", "helpfulness": "below", "courtesy": "within"}
    [focus] = ev.focus_areas
    assert "(n=40)" in focus.reasons[0] and "(n=240" in focus.reasons[0]
    assert focus.goal.target_value == helpful.reference <= 5  # a target inside the scale: the branch's figure
    assert "at least at the branch's" in focus.goal.target


def test_three_answers_get_no_figure_and_no_label(team, store):
    team.answers(team.subject, 3, {"helpfulness": [1, 1, 1], "welcome": [5, 5, 5]})
    ev = evidence(store)
    assert ev.strengths == [] and ev.focus_areas == []
    assert ev.behaviour("helpfulness").guest.mean is None and ev.behaviour("helpfulness").guest.position == "none"


def test_between_five_answers_and_the_comparison_size_the_figure_is_too_few_to_compare(team, store):
    team.answers(team.subject, 8, {"helpfulness": [1, 2, 1, 2]})
    ev = evidence(store)
    helpful = ev.behaviour("helpfulness").guest
    assert helpful.mean == 1.5 and helpful.position == "too_few"
    assert ev.focus_areas == []


def test_limits_widen_as_answers_get_fewer(team, store):
    team.answers(team.subject, 12)
    few = evidence(store).behaviour("welcome").guest
    team.answers(team.subject, 60)
    many = evidence(store).behaviour("welcome").guest
    assert (few.upper - few.lower) > (many.upper - many.lower)


def test_shoppers_missing_a_behaviour_twice_make_it_a_focus_area(team, store):
    team.visit(team.subject, 5, fully_answered="no")
    assert "follow_up" not in ids(evidence(store).focus_areas)  # once is not a pattern
    team.visit(team.subject, 12, fully_answered="no")
    ev = evidence(store)
    assert ids(ev.focus_areas) == ["follow_up"]
    [focus] = ev.focus_areas
    assert "missed in 2" in " ".join(focus.reasons)
    assert "Does this fully answer your question?" in focus.observation and "0 of 2" in focus.observation
    assert "every visit" in focus.goal.target


def test_a_critical_item_missed_once_is_a_focus_area(team, store):
    team.visit(team.subject, 5, acknowledged="no")
    assert ids(evidence(store).focus_areas) == ["welcome"]


def test_shoppers_seeing_a_behaviour_in_every_visit_make_it_a_strength_from_two_visits(team, store):
    team.visit(team.subject, 5)
    assert evidence(store).strengths == []
    team.visit(team.subject, 12)
    assert "farewell" in ids(evidence(store).strengths)


def test_no_strength_over_shopper_evidence_that_contradicts_it(team, store):
    # Guests rate her courtesy far above the branch, but a shopper saw it missed: the evidence is mixed.
    team.answers(team.subject, 40, {"courtesy": [5, 5, 5, 5, 5]})
    team.visit(team.subject, 5, positive="no")
    ev = evidence(store)
    courtesy = ev.behaviour("courtesy")
    assert courtesy.guest.position == "above"
    assert "courtesy" not in ids(ev.strengths) and "courtesy" not in ids(ev.focus_areas)
    assert courtesy.mixed


def test_a_shopper_focus_area_is_not_named_when_guests_rate_it_at_or_above_the_branch(team, store):
    team.answers(team.subject, 40, {"helpfulness": [5, 5, 4, 5, 5]})
    team.visit(team.subject, 5, explained="no")
    team.visit(team.subject, 12, explained="no")
    ev = evidence(store)
    assert "helpfulness" not in ids(ev.focus_areas) and ev.behaviour("helpfulness").mixed


def test_a_correct_referral_is_success_not_a_critical_miss(team, store):
    for day in (5, 12):
        team.visit(team.subject, day, accuracy="referred", accurate="na", named_place="yes")
    ev = evidence(store)
    referral, helpful = ev.behaviour("referral").shopper, ev.behaviour("helpfulness").shopper
    assert referral.visits == referral.seen == 2
    assert helpful.critical_missed == 0 and helpful.missed == 0
    assert "helpfulness" not in ids(ev.focus_areas)
    assert {v.score for v in ev.visits} == {1.0}


def test_a_visit_judged_incorrect_never_counts_as_an_accurate_answer(team, store):
    # Stored before the forms refused the contradiction: accuracy "incorrect" but the item ticked yes.
    team.visit(team.subject, 5, accuracy="incorrect", accurate="yes")
    ev = evidence(store)
    [card] = ev.visits
    assert card.score < 1 and "Found an accurate answer" in card.critical_missed
    assert ids(ev.focus_areas) == ["helpfulness"]  # a critical item missed once


def test_labels_speak_only_of_behaviours_a_person_controls(team, store):
    team.answers(team.subject, 40)
    ev = evidence(store)
    assert [b.id for b in ev.behaviours] == ["welcome", "approachability", "listening", "helpfulness", "follow_up",
                                             "referral", "farewell", "courtesy"]
    assert "nps" not in ev.as_json() and "wait_time" not in str(ev.as_json()["behaviours"])
