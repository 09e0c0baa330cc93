"""What a staff member's coaching report says, as plain data (the branch and board reports have their own modules).

The figures are those of the dashboard (``aggregate`` definitions, merged from
``monthly_cells``), so a number means the same on screen and on paper. What a
report may say *about a person* (strengths, focus areas, goals, which comments
are theirs) comes from the evidence layer (``feedback.evidence``), never from
ranking a person's own scores.

Everything a guest or shopper wrote stays plain text here; templates escape it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from .. import charts
from ..evidence.cells import everything, of_staff, period_cells, select
from ..evidence.comments import Comment, classify_comment
from ..evidence.staff import EvidenceNotFound, Label, StaffEvidence, staff_evidence
from ..evidence.tips import tips_for
from ..evidence.visits import counted_visits
from ..model import Branch, StaffMember
from .aggregate import ResponseSummary, enough, summarise_visits
from .monthly_cells import merge_summaries
from .periods import Period
from .rubric import default_rubric
from .scenarios import default_scenarios
from .surveys import DIMENSION_LABELS, Survey, all_definitions, surveys_from_settings

__all__ = [
    "ReportNotFound",
    "Comment",
    "Headline",
    "DimensionLine",
    "CommentGroup",
    "VisitBrief",
    "StaffReport",
    "DIMENSION_LABELS",
    "build_staff_report",
    "classify_comment",
    "tips_for",
]

TREND_PERIODS = 4
REVIEW_AFTER_DAYS = 42

ACCURACY_LABELS = {
    "correct": _l("correct"), "partly_correct": _l("partly correct"), "incorrect": _l("incorrect"),
    "referred": _l("referred elsewhere"),
}
CHANNEL_LABELS = {"in_person": _l("in person"), "phone": _l("phone"), "chat": _l("chat"), "email": _l("e-mail")}

ReportNotFound = EvidenceNotFound  # one error for "no such staff member or branch", wherever it is raised


# -- shared pieces ---------------------------------------------------------------------------
@dataclass
class Headline:
    """The summary box: guest responses, satisfaction, NPS, mystery-shopper visits and score."""

    responses: int
    satisfaction: float | None  # share 0..1, None when resting on too few responses
    nps: float | None
    visits: int
    visit_score: float | None  # share 0..1 of rubric points, approved visits only


@dataclass
class DimensionLine:
    dimension: str
    label: str
    score: float | None  # mean 1-5; None: "not enough feedback yet"
    count: int
    branch: float | None
    system: float | None
    trend: tuple[float | None, ...] = ()


@dataclass
class CommentGroup:
    praise: list[Comment]
    suggestions: list[Comment]


@dataclass
class VisitBrief:
    when: str
    channel: str
    scenario: str
    score: float | None
    observed: list[str]
    partly: list[str]
    missed: list[str]
    critical_missed: list[str]
    accuracy: str


def _mean_if_enough(summary: ResponseSummary, dimension: str, min_count: int) -> float | None:
    tally = summary.dimensions.get(dimension)
    return tally.mean if tally is not None and enough(tally.count, min_count) else None


def _asked_dimensions(surveys: dict[str, Survey], dimensions: Iterable[str]) -> list[str]:
    """The dimensions some survey asks guests about, in their standard order."""
    asked = {q.dimension for s in all_definitions(surveys) for q in s.questions if q.dimension}
    return [d for d in dimensions if d in asked]


def _system_summary(store, branches: list[Branch], period: Period, surveys) -> ResponseSummary:
    return merge_summaries(select(period_cells(store, b, period, surveys), everything) for b in branches)


# -- staff report ----------------------------------------------------------------------------
@dataclass
class StaffReport:
    """A person's coaching report: behaviours only, every label from the evidence layer."""

    member: StaffMember
    branch: Branch
    period: Period
    generated_on: date
    review_on: date
    min_count: int
    language: str
    headline: Headline  # nps is always None: a person does not control whether guests recommend the library
    dimensions: list[DimensionLine]
    trend_labels: list[str]
    evidence: StaffEvidence
    comments: CommentGroup
    visits: list[VisitBrief]
    charts: dict[str, Markup] = field(default_factory=dict)

    @property
    def strengths(self) -> list[Label]:
        return self.evidence.sheet_strengths

    @property
    def focus_areas(self) -> list[Label]:
        return self.evidence.sheet_focus

    @property
    def has_dimension_figures(self) -> bool:
        return any(line.score is not None for line in self.dimensions)


def _visit_briefs(evidence: StaffEvidence) -> list[VisitBrief]:
    scenarios = default_scenarios()
    briefs = []
    for card in evidence.visits:
        scenario = scenarios.get(card.scenario)
        briefs.append(VisitBrief(
            when=card.when, channel=str(CHANNEL_LABELS.get(card.channel, card.channel)),
            scenario=scenario.title if scenario else card.scenario, score=card.score,
            observed=card.observed, partly=card.partly, missed=card.missed, critical_missed=card.critical_missed,
            accuracy=str(ACCURACY_LABELS.get(card.accuracy or "", card.accuracy or _("not judged"))),
        ))
    return briefs


def _behaviour_share(summary: ResponseSummary, min_count: int) -> float | None:
    tally = summary.behaviour_tally()
    return tally.share_high if enough(tally.count, min_count) else None


def build_staff_report(store, code: str, period: Period, *, min_count: int = 5, language: str = "en",
                       today: date | None = None, compare_min: int = 10, with_system: bool = True) -> StaffReport:
    """A staff member's coaching report for ``period``: their evidence, beside their branch and the system.

    ``with_system=False`` leaves the system's figure out (``DimensionLine.system`` is None): the
    coaching PDF prints none, and at a hundred branches it is most of a report's cost.
    """
    evidence = staff_evidence(store, code, period, language=language, min_count=min_count, compare_min=compare_min)
    member, branch = evidence.member, evidence.branch
    surveys = surveys_from_settings(store.directory.settings())
    own = of_staff(member.id)
    cells = period_cells(store, branch, period, surveys)
    summary = select(cells, own)
    system_summary = (_system_summary(store, store.directory.branches(), period, surveys) if with_system
                      else ResponseSummary())
    trend_periods = period.last(TREND_PERIODS)
    trend_summaries = [summary if p == period else select(period_cells(store, branch, p, surveys), own)
                       for p in trend_periods]
    lines = []
    for item in evidence.behaviours:
        if item.guest is None:
            continue
        dimension = item.id
        lines.append(DimensionLine(
            dimension, item.label, item.guest.mean, item.guest.n, item.guest.reference,
            _mean_if_enough(system_summary, dimension, min_count),
            tuple(_mean_if_enough(s, dimension, min_count) for s in trend_summaries),
        ))
    visits = counted_visits(store, {branch.slug: branch}, period, staff=member.id)
    visit_summary = summarise_visits(visits, default_rubric())
    today = today or datetime.now(UTC).date()
    report = StaffReport(
        member=member, branch=branch, period=period, generated_on=today,
        review_on=today + timedelta(days=REVIEW_AFTER_DAYS), min_count=min_count, language=language,
        headline=Headline(evidence.responses, _behaviour_share(summary, min_count), None,
                          visit_summary.visits, visit_summary.mean_score),
        dimensions=lines, trend_labels=[p.label for p in trend_periods], evidence=evidence,
        comments=CommentGroup(evidence.praise, evidence.suggestions), visits=_visit_briefs(evidence),
    )
    report.charts = _dimension_charts(lines, report.trend_labels, _("This person"))
    return report


def _dimension_charts(lines: list[DimensionLine], trend_labels: list[str], subject: str) -> dict[str, Markup]:
    """The bar chart (beside branch and system) and the line chart (last four periods) of dimensions."""
    compare = [_("Branch"), _("System")] if any(line.branch is not None for line in lines) else [_("System")]
    bars = [charts.Bar(line.label, line.score,
                       (line.branch, line.system) if len(compare) == 2 else (line.system,)) for line in lines]
    result = {
        "dimensions": charts.bar_chart(bars, title=_("%(who)s: score by dimension (1-5)", who=subject),
                                       compare_labels=compare, empty_note=_("not enough feedback yet")),
    }
    series = [charts.Series(line.label, line.trend) for line in lines if any(v is not None for v in line.trend)]
    if series:
        result["trend"] = charts.line_chart(trend_labels, series[:4],
                                            title=_("Score by dimension over the last four periods"))
    return result
