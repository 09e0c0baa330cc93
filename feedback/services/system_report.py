"""The system report: the board's document, as plain data.

What the board decides on: an executive summary (the same rules as a
branch's findings, over the whole system), each branch's headline figures
with n and change, a year of months, outcomes, the themes guests write about
with quotes, follow-up service levels, the shopper programme's coverage, and
"you said, we did": what branches recorded doing about what guests said.
No staff member is named or counted in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from flask_babel import gettext as _
from flask_babel import pgettext
from markupsafe import Markup

from .. import charts
from ..model import Branch
from .aggregate import enough
from .branch_report import DimensionScore, Finding, choose_findings, year_line
from .coaching import _asked_dimensions
from .period_names import partial_days, period_name
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
    merged_figures,
    monthly_satisfaction,
    outcome_rows,
    period_figures,
    theme_lines,
    visit_coverage,
)
from .report_labels import dimension_label
from .surveys import DIMENSION_LABELS, surveys_from_settings

__all__ = ["BranchLine", "SaidDone", "SystemReport", "build_system_report", "said_and_done"]

MAX_BRANCH_LINES = 4  # more lines than this on one chart stop being readable: the table has every branch


@dataclass
class BranchLine:
    branch: Branch
    tiles: list[Tile]
    followups: FollowUpLevel
    coverage: Coverage

    def tile(self, key: str) -> Tile:
        return next(t for t in self.tiles if t.key == key)


@dataclass
class SaidDone:
    """One "you said, we did" entry: what guests said, what the branch did, when."""

    branch: str
    said: str
    done: str
    when: str


@dataclass
class SystemReport:
    period: Period
    period_name: str
    generated_on: date
    min_count: int
    partial: tuple[int, int] | None
    tiles: list[Tile]
    findings: list[Finding]
    branches: list[BranchLine]
    months: list[MonthPoint]
    outcomes: list[OutcomeRow]
    themes: list[ThemeLine]
    followups: FollowUpLevel
    coverage: Coverage
    said_done: list[SaidDone]
    responses: int
    visits: int
    charts: dict[str, Markup] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.responses and not self.visits


def said_and_done(store, branches: list[Branch], period: Period) -> list[SaidDone]:
    """The actions branches recorded against what guests said, in the period.

    HOOK: fed by the branch's "you said, we did" log once the store has one
    (``store.you_said_we_did.for_branch(slug)``, entries with ``said``,
    ``done`` and ``when`` as an ISO date); until then nothing is recorded
    and the report says so in one sentence.
    """
    log = getattr(store, "you_said_we_did", None)
    if log is None:
        return []
    start, end = period.start.isoformat(), period.end.isoformat()
    return [SaidDone(branch.name, entry.said, entry.done, entry.when)
            for branch in branches for entry in log.for_branch(branch.slug)
            if start <= str(entry.when)[:10] < end]


def build_system_report(store, period: Period, *, min_count: int = 5, language: str = "en",
                        today: date | None = None, followup_days: int = 3, now: datetime | None = None,
                        system: SystemComparison | None = None) -> SystemReport:
    """Every active branch and the system as a whole for ``period``.

    ``system``: the year of months already computed for a batch (``report_figures.system_comparison``).
    """
    now = now or datetime.now(UTC)
    today = today or now.date()
    surveys = surveys_from_settings(store.directory.settings())
    branches = store.directory.branches()
    # Each branch's months are read once: the system's figures are the merge of the branches' own.
    per_branch = [period_figures(store, [branch], period, surveys) for branch in branches]
    total = merged_figures(store, branches, period, per_branch)
    followups = follow_up_level(store, branches, period, now, followup_days)
    running = partial_days(period, today) is not None
    lines = []
    for branch, figures in zip(branches, per_branch, strict=True):
        level = follow_up_level(store, [branch], period, now, followup_days)
        lines.append(BranchLine(branch, headline_tiles(figures, level, min_count, partial=running), level,
                                visit_coverage(store, [branch], period, figures.visits)))
    tiles = headline_tiles(total, followups, min_count, partial=running)
    dimensions = []
    for d in _asked_dimensions(surveys, DIMENSION_LABELS):
        tally = total.summary.dimensions.get(d)
        n = tally.count if tally else 0
        dimensions.append(DimensionScore(d, dimension_label(d),
                                         tally.mean if tally and enough(n, min_count) else None, n,
                                         charts.score_interval(tally.mean if tally else None, n), None))
    outcomes = outcome_rows(total.summary, surveys, language, min_count)
    themes = theme_lines(total.summary.comments, total.previous.comments, surveys,
                         branches[0].timezone if branches else "UTC")
    if system is not None and (system.period, system.min_count) != (period, min_count):
        raise ValueError(f"system figures of {system.period.label} given for a report of {period.label}")
    months = system.months if system is not None else monthly_satisfaction(store, branches, period, surveys,
                                                                           min_count)
    report = SystemReport(
        period=period, period_name=period_name(period), generated_on=today, min_count=min_count,
        partial=partial_days(period, today), tiles=tiles,
        findings=choose_findings(tiles, dimensions, outcomes, themes, followups), branches=lines, months=months,
        outcomes=outcomes, themes=themes, followups=followups,
        coverage=visit_coverage(store, branches, period, total.visits),
        said_done=said_and_done(store, branches, period), responses=total.summary.responses,
        visits=len(total.visits),
    )
    series = [(pgettext("report", "All branches"), months, "subject")]
    if len(branches) <= MAX_BRANCH_LINES:
        roles = ("branch", "system", "earlier", None)
        series += [(b.name, monthly_satisfaction(store, [b], period, surveys, min_count), roles[i])
                   for i, b in enumerate(branches)]
    report.charts = {
        "year": year_line(months, series, title=_("Satisfied guests by month, last 12 months"),
                          caption=_("Share of answers 4 or 5 of 5 each month; a gap is a month with fewer than "
                                    "%(n)d answers.", n=min_count)),
        "satisfaction": charts.bar_chart(
            [charts.Bar(line.branch.name, None if line.tile("satisfaction").value is None
                        else 100 * line.tile("satisfaction").value, n=line.tile("satisfaction").n)
             for line in lines], title=_("Satisfied guests by branch"), maximum=100, digits=0, unit="%",
            caption=_("Share of answers 4 or 5 of 5 in %(period)s; n is the number of answers.",
                      period=report.period_name), empty_note=_("fewer than %(n)d answers", n=min_count)),
        "outcomes": charts.bar_chart(
            [charts.Bar(o.label, None if o.share is None else 100 * o.share, n=o.n) for o in outcomes],
            title=_("Found what they came for, by reason for visit"), maximum=100, digits=0, unit="%",
            caption=_("Share answering yes to “Did you find what you came for?”, by their answer to "
                      "“What brought you in today?”."), empty_note=_("fewer than %(n)d answers", n=min_count)),
    }
    return report
