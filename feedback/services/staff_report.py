"""The staff coaching report as plain data: a one-page conversation sheet and its appendix.

Page one is what a manager and a staff member use together: two strengths
and at most one focus area, each with a guest's words and a shopper's
observation; what changed since the last period, in words; progress on the
last plan; four prompts; actions, comments and signatures. The appendix holds
the evidence behind it: every behaviour with its n and comparison, each
visit as a scorecard, the shopper's narrative, wait and duration.

The labels (strength, focus area) are not chosen here: they come from the
coaching data this module is given (see :func:`build_staff_report`), which
decides what chance cannot explain. This module only arranges them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from flask_babel import gettext as _
from flask_babel import pgettext
from markupsafe import Markup

from .. import charts
from ..model import Visit, parse_utc
from . import coaching
from .period_names import day_name, partial_days, period_name
from .periods import Period
from .report_labels import accuracy_label, channel_label, dimension_label
from .rubric import default_rubric, score_visit
from .scenarios import default_scenarios

__all__ = [
    "Point",
    "PlanGoal",
    "BehaviourLine",
    "Scorecard",
    "StaffDocument",
    "build_staff_report",
    "PREVIOUS_PLAN_SOURCE",
    "visit_marks",
    "CHANGE_WORTH_SAYING",
]

CHANGE_WORTH_SAYING = 0.2  # a change of a 1-5 mean smaller than this is "about the same"
STRENGTHS_ON_SHEET = 2
FOCUS_ON_SHEET = 1


@dataclass
class Point:
    """A strength or a focus area as the sheet prints it."""

    behaviour: str
    label: str
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
    position: str  # words: "above the branch", "within the branch's range", "too few answers"
    seen: int = 0
    partly: int = 0
    missed: int = 0


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
    marks: dict[str, str | None]  # behaviour id -> seen | partly | missed | None (not judged)


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
    charts: dict[str, Markup] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.responses and not self.scorecards


#: Where the last plan's goals come from: the coaching record, when this installation has one.
#: Called as ``source(store, member, period)``; returns the goals of the last plan agreed before ``period``.
PREVIOUS_PLAN_SOURCE: Callable[..., list[PlanGoal]] | None = None


def _previous_plan(store, member, period: Period) -> list[PlanGoal]:
    """The hook fed by the coaching record; an empty list ("no earlier plan recorded") until there is one."""
    if PREVIOUS_PLAN_SOURCE is None:
        return []
    return list(PREVIOUS_PLAN_SOURCE(store, member, period))


def visit_marks(visit: Visit) -> dict[str, str | None]:
    """Each behaviour of one visit as seen (every judged item yes), missed (every one no) or partly."""
    marks: dict[str, str | None] = {}
    for behaviour in default_rubric().behaviours:
        answers = [visit.answers.get(item.id, "na") for item in behaviour.items]
        judged = [a for a in answers if a in ("yes", "partly", "no")]
        if not judged:
            marks[behaviour.id] = None
        elif all(a == "yes" for a in judged):
            marks[behaviour.id] = "seen"
        elif all(a == "no" for a in judged):
            marks[behaviour.id] = "missed"
        else:
            marks[behaviour.id] = "partly"
    return marks


def _scorecards(visits: list[Visit], timezone: str) -> list[Scorecard]:
    from zoneinfo import ZoneInfo

    tz, scenarios, rubric = ZoneInfo(timezone), default_scenarios(), default_rubric()
    cards = []
    for visit in visits:
        scenario = scenarios.get(visit.scenario)
        cards.append(Scorecard(
            when=day_name(parse_utc(visit.visited_at).astimezone(tz).date()),
            scenario=scenario.title if scenario else visit.scenario,
            channel=channel_label(visit.channel),
            score=score_visit(rubric, visit.answers).overall,
            accuracy=accuracy_label(visit.accuracy) if visit.accuracy else pgettext("report", "not judged"),
            wait_minutes=visit.wait_minutes, duration_minutes=visit.duration_minutes,
            narrative=" ".join(visit.narrative.split()), marks=visit_marks(visit),
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


def _point(p: coaching.CoachingPoint, quote: str | None, focus: bool) -> Point:
    reasons = [_("Guests: %(score).1f", score=p.score) + (
        _(" against the branch's %(branch).1f", branch=p.branch) if p.branch is not None else "")]
    observation = p.evidence[0] if p.evidence else None
    goal = None
    label = dimension_label(p.dimension, p.label)
    if focus:
        target = min(5.0, max(p.branch or 0.0, p.score + 0.3))
        goal = _("%(behaviour)s: from %(now).1f towards %(target).1f", behaviour=label, now=p.score, target=target)
    return Point(p.dimension, label, reasons, quote, observation, p.behaviours, p.tips, goal)


def build_staff_report(store, code: str, period: Period, *, min_count: int = 5, language: str = "en",
                       today: date | None = None) -> StaffDocument:
    """A staff member's conversation sheet and appendix for ``period``."""
    today = today or datetime.now(UTC).date()
    source = coaching.build_staff_report(store, code, period, min_count=min_count, language=language, today=today)
    visits = coaching._visits_in(store, {source.branch.slug: source.branch}, period, staff=source.member.id)
    cards = _scorecards(visits, source.branch.timezone)
    previous_name = period_name(period.previous())
    praise = source.comments.praise
    quote_for = {p.dimension: (praise[i].text if i < len(praise) else None) for i, p in enumerate(source.strengths)}
    suggestion = source.comments.suggestions[0].text if source.comments.suggestions else None
    strengths = [_point(p, quote_for.get(p.dimension), False) for p in source.strengths[:STRENGTHS_ON_SHEET]]
    focus = [_point(p, suggestion, True) for p in source.focus_areas[:FOCUS_ON_SHEET]]
    no_focus = None if focus or not strengths else _(
        "No focus area needed this period: choose a stretch goal together.")

    rubric_titles = [(b.id, dimension_label(b.id, b.title)) for b in default_rubric().behaviours]
    lines = []
    for line in source.dimensions:
        seen = partly = missed = 0
        for card in cards:
            mark = card.marks.get(line.dimension)
            seen += mark == "seen"
            partly += mark == "partly"
            missed += mark == "missed"
        if line.score is None:
            position = _("too few answers (n=%(n)d)", n=line.count)
        elif line.branch is None:
            position = _("no branch figure")
        else:
            interval = charts.score_interval(line.score, line.count)
            inside = interval is not None and interval[0] <= line.branch <= interval[1]
            position = (_("about the branch's figure") if inside else
                        _("above the branch") if line.score > line.branch else _("below the branch"))
        lines.append(BehaviourLine(line.dimension, dimension_label(line.dimension, line.label), "", line.score,
                                   line.count, line.branch, 0,
                                   charts.score_interval(line.score, line.count), position, seen, partly, missed))

    doc = StaffDocument(
        member=source.member, branch=source.branch, period=period, period_name=period_name(period),
        previous_name=previous_name, prepared=today, min_count=min_count, partial=partial_days(period, today),
        responses=source.headline.responses, strengths=strengths, focus=focus, no_focus_note=no_focus,
        changes=_change_words(source.dimensions, previous_name),
        plan=_previous_plan(store, source.member, period), behaviours=lines, behaviour_titles=rubric_titles,
        scorecards=cards, praise=praise, suggestions=source.comments.suggestions,
    )
    doc.charts["behaviours"] = charts.dot_chart(
        [charts.Dot(b.label, b.mean, b.n, b.interval, (b.branch_mean,)) for b in lines],
        title=_("Guests' scores by behaviour (1-5)"),
        caption=_("Dot: %(name)s's mean; line: a cautious 95%% interval; diamond: the branch. Fewer than %(n)d "
                  "answers: no figure.", name=source.member.display_name, n=min_count),
        subject_label=source.member.display_name, compare_labels=[pgettext("report", "Branch")],
        compare_roles=("branch",),
        empty_note=pgettext("report", "not enough feedback yet"))
    return doc
