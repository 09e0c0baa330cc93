"""A branch's "you said, we did" log: recorded in the console, read by reports, printed on a poster."""

from __future__ import annotations

import re
import subprocess
from datetime import date

import pytest

from feedback.services.you_said_we_did import BranchActionError, branch_actions, record_branch_action
from tests.coaching.conftest import utc


def test_branch_actions_are_listed_newest_first_and_since_a_date(store, coaching_world):
    manager = coaching_world.users["manager_a"]
    for said, did, day in (("Too noisy", "A quiet zone", 3), ("Open earlier", "Open at 9 on Saturdays", 20)):
        record_branch_action(store, "central", you_said=said, we_did=did, done_on=date(2026, 5, day), by=manager,
                             now=utc(2026, 5, 25))
    assert [(a.you_said, a.we_did, a.done_on) for a in branch_actions(store, "central")] == [
        ("Open earlier", "Open at 9 on Saturdays", "2026-05-20"), ("Too noisy", "A quiet zone", "2026-05-03")]
    assert [a.you_said for a in branch_actions(store, "central", since=date(2026, 5, 10))] == ["Open earlier"]
    assert branch_actions(store, "riverside") == []


@pytest.mark.parametrize(("values", "field"), [
    ({"you_said": " ", "we_did": "x", "done_on": date(2026, 5, 1)}, "you_said"),
    ({"you_said": "x", "we_did": "", "done_on": date(2026, 5, 1)}, "we_did"),
    ({"you_said": "x", "we_did": "y", "done_on": date(2026, 6, 1)}, "done_on"),  # not done yet
    ({"you_said": "x" * 301, "we_did": "y", "done_on": date(2026, 5, 1)}, "you_said"),
])
def test_a_line_with_a_problem_names_the_field(store, coaching_world, values, field):
    with pytest.raises(BranchActionError) as problem:
        record_branch_action(store, "central", by=coaching_world.users["manager_a"], now=utc(2026, 5, 25), **values)
    assert problem.value.field == field
    assert branch_actions(store, "central") == []


def test_only_the_branch_managers_and_admins_record(store, coaching_world):
    with pytest.raises(PermissionError):
        record_branch_action(store, "central", you_said="x", we_did="y", done_on=date(2026, 5, 1),
                             by=coaching_world.users["manager_b"], now=utc(2026, 5, 25))


def test_the_console_page_records_a_line_and_the_poster_prints_it(store, coaching_world, sign_in, tmp_path):
    manager = sign_in(coaching_world.email("manager_a"))
    assert manager.get("/manage/you-said-we-did/").headers["Location"].endswith("/manage/you-said-we-did/central")
    bad = manager.post("/manage/you-said-we-did/central", data={"you_said": "", "we_did": "", "done_on": ""})
    assert bad.status_code == 400 and "Write what guests said." in bad.get_data(as_text=True)
    added = manager.post("/manage/you-said-we-did/central", data={
        "you_said": "The study area is too noisy", "we_did": "We made the second floor a quiet zone",
        "done_on": "2026-05-03"})
    assert added.status_code == 302
    assert "We made the second floor a quiet zone" in manager.get("/manage/you-said-we-did/central").get_data(
        as_text=True)
    poster = manager.get("/manage/you-said-we-did/central/poster.pdf")
    assert poster.status_code == 200 and poster.mimetype == "application/pdf"
    path = tmp_path / "poster.pdf"
    path.write_bytes(poster.data)
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "You said, we did" in text and "Central Library" in text
    assert "The study area is too noisy" in text and "We made the second floor a quiet zone" in text
    assert "/s/central" in text
    pages = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages: +1$", pages, re.M) and "595.276 x 841.89" in pages  # one A4 page
    assert manager.get("/manage/you-said-we-did/riverside").status_code == 404
    assert sign_in(coaching_world.email("staff_maria")).get("/manage/you-said-we-did/central").status_code == 403


def test_the_dashboard_reminds_of_reviews_due_and_branches_with_no_notice(store, coaching_world, sign_in):
    from feedback.services import coaching_record as cr

    cr.record_plan(store, coaching_world.maria, agreed_on=date(2026, 5, 1), review_on=date(2026, 6, 1),
                   by=coaching_world.users["manager_a"], now=utc(2026, 5, 2),
                   actions=[cr.ActionInput("listening", "Ask one open question", date(2026, 5, 30))])
    page = sign_in(coaching_world.email("manager_a")).get("/manage/").get_data(as_text=True)
    assert "Plans due for review" in page and "Maria Jensen</a>:" in page and "review was due on 2026-06-01" in page
    assert "No programme notice is recorded for: Central Library." in page
    other = sign_in(coaching_world.email("manager_b")).get("/manage/").get_data(as_text=True)
    assert "Plans due for review" not in other and "Maria" not in other
