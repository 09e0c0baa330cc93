"""The console pages this area adds: fair comparisons, filters that explain themselves, follow-ups with
their context, the comments browser, alert rules, the outbox and the Users page's e-mails."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from feedback.model import FollowUp, new_id
from feedback.services.dashboard import Scope, build_dashboard
from feedback.services.periods import parse_period


def test_a_running_month_is_compared_with_the_same_days_of_the_month_before(world, store, factory):
    branch = store.directory.branch("central")
    factory.response("central", at=datetime(2026, 10, 3, 12, tzinfo=UTC))  # 1-24 October: compared
    factory.response("central", at=datetime(2026, 10, 28, 12, tzinfo=UTC))  # after the 24th: not
    factory.response("central", at=datetime(2026, 11, 20, 12, tzinfo=UTC))
    board = build_dashboard(store, Scope((branch,), parse_period("2026-11")), today=date(2026, 11, 24))
    assert board.summary.responses == 1
    assert board.previous.responses == 1
    assert board.previous_label == "2026-10-01 to 2026-10-24"
    whole = build_dashboard(store, Scope((branch,), parse_period("2026-11")), today=date(2026, 12, 2))
    assert whole.previous.responses == 2 and whole.previous_label == "2026-10"


def test_a_year_view_never_plots_a_month_to_come(world, store):
    branch = store.directory.branch("central")
    board = build_dashboard(store, Scope((branch,), parse_period("2026")), today=date(2026, 11, 24))
    assert board.trend_months[-1] == "2026-11" and "2026-12" not in board.trend_months


def test_switching_branch_with_a_desk_selected_explains_instead_of_failing(world, sign_in):
    client = sign_in(world.users["admin"])
    response = client.get("/manage/?branch=riverside&desk=info&period=2026-03")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Not a valid choice" not in page
    assert "That desk is not at Riverside, so every desk is shown." in page


def test_a_bad_custom_period_is_named_next_to_the_field(world, sign_in):
    response = sign_in(world.users["admin"]).get("/manage/?preset=custom&period=last+month")
    assert response.status_code == 400
    assert 'id="period-error"' in response.get_data(as_text=True)


def test_the_dashboard_and_reports_page_default_to_the_same_period(world, sign_in):
    client = sign_in(world.users["manager_a"])
    this_month = f"{datetime.now(UTC):%Y-%m}"
    dashboard = client.get("/manage/").get_data(as_text=True)
    reports = client.get("/manage/reports/").get_data(as_text=True)
    assert f"responses in {this_month}" in dashboard
    assert f"All reports for {this_month}" in reports
    assert 'href="/manage/reports/"' in dashboard  # the Reports page is in the navigation


def test_staff_and_branch_views_link_their_pdf(world, sign_in):
    client = sign_in(world.users["manager_a"])
    dashboard = client.get("/manage/?period=2026-03").get_data(as_text=True)
    assert f"/manage/reports/staff/{world.staff_a.code}.pdf?period=2026-03" in dashboard
    assert "/manage/reports/branch/central.pdf?period=2026-03" in dashboard
    staff = client.get(f"/manage/staff/{world.staff_a.id}?period=2026-03").get_data(as_text=True)
    assert f"/manage/reports/staff/{world.staff_a.code}.pdf?period=2026-03" in staff


def test_follow_ups_show_desk_staff_local_time_score_in_words_language_and_a_mailto(world, sign_in, store, factory):
    response = factory.response("central", desk="info", staff=world.staff_a.id, language="es",
                                at=datetime(2026, 3, 10, 10, 30, tzinfo=UTC))
    store.followups.add(FollowUp(id=new_id(), branch="central", response=response.id,
                                 created_at=response.submitted_at, contact="+45 12 34 56 78", score=1.5,
                                 language="es"))
    page = sign_in(world.users["manager_a"]).get("/manage/followups/central").get_data(as_text=True)
    assert "10 Mar 2026, 11:30" in page  # Copenhagen time, not UTC, written to be read
    assert "Information desk" in page and "Maria Jensen" in page
    assert "unhappy (1.5 / 5)" in page and "Spanish" in page
    assert 'href="tel:+4512345678"' in page and 'href="mailto:guest-central@example.org"' in page
    assert page.count("overdue") >= 2  # created in March: long overdue


def test_the_dashboard_counts_open_follow_ups(world, sign_in):
    page = sign_in(world.users["manager_a"]).get("/manage/").get_data(as_text=True)
    assert "1 guest is waiting to be contacted" in page and "1 overdue" in page


def test_the_comments_browser_filters_searches_pages_and_masks(world, sign_in, factory):
    moment = datetime(2026, 3, 12, 9, tzinfo=UTC)
    for n in range(30):
        face = 1 if n % 2 else 5
        factory.response("central", answers={"welcome": face, "helpful": face},
                         comment=f"Visit {n} was noisy, mail me at guest{n}@example.org",
                         at=moment + timedelta(minutes=n), staff=world.staff_a.id)
    client = sign_in(world.users["manager_a"])
    first = client.get("/manage/comments/?period=2026-03&branch=central").get_data(as_text=True)
    assert "33 answers found." in first and "Page 1 of 2" in first
    assert "@example.org" not in first and "[e-mail removed]" in first
    unhappy = client.get("/manage/comments/?period=2026-03&branch=central&score=unhappy").get_data(as_text=True)
    assert "15 answers found." in unhappy
    search = client.get("/manage/comments/?period=2026-03&q=visit+7+was").get_data(as_text=True)
    assert "1 answer found." in search
    theme = client.get("/manage/comments/?period=2026-03&theme=noise").get_data(as_text=True)
    assert "30 answers found." in theme
    other = client.get("/manage/comments/?period=2026-03&branch=riverside")
    assert other.status_code == 404  # not this manager's branch


def test_alert_rules_are_edited_per_branch_with_errors_next_to_the_field(world, sign_in, store):
    client = sign_in(world.users["manager_a"])
    assert client.get("/manage/alerts/riverside").status_code == 404
    form = {"enabled": "y", "window_minutes": "20", "min_answers": "5", "unhappy_percent": "60",
            "low_score_comment": "y", "low_score": "1", "kiosk_silent_minutes": "90", "opens": "10:00",
            "closes": "18:00"}
    assert client.post("/manage/alerts/central", data=form).status_code == 302
    rule = store.alerts.rule("central")
    assert (rule["window_minutes"], rule["min_answers"], rule["unhappy_share"]) == (20, 5, 0.6)
    bad = client.post("/manage/alerts/central", data={**form, "closes": "25:00"})
    assert bad.status_code == 400 and 'id="closes-error"' in bad.get_data(as_text=True)
    assert store.alerts.rule("central")["closes"] == "18:00"


def test_an_admin_sends_a_reset_and_reads_it_in_the_outbox_when_no_mail_server_is_set(world, sign_in, store):
    client = sign_in(world.users["admin"])
    manager = store.directory.user_by_email(world.users["manager_a"])
    assert client.post(f"/manage/setup/users/{manager.id}/mail", data={"action": "reset"}).status_code == 302
    outbox = client.get("/manage/setup/outbox").get_data(as_text=True)
    assert 'id="no-mail-server"' in outbox
    assert "http://127.0.0.1:5000/auth/reset/" in outbox  # on PUBLIC_URL
    assert sign_in(world.users["manager_a"]).get("/manage/setup/outbox").status_code in (403, 404)


def test_an_admin_sends_an_invitation_again_and_the_first_link_stops_working(world, sign_in, store, app):
    from feedback.services.invitations import invite_shopper, read_invitation

    first = invite_shopper(store, email="new@test.library", display_name="New", secret_key=app.config["SECRET_KEY"])
    client = sign_in(world.users["admin"])
    assert client.post(f"/manage/setup/users/{first.user.id}/mail", data={"action": "invite"}).status_code == 302
    message = next(m for m in store.outbox.pending() if m.kind == "invitation")
    assert message.to == ["new@test.library"] and "/shop/welcome/" in message.body
    import pytest

    from feedback.services.invitations import InvitationError

    with pytest.raises(InvitationError):
        read_invitation(store, first.token, secret_key=app.config["SECRET_KEY"])
