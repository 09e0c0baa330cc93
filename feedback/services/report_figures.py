"""The figures branch and board documents share: tiles with their n and change, a year of months,
outcomes by reason for visit, follow-up service level, visit coverage and comment themes.

Each is computed for any set of branches (one for a branch report, all for
the system's), from the same monthly cells the dashboard reads
(``coaching`` keeps them per branch-month while their files are unchanged),
so a figure means the same on screen and on paper. A figure resting on fewer
than ``min_count`` answers is ``None``; its n is always kept, so a document can
say how many answers there were.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import pgettext

from ..evidence.cells import counted, month_rollups, monthly_satisfaction_of, period_cells, select
from ..evidence.comments import quote, response_mood, themes_of
from ..evidence.visits import counted_visits
from ..model import Branch, Response, Visit, parse_utc
from .aggregate import ResponseSummary, Tally, enough, summarise_visits
from .monthly_cells import merge_summaries
from .periods import Period, period_of_kind
from .report_labels import theme_label
from .rubric import default_rubric
from .scenarios import default_scenarios
from .surveys import Survey

__all__ = [
    "Tile",
    "MonthPoint",
    "OutcomeRow",
    "FollowUpLevel",
    "Coverage",
    "ThemeLine",
    "PeriodFigures",
    "SystemComparison",
    "period_figures",
    "merged_figures",
    "system_comparison",
    "period_summary",
    "headline_tiles",
    "months_of_year_to",
    "monthly_satisfaction",
    "outcome_rows",
    "follow_up_level",
    "visit_coverage",
    "theme_lines",
]

QUOTES_PER_THEME = 2


@dataclass
class Tile:
    """A headline figure with its n, and the same figure a period earlier and a year earlier."""

    key: str  # responses | satisfaction | nps | found | visit_score | followups
    label: str
    kind: str  # count | share (0..1, changes in points) | nps (-100..100)
    value: float | None
    n: int
    previous: float | None = None
    last_year: float | None = None

    @staticmethod
    def _change(now: float | None, then: float | None, kind: str) -> float | None:
        if now is None or then is None:
            return None
        return 100 * (now - then) if kind == "share" else now - then

    @property
    def change_previous(self) -> float | None:
        """Points (shares), NPS points, or responses."""
        return self._change(self.value, self.previous, self.kind)

    @property
    def change_last_year(self) -> float | None:
        return self._change(self.value, self.last_year, self.kind)


@dataclass
class MonthPoint:
    month: str  # YYYY-MM
    satisfaction: float | None  # 0..1, None under min_count
    n: int  # smiley answers


@dataclass
class OutcomeRow:
    reason: str  # choice id, "" for all guests
    label: str
    share: float | None  # share who found what they came for
    n: int


@dataclass
class FollowUpLevel:
    """Guests who asked to be contacted in the period, and how soon they heard back."""

    asked: int
    answered: int
    within: int  # answered within ``target_days``
    target_days: int
    owed: int
    overdue: int  # still owed and older than ``target_days``
    oldest_owed_days: int | None
    median_days: float | None

    @property
    def share_within(self) -> float | None:
        return self.within / self.asked if self.asked else None


@dataclass
class Coverage:
    """The mystery-shopper programme: visits planned against done, and which scenarios were tested."""

    planned: int
    done: int
    approved: int
    scenarios_tested: list[str]
    scenarios_total: int
    channels: list[str]


@dataclass
class ThemeLine:
    theme: str
    label: str
    comments: int
    previous: int
    suggestions: int
    quotes: list[str] = field(default_factory=list)


@dataclass
class PeriodFigures:
    """One set of branches over a period, the period before and the same period a year earlier."""

    summary: ResponseSummary
    previous: ResponseSummary
    last_year: ResponseSummary
    visits: list[Visit]
    previous_visits: list[Visit]
    last_year_visits: list[Visit]


def period_summary(store, branches: list[Branch], period: Period, surveys) -> ResponseSummary:
    """The counted answers of ``branches`` (a suspected burst is left out, as in the evidence layer)."""
    return merge_summaries(select(period_cells(store, b, period, surveys), counted) for b in branches)


def _visits(store, branches: list[Branch], period: Period) -> list[Visit]:
    return counted_visits(store, {b.slug: b for b in branches}, period)


def year_earlier(period: Period) -> Period:
    return period.shifted({"month": -12, "quarter": -4, "year": -1}[period.kind])


def period_figures(store, branches: list[Branch], period: Period, surveys) -> PeriodFigures:
    before, year = period.previous(), year_earlier(period)
    return PeriodFigures(
        period_summary(store, branches, period, surveys), period_summary(store, branches, before, surveys),
        period_summary(store, branches, year, surveys), _visits(store, branches, period),
        _visits(store, branches, before), _visits(store, branches, year),
    )


def merged_figures(store, branches: list[Branch], period: Period, parts: list[PeriodFigures]) -> PeriodFigures:
    """``period_figures`` of ``branches`` from each branch's own (``parts``, in the same order): the same
    merges, so the same figures, without reading every branch's months a second time."""
    before, year = period.previous(), year_earlier(period)
    return PeriodFigures(
        merge_summaries(p.summary for p in parts), merge_summaries(p.previous for p in parts),
        merge_summaries(p.last_year for p in parts), _visits(store, branches, period),
        _visits(store, branches, before), _visits(store, branches, year),
    )


# -- tiles --------------------------------------------------------------------------------------------
def _satisfaction(s: ResponseSummary, min_count: int) -> float | None:
    return s.satisfaction_share if enough(s.responses, min_count) and s.satisfaction.count else None


def _nps(s: ResponseSummary, min_count: int) -> float | None:
    return s.nps if enough(s.nps_answers, min_count) else None


def _found(s: ResponseSummary, min_count: int) -> float | None:
    share, n = s.outcome_share()
    return share if enough(n, min_count) else None


def _visit_score(visits: list[Visit]) -> float | None:
    return summarise_visits(visits, default_rubric()).mean_score


def headline_tiles(f: PeriodFigures, followups: FollowUpLevel, min_count: int, *, partial: bool = False
                   ) -> list[Tile]:
    """Responses, satisfaction, NPS, found what they came for, mystery-shopper score, follow-ups in time.

    While the period runs (``partial``) a count is not compared with whole periods: shares are, counts not.
    """
    s, p, y = f.summary, f.previous, f.last_year

    def count(x: ResponseSummary) -> float | None:
        return float(x.responses) if x.responses and not partial else None

    tiles = [
        Tile("responses", pgettext("report", "Guest responses"), "count", float(s.responses), s.responses,
             count(p), count(y)),
        Tile("satisfaction", _("Satisfied (4 or 5 of 5)"), "share", _satisfaction(s, min_count),
             s.satisfaction.count, _satisfaction(p, min_count), _satisfaction(y, min_count)),
        Tile("nps", pgettext("report", "Net promoter score"), "nps", _nps(s, min_count), s.nps_answers,
             _nps(p, min_count), _nps(y, min_count)),
        Tile("found", _("Found what they came for"), "share", _found(s, min_count), s.outcome_share()[1],
             _found(p, min_count), _found(y, min_count)),
        Tile("visit_score", pgettext("report", "Mystery-shopper score"), "share", _visit_score(f.visits), len(f.visits),
             _visit_score(f.previous_visits), _visit_score(f.last_year_visits)),
        Tile("followups", _("Follow-ups answered within %(days)d days", days=followups.target_days),
             "share", followups.share_within if followups.asked else None, followups.asked),
    ]
    return tiles


# -- a year of months ---------------------------------------------------------------------------------
def months_of_year_to(period: Period) -> Period:
    """The twelve months ending with the last month of ``period``."""
    last = period_of_kind("month", period.end - timedelta(days=1))
    return period_of_kind("year", last.shifted(-11).start)


def monthly_satisfaction(store, branches: list[Branch], period: Period, surveys, min_count: int
                         ) -> list[MonthPoint]:
    """Satisfaction month by month over the twelve months ending with ``period``.

    Summed from the monthly cells' own tallies (a cell is one month), without merging whole summaries.
    """
    year = months_of_year_to(period)
    tallies = {month: Tally() for month in year.months()}
    responses = dict.fromkeys(tallies, 0)
    for branch in branches:
        for key, summary in period_cells(store, branch, year, surveys):
            if key.month in tallies and counted(key):
                tally = tallies[key.month]
                tally.count += summary.satisfaction.count
                tally.total += summary.satisfaction.total
                tally.high += summary.satisfaction.high
                responses[key.month] += summary.responses
    return [MonthPoint(month, t.share_high if enough(responses[month], min_count) else None, t.count)
            for month, t in tallies.items()]


# -- what a branch is compared with --------------------------------------------------------------------
@dataclass(frozen=True)
class SystemComparison:
    """Every branch together, as a branch report compares with it: the period's answers and a year of months.

    The same for every branch report of a period, and at a hundred branches
    most of one report's cost: a batch computes it once and hands it to each
    report (``build_branch_report(system=...)``); a single report computes its own.
    ``summary`` holds figures only (no comments: no branch report quotes the system).
    """

    period: Period
    min_count: int
    summary: ResponseSummary
    months: list[MonthPoint]


def system_comparison(store, branches: list[Branch], period: Period, surveys, min_count: int) -> SystemComparison:
    """The whole system's figures, from each branch-month's roll-up (kept on disk once a month is over).

    The same figures as :func:`period_summary` and :func:`monthly_satisfaction`:
    a roll-up merges every cell of its month, and a held answer's cell adds to
    nothing but ``flagged``, which the counted answers leave at 0. A web
    worker's first branch report of a hundred-branch system reads a small file
    a branch-month instead of a year of answers.
    """
    year = months_of_year_to(period)
    months = list(dict.fromkeys([*year.months(), *period.months()]))
    rollups = month_rollups(store, branches, months, surveys)
    in_period = set(period.months())
    summary = merge_summaries((r.figures for (_slug, month), r in rollups.items() if month in in_period),
                              latest_comments=0)
    summary.flagged = 0  # counted answers only, as period_summary gives them
    points = [MonthPoint(month, tally.share_high if enough(responses, min_count) else None, tally.count)
              for month, (responses, tally) in zip(year.months(),
                                                   monthly_satisfaction_of(rollups, branches, year.months()),
                                                   strict=True)]
    return SystemComparison(period, min_count, summary, points)


# -- outcomes -----------------------------------------------------------------------------------------
def _reason_question(surveys: dict[str, Survey]):
    for survey in surveys.values():
        for question in survey.questions:
            if question.type == "choice":
                return question
    return None


def outcome_rows(summary: ResponseSummary, surveys: dict[str, Survey], language: str, min_count: int
                 ) -> list[OutcomeRow]:
    """Found what they came for: all guests first, then by what brought them in (choice order)."""
    share, n = summary.outcome_share()
    rows = [OutcomeRow("", _("All guests who answered"), share if enough(n, min_count) else None, n)]
    question = _reason_question(surveys)
    if question is not None:
        for choice in question.choices:
            share, n = summary.outcome_share(choice.id)
            rows.append(OutcomeRow(choice.id, choice.label(language), share if enough(n, min_count) else None, n))
    return rows


# -- follow-ups ---------------------------------------------------------------------------------------
def follow_up_level(store, branches: list[Branch], period: Period, now: datetime, target_days: int
                    ) -> FollowUpLevel:
    asked, answered, within, owed, overdue, waits, oldest = 0, 0, 0, 0, 0, [], None
    for branch in branches:
        lo, hi = period.utc_bounds(branch.timezone)
        for f in store.followups.for_branch(branch.slug):
            created = parse_utc(f.created_at)
            if not lo <= created < hi:
                continue
            asked += 1
            if f.status == "done" and f.done_at:
                answered += 1
                days = (parse_utc(f.done_at) - created).total_seconds() / 86400
                waits.append(days)
                within += days <= target_days
            else:
                owed += 1
                age = (now - created).days
                overdue += age > target_days
                oldest = age if oldest is None else max(oldest, age)
    return FollowUpLevel(asked, answered, within, target_days, owed, overdue, oldest,
                         statistics.median(waits) if waits else None)


# -- mystery-shopper coverage -------------------------------------------------------------------------
def visit_coverage(store, branches: list[Branch], period: Period, visits: list[Visit]) -> Coverage:
    """Assignments whose window starts in the period against visits done; scenarios the approved ones tested."""
    slugs = [b.slug for b in branches]
    start, end = period.start.isoformat(), period.end.isoformat()
    planned = [a for a in store.assignments.matching(branches=slugs)
               if start <= a.window_start < end and a.status != "cancelled"]
    scenarios = default_scenarios()
    tested = sorted({scenarios[v.scenario].title if v.scenario in scenarios else v.scenario for v in visits})
    channels = sorted({v.channel for v in visits})
    return Coverage(len(planned), sum(a.status == "done" for a in planned), len(visits), tested, len(scenarios),
                    channels)


# -- comment themes -----------------------------------------------------------------------------------
def theme_lines(comments: list[Response], previous: list[Response], surveys, timezone: str) -> list[ThemeLine]:
    """Themes by how many comments touch them (whole words, per language: the evidence layer's matching),
    with the count a period earlier and two of the most written quotes.

    Only the quotes printed are masked and clipped: counting needs the themes alone.
    """
    before: dict[str, int] = {}
    for r in previous:
        if r.comment.strip():
            for theme in themes_of(r.comment, r.language):
                before[theme] = before.get(theme, 0) + 1
    by_theme: dict[str, list[Response]] = {}
    for r in comments:
        if r.comment.strip():
            for theme in themes_of(r.comment, r.language):
                by_theme.setdefault(theme, []).append(r)
    lines = []
    for theme, items in by_theme.items():
        suggestions = sum(1 for r in items if (mood := response_mood(r, surveys)) is not None and mood < 4)
        # The most written words first: count repeats on the raw text, then quote the top ones.
        repeats: dict[str, list[Response]] = {}
        for r in items:
            repeats.setdefault(" ".join(r.comment.split()).casefold(), []).append(r)
        top = sorted(repeats.values(), key=lambda rs: (-len(rs), -max(parse_utc(x.submitted_at).timestamp()
                                                                       for x in rs)))[:QUOTES_PER_THEME]
        quotes = [quote(rs[0], surveys, timezone).text for rs in top]
        lines.append(ThemeLine(theme, theme_label(theme), len(items), before.get(theme, 0), suggestions, quotes))
    return sorted(lines, key=lambda t: (-t.comments, t.label))
