"""E-mail goes through a real SMTP server, sent by the real background worker, and is never lost."""

from __future__ import annotations

import os
import re

from feedback.services.mail import queue_mail

from .conftest import SmtpServer, mail_config, page_key, wait_until

PASSWORD = "correct-horse-battery"


def test_a_reset_request_delivers_a_link_on_public_url(make_app, smtp_server, start_worker):
    app = make_app(**mail_config(smtp_server.port))
    store = app.extensions["feedback_store"]
    from feedback.services.accounts import create_user

    create_user(store, email="boss@test.library", password=PASSWORD, role="manager", branches=[])
    start_worker(app)
    client = app.test_client()
    answer = client.post("/auth/reset", data={"email": "boss@test.library"}, follow_redirects=True)
    assert "on its way to it by e-mail" in answer.get_data(as_text=True)

    message = smtp_server.inbox.wait_for(lambda m: m.to == ["boss@test.library"], timeout=30)
    assert message.subject == "Reset your password"
    link = re.search(r"https?://\S+", message.body).group(0)
    assert link.startswith("https://feedback.test.library/auth/reset/")
    # The link works (its path on this app), and the sent message's body is no longer kept.
    assert client.get(link.removeprefix("https://feedback.test.library")).status_code == 200
    wait_until(lambda: not store.outbox.pending(), 10, "outbox emptied")
    assert all(m.body == "" for m in store.outbox.recent())


def test_an_unreachable_mail_server_loses_no_answer_and_no_mail(make_app, smtp_port, start_worker, factory):
    # Nothing listens on the port yet: every try fails; retries come quickly in this test.
    app = make_app(**mail_config(smtp_port), MAIL_RETRY_MAX_MINUTES=0.01)
    store = app.extensions["feedback_store"]
    factory = type(factory)(store)
    factory.branch("central")
    factory.user("boss@test.library", "manager", ["central"])
    jobs = app.extensions["feedback_jobs"]
    start_worker(app)
    client = app.test_client()

    # A guest asks to be contacted: the answer is stored whatever the mail server does.
    answers = {"q_welcome": "2", "q_helpful": "2", "q_comment": "The printer ate my thesis",
               "contact_me": "y", "contact": "guest@example.org", "idempotency_key": page_key(client)}
    assert client.post("/s/central", data=answers).status_code == 200
    assert store.responses.count("central") == 1
    with app.test_request_context():
        queued = queue_mail(store, to=["boss@test.library"], subject="Kept", body="still here", kind="test")
    assert queued is not None

    wait_until(lambda: all(m.attempts >= 1 for m in store.outbox.pending()) and len(store.outbox.pending()) >= 2,
               30, "failed tries recorded")
    pending = store.outbox.pending()
    assert {m.kind for m in pending} >= {"followup", "test"}
    assert all("ConnectionRefusedError" in m.last_error for m in pending)

    # The server comes back: the same messages are delivered, once each.
    server = SmtpServer(smtp_port).start()
    try:
        def delivered():
            jobs.enqueue("deliver_mail")
            return not store.outbox.pending() and len(server.inbox.messages) >= 2
        wait_until(delivered, 30, "delivery after the server came back")
        subjects = sorted(m.subject for m in server.inbox.messages)
        assert subjects == ["A guest at Central asked to be contacted", "Kept"]
        follow = next(m for m in server.inbox.messages if m.subject.startswith("A guest"))
        assert "https://feedback.test.library/manage/followups/central" in follow.body
        assert "guest@example.org" not in follow.body  # contact details stay in the console
    finally:
        server.stop()
    assert store.responses.count("central") == 1


def test_queue_mail_never_raises_and_keeps_the_message_when_no_server_is_configured(app, store):
    with app.test_request_context():
        message = queue_mail(store, to=["a@test.library", " "], subject="Hello\nthere", body="b", kind="test")
    assert message is not None and message.to == ["a@test.library"] and message.subject == "Hello there"
    assert [m.id for m in store.outbox.pending()] == [message.id]
    assert queue_mail(store, to=[], subject="s", body="b", kind="test") is None


def test_a_broken_job_queue_never_fails_a_guest_answer(make_app, factory, caplog):
    app = make_app()
    store = app.extensions["feedback_store"]
    type(factory)(store).branch("central")
    jobs = app.extensions["feedback_jobs"]
    jobs.huey.storage.close()
    queue_file = jobs.huey.storage.filename
    for suffix in ("", "-wal", "-shm"):
        try:
            os.remove(queue_file + suffix)
        except FileNotFoundError:
            pass
    with open(queue_file, "wb") as handle:
        handle.write(b"this is not a database" * 100)
    answer = app.test_client().post("/s/central", data={"q_welcome": "1", "q_helpful": "2",
                                                         "idempotency_key": "broken-queue-0001"})
    assert answer.status_code == 200
    assert store.responses.count("central") == 1
    assert "could not enqueue background task check_branch" in caplog.text
