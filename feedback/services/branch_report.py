"""The branch report: a decision document for a staff meeting, as plain data.

Page one says what to act on: three findings and three actions, chosen by the
rules in :func:`choose_findings` (the document prints them), and headline
tiles with their n and change. The rest is the evidence a meeting may ask for:
a year of months, outcomes by reason for visit, satisfaction by hour and
weekday, comment themes with quotes, follow-ups, the shopper programme, and
staff anonymised (a branch report is read in a staff meeting; names belong to
the manager's own view and the personal coaching reports).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from babel.dates import get_day_names
from flask_babel import get_locale, pgettext
from flask_babel import gettext as _
from markupsafe import Markup

from .. import charts
from ..evidence.cells import of_staff, period_cells, select
from ..model import Branch
from .aggregate import enough, summarise_visits
from .coaching import ReportNotFound, _asked_dimensions
from .period_names import month_name, month_tick, partial_days, period_name
from .periods import Period
from .report_figures import (
    Coverage,
    FollowUpLevel,
    MonthPoint,
    OutcomeRow,
    SystemComparison,
    ThemeLine,
    Tile,
    follow_up_level,
    headline_tiles,
    monthly_satisfaction,
    outcome_rows,
    period_figures,
    system_comparison,
    theme_lines,
    visit_coverage,
)
from .report_labels import ACCURACY_ORDER, accuracy_label, dimension_label
from .rubric import default_rubric
from .surveys import DIMENSION_LABELS, surveys_from_settings

__all__ = ["Finding", "DimensionScore", "StaffRow", "BehaviourRow", "BranchReport", "build_branch_report",
           "choose_findings", "FINDING_COUNT", "SHARE_CHANGE_POINTS"]

FINDING_COUNT = 3
SHARE_CHANGE_POINTS = 5  # a change in a share smaller than this is not a finding
LOW_OUTCOME_SHARE = 0.75  # a reason for visit resolved for fewer guests than this is a finding


@dataclass
class Finding:
    rule: str  # which rule chose it (followups | decline | outcome | dimension | theme | rise)
    text: str
    action: str


@dataclass
class DimensionScore:
    dimension: str
    label: str
    mean: float | None
    n: int
    interval: tuple[float, float] | None
    system: float | None


@dataclass
class StaffRow:
    """How much feedback a person's own report rests on: no score, so the branch report ranks no one."""

    label: str  # "Staff member A" unless names are asked for
    responses: int
    visits: int


@dataclass
class BehaviourRow:
    title: str
    score: float | None
    visits: int
    critical_misses: int


@dataclass
class BranchReport:
    branch: Branch
    period: Period
    period_name: str
    generated_on: date
    min_count: int
    partial: tuple[int, int] | None  # (days elapsed, days in period) while the period runs
    tiles: list[Tile]
    findings: list[Finding]
    months: list[MonthPoint]
    dimensions: list[DimensionScore]
    outcomes: list[OutcomeRow]
    themes: list[ThemeLine]
    followups: FollowUpLevel
    coverage: Coverage
    staff: list[StaffRow]
    staff_named: bool
    behaviours: list[BehaviourRow]
    accuracy: list[tuple[str, int]]
    responses: int
    visits: int
    charts: dict[str, Markup] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.responses and not self.visits

    @property
    def thin(self) -> bool:
        return self.responses < self.min_count

    def tile(self, key: str) -> Tile:
        return next(t for t in self.tiles if t.key == key)


def _points(value: float) -> str:
    return f"{value:+.0f}"


def choose_findings(tiles: list[Tile], dimensions: list[DimensionScore], outcomes: list[OutcomeRow],
                    themes: list[ThemeLine], followups: FollowUpLevel) -> list[Finding]:
    """Up to three findings with their action, by these rules, in this order of priority:

    1. guests still owed a reply beyond the target (a promise to a person comes first);
    2. a headline share that fell by at least ``SHARE_CHANGE_POINTS`` points since the previous period;
    3. the reason for visit least often resolved, when under ``LOW_OUTCOME_SHARE``;
    4. the lowest-scoring dimension, when the system's figure lies above its whole 95 % interval;
    5. the theme most written about in suggestions;
    6. a headline share that rose by at least ``SHARE_CHANGE_POINTS`` points (say what worked).
    Each rule yields at most one finding; only figures resting on enough answers take part.
    """
    found: list[Finding] = []
    if followups.overdue:
        found.append(Finding("followups", _(
            "%(n)d guests who asked to be contacted are still waiting after more than %(days)d days.",
            n=followups.overdue, days=followups.target_days),
            _("Reply to them this week, and agree who answers follow-ups on each day.")))
    shares = [t for t in tiles if t.kind == "share" and t.change_previous is not None and t.key != "followups"]
    falls = sorted((t for t in shares if t.change_previous <= -SHARE_CHANGE_POINTS), key=lambda t: t.change_previous)
    if falls:
        t = falls[0]
        found.append(Finding("decline", _("%(figure)s fell by %(points)d points since the previous period, to "
                                          "%(value)d%% (n=%(n)d).", figure=t.label, points=-round(t.change_previous),
                                          value=round(100 * t.value), n=t.n),
                             _("Look at where it fell (desks, hours, reasons for visit below) and agree one change.")))
    resolved = [o for o in outcomes if o.reason and o.share is not None]
    if resolved:
        worst = min(resolved, key=lambda o: o.share)
        if worst.share < LOW_OUTCOME_SHARE:
            found.append(Finding("outcome", _(
                "Guests who came for “%(reason)s” found what they came for least often: %(value)d%% (n=%(n)d).",
                reason=worst.label, value=round(100 * worst.share), n=worst.n),
                _("Ask two or three of these guests what was missing, and check signs, stock and referrals.")))
    # Below the system beyond chance: the system's figure lies above the dimension's whole interval.
    scored = [d for d in dimensions if d.mean is not None and d.system is not None and d.mean < d.system
              and (d.interval is None or d.interval[1] < d.system)]
    if scored:
        low = min(scored, key=lambda d: d.mean - d.system)
        found.append(Finding("dimension", _(
            "%(dimension)s scored %(mean).1f of 5 (n=%(n)d), below the system's %(system).1f.",
            dimension=low.label, mean=low.mean, n=low.n, system=low.system),
            _("Take %(dimension)s as the theme of the next staff meeting: one behaviour to practise for a month.",
              dimension=low.label)))
    wishes = sorted((t for t in themes if t.suggestions), key=lambda t: (-t.suggestions, t.label))
    if wishes:
        t = wishes[0]
        found.append(Finding("theme", _("%(theme)s is what guests' suggestions mention most: %(n)d comments.",
                                        theme=t.label, n=t.suggestions),
                             _("Read the %(theme)s comments together, decide what you will do, and tell guests "
                               "(“you said, we did”).", theme=t.label)))
    rises = sorted((t for t in shares if t.change_previous >= SHARE_CHANGE_POINTS), key=lambda t: -t.change_previous)
    if rises:
        t = rises[0]
        found.append(Finding("rise", _("%(figure)s rose by %(points)d points since the previous period, to "
                                       "%(value)d%% (n=%(n)d).", figure=t.label, points=round(t.change_previous),
                                       value=round(100 * t.value), n=t.n),
                             _("Name what made the difference, and keep doing it.")))
    return found[:FINDING_COUNT]


def build_branch_report(store, slug: str, period: Period, *, min_count: int = 5, language: str = "en",
                        now: datetime | None = None, followup_days: int = 3, show_staff_names: bool = False,
                        system: SystemComparison | None = None) -> BranchReport:
    """A branch's report for ``period``; staff are "Staff member A, B..." unless ``show_staff_names``.

    ``system``: the system's figures for ``period`` (``report_figures.system_comparison``), when a batch
    has computed them once for all its branch reports; otherwise they are computed here.
    """
    branch = store.directory.branch(slug)
    if branch is None:
        raise ReportNotFound(f"no branch {slug!r}")
    now = now or datetime.now(UTC)
    surveys = surveys_from_settings(store.directory.settings())
    branches = store.directory.branches()
    figures = period_figures(store, [branch], period, surveys)
    # The system is a comparison only: this period's figures, not its previous periods.
    if system is None:
        system = system_comparison(store, branches, period, surveys, min_count)
    elif (system.period, system.min_count) != (period, min_count):
        raise ValueError(f"system figures of {system.period.label} (n>={system.min_count}) given for a report of "
                         f"{period.label} (n>={min_count})")
    system_summary = system.summary if len(branches) > 1 else figures.summary
    summary = figures.summary
    followups = follow_up_level(store, [branch], period, now, followup_days)
    tiles = headline_tiles(figures, followups, min_count, partial=partial_days(period, now.date()) is not None)

    dimensions = []
    for d in _asked_dimensions(surveys, DIMENSION_LABELS):
        tally = summary.dimensions.get(d)
        n = tally.count if tally else 0
        mean = tally.mean if tally and enough(n, min_count) else None
        sys_tally = system_summary.dimensions.get(d)
        sys_mean = sys_tally.mean if sys_tally and enough(sys_tally.count, min_count) else None
        dimensions.append(DimensionScore(d, dimension_label(d), mean, n,
                                         charts.score_interval(mean, n), sys_mean))
    outcomes = outcome_rows(summary, surveys, language, min_count)
    themes = theme_lines(summary.comments, figures.previous.comments, surveys, branch.timezone)
    months = monthly_satisfaction(store, [branch], period, surveys, min_count)
    system_months = system.months

    cells = period_cells(store, branch, period, surveys)
    members = store.directory.staff(branch.slug, include_inactive=True)
    staff = []
    for member in members:
        own = select(cells, of_staff(member.id))
        visits = [v for v in figures.visits if v.staff == member.id]
        if not own.responses and not visits:
            continue
        label = member.display_name if show_staff_names else _("Staff member %(letter)s",
                                                                  letter=_letter(len(staff)))
        staff.append(StaffRow(label, own.responses, len(visits)))
    visit_summary = summarise_visits(figures.visits, default_rubric())
    behaviours = [BehaviourRow(dimension_label(b.id, b.title), visit_summary.behaviour_mean(b.id),
                               len(visit_summary.behaviour_scores.get(b.id, [])),
                               sum(visit_summary.critical_misses[i.id] for i in b.items))
                  for b in default_rubric().behaviours]
    report = BranchReport(
        branch=branch, period=period, period_name=period_name(period), generated_on=now.date(),
        min_count=min_count, partial=partial_days(period, now.date()), tiles=tiles,
        findings=choose_findings(tiles, dimensions, outcomes, themes, followups), months=months,
        dimensions=dimensions, outcomes=outcomes, themes=themes, followups=followups,
        coverage=visit_coverage(store, [branch], period, figures.visits), staff=staff,
        staff_named=show_staff_names, behaviours=behaviours,
        accuracy=[(accuracy_label(a), visit_summary.accuracy.get(a, 0)) for a in ACCURACY_ORDER],
        responses=summary.responses, visits=len(figures.visits),
    )
    report.charts = branch_charts(report, system_months, summary, min_count)
    return report


def _letter(index: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return letters[index] if index < 26 else letters[index // 26 - 1] + letters[index % 26]


def year_line(months: list[MonthPoint], others: list[tuple[str, list[MonthPoint], str]], *, title: str,
              caption: str) -> Markup:
    """Satisfaction (%) month by month over a year, with comparison lines (name, points, role)."""
    ticks = [month_tick(p.month, with_year=i == 0 or p.month.endswith("-01")) for i, p in enumerate(months)]
    series = [charts.Series(name, tuple(None if p.satisfaction is None else 100 * p.satisfaction for p in points),
                            role) for name, points, role in others]
    return charts.line_chart(ticks, series, title=title, caption=caption, minimum=0, maximum=100, digits=0,
                             long_labels=[month_name(p.month) for p in months], unit="%")


def branch_charts(report: BranchReport, system_months: list[MonthPoint], summary, min_count: int
                  ) -> dict[str, Markup]:
    result = {}
    lines = [(report.branch.name, report.months, "subject")]
    if system_months is not report.months:
        lines.append((pgettext("report", "All branches"), system_months, "system"))
    result["year"] = year_line(
        report.months, lines, title=_("Satisfied guests by month, last 12 months"),
        caption=_("Share of answers 4 or 5 of 5 each month; a gap is a month with fewer than %(n)d answers.",
                  n=min_count))
    result["dimensions"] = charts.dot_chart(
        [charts.Dot(d.label, d.mean, d.n, d.interval, (d.system,)) for d in report.dimensions],
        title=_("Score by question theme (1-5)"),
        caption=_("Dot: the branch's mean; line: its 95%% interval; triangle: all branches. "
                  "Fewer than %(n)d answers: no figure.", n=min_count),
        compare_labels=[pgettext("report", "All branches")], compare_roles=("system",),
        subject_label=report.branch.name,
        empty_note=pgettext("report", "not enough feedback yet"))
    result["outcomes"] = charts.bar_chart(
        [charts.Bar(o.label, None if o.share is None else 100 * o.share, n=o.n) for o in report.outcomes],
        title=_("Found what they came for, by reason for visit"), maximum=100, digits=0, unit="%",
        caption=_("Share answering yes to “Did you find what you came for?”, by their answer to "
                  "“What brought you in today?”."), empty_note=_("fewer than %(n)d answers", n=min_count))
    result["heatmap"] = charts.heatmap(
        dict(summary.heatmap_counts), {c: t.share_high for c, t in summary.heatmap.items()},
        title=_("Satisfaction by weekday and hour"), weekday_names=weekday_names(), min_count=min_count,
        caption=_("Shade: share of answers 4 or 5 of 5; number: responses in that hour. Every hour with an "
                  "answer is shown."), few_note=_("fewer than %(n)d answers", n=min_count))
    if report.visits:
        result["behaviours"] = charts.bar_chart(
            [charts.Bar(b.title, None if b.score is None else 100 * b.score, n=b.visits) for b in report.behaviours],
            title=_("Mystery-shopper score by behaviour"), maximum=100, digits=0, unit="%",
            caption=_("Share of rubric points earned in approved visits; n is the number of visits."),
            empty_note=pgettext("report", "no approved visits"))
    return result


def weekday_names() -> list[str]:
    """Monday to Sunday, abbreviated, from the reader's locale (CLDR data: nothing to translate)."""
    names = get_day_names("abbreviated", locale=get_locale())
    return [names[i].rstrip(".") for i in range(7)]
