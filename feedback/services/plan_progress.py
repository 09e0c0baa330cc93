"""Progress on the last plan, for the next report: each open action, its words, evidence before and after.

For the report of ``period``, the last plan is the latest one agreed before
the period ends. For each of its open actions the report prints the plan's
own words and the evidence for the action's behaviour twice: in a window as
long as the period that ends the day the plan was agreed ("before"), and in
the part of the period from that day on ("after"). Shopper evidence counts
visits in which every judged item of the behaviour was seen (visits that
count only, see ``counted_visits``); guest evidence is the mean 1-5 answer
to the questions measuring that behaviour, shown only from ``min_count``
answers, with its n beside it always.

It compares the person with their own earlier self on the behaviour they
chose to practise; it labels nobody.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..model import Plan, StaffMember
from .counted_visits import counted_visits
from .periods import Period
from .rubric import default_rubric
from .surveys import DIMENSION_LABELS, surveys_from_settings
from .words import gettext_anywhere as _

__all__ = ["BehaviourFigures", "ActionProgress", "behaviour_figures", "plan_progress", "plan_for_report"]


@dataclass(frozen=True)
class BehaviourFigures:
    """One behaviour in one window: shopper visits that judged it and saw it; guests' mean and n."""

    start: date
    end: date  # exclusive
    visits: int
    seen: int
    guest_mean: float | None  # None below ``min_count`` answers
    guest_n: int

    def shopper_words(self) -> str:
        return _("%(seen)d of %(n)d visits", seen=self.seen, n=self.visits) if self.visits else _("no visits")

    def guest_words(self) -> str:
        if self.guest_mean is None:
            return _("too few answers (n=%(n)d)", n=self.guest_n)
        return _("%(mean).1f (n=%(n)d)", mean=self.guest_mean, n=self.guest_n)


@dataclass(frozen=True)
class ActionProgress:
    """One open action of the last plan: the words agreed, and the evidence before and after."""

    plan: Plan
    behaviour: str
    behaviour_label: str
    action: str
    by_when: str
    support: str
    how_we_know: str
    before: BehaviourFigures
    after: BehaviourFigures

    @property
    def shopper_line(self) -> str:
        """``Follow-up, shoppers: 1 of 4 visits, now 3 of 4 visits``."""
        return _("%(behaviour)s, shoppers: %(before)s, now %(after)s", behaviour=self.behaviour_label,
                 before=self.before.shopper_words(), after=self.after.shopper_words())

    @property
    def guest_line(self) -> str:
        return _("%(behaviour)s, guests: %(before)s, now %(after)s", behaviour=self.behaviour_label,
                 before=self.before.guest_words(), after=self.after.guest_words())


def _window(start: date, end: date) -> Period:
    return Period(f"{start.isoformat()}..{end.isoformat()}", "window", start, end)


def behaviour_figures(store, member: StaffMember, behaviour: str, start: date, end: date, *,
                      min_count: int = 5) -> BehaviourFigures:
    """Shopper and guest evidence for one behaviour of one person between two local dates."""
    window = _window(start, end)
    branch = store.directory.branch(member.branch)
    rubric_behaviour = default_rubric().behaviour(behaviour)
    visits = seen = 0
    if branch is not None and rubric_behaviour is not None:
        for visit in counted_visits(store, branches=[branch], period=window, staff=member.id):
            judged = [visit.answers.get(i.id, "na") for i in rubric_behaviour.items]
            judged = [a for a in judged if a in ("yes", "partly", "no")]
            if judged:
                visits += 1
                seen += all(a == "yes" for a in judged)
    values: list[int] = []
    if branch is not None:
        surveys = surveys_from_settings(store.directory.settings())
        lo, hi = window.utc_bounds(branch.timezone)
        for response in store.responses.in_period(branch.slug, lo, hi):
            if response.staff != member.id or response.flagged or response.survey not in surveys:
                continue
            for question in surveys[response.survey].questions:
                value = response.answers.get(question.id)
                if question.dimension == behaviour and question.type == "smiley" and isinstance(value, int):
                    values.append(value)
    mean = sum(values) / len(values) if len(values) >= min_count else None
    return BehaviourFigures(start, end, visits, seen, mean, len(values))


def plan_for_report(store, member: StaffMember, period: Period) -> Plan | None:
    """The last plan agreed before ``period`` ends."""
    plans = [p for p in store.coaching.get(member.id).plan_list() if p.agreed_on < period.end.isoformat()]
    return plans[0] if plans else None


def plan_progress(store, member: StaffMember, period: Period, *, min_count: int = 5) -> list[ActionProgress]:
    """Each open action of the last plan with the evidence for its behaviour before and after the plan."""
    plan = plan_for_report(store, member, period)
    if plan is None:
        return []
    agreed = date.fromisoformat(plan.agreed_on)
    length = timedelta(days=(period.end - period.start).days)
    after_start = max(agreed, period.start)
    progress = []
    for action in plan.action_list():
        if action.status != "open":
            continue
        progress.append(ActionProgress(
            plan=plan, behaviour=action.behaviour,
            behaviour_label=str(DIMENSION_LABELS.get(action.behaviour, action.behaviour)),
            action=action.action, by_when=action.by_when, support=action.support, how_we_know=action.how_we_know,
            before=behaviour_figures(store, member, action.behaviour, agreed - length, agreed, min_count=min_count),
            after=behaviour_figures(store, member, action.behaviour, after_start, period.end, min_count=min_count),
        ))
    return progress
