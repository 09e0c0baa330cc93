"""What the manager's dashboard and staff page show, as plain data.

Figures come from ``aggregate`` (one definition each, shared with the PDF
reports) by way of monthly cells (``monthly_cells``), which merge the
responses still stored with the figures kept after a purge. Charts come from
``feedback.charts``, the same code the reports draw with.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from flask_babel import gettext as _
from markupsafe import Markup

from .. import charts
from ..evidence.cells import (
    ROLLUP_COMMENTS,
    Rollups,
    branch_month_cells,
    month_rollups,
    monthly_satisfaction_of,
    newest_comments,
)
from ..evidence.staff import StaffEvidence, staff_evidence
from ..evidence.visits import counted_visits
from ..local_time import format_local
from ..model import Branch, StaffMember, parse_utc
from .aggregate import ResponseSummary, Tally, VisitSummary, enough, summarise_visits
from .monthly_cells import CellKey, cells_from_responses, merge_summaries, select, summary_from_doc
from .period_presets import comparison_window
from .periods import Period, period_of_kind
from .privacy import mask_contact_details
from .rubric import default_rubric
from .surveys import DIMENSION_LABELS, DIMENSIONS, STAFF_DIMENSIONS, surveys_from_settings

__all__ = [
    "DIMENSION_LABELS",
    "Scope",
    "Dashboard",
    "StaffPage",
    "months_of",
    "load_cells",
    "build_dashboard",
    "build_staff_page",
    "responses_in_scope",
    "visits_in_scope",
]

TREND_MONTHS = 12
LATEST_COMMENTS = 10


def months_of(period: Period) -> list[str]:
    """The ``YYYY-MM`` labels of the months a period covers."""
    return period.months()


@dataclass(frozen=True)
class Scope:
    """What a dashboard is about: branches (already checked against the user), period, filters."""

    branches: tuple[Branch, ...]
    period: Period
    desk: str | None = None
    channel: str | None = None

    def keeps(self, key: CellKey) -> bool:
        return ((self.desk is None or key.desk == self.desk)
                and (self.channel is None or key.channel == self.channel))

    @property
    def unfiltered(self) -> bool:
        """Every desk and channel: figures can come from whole branch-month totals."""
        return self.desk is None and self.channel is None


def _split_window(first: date, end: date) -> tuple[list[str], list[tuple[date, date]]]:
    """The whole local months in ``[first, end)``, and the days outside them (a month cut short)."""
    whole_first = first if first.day == 1 else period_of_kind("month", first).end
    whole_end = end.replace(day=1)
    if whole_first >= whole_end:
        return [], [(first, end)] if first < end else []
    parts = [(lo, hi) for lo, hi in ((first, whole_first), (whole_end, end)) if lo < hi]
    return months_of(Period("window", "window", whole_first, whole_end)), parts


def _cut_short_cells(store, branches: list[Branch], lo_day: date, hi_day: date, surveys
                     ) -> list[tuple[CellKey, ResponseSummary]]:
    """Cells of some days of a month, read from the stored responses (plus that month's kept figures)."""
    window = Period("window", "window", lo_day, hi_day)
    cells: list[tuple[CellKey, ResponseSummary]] = []
    for branch in branches:
        lo, hi = window.utc_bounds(branch.timezone)
        cells.extend(cells_from_responses(store.responses.in_period(branch.slug, lo, hi), surveys,
                                          branch.timezone).items())
    for doc in store.aggregates.for_months(months_of(window), [b.slug for b in branches]):
        cells.append((CellKey.from_doc(doc), summary_from_doc(doc["summary"])))
    return cells


def load_cells(store, branches: Iterable[Branch], first: date, end: date
               ) -> list[tuple[CellKey, ResponseSummary]]:
    """Cells of the local days from ``first`` up to ``end``: stored responses plus kept figures.

    A list of pairs, not a dict: a month may hold both kept cells (purged days)
    and cells of responses still stored under the same key. Whole months come
    from the branch-month cells kept while their files are unchanged (the
    reports' cache), so the next view of a hundred branches reads no answers;
    only the days of a month cut short (a period still running is compared
    with the same days before it) are read from the stored responses.
    """
    surveys = surveys_from_settings(store.directory.settings())
    branches = list(branches)
    whole_months, cut_short = _split_window(first, end)
    cells: list[tuple[CellKey, ResponseSummary]] = []
    for branch in branches:
        for month in whole_months:
            cells.extend(branch_month_cells(store, branch, month, surveys))
    for lo_day, hi_day in cut_short:
        cells.extend(_cut_short_cells(store, branches, lo_day, hi_day, surveys))
    return cells


def window_total(store, branches: Iterable[Branch], first: date, end: date, rollups: Rollups, *,
                 latest_comments: int = LATEST_COMMENTS, detail: bool = True) -> ResponseSummary:
    """Every answer of ``[first, end)`` at ``branches``, unfiltered, with its ``latest_comments`` newest comments.

    The same figures as merging :func:`load_cells`' cells (tallies are sums),
    at the cost of a hundred branches' months rather than all their cells.
    ``detail=False`` leaves out the weekday-and-hour and month-by-month
    figures of whole months (what a comparison never shows).
    """
    branches = list(branches)
    whole_months, cut_short = _split_window(first, end)
    surveys = surveys_from_settings(store.directory.settings())
    missing = [m for m in whole_months if any((b.slug, m) not in rollups for b in branches)]
    if missing:
        rollups = {**rollups, **month_rollups(store, branches, missing, surveys)}
    months = [rollups[(b.slug, m)] for b in branches for m in whole_months]
    days = [summary for lo_day, hi_day in cut_short
            for _key, summary in _cut_short_cells(store, branches, lo_day, hi_day, surveys)]
    if latest_comments > ROLLUP_COMMENTS:
        raise ValueError(f"a roll-up keeps its {ROLLUP_COMMENTS} newest comments only")
    total = merge_summaries([*((r.figures if detail else r.core) for r in months), *days], latest_comments=0)
    total.comments = heapq.nlargest(latest_comments,
                                    [*newest_comments(months, latest_comments), *(c for d in days for c in d.comments)],
                                    key=lambda r: r.submitted_at)
    return total


@dataclass
class DimensionRow:
    dimension: str
    label: str
    mean: float | None
    count: int
    previous: float | None

    @property
    def change(self) -> float | None:
        return None if self.mean is None or self.previous is None else self.mean - self.previous


@dataclass
class StaffRow:
    """A person's figures on the questions about staff behaviour (not the wait, not NPS)."""

    member: StaffMember
    count: int
    satisfaction: float | None  # share of 4 and 5 on behaviour questions; None when resting on too few
    mean: float | None
    answers: int  # behaviour answers the figures rest on
    shown: bool


@dataclass
class CommentRow:
    when: str
    branch: str
    staff: str
    language: str
    text: str


@dataclass
class Dashboard:
    scope: Scope
    summary: ResponseSummary
    previous_label: str
    previous: ResponseSummary
    dimensions: list[DimensionRow]
    trend_months: list[str]
    trend_counts: list[int]
    trend_satisfaction: list[float | None]
    staff: list[StaffRow]
    visits: VisitSummary
    behaviours: list[tuple[str, str, float | None, int]]  # id, title, mean score 0..1, visits
    comments: list[CommentRow]
    charts: dict[str, Markup] = field(default_factory=dict)


def _window_start(period: Period) -> date:
    trend_start = period_of_kind("month", period.end).shifted(-TREND_MONTHS).start
    return min(period.previous().start, trend_start)


def _dimension_rows(current: ResponseSummary, previous: ResponseSummary) -> list[DimensionRow]:
    rows = []
    for name in DIMENSIONS:
        tally = current.dimensions.get(name)
        before = previous.dimensions.get(name)
        if not (tally and tally.count) and not (before and before.count):
            continue
        rows.append(DimensionRow(name, str(DIMENSION_LABELS.get(name, name)), tally.mean if tally else None,
                                 tally.count if tally else 0, before.mean if before else None))
    return rows


def _staff_rows(cells, members: list[StaffMember], months: set[str], scope: Scope, min_count: int
                ) -> list[StaffRow]:
    # One pass over the cells adding up what the table shows (answers, behaviour tally) per person:
    # merging whole summaries per person was most of a hundred-branch dashboard's time.
    responses: dict[str, int] = {}
    behaviour: dict[str, Tally] = {}
    for key, summary in cells:
        # Flagged responses (a suspected burst aimed at one person) never count towards staff figures.
        if not key.staff or key.flagged or key.month not in months or not scope.keeps(key):
            continue
        responses[key.staff] = responses.get(key.staff, 0) + summary.responses
        tally = behaviour.setdefault(key.staff, Tally())
        for name in STAFF_DIMENSIONS:
            if name in summary.dimensions:
                tally.merge(summary.dimensions[name])
    return _rows(members, responses, behaviour, min_count)


def _staff_rows_of_rollups(rollups: Rollups, members: list[StaffMember], months: set[str], min_count: int
                           ) -> list[StaffRow]:
    """The staff table of an unfiltered scope, from each branch-month's per-person roll-up."""
    responses: dict[str, int] = {}
    behaviour: dict[str, Tally] = {}
    for (_slug, month), rollup in rollups.items():
        if month not in months:
            continue
        for staff, (count, tally) in rollup.staff.items():
            responses[staff] = responses.get(staff, 0) + count
            behaviour.setdefault(staff, Tally()).merge(tally)
    return _rows(members, responses, behaviour, min_count)


def _rows(members: list[StaffMember], responses: dict[str, int], behaviour: dict[str, Tally], min_count: int
          ) -> list[StaffRow]:
    rows = []
    for member in members:
        count, tally = responses.get(member.id, 0), behaviour.get(member.id, Tally())
        shown = enough(count, min_count) and enough(tally.count, min_count)
        rows.append(StaffRow(member, count, tally.share_high if shown else None,
                             tally.mean if shown else None, tally.count, shown))
    return sorted(rows, key=lambda r: (-r.count, r.member.display_name))


def _comment_rows(summary: ResponseSummary, names: dict[str, str], branch_tz: dict[str, str]) -> list[CommentRow]:
    rows = []
    for response in summary.comments[:LATEST_COMMENTS]:
        when = format_local(response.submitted_at, branch_tz.get(response.branch, "UTC"))
        rows.append(CommentRow(when, response.branch, names.get(response.staff, ""),
                               response.language, mask_contact_details(response.comment)))
    return rows


def _visit_summary(store, branches: Iterable[Branch], period: Period, staff: str | None = None):
    visits = counted_visits(store, {b.slug: b for b in branches}, period, staff=staff)
    rubric = default_rubric()
    summary = summarise_visits(visits, rubric)
    behaviours = [(b.id, b.title, summary.behaviour_mean(b.id), len(summary.behaviour_scores.get(b.id, [])))
                  for b in rubric.behaviours]
    return summary, behaviours


def _short(months: list[str]) -> list[str]:
    """``2026-03`` as ``03/26``: twelve labels must fit under a chart."""
    return [f"{m[5:7]}/{m[2:4]}" for m in months]


def _weekday_names() -> list[str]:
    return [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]


def _charts(summary: ResponseSummary, dimensions: list[DimensionRow], previous_label: str, months: list[str],
            counts: list[int], satisfaction: list[float | None], behaviours) -> dict[str, Markup]:
    result = {
        "dimensions": charts.bar_chart(
            [charts.Bar(r.label, r.mean, (r.previous,)) for r in dimensions],
            title=_("Score by dimension (1-5)"), compare_labels=[previous_label],
            empty_note=_("not enough feedback yet")),
        "trend_satisfaction": charts.line_chart(
            _short(months), [charts.Series(_("Satisfaction (%)"),
                                           tuple(None if v is None else 100 * v for v in satisfaction))],
            title=_("Satisfaction by month"), minimum=0, maximum=100, digits=0),
        "trend_responses": charts.line_chart(
            _short(months), [charts.Series(_("Responses"), tuple(float(c) for c in counts))],
            title=_("Responses by month"), minimum=0, maximum=max([*counts, 4]) * 1.15, digits=0),
        "heatmap": charts.heatmap(
            dict(summary.heatmap_counts), {c: t.share_high for c, t in summary.heatmap.items()},
            title=_("Responses by weekday and hour"), weekday_names=_weekday_names()),
    }
    if any(mean is not None for _id, _t, mean, _n in behaviours):
        result["behaviours"] = charts.bar_chart(
            [charts.Bar(title, None if mean is None else 100 * mean) for _id, title, mean, _n in behaviours],
            title=_("Mystery-shopper score by behaviour (%)"), maximum=100, digits=0,
            empty_note=_("no approved visits"))
    return result


def _today() -> date:
    return datetime.now(UTC).date()


def _trend_months(scope: Scope, today: date | None) -> list[str]:
    """Twelve months ending with the period's last month, or with this month: a month to come is never plotted."""
    last = period_of_kind("month", scope.period.end).shifted(-1)
    this_month = period_of_kind("month", (today or _today()).replace(day=1))
    if last.start > this_month.start:
        last = this_month
    return [p.label for p in last.last(TREND_MONTHS)]


def _trend(cells, scope: Scope, extra=lambda key: True, today: date | None = None
           ) -> tuple[list[str], list[int], list[float | None]]:
    months = _trend_months(scope, today)
    # One pass adding up only what the trend shows (a full merge a month was most of a large
    # dashboard's time).
    per_month = {month: ResponseSummary() for month in months}
    for key, summary in cells:
        target = per_month.get(key.month)
        if target is not None and scope.keeps(key) and extra(key):
            target.responses += summary.responses
            target.satisfaction.merge(summary.satisfaction)
    return months, [per_month[m].responses for m in months], [per_month[m].satisfaction_share for m in months]


def _trend_of_rollups(rollups: Rollups, scope: Scope, today: date | None
                      ) -> tuple[list[str], list[int], list[float | None]]:
    """The same trend for an unfiltered scope, from each branch-month's total."""
    months = _trend_months(scope, today)
    points = monthly_satisfaction_of(rollups, scope.branches, months)
    return months, [n for n, _tally in points], [tally.share_high for _n, tally in points]


def _previous_summary(store, branches, cells, period: Period, today: date, keeps) -> tuple[str, ResponseSummary]:
    """What a period is compared with: the period before, or only its same first days while this one runs."""
    comparison = comparison_window(period, today)
    if not comparison.partial:
        previous_months = set(months_of(period.previous()))
        return comparison.label, select(cells, lambda k: k.month in previous_months and keeps(k))
    partial = load_cells(store, branches, comparison.start, comparison.end)
    return comparison.label, select(partial, keeps)


def build_dashboard(store, scope: Scope, *, min_count: int = 5, today: date | None = None) -> Dashboard:
    """Every figure and chart of the dashboard for ``scope``."""
    today = today or _today()
    period = scope.period
    window_start = _window_start(period)
    months = set(months_of(period))
    slugs = {b.slug for b in scope.branches}
    everyone = store.directory.staff(include_inactive=True)
    if scope.unfiltered:
        # Every desk and channel: whole branch-month roll-ups, never the cells inside them.
        rollups = month_rollups(store, scope.branches, months_of(Period("window", "window", window_start, period.end)),
                                surveys_from_settings(store.directory.settings()))
        comparison = comparison_window(period, today)
        summary = window_total(store, scope.branches, period.start, period.end, rollups,
                               latest_comments=LATEST_COMMENTS)
        previous_label = comparison.label
        previous = window_total(store, scope.branches, comparison.start, comparison.end, rollups,
                                latest_comments=LATEST_COMMENTS, detail=False)
        trend_months, trend_counts, trend_satisfaction = _trend_of_rollups(rollups, scope, today)
        served = {staff for (_slug, month), r in rollups.items() if month in months for staff in r.staff}
        members = [m for m in everyone if m.branch in slugs or m.id in served]
        staff_rows = _staff_rows_of_rollups(rollups, members, months, min_count)
    else:
        cells = load_cells(store, scope.branches, window_start, period.end)
        summary = select(cells, lambda k: k.month in months and scope.keeps(k))
        previous_label, previous = _previous_summary(store, scope.branches, cells, period, today, scope.keeps)
        trend_months, trend_counts, trend_satisfaction = _trend(cells, scope, today=today)
        # Staff who served here in the period count here, even if they have since moved branch.
        served = {key.staff for key, _summary in cells if key.staff and key.month in months}
        members = [m for m in everyone if m.branch in slugs or m.id in served]
        staff_rows = _staff_rows(cells, members, months, scope, min_count)
    staff_rows = [r for r in staff_rows if r.member.active or r.count]
    dimensions = _dimension_rows(summary, previous)
    visits, behaviours = _visit_summary(store, scope.branches, period)
    names = {m.id: m.display_name for m in everyone}
    comments = _comment_rows(summary, names, {b.slug: b.timezone for b in scope.branches})
    board = Dashboard(scope, summary, previous_label, previous, dimensions, trend_months, trend_counts,
                      trend_satisfaction, staff_rows, visits, behaviours, comments)
    board.charts = _charts(summary, dimensions, previous_label, trend_months, trend_counts,
                           trend_satisfaction, behaviours)
    return board


@dataclass
class StaffPage:
    member: StaffMember
    branch: Branch
    period: Period
    summary: ResponseSummary  # flagged responses left out
    shown: bool
    dimensions: list[DimensionRow]
    branch_dimensions: dict[str, float | None]
    trend_months: list[str]
    trend_counts: list[int]
    trend_satisfaction: list[float | None]
    visits: VisitSummary
    behaviours: list[tuple[str, str, float | None, int]]
    comments: list[CommentRow]
    charts: dict[str, Markup] = field(default_factory=dict)
    evidence: StaffEvidence | None = None  # what may be said of the person, behaviour by behaviour


def build_staff_page(store, member: StaffMember, branch: Branch, period: Period, *, min_count: int = 5,
                     compare_min: int = 10, language: str = "en", today: date | None = None) -> StaffPage:
    """One staff member's figures for a period, beside their branch's; hidden below ``min_count``."""
    today = today or _today()
    scope = Scope((branch,), period)
    cells = load_cells(store, [branch], _window_start(period), period.end)
    months = set(months_of(period))

    def own(key) -> bool:
        return key.staff == member.id and not key.flagged

    summary = select(cells, lambda k: k.month in months and own(k))
    _label, previous = _previous_summary(store, [branch], cells, period, today, own)
    branch_summary = select(cells, lambda k: k.month in months)
    shown = enough(summary.responses, min_count)
    # A person is shown the behaviours they control, never the wait, opening hours or collections.
    dimensions = [r for r in _dimension_rows(summary, previous) if r.dimension in STAFF_DIMENSIONS] if shown else []
    trend_months, trend_counts, trend_satisfaction = _trend(cells, scope, own, today=today)
    # A month's share is shown only when it rests on enough responses, as on the dashboard.
    trend_satisfaction = [v if enough(n, min_count) else None
                          for v, n in zip(trend_satisfaction, trend_counts, strict=True)]
    visits, behaviours = _visit_summary(store, [branch], period, staff=member.id)
    comments = _comment_rows(summary, {member.id: member.display_name}, {branch.slug: branch.timezone})
    page = StaffPage(member, branch, period, summary, shown, dimensions,
                     {n: t.mean for n, t in branch_summary.dimensions.items()}, trend_months, trend_counts,
                     trend_satisfaction, visits, behaviours, comments,
                     evidence=staff_evidence(store, member.code, period, language=language, min_count=min_count,
                                             compare_min=compare_min))
    page.charts = {
        "trend_satisfaction": charts.line_chart(
            _short(trend_months), [charts.Series(_("Satisfaction (%)"),
                                         tuple(None if v is None else 100 * v for v in trend_satisfaction))],
            title=_("Satisfaction by month"), minimum=0, maximum=100, digits=0),
    }
    if shown:
        page.charts["dimensions"] = charts.bar_chart(
            [charts.Bar(r.label, r.mean, (page.branch_dimensions.get(r.dimension),)) for r in dimensions],
            title=_("Score by dimension (1-5)"), compare_labels=[_("Branch")])
    if any(mean is not None for _id, _t, mean, _n in behaviours):
        page.charts["behaviours"] = charts.bar_chart(
            [charts.Bar(title, None if mean is None else 100 * mean) for _id, title, mean, _n in behaviours],
            title=_("Mystery-shopper score by behaviour (%)"), maximum=100, digits=0,
            empty_note=_("no approved visits"))
    return page


def responses_in_scope(store, scope: Scope) -> list:
    """The stored responses a scope selects, in export order (branch by branch, oldest first)."""
    found = []
    for branch in sorted(scope.branches, key=lambda b: b.slug):
        lo, hi = scope.period.utc_bounds(branch.timezone)
        found.extend(r for r in store.responses.in_period(branch.slug, lo, hi)
                     if (scope.desk is None or r.desk == scope.desk)
                     and (scope.channel is None or r.channel == scope.channel))
    return found


def visits_in_scope(store, scope: Scope) -> list:
    """Visits to the scope's branches within its period, oldest first (desk and channel do not apply)."""
    bounds = {b.slug: scope.period.utc_bounds(b.timezone) for b in scope.branches}
    found = [v for v in store.visits.all()
             if v.branch in bounds and bounds[v.branch][0] <= parse_utc(v.visited_at) < bounds[v.branch][1]]
    return sorted(found, key=lambda v: (v.visited_at, v.id))
