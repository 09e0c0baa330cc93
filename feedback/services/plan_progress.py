"""Progress on the last plan, for the next report: each open action, its words, evidence before and after.

For the report of ``period``, the last plan is the latest one agreed before
the period ends. For each of its open actions the report prints the plan's
own words and the evidence layer's figures for the action's behaviour twice,
in whole months (the layer's figures are monthly): "before" is as many months
as the period holds, ending where the month the plan was agreed in begins;
"now" is the period from that month on. Shopper figures are visits in which
the behaviour was seen, of those in which it arose (visits that count only);
guest figures are the mean 1-5 answer with its n, shown only from
``min_count`` answers.

It compares the person with their own earlier self on the behaviour they
chose to practise; it labels nobody.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..evidence import staff_evidence
from ..model import Plan, StaffMember
from .periods import Period
from .surveys import DIMENSION_LABELS
from .words import gettext_anywhere as _

__all__ = ["BehaviourFigures", "ActionProgress", "behaviour_figures", "plan_progress", "plan_for_report"]


@dataclass(frozen=True)
class BehaviourFigures:
    """One behaviour in one window: shopper visits that judged it and saw it; guests' mean and n."""

    start: date  # the first of a month
    end: date  # exclusive, the first of a month

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month
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


def _months_back(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def behaviour_figures(store, member: StaffMember, behaviour: str, start: date, end: date, *,
                      min_count: int = 5) -> BehaviourFigures:
    """The evidence layer's figures for one behaviour of one person between two month starts."""
    window = Period(f"{start:%Y-%m}..{end:%Y-%m}", "window", start, end)
    evidence = staff_evidence(store, member.code, window, min_count=min_count).behaviour(behaviour)
    if evidence is None:
        return BehaviourFigures(start, end, 0, 0, None, 0)
    guest = evidence.guest
    return BehaviourFigures(start, end, evidence.shopper.visits, evidence.shopper.seen,
                            guest.mean if guest else None, guest.n if guest else 0)


def plan_for_report(store, member: StaffMember, period: Period) -> Plan | None:
    """The last plan agreed before ``period`` ends."""
    plans = [p for p in store.coaching.get(member.id).plan_list() if p.agreed_on < period.end.isoformat()]
    return plans[0] if plans else None


def plan_progress(store, member: StaffMember, period: Period, *, min_count: int = 5) -> list[ActionProgress]:
    """Each open action of the last plan with the evidence for its behaviour before and after the plan."""
    plan = plan_for_report(store, member, period)
    if plan is None:
        return []
    plan_month = date.fromisoformat(plan.agreed_on[:7] + "-01")
    months = len(period.months())
    before_start, after_start = _months_back(plan_month, months), max(plan_month, period.start)
    progress = []
    for action in plan.action_list():
        if action.status != "open":
            continue
        progress.append(ActionProgress(
            plan=plan, behaviour=action.behaviour,
            behaviour_label=str(DIMENSION_LABELS.get(action.behaviour, action.behaviour)),
            action=action.action, by_when=action.by_when, support=action.support, how_we_know=action.how_we_know,
            before=behaviour_figures(store, member, action.behaviour, before_start, plan_month,
                                     min_count=min_count),
            after=behaviour_figures(store, member, action.behaviour, after_start, period.end, min_count=min_count),
        ))
    return progress
