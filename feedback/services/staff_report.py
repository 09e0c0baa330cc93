"""The staff coaching report as plain data: a one-page conversation sheet and its appendix.

Page one is what a manager and a staff member use together: two strengths
and at most one focus area, each with a guest's words and a shopper's
observation; what changed since the last period, in words; progress on the
last plan; four prompts; actions, comments and signatures. The appendix holds
the evidence behind it: every behaviour with its n and comparison, each
visit as a scorecard, the shopper's narrative, wait and duration.

The labels (strength, focus area), their reasons, quotes and observations
come from the evidence layer (``feedback.evidence``), which decides what
chance cannot explain; this module only arranges them for paper.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from flask_babel import gettext as _
from flask_babel import pgettext
from markupsafe import Markup

from .. import charts
from ..evidence import funnel
from ..evidence.staff import BehaviourEvidence, Label, StaffEvidence
from . import coaching
from .period_names import day_name, partial_days, period_name
from .periods import Period
from .report_labels import accuracy_label, channel_label, dimension_label
from .scenarios import default_scenarios

__all__ = [
    "Point",
    "PlanGoal",
    "BehaviourLine",
    "Scorecard",
    "StaffDocument",
    "build_staff_report",
    "PREVIOUS_PLAN_SOURCE",
    "CHANGE_WORTH_SAYING",
]

CHANGE_WORTH_SAYING = 0.2  # a change of a 1-5 mean smaller than this is "about the same"
SHEET_TEXT_CHARS = 140  # a quote on the conversation sheet: long ones are cut, so the sheet stays one page


@dataclass
class Point:
    """A strength or a focus area as the sheet prints it."""

    behaviour: str
    label: str
    section: str  # its RUSA section
    reasons: list[str]
    quote: str | None
    observation: str | None
    good_looks_like: list[str] = field(default_factory=list)
    tips: list[str] = field(default_factory=list)
    goal: str | None = None


@dataclass
class PlanGoal:
    """A goal of the last agreed plan and where it stands (from the coaching record)."""

    behaviour: str
    action: str
    status: str  # the record's own words: "done", "in progress", "not started" (translated)
    evidence: str = ""  # what the figures say now, when they say anything


@dataclass
class BehaviourLine:
    behaviour: str
    label: str
    section: str
    mean: float | None
    n: int
    branch_mean: float | None
    branch_n: int
    interval: tuple[float, float] | None
    position: str  # in words, from the evidence layer's funnel comparison
    seen: int = 0
    partly: int = 0
    missed: int = 0
    visits: int = 0
    label_kind: str | None = None  # strength | focus | None


@dataclass
class Scorecard:
    when: str
    scenario: str
    channel: str
    score: float | None
    accuracy: str
    wait_minutes: int | None
    duration_minutes: int | None
    narrative: str
    marks: dict[str, str | None]  # behaviour id -> seen | partly | missed | None (did not arise)
    critical_missed: list[str] = field(default_factory=list)


@dataclass
class StaffDocument:
    member: object
    branch: object
    period: Period
    period_name: str
    previous_name: str
    prepared: date
    min_count: int
    partial: tuple[int, int] | None
    responses: int
    strengths: list[Point]
    focus: list[Point]
    no_focus_note: str | None
    changes: list[str]
    plan: list[PlanGoal]
    behaviours: list[BehaviourLine]
    behaviour_titles: list[tuple[str, str]]  # (id, title) in rubric order, the scorecards' rows
    scorecards: list[Scorecard]
    praise: list
    suggestions: list
    colleague_mentions: list = field(default_factory=list)
    service_comments: int = 0
    evidence: StaffEvidence | None = None  # what ``report staff --format json`` writes
    charts: dict[str, Markup] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.responses and not self.scorecards


#: HOOK for the coaching record: a function ``source(store, member, period) -> list[PlanGoal]`` giving the
#: goals of the last plan agreed before ``period`` and where each stands. The coaching record registers it
#: when it is installed; until then the sheet says "No earlier plan recorded."
PREVIOUS_PLAN_SOURCE: Callable[..., list[PlanGoal]] | None = None


def _previous_plan(store, member, period: Period) -> list[PlanGoal]:
    """The hook fed by the coaching record; an empty list ("no earlier plan recorded") until there is one."""
    if PREVIOUS_PLAN_SOURCE is None:
        return []
    return list(PREVIOUS_PLAN_SOURCE(store, member, period))


def _scorecards(evidence: StaffEvidence) -> list[Scorecard]:
    scenarios = default_scenarios()
    cards = []
    for card in evidence.visits:
        scenario = scenarios.get(card.scenario)
        cards.append(Scorecard(
            when=day_name(date.fromisoformat(card.when)),
            scenario=scenario.title if scenario else card.scenario,
            channel=channel_label(card.channel), score=card.score,
            accuracy=accuracy_label(card.accuracy) if card.accuracy else pgettext("report", "not judged"),
            wait_minutes=card.wait_minutes, duration_minutes=card.duration_minutes,
            narrative=" ".join(card.narrative.split()), marks=dict(card.outcomes),
            critical_missed=list(card.critical_missed),
        ))
    return cards


def _change_words(lines: list[coaching.DimensionLine], previous_name: str) -> list[str]:
    """What changed since the previous period, in words, largest first; "about the same" otherwise."""
    moved, steady = [], 0
    for line in lines:
        if len(line.trend) < 2 or line.score is None or line.trend[-2] is None:
            continue
        before = line.trend[-2]
        delta = line.score - before
        if abs(delta) >= CHANGE_WORTH_SAYING:
            label = dimension_label(line.dimension, line.label)
            text = (_("%(behaviour)s rose from %(before).1f to %(now).1f (n=%(n)d).", behaviour=label,
                      before=before, now=line.score, n=line.count) if delta > 0 else
                    _("%(behaviour)s fell from %(before).1f to %(now).1f (n=%(n)d).", behaviour=label,
                      before=before, now=line.score, n=line.count))
            moved.append((abs(delta), text))
        else:
            steady += 1
    words = [text for _size, text in sorted(moved, key=lambda m: -m[0])[:3]]
    if steady:
        words.append(_("%(n)d other behaviours are about the same as in %(period)s (within %(step).1f).",
                       n=steady, period=previous_name, step=CHANGE_WORTH_SAYING) if moved else
                     _("Guests scored every behaviour about the same as in %(period)s (within %(step).1f).",
                       period=previous_name, step=CHANGE_WORTH_SAYING))
    if not words:
        words.append(_("No comparison with %(period)s: too few answers in one of the two periods.",
                       period=previous_name))
    return words


def _short(text: str | None) -> str | None:
    """A quote or observation cut to what fits a card of the one-page sheet (the appendix has the rest)."""
    if text is None or len(text) <= SHEET_TEXT_CHARS:
        return text
    return text[: SHEET_TEXT_CHARS - 1].rsplit(" ", 1)[0] + "…"


def _point(label: Label) -> Point:
    b = label.behaviour
    return Point(b.id, dimension_label(b.id, b.label), b.rusa_section, list(label.reasons), _short(label.quote),
                 _short(label.observation), list(label.good_looks_like), list(label.tips),
                 label.goal.target if label.goal else None)


_POSITION_WORDS = {
    funnel.ABOVE: lambda: _("above the branch, beyond chance"),
    funnel.BELOW: lambda: _("below the branch, beyond chance"),
    funnel.WITHIN: lambda: _("within the range chance allows"),
    funnel.TOO_FEW: lambda: _("too few answers to compare"),
}


def _position(b: BehaviourEvidence) -> str:
    if b.guest is None:
        return _("no guest question on this")
    if b.guest.position == funnel.NO_FIGURE:
        return _("too few answers (n=%(n)d)", n=b.guest.n)
    return _POSITION_WORDS.get(b.guest.position, lambda: b.guest.position)()


def build_staff_report(store, code: str, period: Period, *, min_count: int = 5, language: str = "en",
                       today: date | None = None, compare_min: int = 10) -> StaffDocument:
    """A staff member's conversation sheet and appendix for ``period``, every label from the evidence layer."""
    today = today or datetime.now(UTC).date()
    # The sheet compares a person with their branch only: the system's figure is not asked for.
    source = coaching.build_staff_report(store, code, period, min_count=min_count, language=language, today=today,
                                         compare_min=compare_min, with_system=False)
    ev = source.evidence
    previous_name = period_name(period.previous())
    lines = []
    for b in ev.behaviours:
        guest = b.guest
        mean = guest.mean if guest else None
        n = guest.n if guest else 0
        lines.append(BehaviourLine(
            b.id, dimension_label(b.id, b.label), b.rusa_section, mean, n, guest.reference if guest else None,
            guest.reference_n if guest else 0,
            (guest.lower, guest.upper) if guest and guest.lower is not None else None, _position(b),
            b.shopper.seen, b.shopper.partly, b.shopper.missed, b.shopper.visits, b.label_kind))
    doc = StaffDocument(
        member=ev.member, branch=ev.branch, period=period, period_name=period_name(period),
        previous_name=previous_name, prepared=today, min_count=min_count, partial=partial_days(period, today),
        responses=ev.responses, strengths=[_point(label) for label in ev.sheet_strengths],
        focus=[_point(label) for label in ev.sheet_focus],
        no_focus_note=ev.no_focus_note if ev.sheet_strengths else None,
        changes=_change_words(source.dimensions, previous_name),
        plan=_previous_plan(store, ev.member, period), behaviours=lines,
        behaviour_titles=[(b.id, dimension_label(b.id, b.label)) for b in ev.behaviours],
        scorecards=_scorecards(ev), praise=ev.praise, suggestions=ev.suggestions,
        colleague_mentions=ev.colleague_mentions, service_comments=ev.service_comments, evidence=ev,
    )
    rows = [b for b in lines if b.n or b.mean is not None]
    doc.charts["behaviours"] = charts.dot_chart(
        [charts.Dot(b.label, b.mean, b.n, charts.score_interval(b.mean, b.n), (b.branch_mean,)) for b in rows],
        title=_("Guests' scores by behaviour (1-5)"),
        caption=_("Dot: %(name)s's mean; line: a cautious 95%% interval; diamond: the branch. Fewer than %(n)d "
                  "answers: no figure.", name=ev.member.display_name, n=min_count),
        subject_label=ev.member.display_name, compare_labels=[pgettext("report", "Branch")],
        compare_roles=("branch",), empty_note=pgettext("report", "not enough feedback yet"))
    return doc
