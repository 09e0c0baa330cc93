"""submit_response: what a guest's answers become in the store, called directly as a service."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from feedback.services.aggregate import summarise_by
from feedback.services.privacy import find_contact_details, mask_contact_details
from feedback.services.submission import InvalidSubmission, Submission, SubmissionRules, submit_response
from feedback.services.surveys import default_surveys
from feedback.services.targets import find_target

QR = default_surveys()["qr"]
NOW = datetime(2026, 11, 3, 10, 0, tzinfo=UTC)


def submission(site_target, **changes) -> Submission:
    values = {"survey": QR, "target": site_target, "channel": "qr", "language": "en",
              "answers": {"welcome": 5, "helpful": 4}}
    values.update(changes)
    return Submission(**values)


@pytest.fixture
def target(store, site):
    return find_target(store, "central", "info", site.maria.code)


def test_a_valid_response_is_stored_with_branch_desk_staff_and_no_client_details(store, target, site):
    result = submit_response(store, submission(target, idempotency_key="k" * 16), now=NOW)
    assert result.created
    stored = list(store.responses.all("central"))
    assert len(stored) == 1
    response = stored[0]
    assert (response.branch, response.desk, response.staff) == ("central", "info", site.maria.id)
    assert response.answers == {"welcome": 5, "helpful": 4}
    assert response.submitted_at == "2026-11-03T10:00:00Z"
    assert not {"ip", "remote_addr", "user_agent"} & set(response.to_doc())


@pytest.mark.parametrize(("answers", "field", "reason"), [
    ({"welcome": 7, "helpful": 4}, "welcome", "not_a_choice"),
    ({"welcome": 5, "helpful": 4, "reason": "bribe"}, "reason", "not_a_choice"),
    ({"welcome": 5, "helpful": 4, "found": "maybe"}, "found", "not_a_choice"),
    ({"welcome": 5, "helpful": 4, "nps": 11}, "nps", "not_a_choice"),
    ({"welcome": True, "helpful": 4}, "welcome", "not_a_choice"),
    ({"welcome": 5, "helpful": 4, "shoe_size": 44}, "shoe_size", "unknown_question"),
    ({"welcome": 5}, "helpful", "required"),
])
def test_answers_outside_the_definition_are_refused_and_nothing_is_stored(store, target, answers, field, reason):
    with pytest.raises(InvalidSubmission) as raised:
        submit_response(store, submission(target, answers=answers), now=NOW)
    assert raised.value.errors[field] == reason
    assert store.responses.count() == 0


def test_a_comment_longer_than_the_limit_is_refused(store, target):
    with pytest.raises(InvalidSubmission) as raised:
        submit_response(store, submission(target, comment="x" * 2001), rules=SubmissionRules(), now=NOW)
    assert raised.value.errors == {"comment": "too_long"}
    assert store.responses.count() == 0


def test_the_same_idempotency_key_five_times_stores_one_response(store, target):
    results = [submit_response(store, submission(target, idempotency_key="retry-key-123"), now=NOW)
               for _ in range(5)]
    assert [r.created for r in results] == [True, False, False, False, False]
    assert {r.response.id for r in results} == {results[0].response.id}
    assert store.responses.count() == 1


def test_a_queued_answer_keeps_its_time_so_a_retry_the_next_day_is_still_found(store, target):
    answered = NOW - timedelta(hours=20)
    first = submit_response(store, submission(target, idempotency_key="offline-key-1", answered_at=answered), now=NOW)
    later = submit_response(store, submission(target, idempotency_key="offline-key-1", answered_at=answered),
                            now=NOW + timedelta(hours=10))
    assert first.response.submitted_at == "2026-11-02T14:00:00Z"
    assert not later.created
    assert store.responses.count() == 1


@pytest.mark.parametrize("claimed", [NOW - timedelta(days=30), NOW + timedelta(hours=2)])
def test_an_unbelievable_answer_time_is_replaced_by_the_time_of_arrival(store, target, claimed):
    result = submit_response(store, submission(target, answered_at=claimed), now=NOW)
    assert result.response.submitted_at == "2026-11-03T10:00:00Z"


def test_contact_details_in_a_comment_are_masked_before_storing(store, target):
    comment = "Great help! I am anna@example.org, +45 20 30 40 50."
    result = submit_response(store, submission(target, comment=comment), now=NOW)
    stored = next(store.responses.all("central"))
    assert "anna@example.org" not in stored.comment and "20 30 40 50" not in stored.comment
    assert "[e-mail removed]" in stored.comment and "[phone removed]" in stored.comment
    assert result.followup is None and store.followups.all() == []


def test_contact_me_puts_the_contact_in_a_follow_up_and_still_masks_the_response(store, target):
    comment = "The printer ate my thesis. Mail me at anna@example.org please."
    result = submit_response(store, submission(target, comment=comment, contact_me=True,
                                               answers={"welcome": 2, "helpful": 1}), now=NOW)
    followups = store.followups.for_branch("central")
    assert len(followups) == 1
    assert followups[0].contact == "anna@example.org"
    assert followups[0].response == result.response.id
    assert followups[0].score == 1.5
    assert "anna@example.org" not in next(store.responses.all("central")).comment
    assert "anna@example.org" not in followups[0].comment


def test_contact_me_prefers_the_contact_field_and_refuses_one_that_is_no_contact(store, target):
    result = submit_response(store, submission(target, contact_me=True, contact="+45 11 22 33 44"), now=NOW)
    assert result.followup.contact == "+45 11 22 33 44"
    with pytest.raises(InvalidSubmission) as raised:
        submit_response(store, submission(target, contact_me=True, contact="call me maybe"), now=NOW)
    assert raised.value.errors == {"contact": "not_a_contact"}
    with pytest.raises(InvalidSubmission):
        submit_response(store, submission(target, contact_me=True), now=NOW)
    assert store.responses.count() == 1


def test_a_burst_of_identical_low_scores_at_one_staff_member_is_held_for_review_and_counts_in_no_figure(
        store, target, site):
    fair = submit_response(store, submission(target, answers={"welcome": 4, "helpful": 5}), now=NOW)
    low = {"welcome": 1, "helpful": 1}
    results = [submit_response(store, submission(target, answers=low), now=NOW + timedelta(minutes=i))
               for i in range(3)]
    assert [r.flagged for r in results] == [False, False, True]
    stored = {r.id: r for r in store.responses.all("central")}
    assert all(stored[r.response.id].flagged for r in results), "earlier twins are flagged too"
    assert not stored[fair.response.id].flagged
    assert all(stored[r.response.id].review == "held" and stored[r.response.id].hold_reasons == ["burst"]
               for r in results)
    by_staff = summarise_by(stored.values(), lambda r: r.staff, {"qr": QR})
    assert by_staff[site.maria.id].responses == 1
    assert by_staff[site.maria.id].satisfaction.mean == 4.5
    assert by_staff[site.maria.id].flagged == 3
    assert {p["id"] for p in store.review_queue.for_branches(["central"])} == {r.response.id for r in results}


def test_low_scores_that_differ_or_are_spread_out_or_name_nobody_are_not_flagged(store, target, factory, site):
    submit_response(store, submission(target, answers={"welcome": 1, "helpful": 1}), now=NOW)
    submit_response(store, submission(target, answers={"welcome": 2, "helpful": 1}), now=NOW)
    submit_response(store, submission(target, answers={"welcome": 1, "helpful": 1}), now=NOW + timedelta(hours=3))
    no_staff = find_target(store, "central")
    for minute in range(3):
        submit_response(store, submission(no_staff, answers={"welcome": 1, "helpful": 1}),
                        now=NOW + timedelta(minutes=minute))
    assert not any(r.flagged for r in store.responses.all("central"))


def test_masking_finds_emails_and_phone_numbers_but_not_years_or_counts():
    text = "Borrowed 3 books in 2026; call (555) 123-4567 or write to a.b@lib.example.dk"
    assert find_contact_details(text) == ["(555) 123-4567", "a.b@lib.example.dk"]
    assert mask_contact_details(text) == "Borrowed 3 books in 2026; call [phone removed] or write to [e-mail removed]"
