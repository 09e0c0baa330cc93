"""An alert reaches the branch's manager by e-mail within a minute, through the real worker."""

from __future__ import annotations

import re
import time

from .conftest import mail_config, page_key


def test_four_very_unhappy_answers_at_one_branch_email_its_manager_within_a_minute(
        make_app, smtp_server, start_worker, factory):
    app = make_app(**mail_config(smtp_server.port))
    store = app.extensions["feedback_store"]
    factory = type(factory)(store)
    factory.branch("central")
    factory.branch("riverside")
    factory.user("boss@test.library", "manager", ["central"])
    factory.user("other@test.library", "manager", ["riverside"])
    start_worker(app)
    started = time.monotonic()
    for _n in range(4):
        guest = app.test_client()  # four guests, each with the key their own page gave them
        answer = guest.post("/s/central", data={"q_welcome": "1", "q_helpful": "1",
                                                "idempotency_key": page_key(guest)})
        assert answer.status_code == 200  # the guest never waits for the alert
    client = app.test_client()

    message = smtp_server.inbox.wait_for(lambda m: m.subject == "Alert at Central", timeout=60)
    assert time.monotonic() - started < 60
    assert message.to == ["boss@test.library"]
    assert "4 of 4 answers were unhappy" in message.body
    link = re.search(r"https://feedback\.test\.library/manage/comments/\S+", message.body).group(0)
    assert "branch=central" in link and "answers=all" in link

    # The link shows the four answers to the manager; the dashboard shows the alert.
    client.post("/auth/login", data={"email": "boss@test.library", "password": "correct-horse-battery"})
    page = client.get(link.removeprefix("https://feedback.test.library")).get_data(as_text=True)
    assert "4 answers found." in page and page.count("very unhappy") == 4
    dashboard = client.get("/manage/").get_data(as_text=True)
    assert "4 of 4 answers were unhappy" in dashboard
    # One alert, however often the worker looks again; the other branch's manager is not told.
    app.extensions["feedback_jobs"].enqueue("check_branch", "central")
    time.sleep(1)
    assert len(store.alerts.since(store_epoch())) == 1
    assert not any(m.to == ["other@test.library"] for m in smtp_server.inbox.messages)


def store_epoch():
    from datetime import UTC, datetime

    return datetime(2000, 1, 1, tzinfo=UTC)
