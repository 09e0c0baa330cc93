"""What a guest's answer costs the server beyond storing it: no new cookie, one alert wake-up, no form rebuilt."""

from __future__ import annotations

import dataclasses
import re

from feedback.services.surveys import default_surveys
from feedback.survey.forms import build_survey_form
from tests.conftest import AuthActions, Factory

_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_KEY = re.compile(r'name="idempotency_key"[^>]*value="([^"]+)"')


def factory_for(app) -> Factory:
    return Factory(app.extensions["feedback_store"])


def _page(client, path="/s/central"):
    html = client.get(path).get_data(as_text=True)
    token = _TOKEN.search(html)
    return token.group(1) if token else None, _KEY.search(html).group(1)


def test_a_guests_answer_sends_back_no_new_cookie(csrf_app):
    factory_for(csrf_app).branch("central")
    guest = csrf_app.test_client()
    token, key = _page(guest)
    answer = guest.post("/s/central", data={"csrf_token": token, "idempotency_key": key,
                                            "q_welcome": "5", "q_helpful": "4"})
    assert 'class="survey thanks"' in answer.get_data(as_text=True)
    # The session (CSRF token, form key) is unchanged: re-signing it, and a remember-me deletion, per answer
    # was a fifth of the answer's cost.
    assert answer.headers.getlist("Set-Cookie") == []
    assert csrf_app.extensions["feedback_store"].responses.count("central") == 1


def test_a_signed_in_session_copied_to_another_browser_is_still_refused(app):
    factory = factory_for(app)
    factory.branch("central")
    manager = factory.user("boss@test.library", "manager", ["central"])
    owner = app.test_client()
    owner.environ_base["HTTP_USER_AGENT"] = "the manager's browser"
    AuthActions(owner).login(manager.email)
    assert owner.get("/manage/").status_code == 200
    thief = app.test_client()
    thief.environ_base["HTTP_USER_AGENT"] = "someone else's browser"
    thief.set_cookie("session", owner.get_cookie("session").value)
    answer = thief.get("/manage/")
    assert answer.status_code == 302 and "/auth/login" in answer.location


def test_answers_at_a_branch_queue_one_alert_wake_up_that_runs_after_them(app):
    factory = factory_for(app)
    factory.branch("central")
    factory.branch("riverside")
    huey = app.extensions["feedback_jobs"].huey
    for _n in range(5):
        guest = app.test_client()
        _token, key = _page(guest)
        assert guest.post("/s/central", data={"idempotency_key": key, "q_welcome": "1",
                                              "q_helpful": "1"}).status_code == 200
    guest = app.test_client()
    _token, key = _page(guest, "/s/riverside")
    guest.post("/s/riverside", data={"idempotency_key": key, "q_welcome": "5", "q_helpful": "5"})
    woken = [task for task in huey.pending() if task.name == "check_branch"]
    assert sorted(task.args for task in woken) == [("central",), ("riverside",)]
    assert all(task.eta is not None for task in woken)  # to run a little after the answers, never before


def test_a_wake_up_about_to_run_is_not_relied_on(app):
    jobs = app.extensions["feedback_jobs"]
    assert jobs.wake("check_branch", "central", delay=0.3)
    assert jobs.wake("check_branch", "central", delay=0.3)  # under the margin: the first may already be running
    assert len([task for task in jobs.huey.pending() if task.name == "check_branch"]) == 2


def test_an_edited_question_shows_at_once_even_without_a_new_version(app):
    survey = default_surveys()["qr"]
    first = survey.questions[0]
    edited = dataclasses.replace(survey, questions=(dataclasses.replace(first, text={"en": "How was your visit?"}),
                                                    *survey.questions[1:]))
    assert edited.version == survey.version
    with app.test_request_context("/s/central"):
        before = build_survey_form(survey, "en", comment_max_length=2000, meta={"csrf": False})
        after = build_survey_form(edited, "en", comment_max_length=2000, meta={"csrf": False})
        again = build_survey_form(survey, "en", comment_max_length=2000, meta={"csrf": False})
        name = f"q_{first.id}"
        assert after[name].label.text == "How was your visit?"
        assert before[name].label.text != "How was your visit?"
        assert type(again) is type(before)  # the unedited survey's form class is built once
        assert before is not again  # but each request gets its own form and answers


def test_the_thank_you_page_is_the_guests_own_however_often_it_is_kept(app):
    """Kept once per branch, language and day, it still says what is true of each answer, in its language."""
    factory = factory_for(app)
    factory.branch("central", name="Central Library")
    store = app.extensions["feedback_store"]

    def answer(lang: str, key: str | None = None):
        guest = app.test_client()
        _token, page_key = _page(guest, f"/s/central?lang={lang}")
        data = {"idempotency_key": key or page_key, "q_welcome": "5", "q_helpful": "4"}
        return guest.post(f"/s/central?lang={lang}", data=data).get_data(as_text=True), data["idempotency_key"]

    first, key = answer("en")
    assert "Your answers reached Central Library" in first
    again, _key = answer("en", key)  # the same answers sent twice: told so, not thanked for new ones
    assert "We already had these answers" in again and "Your answers reached" not in again
    danish, _key = answer("da")
    assert 'lang="da"' in danish and "Your answers reached" not in danish
    store.directory.update_branch("central", name="Central Library of Aarhus")
    renamed, _key = answer("en")
    assert "Your answers reached Central Library of Aarhus" in renamed
    assert store.responses.count("central") == 3
