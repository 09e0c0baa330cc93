"""The shop pages: who may see what, errors next to fields, escaped output."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from feedback.services import shopping
from feedback.services.rubric import default_rubric
from feedback.services.shopping import VisitInput


def complete_form(world, **changes) -> dict[str, str]:
    an_hour_ago = (datetime.now(UTC) - timedelta(hours=1)).astimezone(ZoneInfo("Europe/Copenhagen"))
    local = an_hour_ago.strftime("%Y-%m-%dT%H:%M")
    data = {
        "visited_at": local, "wait_minutes": "2", "duration_minutes": "6", "staff": world.maria.id,
        "staff_description": "", "accuracy": "correct", "narrative": "Friendly and accurate.",
        "would_return": "yes",
    } | {f"item_{i}": "yes" for i in default_rubric().item_ids()}
    data.update(changes)
    return data


def submitted_visit(store, world, shopper=None, assignment=None):
    shopper = shopper or world.shopper
    assignment = assignment or world.assignment
    return shopping.submit_visit(store, assignment_id=assignment.id, shopper=shopper, data=VisitInput(
        visited_at=datetime.now(UTC) - timedelta(hours=1), wait_minutes=1, duration_minutes=4, staff=world.maria.id,
        answers=dict.fromkeys(default_rubric().item_ids(), "yes"), accuracy="correct",
        narrative="Private notes of this shopper", would_return=True))


def test_the_shopper_sees_only_their_own_assignments_with_due_and_overdue(client, auth, store, world):
    today = datetime.now(UTC).date()
    world.assign(store, start=today - timedelta(days=20), end=today - timedelta(days=10), scenario="local-history")
    world.assign(store, shopper=world.other_shopper, scenario="legal-advice")
    auth.login("shopper@example.org")
    page = client.get("/shop/").get_data(as_text=True)
    assert page.count('class="card assignment') == 2
    assert "state-due" in page and "state-overdue" in page
    assert "Legal advice" not in page  # the other shopper's


def test_a_shopper_gets_404_for_another_shoppers_visit_and_never_its_data(client, auth, store, world):
    visit = submitted_visit(store, world)
    auth.login("other@example.org")
    for path in (f"/shop/assignments/{world.assignment.id}/visit", f"/shop/visits/{visit.id}"):
        response = client.get(path)
        assert response.status_code in (403, 404)
        assert "Private notes" not in response.get_data(as_text=True)
    forged = client.post(f"/shop/assignments/{world.assignment.id}/visit",
                         data=complete_form(world, narrative="overwritten", save="Save draft"))
    assert forged.status_code == 404
    assert store.visits.get(visit.id).narrative == "Private notes of this shopper"


@pytest.mark.parametrize("path", ["/shop/review", "/shop/assignments", "/shop/assignments/new", "/shop/visits",
                                  "/shop/shoppers", "/manage/", "/manage/reports/",
                                  "/manage/reports/branch/central.pdf"])
def test_a_shopper_is_refused_every_manager_and_reviewer_page(client, auth, world, path):
    auth.login("shopper@example.org")
    assert client.get(path).status_code in (403, 404)


def test_a_shopper_cannot_review_even_by_posting(client, auth, store, world):
    visit = submitted_visit(store, world)
    auth.login("shopper@example.org")
    assert client.post(f"/shop/visits/{visit.id}/review", data={"approve": "Approve"}).status_code == 403
    assert store.visits.get(visit.id).status == "submitted"


def test_staff_names_show_to_the_reviewer_and_the_branchs_manager_only(client, auth, store, world):
    visit = submitted_visit(store, world)
    shopping.approve_visit(store, visit_id=visit.id, reviewer=world.reviewer)
    for email in ("reviewer@example.org", "manager@example.org"):
        auth.login(email)
        assert "Maria Jensen" in client.get(f"/shop/visits/{visit.id}").get_data(as_text=True)
        auth.logout()
    auth.login("river@example.org")
    assert client.get(f"/shop/visits/{visit.id}").status_code == 404
    assert "Maria Jensen" not in client.get("/shop/visits").get_data(as_text=True)


def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    response = client.get("/shop/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_a_draft_keeps_what_was_typed_and_says_what_is_wrong_next_to_the_field(client, auth, store, world):
    auth.login("shopper@example.org")
    path = f"/shop/assignments/{world.assignment.id}/visit"
    when = complete_form(world)["visited_at"]
    client.post(path, data={"visited_at": when, "wait_minutes": "4", "item_greeting": "partly", "save": "Save draft"})
    bad = client.post(path, data={"visited_at": when, "wait_minutes": "four", "item_greeting": "no",
                                  "save": "Save draft"})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert re.search(r'id="wait_minutes"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="wait_minutes"', html)
    assert 'id="wait_minutes-error"' in html
    visit = store.visits.get(store.assignments.get(world.assignment.id).visit)
    assert visit.wait_minutes == 4 and visit.answers == {"greeting": "partly"}  # nothing lost


def test_submitting_an_incomplete_report_names_what_is_missing_beside_each_field(client, auth, store, world):
    auth.login("shopper@example.org")
    path = f"/shop/assignments/{world.assignment.id}/visit"
    data = complete_form(world, narrative="", staff="", submit_report="Submit for review")
    del data["item_restated"]
    response = client.post(path, data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="error-summary"' in html and "3 things need your attention" in html
    assert re.search(r'id="narrative-error">Describe the visit', html)
    assert re.search(r'id="staff-error">Choose who served you', html)
    assert re.search(r'id="item_restated-error">Answer this item', html)
    visit = store.visits.get(store.assignments.get(world.assignment.id).visit)
    assert visit.status == "draft" and visit.wait_minutes == 2  # kept as a draft, nothing lost


def test_a_complete_report_is_submitted_and_then_read_only(client, auth, store, world):
    auth.login("shopper@example.org")
    path = f"/shop/assignments/{world.assignment.id}/visit"
    response = client.post(path, data=complete_form(world, submit_report="Submit for review"))
    assert response.status_code == 302
    visit = store.visits.get(store.assignments.get(world.assignment.id).visit)
    assert visit.status == "submitted" and visit.staff == world.maria.id
    client.post(path, data=complete_form(world, narrative="changed later", save="Save draft"))
    assert store.visits.get(visit.id).narrative == "Friendly and accurate."
    assert "In review" in client.get("/shop/").get_data(as_text=True)


def test_returning_without_a_comment_is_refused_next_to_the_comment(client, auth, store, world):
    visit = submitted_visit(store, world)
    auth.login("reviewer@example.org")
    response = client.post(f"/shop/visits/{visit.id}/review", data={"comment": "", "send_back": "Return"})
    assert response.status_code == 422
    assert 'id="comment-error">Say what the shopper should fix' in response.get_data(as_text=True)
    assert store.visits.get(visit.id).status == "submitted"


def test_a_returned_visit_tells_its_shopper_by_e_mail_with_a_link_on_public_url(client, auth, store, world, app):
    visit = submitted_visit(store, world)
    auth.login("reviewer@example.org")
    response = client.post(f"/shop/visits/{visit.id}/review",
                           data={"comment": "Which desk was it?", "send_back": "Return"})
    assert response.status_code == 302
    message = next(m for m in store.outbox.pending() if m.kind == "visit_returned")
    assert message.to == ["shopper@example.org"] and "Which desk was it?" in message.body
    assert f"{app.config['PUBLIC_URL']}/shop/assignments/{world.assignment.id}/visit" in message.body


def test_the_reviewer_sees_drafts_never(client, auth, store, world):
    shopping.save_draft(store, assignment_id=world.assignment.id, shopper=world.shopper,
                        data=VisitInput(visited_at=datetime.now(UTC), narrative="half done"))
    visit_id = store.assignments.get(world.assignment.id).visit
    auth.login("reviewer@example.org")
    assert client.get(f"/shop/visits/{visit_id}").status_code == 404
    assert visit_id not in client.get("/shop/review").get_data(as_text=True)


def test_shopper_text_is_escaped_on_the_review_page(client, auth, store, world):
    shopping.submit_visit(store, assignment_id=world.assignment.id, shopper=world.shopper, data=VisitInput(
        visited_at=datetime.now(UTC) - timedelta(hours=1), wait_minutes=1, duration_minutes=4, staff=None,
        staff_description="<img src=x onerror=alert(1)>", answers=dict.fromkeys(default_rubric().item_ids(), "no"),
        accuracy="incorrect", narrative="<script>alert('x')</script>", would_return=False))
    visit_id = store.assignments.get(world.assignment.id).visit
    auth.login("reviewer@example.org")
    html = client.get(f"/shop/visits/{visit_id}").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "<img src=x" not in html


def test_a_manager_assigns_in_their_own_branches_only(client, auth, store, world):
    auth.login("manager@example.org")
    form = client.get("/shop/assignments/new").get_data(as_text=True)
    assert 'value="central"' in form and 'value="riverside"' not in form
    today = datetime.now(UTC).date()
    data = {"shopper": world.other_shopper.id, "branch": "riverside", "channel": "phone", "scenario": "wifi-printing",
            "window_start": today.isoformat(), "window_end": (today + timedelta(days=5)).isoformat()}
    assert client.post("/shop/assignments/new", data=data).status_code == 422
    before = len(store.assignments.matching())
    wrong_channel = client.post("/shop/assignments/new", data=data | {"branch": "central", "scenario": "renew-loan"})
    assert wrong_channel.status_code == 422
    assert 'id="scenario-error">This scenario is for another channel' in wrong_channel.get_data(as_text=True)
    backwards = client.post("/shop/assignments/new", data=data | {
        "branch": "central", "window_end": (today - timedelta(days=1)).isoformat()})
    assert 'id="window_end-error">The window must end on or after' in backwards.get_data(as_text=True)
    assert len(store.assignments.matching()) == before
    made = client.post("/shop/assignments/new", data=data | {"branch": "central"})
    assert made.status_code == 302
    assert [a.scenario for a in store.assignments.matching(shopper=world.other_shopper.id)] == ["wifi-printing"]


def test_review_forms_need_their_csrf_token(make_app, world, store):
    # A second app on the same instance, with CSRF on as in production.
    app = make_app(WTF_CSRF_ENABLED=True)
    visit = submitted_visit(store, world)
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client.post("/auth/login", data={"email": "reviewer@example.org", "password": "correct-horse-battery",
                                     "csrf_token": token})
    assert client.post(f"/shop/visits/{visit.id}/review", data={"approve": "Approve"}).status_code == 400
    assert store.visits.get(visit.id).status == "submitted"


def test_pages_carry_no_inline_script_or_style(client, auth, store, world):
    auth.login("shopper@example.org")
    html = client.get(f"/shop/assignments/{world.assignment.id}/visit").get_data(as_text=True)
    assert "<script>" not in html and "style=" not in html and not re.search(r"\son[a-z]+=", html)


def test_a_value_the_form_refuses_is_named_in_the_summary_and_beside_the_field(client, auth, store, world):
    auth.login("shopper@example.org")
    response = client.post(f"/shop/assignments/{world.assignment.id}/visit",
                           data={"wait_minutes": "-5", "submit_report": "Submit for review"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'href="#wait_minutes">Minutes waited before being served: Give a number of minutes from 0 to 600' in html
    assert 'id="wait_minutes-error">Give a number of minutes from 0 to 600' in html
    assert store.assignments.get(world.assignment.id).visit is None  # nothing half-saved


def test_a_new_report_offers_the_current_local_time(client, auth, world):
    auth.login("shopper@example.org")
    html = client.get(f"/shop/assignments/{world.assignment.id}/visit").get_data(as_text=True)
    now_local = datetime.now(UTC).astimezone(ZoneInfo("Europe/Copenhagen"))
    offered = re.search(r'id="visited_at"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*id="visited_at"', html)
    value = offered.group(1) or offered.group(2)
    assert abs(datetime.strptime(value, "%Y-%m-%dT%H:%M") - now_local.replace(tzinfo=None)) < timedelta(minutes=2)


@pytest.mark.parametrize(("email", "lands_on"), [("shopper@example.org", "/shop/"),
                                                 ("reviewer@example.org", "/shop/review"),
                                                 ("manager@example.org", "/shop/assignments")])
def test_every_signed_in_role_finds_its_way_into_the_programme(client, auth, world, email, lands_on):
    auth.login(email)
    assert 'href="/shop/"' in client.get("/").get_data(as_text=True)
    response = client.get("/shop/", follow_redirects=True)
    assert response.status_code == 200
    assert response.request.path == lands_on
