"""One question a screen on the QR survey: answers stored as given, partial until the end, completed in place."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from feedback.services.submission import Submission, submit_response
from feedback.services.survey_screens import END, next_screen, previous_screen, screens
from feedback.services.surveys import default_surveys
from feedback.services.targets import find_target

KEY = "screen-key-0001"


def step(client, name: str, path: str = "/s/central", key: str = KEY, **fields):
    return client.post(path, data={"step": name, "idempotency_key": key, **fields})


def stored(store) -> list:
    return list(store.responses.all("central"))


def test_the_default_survey_is_three_questions_then_an_optional_comment():
    for channel in ("qr", "kiosk"):
        survey = default_surveys()[channel].shown_at("central")
        order = [(s.name, s.number, s.total) for s in screens(survey)]
        assert order == [("welcome", 1, 3), ("helpful", 2, 3), ("found", 3, 3), (END, 4, 3)]
        assert survey.question("found").type == "yesno"
        # The service questions are still there, off, for a library to turn on.
        full = default_surveys()[channel]
        assert {q.id for q in full.questions if not q.asked} == {"listening", "courtesy", "wait", "reason", "nps"}
        assert {q.dimension for q in survey.questions if q.dimension} == {"welcome", "helpfulness"}


def test_version_1_stays_readable_for_the_answers_it_holds():
    catalogue = default_surveys()
    old = catalogue.definition("qr", 1)
    assert old.version == 1 and len(old.questions) == 8
    assert old.question("welcome").text["en"] == "Were you made to feel welcome?"
    assert catalogue.definition("qr", 2).question("welcome").text["en"] == "How were you welcomed?"
    assert catalogue.definition("qr", 99) is catalogue["qr"], "an unknown version reads as the current one"


def test_each_screen_stores_its_answer_at_once_and_the_last_one_completes_it(client, store, site):
    first = step(client, "welcome", q_welcome="4")
    assert first.status_code == 303
    assert first.headers["Location"] == f"/s/central?step=helpful&key={KEY}"
    [partial] = stored(store)
    assert partial.partial and partial.answers == {"welcome": 4} and partial.survey_version == 2
    page = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "Question 2 of 3" in page and f'value="{KEY}"' in page and 'href="/s/central?step=welcome' in page
    assert "step=found" in step(client, "helpful", q_helpful="5").headers["Location"]
    assert "step=end" in step(client, "found", q_found="yes").headers["Location"]
    done = step(client, END, q_comment="Thanks!")
    assert done.status_code == 200 and "Your answers reached" in done.get_data(as_text=True)
    [response] = stored(store)
    assert response.id == partial.id and response.submitted_at == partial.submitted_at
    assert response.answers == {"welcome": 4, "helpful": 5, "found": "yes"}
    assert response.comment == "Thanks!" and response.partial is False


def test_back_and_a_changed_answer_completes_the_same_response_never_a_second(client, store, site):
    step(client, "welcome", q_welcome="2")
    step(client, "helpful", q_helpful="3")
    step(client, "welcome", q_welcome="4")  # Back, another face
    step(client, "welcome", q_welcome="4")  # and a reload that posts it again
    [response] = stored(store)
    assert response.answers == {"welcome": 4, "helpful": 3} and response.partial


def test_a_finished_answer_is_not_reopened_by_a_replay(client, store, site):
    for name, fields in [("welcome", {"q_welcome": "5"}), ("helpful", {"q_helpful": "5"}), (END, {})]:
        step(client, name, **fields)
    again = step(client, "welcome", q_welcome="1")
    assert again.status_code == 303
    replay = step(client, END, q_comment="twice")
    assert "We already had these answers" in replay.get_data(as_text=True)
    [response] = stored(store)
    assert response.answers == {"welcome": 5, "helpful": 5} and response.comment == "" and not response.partial


def test_an_optional_question_can_be_skipped_and_a_required_one_cannot(client, store, site):
    refused = step(client, "welcome")
    assert refused.status_code == 400 and "Please answer this question." in refused.get_data(as_text=True)
    assert stored(store) == []
    step(client, "welcome", q_welcome="5")
    step(client, "helpful", q_helpful="4")
    skipped = step(client, "found", skip="1")
    assert "step=end" in skipped.headers["Location"]
    found_page = client.get("/s/central?step=found").get_data(as_text=True)
    assert "Skip this question" in found_page
    assert "Skip this question" not in client.get("/s/central?step=helpful").get_data(as_text=True)
    [response] = stored(store)
    assert "found" not in response.answers


def test_a_contact_on_the_last_screen_opens_one_follow_up(client, store, site):
    step(client, "welcome", q_welcome="1")
    step(client, "helpful", q_helpful="1")
    done = step(client, END, q_comment="Call me please", contact_me="y", contact="guest@example.org")
    assert "the branch will contact you" in done.get_data(as_text=True)
    [followup] = store.followups.for_branch("central")
    assert followup.contact == "guest@example.org" and followup.score == 1
    assert followup.response == stored(store)[0].id


def test_the_staff_code_and_desk_travel_with_every_screen(client, store, site):
    first = step(client, "welcome", path="/s/central/info?staff=MARIA7", q_welcome="5")
    assert first.headers["Location"] == f"/s/central/info?staff=MARIA7&step=helpful&key={KEY}"
    page = client.get(first.headers["Location"]).get_data(as_text=True)
    assert 'action="/s/central/info?staff=MARIA7"' in page
    [response] = stored(store)
    assert (response.desk, response.staff) == ("info", site.maria.id)


def test_a_damaged_or_outdated_screen_name_starts_again_and_stores_nothing(client, store, site):
    response = step(client, "no-such-screen", q_welcome="5")
    assert response.status_code == 400 and "Question 1 of 3" in response.get_data(as_text=True)
    assert stored(store) == []


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True, "QR_HOLD_LIMIT": "1 per minute"}])
def test_the_address_limit_counts_a_guest_once_not_once_a_screen(app, store, site):
    from tests.survey.conftest import hidden_value

    def new_guest():
        client = app.test_client()  # a phone of its own, with the key its page gives it
        return client, hidden_value(client.get("/s/central").get_data(as_text=True), "idempotency_key")

    client, key = new_guest()
    assert step(client, "welcome", key=key, q_welcome="5").status_code == 303
    assert step(client, "helpful", key=key, q_helpful="4").status_code == 303
    assert step(client, END, key=key).status_code == 200
    [first] = stored(store)
    assert first.review is None, "one guest's three screens are one answer, not three"
    client, other = new_guest()
    assert step(client, "welcome", key=other, q_welcome="5").status_code == 303
    [second] = [r for r in stored(store) if r.idempotency_key == other]
    assert second.review == "held"  # a second guest past the limit: kept, held for review


def test_screens_skip_a_why_unless_its_face_was_low():
    survey = default_surveys()["qr"].to_dict()
    survey["questions"][0]["why"] = {"en": "What went wrong?"}
    from feedback.services.surveys import Survey

    shown = Survey.from_dict(survey).shown_at("central")
    assert next_screen(shown, "welcome", {"welcome": 2}).name == "welcome_why"
    assert next_screen(shown, "welcome", {"welcome": 3}).name == "helpful"
    assert next_screen(shown, "welcome_why", {}).name == "helpful"
    assert previous_screen(shown, "helpful").name == "welcome"
    assert next_screen(shown, END, {}) is None


def test_parts_sent_straight_to_the_service_complete_one_response(store, site):
    target = find_target(store, "central")
    survey = default_surveys()["kiosk"].shown_at("central")
    now = datetime(2026, 11, 3, 10, 0, tzinfo=UTC)
    common = {"survey": survey, "target": target, "channel": "kiosk", "language": "en", "idempotency_key": KEY}
    first = submit_response(store, Submission(answers={"welcome": 3}, finished=False, **common), now=now)
    assert first.created and first.response.partial
    # The kiosk's last part is its whole form: every answer so far, the comment, and no partial mark.
    last = submit_response(store, Submission(answers={"welcome": 2, "helpful": 4}, comment="Fine", **common),
                           now=now)
    assert last.created and last.completed
    [response] = list(store.responses.all("central"))
    assert response.answers == {"welcome": 2, "helpful": 4} and response.comment == "Fine"
    assert response.comment_parts == {"comment": "Fine"} and not response.partial


def test_the_export_says_which_answers_are_partial(client, store, site):
    import csv
    import io

    from feedback.services.export import export_responses

    step(client, "welcome", q_welcome="3")
    step(client, "welcome", key="other-guest-001", q_welcome="5")
    step(client, END, key="other-guest-001")
    out = io.StringIO()
    export_responses(store, out, "csv")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(out.getvalue().lstrip("\ufeff")))}
    by_key = {r.idempotency_key: r.id for r in stored(store)}
    assert rows[by_key[KEY]]["partial"] == "yes" and rows[by_key["other-guest-001"]]["partial"] == "no"


def test_a_comment_for_a_question_the_survey_does_not_have_is_refused(store, site):
    from feedback.services.submission import InvalidSubmission

    target = find_target(store, "central")
    survey = default_surveys()["qr"].shown_at("central")
    with pytest.raises(InvalidSubmission) as raised:
        submit_response(store, Submission(survey=survey, target=target, channel="qr", language="en",
                                          answers={"welcome": 5, "helpful": 5},
                                          comments={"comment": "fine", "shoe_size_why": "hidden text"}))
    assert raised.value.errors == {"shoe_size_why": "unknown_question"}
    assert store.responses.count() == 0
