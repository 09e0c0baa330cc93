"""The survey editor in the set-up pages: what an administrator saves is what guests are asked next,
as a new version, while answers given before keep reporting under the version they were given under."""

from __future__ import annotations

import csv
import io
import re

import pytest

from feedback.services.aggregate import summarise_responses
from feedback.services.export import export_responses
from feedback.services.surveys import surveys_from_settings

QUESTIONS = "/manage/setup/survey-questions/qr"


def text(response) -> str:
    return response.get_data(as_text=True)


def current(store):
    return surveys_from_settings(store.directory.settings())["qr"]


def edit_data(survey, question_id: str, **changes) -> dict:
    """The edit form as the page shows it filled in, with ``changes`` on top."""
    question = survey.question(question_id)
    data = {f"text_{lang}": question.text.get(lang, "") for lang in ("en", "es", "da")}
    if question.required:
        data["required"] = "y"
    if question.asked:
        data["asked"] = "y"
    for n, choice in enumerate(question.choices):
        for lang in ("en", "es", "da"):
            data[f"choice_{n}_{lang}"] = choice.text.get(lang, "")
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def answer_whole_survey(client, path="/s/central", **answers):
    """A new guest's phone answers the whole survey in one post, with the key its page gave it."""
    phone = client.application.test_client()
    key = re.search(r'name="idempotency_key"[^>]*value="([^"]+)"', text(phone.get(path))).group(1)
    return phone.post(path, data={**{f"q_{k}": str(v) for k, v in answers.items()}, "idempotency_key": key})


@pytest.fixture
def admin(world, sign_in):
    return sign_in(world.users["admin"])


def test_the_questions_page_lists_the_survey_in_order_with_what_is_asked(admin):
    html = text(admin.get(QUESTIONS))
    order = re.findall(r'<tr id="row-([a-z_]+)"', html)
    assert order == ["welcome", "helpful", "found", "listening", "courtesy", "wait", "reason", "nps", "comment"]
    assert "Version 2, asked now" in html and "Guests are asked 3 questions before the comment." in html
    assert 'href="/manage/setup/survey-questions/qr/versions/1"' in html


def test_a_survey_edited_in_the_set_up_pages_is_the_one_guests_see_and_old_answers_report_under_their_version(
        admin, client, store):
    # A guest answers version 2: "helpful" measures helpfulness.
    assert answer_whole_survey(client, welcome=4, helpful=2, found="no").status_code == 200
    # The library replaces "helpful" by its own question and turns on the 0-10 question.
    assert admin.post(f"{QUESTIONS}/helpful/remove").status_code == 302
    response = admin.post(f"{QUESTIONS}/new", data={"question_id": "answer_right", "kind": "smiley",
                                                     "text_en": "Was the answer right?", "dimension": "helpfulness"})
    assert response.status_code == 302
    survey = current(store)
    assert admin.post(f"{QUESTIONS}/answer_right", data=edit_data(
        survey, "answer_right", asked="y", text_es="¿Fue correcta la respuesta?")).status_code == 302
    assert admin.post(f"{QUESTIONS}/nps", data=edit_data(current(store), "nps", asked="y")).status_code == 302
    survey = current(store)
    assert survey.version == 6  # four saves after version 2, each a version of its own
    assert [q.id for q in survey.shown_at("central").questions] == ["welcome", "found", "nps", "answer_right",
                                                                    "comment"]
    # Guests now see the library's survey, one question a screen, and answer it.
    assert "Was the answer right?" in text(client.get("/s/central?step=answer_right"))
    assert "¿Fue correcta la respuesta?" in text(client.get("/s/central?step=answer_right&lang=es"))
    client.get("/s/central?lang=en")
    assert "Was the answer right?" not in text(client.get("/s/central?step=helpful"))  # gone: the first screen
    assert answer_whole_survey(client, welcome=5, answer_right=5, nps=9).status_code == 200
    # Each answer keeps its version, and figures read it with that version's questions.
    stored = sorted(store.responses.all("central"), key=lambda r: r.survey_version)
    new_ones = [r for r in stored if r.survey == "qr"]
    assert [r.survey_version for r in new_ones][-2:] == [2, 6]
    summary = summarise_responses(new_ones[-2:], surveys_from_settings(store.directory.settings()))
    assert summary.dimensions["helpfulness"].count == 2  # "helpful" (v2) and "answer_right" (v6)
    assert sum(summary.nps_counts.values()) == 1
    # The export keeps a column for the question that is no longer asked.
    out = io.StringIO()
    export_responses(store, out, "csv", new_ones[-2:])
    rows = list(csv.DictReader(io.StringIO(out.getvalue().lstrip("\ufeff"))))
    assert [row["helpful"] for row in rows] == ["2", ""] and [row["answer_right"] for row in rows] == ["", "5"]
    # And the version those first answers were given under stays readable.
    old = text(admin.get(f"{QUESTIONS}/versions/2"))
    assert "How was the help you got?" in old and "cannot be changed" in old


def test_texts_and_choices_in_every_language_and_the_why_after_a_low_face(admin, client, store):
    survey = current(store)
    assert admin.post(f"{QUESTIONS}/reason", data=edit_data(
        survey, "reason", asked="y", choice_0_da="Låne", choice_5_remove="y", choice_6_id="wifi",
        choice_6_en="The Wi-Fi", choice_6_es="El wifi", choice_6_da="Trådløst net")).status_code == 302
    reason = current(store).question("reason")
    assert reason.asked and reason.choices[0].text["da"] == "Låne"
    assert [c.id for c in reason.choices] == ["borrow", "question", "study", "computer", "event", "wifi"]
    assert admin.post(f"{QUESTIONS}/welcome", data=edit_data(
        current(store), "welcome", why_en="What went wrong?", why_da="Hvad gik galt?")).status_code == 302
    # A low face asks why; a good one does not.
    first = client.post("/s/central", data={"step": "welcome", "q_welcome": "1", "idempotency_key": "why-key-0001"})
    assert first.status_code == 303 and "step=welcome_why" in first.headers["Location"]
    assert "What went wrong?" in text(client.get(first.headers["Location"]))
    nxt = client.post("/s/central", data={"step": "welcome_why", "q_welcome_why": "Nobody looked up",
                                          "idempotency_key": "why-key-0001"})
    assert "step=helpful" in nxt.headers["Location"]
    happy = client.post("/s/central", data={"step": "welcome", "q_welcome": "5", "idempotency_key": "why-key-0002"})
    assert "step=helpful" in happy.headers["Location"]
    [unhappy] = [r for r in store.responses.all("central") if r.idempotency_key == "why-key-0001"]
    assert unhappy.comment == "Nobody looked up" and unhappy.partial
    # The new choice reaches guests in their language.
    assert "Trådløst net" in text(client.get("/s/central?step=reason&lang=da"))


def test_a_question_can_be_asked_at_one_desk_only(admin, client, store):
    assert admin.post(f"{QUESTIONS}/found", data=edit_data(current(store), "found", where="central/info")
                      ).status_code == 302
    assert current(store).question("found").where == ("central/info",)
    assert "Did you find what you came for?" in text(client.get("/s/central/info?step=found"))
    assert "Did you find what you came for?" not in text(client.get("/s/central?step=found"))
    assert "Question 1 of 2" in text(client.get("/s/central"))


def test_questions_move_up_and_down_and_the_order_is_the_guests(admin, client, store):
    assert admin.post(f"{QUESTIONS}/found/move", data={"direction": "up"}).status_code == 302
    assert [q.id for q in current(store).shown_at("central").questions][:3] == ["welcome", "found", "helpful"]
    assert "Did you find what you came for?" in text(client.get("/s/central?step=found"))
    first = client.post("/s/central", data={"step": "welcome", "q_welcome": "4", "idempotency_key": "order-key-01"})
    assert "step=found" in first.headers["Location"]


@pytest.mark.parametrize(("question", "changes", "field"), [
    ("welcome", {"text_en": ""}, "text_en"),
    ("welcome", {"text_es": "x" * 301}, "text_es"),
    ("welcome", {"why_es": "¿Por qué?"}, "why_en"),
    ("found", {"where": "atlantis"}, "where"),
    ("reason", {"choice_0_remove": "y", "choice_1_remove": "y", "choice_2_remove": "y", "choice_3_remove": "y",
                "choice_4_remove": "y"}, None),
    ("reason", {"choice_6_id": "Not An Id!", "choice_6_en": "Something"}, "choice_6_id"),
    ("reason", {"choice_6_id": "borrow", "choice_6_en": "Again"}, "choice_6_id"),
    ("reason", {"choice_1_en": ""}, "choice_1_en"),
])
def test_a_bad_edit_is_refused_next_to_its_field_and_nothing_is_stored(admin, store, question, changes, field):
    before = current(store)
    response = admin.post(f"{QUESTIONS}/{question}", data=edit_data(before, question, **changes))
    assert response.status_code == 400
    html = text(response)
    if field:
        assert f'id="{field}-error"' in html
    else:
        assert "needs at least two" in html
    assert current(store).version == before.version


@pytest.mark.parametrize(("data", "field"), [
    ({"question_id": "Bad Id", "kind": "smiley", "text_en": "Q?"}, "question_id"),
    ({"question_id": "welcome", "kind": "smiley", "text_en": "Q?"}, "question_id"),
    ({"question_id": "new", "kind": "smiley", "text_en": "Q?"}, "question_id"),
    ({"question_id": "other_comment", "kind": "comment", "text_en": "More?"}, "kind"),
    ({"question_id": "wifi", "kind": "yesno", "text_en": "Q?", "dimension": "welcome"}, "dimension"),
    ({"question_id": "wifi", "kind": "yesno", "text_en": ""}, "text_en"),
])
def test_a_bad_new_question_is_refused_next_to_its_field(admin, store, data, field):
    response = admin.post(f"{QUESTIONS}/new", data=data)
    assert response.status_code == 400 and f'id="{field}-error"' in text(response)
    assert current(store).version == 2


def test_a_new_question_waits_until_it_is_turned_on(admin, client, store):
    response = admin.post(f"{QUESTIONS}/new", data={"question_id": "wifi", "kind": "choice",
                                                     "text_en": "How was the Wi-Fi?"})
    assert response.headers["Location"].endswith(f"{QUESTIONS}/wifi")
    assert current(store).question("wifi").asked is False
    assert "How was the Wi-Fi?" not in text(client.get("/s/central?step=wifi"))


def test_the_last_asked_question_cannot_be_removed(admin, store):
    for question in ("helpful", "found", "welcome", "listening", "courtesy", "wait", "reason", "nps"):
        admin.post(f"{QUESTIONS}/{question}/remove")
    assert [q.id for q in current(store).questions] == ["comment"]
    response = admin.post(f"{QUESTIONS}/comment/remove")
    assert response.status_code == 400 and "Keep at least one question asked." in text(response)


def test_the_editor_changes_nothing_for_anyone_but_an_administrator(world, sign_in, store):
    for role in ("manager_a", "reviewer", "shopper"):
        assert sign_in(world.users[role]).post(f"{QUESTIONS}/found/remove").status_code == 403
    assert sign_in(None).post(f"{QUESTIONS}/found/remove").status_code == 302  # to sign in
    assert current(store).version == 2
