"""The coaching record service: what it keeps, in whose words, who may write it, and its audit."""

from __future__ import annotations

from datetime import date

import pytest

from feedback.model import CoachingRecord
from feedback.services import coaching_record as cr
from feedback.store.coaching_records import CoachingRecordConflictError
from tests.coaching.conftest import utc

NOW = utc(2026, 6, 1, 12)


def _plan(store, world, by="manager_a", **overrides):
    values = dict(agreed_on=date(2026, 5, 20), review_on=date(2026, 7, 1), actions=[
        cr.ActionInput("follow_up", "Ask \u201cDoes this fully answer your question?\u201d", date(2026, 6, 20),
                       support="Shadow Ahmed one afternoon", how_we_know="Shoppers hear it in most visits")])
    values.update(overrides)
    return cr.record_plan(store, world.maria, by=world.users[by], now=NOW, **values)


def test_a_plan_is_kept_in_the_words_written_with_an_audit_entry(store, coaching_world):
    plan = _plan(store, coaching_world)
    record = store.coaching.get(coaching_world.maria.id)
    [stored] = record.plan_list()
    [action] = stored.action_list()
    assert stored.id == plan.id and stored.status == "open"
    assert action.action == "Ask \u201cDoes this fully answer your question?\u201d"
    assert (action.behaviour, action.by_when, action.support, action.how_we_know) == (
        "follow_up", "2026-06-20", "Shadow Ahmed one afternoon", "Shoppers hear it in most visits")
    [entry] = record.audit
    assert entry["by"] == coaching_world.users["manager_a"].id and entry["at"] == "2026-06-01T12:00:00Z"
    assert "Recorded a plan agreed on 2026-05-20, review on 2026-07-01" in entry["note"]
    assert "Does this fully answer your question?" in entry["note"]


def test_each_record_is_its_own_small_file(store, coaching_world):
    _plan(store, coaching_world)
    cr.record_conversation(store, coaching_world.emil, held_on=date(2026, 5, 30), present="Emil, manager B",
                           notes="", by=coaching_world.users["manager_b"], now=NOW)
    files = sorted(p.name for p in (store.data_dir / "coaching").iterdir())
    assert files == sorted([f"{coaching_world.maria.id}.json", f"{coaching_world.emil.id}.json"])
    assert store.coaching.get(coaching_world.emil.id).plans == []


def test_every_change_is_audited_with_who_when_and_what(store, coaching_world):
    plan = _plan(store, coaching_world)
    action = plan.action_list()[0]
    admin, staff = coaching_world.users["admin"], coaching_world.users["staff_maria"]
    cr.set_review_date(store, coaching_world.maria, plan_id=plan.id, review_on=date(2026, 7, 15), by=admin,
                       now=utc(2026, 6, 2))
    cr.add_staff_comment(store, coaching_world.maria, plan_id=plan.id, comment="I will try it at the desk",
                         by=staff, now=utc(2026, 6, 3))
    cr.set_action_status(store, coaching_world.maria, plan_id=plan.id, action_id=action.id, status="dropped",
                         reason="Moved to the children's desk", by=admin, now=utc(2026, 6, 4))
    record = store.coaching.get(coaching_world.maria.id)
    notes = [(e["action"], e["by"], e["at"][:10]) for e in record.audit]
    assert notes == [("plan_recorded", coaching_world.users["manager_a"].id, "2026-06-01"),
                     ("review_date", admin.id, "2026-06-02"), ("staff_comment", staff.id, "2026-06-03"),
                     ("action_status", admin.id, "2026-06-04")]
    assert "2026-07-01 to 2026-07-15" in record.audit[1]["note"]
    assert "by the staff member" in record.audit[2]["note"] and "I will try it at the desk" in record.audit[2]["note"]
    assert "open \u2192 dropped" in record.audit[3]["note"] and "children's desk" in record.audit[3]["note"]
    [stored] = record.plan_list()
    assert stored.review_on == "2026-07-15" and stored.staff_comment == "I will try it at the desk"
    assert stored.status == "dropped"


def test_dropping_an_action_needs_a_reason_and_nothing_is_stored_without_one(store, coaching_world):
    plan = _plan(store, coaching_world)
    with pytest.raises(cr.CoachingInputError) as problem:
        cr.set_action_status(store, coaching_world.maria, plan_id=plan.id, action_id=plan.action_list()[0].id,
                             status="dropped", reason=" ", by=coaching_world.users["manager_a"], now=NOW)
    assert problem.value.field == "reason"
    assert len(store.coaching.get(coaching_world.maria.id).audit) == 1


@pytest.mark.parametrize(("overrides", "field"), [
    ({"agreed_on": None}, "agreed_on"),
    ({"agreed_on": date(2026, 6, 2)}, "agreed_on"),  # in the future
    ({"review_on": date(2026, 5, 20)}, "review_on"),  # not after the day agreed
    ({"actions": [cr.ActionInput("", "Smile", date(2026, 6, 1))]}, "actions-0-behaviour"),
    ({"actions": [cr.ActionInput("punctuality", "Be on time", date(2026, 6, 1))]}, "actions-0-behaviour"),
    ({"actions": [cr.ActionInput("welcome", "  ", date(2026, 6, 1))]}, "actions-0-action"),
    ({"actions": [cr.ActionInput("welcome", "Greet", None)]}, "actions-0-by_when"),
    ({"actions": [cr.ActionInput("welcome", "Greet", date(2026, 5, 1))]}, "actions-0-by_when"),
    ({"actions": [cr.ActionInput("welcome", "Greet", date(2026, 6, 1)),
                  cr.ActionInput("listening", "", None, support="x")]}, "actions-1-action"),
])
def test_a_plan_with_a_problem_names_the_field_and_stores_nothing(store, coaching_world, overrides, field):
    with pytest.raises(cr.CoachingInputError) as problem:
        _plan(store, coaching_world, **overrides)
    assert problem.value.field == field
    assert store.coaching.get(coaching_world.maria.id) == CoachingRecord(staff=coaching_world.maria.id)


@pytest.mark.parametrize("who", ["manager_b", "reviewer", "shopper", "staff_maria", "staff_emil"])
def test_only_the_branch_managers_and_admins_write_a_record(store, coaching_world, who):
    with pytest.raises(cr.CoachingAccessError):
        _plan(store, coaching_world, by=who)
    with pytest.raises(cr.CoachingAccessError):
        cr.record_conversation(store, coaching_world.maria, held_on=date(2026, 5, 1), present="x", notes="",
                               by=coaching_world.users[who], now=NOW)


def test_another_staff_account_cannot_comment_on_a_plan(store, coaching_world):
    plan = _plan(store, coaching_world)
    with pytest.raises(cr.CoachingAccessError):
        cr.add_staff_comment(store, coaching_world.maria, plan_id=plan.id, comment="Not mine",
                             by=coaching_world.users["staff_emil"], now=NOW)
    with pytest.raises(cr.CoachingAccessError):
        cr.coaching_record(store, coaching_world.maria, coaching_world.users["staff_emil"])
    assert cr.coaching_record(store, coaching_world.maria, coaching_world.users["staff_maria"]).plans


def test_a_write_over_a_changed_record_is_refused(store, coaching_world):
    _plan(store, coaching_world)
    stale = store.coaching.get(coaching_world.maria.id)
    cr.record_conversation(store, coaching_world.maria, held_on=date(2026, 5, 30), present="Maria", notes="",
                           by=coaching_world.users["admin"], now=NOW)
    stale.conversations.append({"id": "lost"})
    with pytest.raises(CoachingRecordConflictError):
        store.coaching.replace(stale, expected_audit_length=1)
    assert [c.id for c in store.coaching.get(coaching_world.maria.id).conversation_list()] != ["lost"]


def test_plans_past_their_review_date_with_an_open_action_are_due(store, factory, coaching_world):
    plan = _plan(store, coaching_world)
    branches = [store.directory.branch("central"), store.directory.branch("riverside")]
    assert cr.reviews_due(store, branches, now=utc(2026, 7, 1, 8)) == []  # due today, not yet passed
    [due] = cr.reviews_due(store, branches, now=utc(2026, 7, 3, 8))
    assert (due.member.id, due.plan.id, due.days_overdue) == (coaching_world.maria.id, plan.id, 2)
    assert cr.reviews_due(store, branches[1:], now=utc(2026, 7, 3, 8)) == []  # another branch's manager
    cr.set_action_status(store, coaching_world.maria, plan_id=plan.id, action_id=plan.action_list()[0].id,
                         status="done", reason="", by=coaching_world.users["admin"], now=NOW)
    assert cr.reviews_due(store, branches, now=utc(2026, 7, 3, 8)) == []
