"""What the PDF coaching reports say, as plain data: staff, branch and system reports.

The figures are those of the dashboard (``aggregate`` definitions, merged from
``monthly_cells``), so a number means the same on screen and on paper. A
report compares one staff member with the branch and the whole system; to
keep a staff report's cost independent of how many responses *other*
branches hold, each branch-month's cells are kept in this process while the
stamp of its response files (``store.response_stamps``) is unchanged. The
coaching words (what good looks like, tips) come from ``reports/tips.json``.

Everything a guest or shopper wrote stays plain text here; templates escape it.
"""

from __future__ import annotations

import json
import statistics
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from .. import charts
from ..config import PROJECT_ROOT
from ..model import Branch, Response, StaffMember, Visit, parse_utc
from .aggregate import ResponseSummary, enough, summarise_visits
from .counted_visits import counted_visits
from .monthly_cells import CellKey, cells_from_responses, merge_summaries, summary_from_doc
from .periods import Period, period_of_kind
from .privacy import mask_contact_details
from .rubric import default_rubric, score_visit
from .scenarios import default_scenarios
from .surveys import DIMENSION_LABELS, STAFF_DIMENSIONS, Survey, surveys_from_settings

__all__ = [
    "ReportNotFound",
    "Headline",
    "DimensionLine",
    "CoachingPoint",
    "CommentGroup",
    "VisitBrief",
    "StaffReport",
    "GroupRow",
    "ThemeRow",
    "FollowUpFigures",
    "BehaviourRow",
    "BranchReport",
    "SystemRow",
    "SystemReport",
    "DIMENSION_LABELS",
    "build_staff_report",
    "build_branch_report",
    "build_system_report",
    "classify_comment",
    "comment_themes",
    "tips_for",
]

TIPS_FILE = PROJECT_ROOT / "reports" / "tips.json"
THEMES_FILE = PROJECT_ROOT / "reports" / "comment_themes.json"
TREND_PERIODS = 4
STRENGTH_COUNT = 2
COMMENTS_PER_GROUP = 5
COMMENT_MAX_CHARS = 400
REVIEW_AFTER_DAYS = 42

ACCURACY_LABELS = {
    "correct": _l("correct"), "partly_correct": _l("partly correct"), "incorrect": _l("incorrect"),
    "referred": _l("referred elsewhere"),
}
CHANNEL_LABELS = {"in_person": _l("in person"), "phone": _l("phone"), "chat": _l("chat"), "email": _l("e-mail")}
THEME_LABELS = {
    "wait": _l("Waiting"), "friendliness": _l("Friendliness"), "help": _l("Help and answers"),
    "noise": _l("Noise"), "hours": _l("Opening hours"), "collections": _l("Collections"),
    "technology": _l("Technology"),
}


class ReportNotFound(LookupError):
    """No staff member or branch by that code or slug."""


# -- data files ----------------------------------------------------------------------
@cache
def _tips() -> dict:
    return json.loads(TIPS_FILE.read_text("utf-8"))


@cache
def _themes() -> dict[str, list[str]]:
    return {k: v for k, v in json.loads(THEMES_FILE.read_text("utf-8")).items() if not k.startswith("_")}


def tips_for(dimension: str, language: str) -> tuple[list[str], list[str]]:
    """What good looks like, and how to practise it, for ``dimension`` in ``language`` (else English)."""
    entry = _tips().get(dimension, {})

    def pick(kind: str) -> list[str]:
        texts = entry.get(kind, {})
        return list(texts.get(language) or texts.get("en") or [])

    return pick("behaviours"), pick("tips")


# -- cells, cached per branch-month while its files are unchanged ---------------------------
_CELL_CACHE_SIZE = 512
_cell_cache: OrderedDict[tuple, tuple[tuple, list]] = OrderedDict()
_cell_lock = threading.Lock()


def _month_period(month: str) -> Period:
    return period_of_kind("month", date.fromisoformat(f"{month}-01"))


def _branch_month_cells(store, branch: Branch, month: str, surveys: dict[str, Survey]
                        ) -> list[tuple[CellKey, ResponseSummary]]:
    """A branch's cells for one local month: stored responses plus figures kept after a purge."""
    lo, hi = _month_period(month).utc_bounds(branch.timezone)
    # A purge deletes response files as it keeps their cells, so the file stamp covers kept figures too.
    stamp = (store.response_stamps.of_period(branch.slug, lo, hi),
             tuple(sorted((s.id, s.version) for s in surveys.values())))
    key = (str(store.data_dir), branch.slug, branch.timezone, month)
    with _cell_lock:
        hit = _cell_cache.get(key)
        if hit and hit[0] == stamp:
            _cell_cache.move_to_end(key)
            return hit[1]
    found = list(cells_from_responses(store.responses.in_period(branch.slug, lo, hi), surveys,
                                      branch.timezone).items())
    for doc in store.aggregates.for_months([month], [branch.slug]):
        found.append((CellKey.from_doc(doc), summary_from_doc(doc["summary"])))
    with _cell_lock:
        _cell_cache[key] = (stamp, found)
        while len(_cell_cache) > _CELL_CACHE_SIZE:
            _cell_cache.popitem(last=False)
    return found


def _period_cells(store, branch: Branch, period: Period, surveys) -> list[tuple[CellKey, ResponseSummary]]:
    cells: list[tuple[CellKey, ResponseSummary]] = []
    for month in period.months():
        cells.extend(_branch_month_cells(store, branch, month, surveys))
    return cells


def _select(cells, keep: Callable[[CellKey], bool]) -> ResponseSummary:
    return merge_summaries(summary for key, summary in cells if keep(key))


def _staff_only(member_id: str) -> Callable[[CellKey], bool]:
    # Flagged responses (a suspected burst aimed at one person) never count towards staff figures.
    return lambda key: key.staff == member_id and not key.flagged


def _everything(key: CellKey) -> bool:
    return True


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
class CoachingPoint:
    """A strength or a focus area: the figure, the behaviours behind it, and tips."""

    dimension: str
    label: str
    score: float
    branch: float | None
    evidence: list[str]  # what shoppers saw: "Asked clarifying open questions: 1 of 3 visits"
    behaviours: list[str]  # what good looks like (tips library)
    tips: list[str]


@dataclass
class Comment:
    text: str
    guests: int  # how many guests wrote (nearly) these words
    latest: str  # local date of the latest


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


def _headline(summary: ResponseSummary, visits: list[Visit], min_count: int) -> Headline:
    shown = enough(summary.responses, min_count)
    visit_summary = summarise_visits(visits, default_rubric())
    return Headline(
        responses=summary.responses,
        satisfaction=summary.satisfaction_share if shown else None,
        nps=summary.nps if enough(summary.nps_answers, min_count) else None,
        visits=visit_summary.visits,
        visit_score=visit_summary.mean_score,
    )


def _mean_if_enough(summary: ResponseSummary, dimension: str, min_count: int) -> float | None:
    tally = summary.dimensions.get(dimension)
    return tally.mean if tally is not None and enough(tally.count, min_count) else None


def _asked_dimensions(surveys: dict[str, Survey], dimensions: Iterable[str]) -> list[str]:
    """The dimensions some survey asks guests about, in their standard order."""
    asked = {q.dimension for s in surveys.values() for q in s.questions if q.dimension}
    return [d for d in dimensions if d in asked]


def _response_mood(response: Response, surveys: dict[str, Survey]) -> float | None:
    """The guest's own mean smiley (1-5) on this response, or their 0-10 answer scaled to 1-5."""
    survey = surveys.get(response.survey)
    if survey is None:
        return None
    smileys, nps = [], None
    for question in survey.questions:
        value = response.answers.get(question.id)
        if not isinstance(value, int):
            continue
        if question.type == "smiley":
            smileys.append(value)
        elif question.type == "nps":
            nps = value
    if smileys:
        return sum(smileys) / len(smileys)
    if nps is not None:
        return 1 + 4 * nps / 10
    return None


def classify_comment(response: Response, surveys: dict[str, Survey]) -> str | None:
    """``praise`` when the guest's own scores average 4 or more, else ``suggestion``; None without scores.

    A guest who scored below 4 and wrote something was telling us what to do better.
    """
    mood = _response_mood(response, surveys)
    if mood is None:
        return None
    return "praise" if mood >= 4 else "suggestion"


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= COMMENT_MAX_CHARS else text[: COMMENT_MAX_CHARS - 1].rstrip() + "…"


def _top_comments(comments: Iterable[Response], surveys, timezone: str) -> CommentGroup:
    """The most often written praise and suggestions, contact details masked, repeats counted once."""
    tz = ZoneInfo(timezone)
    groups: dict[str, dict[str, list]] = {"praise": {}, "suggestion": {}}
    for response in comments:
        kind = classify_comment(response, surveys)
        if kind is None or not response.comment.strip():
            continue
        text = _clip(mask_contact_details(response.comment))
        when = f"{parse_utc(response.submitted_at).astimezone(tz):%Y-%m-%d}"
        entry = groups[kind].setdefault(text.casefold(), [text, 0, when])
        entry[1] += 1
        entry[2] = max(entry[2], when)

    def top(kind: str) -> list[Comment]:
        entries = sorted(groups[kind].values(), key=lambda e: e[0])
        entries.sort(key=lambda e: e[2], reverse=True)  # then the most recent
        entries.sort(key=lambda e: e[1], reverse=True)  # most often written first
        return [Comment(text, guests, latest) for text, guests, latest in entries[:COMMENTS_PER_GROUP]]

    return CommentGroup(top("praise"), top("suggestion"))


def _visits_in(store, branches: dict[str, Branch], period: Period, staff: str | None = None) -> list[Visit]:
    """Visits to ``branches`` that count (``counted_visits``) within ``period``, oldest first."""
    return counted_visits(store, branches=branches.values(), period=period, staff=staff)


def _visit_briefs(visits: list[Visit], timezone: str) -> list[VisitBrief]:
    rubric = default_rubric()
    scenarios = default_scenarios()
    tz = ZoneInfo(timezone)
    briefs = []
    for visit in visits:
        score = score_visit(rubric, visit.answers)
        texts = {item.id: item.text for item in rubric.items}
        by_answer: dict[str, list[str]] = {"yes": [], "partly": [], "no": []}
        for item in rubric.items:
            answer = visit.answers.get(item.id, "na")
            if answer in by_answer:
                by_answer[answer].append(item.text)
        scenario = scenarios.get(visit.scenario)
        briefs.append(VisitBrief(
            when=f"{parse_utc(visit.visited_at).astimezone(tz):%Y-%m-%d}",
            channel=str(CHANNEL_LABELS.get(visit.channel, visit.channel)),
            scenario=scenario.title if scenario else visit.scenario,
            score=score.overall,
            observed=by_answer["yes"], partly=by_answer["partly"], missed=by_answer["no"],
            critical_missed=[texts[i] for i in score.critical_misses],
            accuracy=str(ACCURACY_LABELS.get(visit.accuracy or "", visit.accuracy or _("not judged"))),
        ))
    return briefs


def _evidence(dimension: str, visits: list[Visit]) -> list[str]:
    """For each rubric item of the behaviour, in how many visits shoppers saw it."""
    behaviour = next((b for b in default_rubric().behaviours if b.id == dimension), None)
    if behaviour is None or not visits:
        return []
    lines = []
    for item in behaviour.items:
        answers = [v.answers.get(item.id, "na") for v in visits]
        judged = [a for a in answers if a in ("yes", "partly", "no")]
        if judged:
            lines.append(_("%(item)s: seen in %(yes)d of %(total)d visits", item=item.text,
                           yes=sum(a == "yes" for a in judged), total=len(judged)))
    return lines


def _system_summary(store, branches: list[Branch], period: Period, surveys) -> ResponseSummary:
    return merge_summaries(_select(_period_cells(store, b, period, surveys), _everything) for b in branches)


# -- staff report ----------------------------------------------------------------------------
@dataclass
class StaffReport:
    member: StaffMember
    branch: Branch
    period: Period
    generated_on: date
    review_on: date
    min_count: int
    language: str
    headline: Headline
    dimensions: list[DimensionLine]
    trend_labels: list[str]
    strengths: list[CoachingPoint]
    focus_areas: list[CoachingPoint]
    comments: CommentGroup
    visits: list[VisitBrief]
    charts: dict[str, Markup] = field(default_factory=dict)

    @property
    def has_dimension_figures(self) -> bool:
        return any(line.score is not None for line in self.dimensions)


def _coaching_point(line: DimensionLine, visits: list[Visit], language: str) -> CoachingPoint:
    behaviours, tips = tips_for(line.dimension, language)
    return CoachingPoint(line.dimension, line.label, line.score, line.branch, _evidence(line.dimension, visits),
                         behaviours, tips)


def strengths_and_focus(lines: list[DimensionLine], count: int = STRENGTH_COUNT
                        ) -> tuple[list[DimensionLine], list[DimensionLine]]:
    """The best and the weakest dimensions with a figure; never the same one in both.

    With one figure only, it is a strength: a report should not invent a
    weakness from a single number.
    """
    scored = [line for line in lines if line.score is not None]
    if len(scored) == 1:
        return scored, []
    take = min(count, len(scored) // 2)
    best_first = sorted(scored, key=lambda line: -line.score)  # stable: ties keep the standard order
    weakest_first = sorted(scored, key=lambda line: line.score)
    return best_first[:take], weakest_first[:take]


def build_staff_report(store, code: str, period: Period, *, min_count: int = 5, language: str = "en",
                       today: date | None = None) -> StaffReport:
    """A staff member's coaching report for ``period``, beside their branch and the whole system."""
    member = store.directory.staff_by_code(code)
    if member is None:
        raise ReportNotFound(f"no staff member with code {code!r}")
    branch = store.directory.branch(member.branch)
    if branch is None:
        raise ReportNotFound(f"no branch {member.branch!r}")
    surveys = surveys_from_settings(store.directory.settings())
    own = _staff_only(member.id)
    cells = _period_cells(store, branch, period, surveys)
    summary = _select(cells, own)
    branch_summary = _select(cells, _everything)
    system_summary = _system_summary(store, store.directory.branches(), period, surveys)
    trend_periods = period.last(TREND_PERIODS)
    trend_summaries = [summary if p == period else _select(_period_cells(store, branch, p, surveys), own)
                       for p in trend_periods]

    lines = []
    for dimension in _asked_dimensions(surveys, STAFF_DIMENSIONS):
        tally = summary.dimensions.get(dimension)
        lines.append(DimensionLine(
            dimension, str(DIMENSION_LABELS.get(dimension, dimension)),
            _mean_if_enough(summary, dimension, min_count), tally.count if tally else 0,
            _mean_if_enough(branch_summary, dimension, min_count),
            _mean_if_enough(system_summary, dimension, min_count),
            tuple(_mean_if_enough(s, dimension, min_count) for s in trend_summaries),
        ))
    visits = _visits_in(store, {branch.slug: branch}, period, staff=member.id)
    strong, weak = strengths_and_focus(lines)
    today = today or datetime.now(UTC).date()
    report = StaffReport(
        member=member, branch=branch, period=period, generated_on=today,
        review_on=today + timedelta(days=REVIEW_AFTER_DAYS), min_count=min_count, language=language,
        headline=_headline(summary, visits, min_count), dimensions=lines,
        trend_labels=[p.label for p in trend_periods],
        strengths=[_coaching_point(line, visits, language) for line in strong],
        focus_areas=[_coaching_point(line, visits, language) for line in weak],
        comments=_top_comments(summary.comments, surveys, branch.timezone),
        visits=_visit_briefs(visits, branch.timezone),
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


# -- branch report ---------------------------------------------------------------------------
@dataclass
class GroupRow:
    """A desk or a staff member within the branch."""

    label: str
    responses: int
    satisfaction: float | None
    nps: float | None
    mean: float | None
    visits: int = 0
    visit_score: float | None = None


@dataclass
class ThemeRow:
    label: str
    comments: int
    praise: int
    suggestions: int


@dataclass
class FollowUpFigures:
    """Guests who asked to be contacted during the period: how many are still owed a reply."""

    asked: int
    done: int
    owed: int
    oldest_owed_days: int | None
    median_days_to_reply: float | None


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
    generated_on: date
    min_count: int
    headline: Headline
    nps_counts: dict[str, int]
    dimensions: list[DimensionLine]
    trend_labels: list[str]
    desks: list[GroupRow]
    staff: list[GroupRow]
    themes: list[ThemeRow]
    followups: FollowUpFigures
    behaviours: list[BehaviourRow]
    accuracy: list[tuple[str, int]]
    comments: CommentGroup
    charts: dict[str, Markup] = field(default_factory=dict)


def comment_themes(comments: Iterable[Response], surveys) -> list[ThemeRow]:
    """How many comments touch each theme (word stems in ``reports/comment_themes.json``)."""
    counts: dict[str, Counter] = {theme: Counter() for theme in _themes()}
    for response in comments:
        text = response.comment.casefold()
        kind = classify_comment(response, surveys)
        for theme, stems in _themes().items():
            if any(stem in text for stem in stems):
                counts[theme]["all"] += 1
                counts[theme][kind or "neutral"] += 1
    rows = [ThemeRow(str(THEME_LABELS.get(t, t)), c["all"], c["praise"], c["suggestion"])
            for t, c in counts.items() if c["all"]]
    return sorted(rows, key=lambda r: (-r.comments, r.label))


def _group_row(label: str, summary: ResponseSummary, min_count: int, visits: list[Visit] = ()) -> GroupRow:
    shown = enough(summary.responses, min_count)
    visit_summary = summarise_visits(visits, default_rubric())
    return GroupRow(label, summary.responses, summary.satisfaction_share if shown else None,
                    summary.nps if shown and enough(summary.nps_answers, min_count) else None,
                    summary.satisfaction.mean if shown else None, visit_summary.visits, visit_summary.mean_score)


def _followup_figures(store, branch: Branch, period: Period, now: datetime) -> FollowUpFigures:
    lo, hi = period.utc_bounds(branch.timezone)
    asked = [f for f in store.followups.for_branch(branch.slug) if lo <= parse_utc(f.created_at) < hi]
    done = [f for f in asked if f.status == "done"]
    owed = [f for f in asked if f.status != "done"]
    waits = [(parse_utc(f.done_at) - parse_utc(f.created_at)).total_seconds() / 86400 for f in done if f.done_at]
    oldest = min((parse_utc(f.created_at) for f in owed), default=None)
    return FollowUpFigures(len(asked), len(done), len(owed),
                           None if oldest is None else (now - oldest).days,
                           statistics.median(waits) if waits else None)


def _weekday_names() -> list[str]:
    return [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]


def build_branch_report(store, slug: str, period: Period, *, min_count: int = 5, language: str = "en",
                        now: datetime | None = None) -> BranchReport:
    """A branch's report for ``period``: by desk and staff member, heatmap, NPS, themes, follow-ups, visits."""
    branch = store.directory.branch(slug)
    if branch is None:
        raise ReportNotFound(f"no branch {slug!r}")
    now = now or datetime.now(UTC)
    surveys = surveys_from_settings(store.directory.settings())
    cells = _period_cells(store, branch, period, surveys)
    summary = _select(cells, _everything)
    system_summary = _system_summary(store, store.directory.branches(), period, surveys)
    trend_periods = period.last(TREND_PERIODS)
    trend_summaries = [summary if p == period else _select(_period_cells(store, branch, p, surveys), _everything)
                       for p in trend_periods]
    lines = [
        DimensionLine(d, str(DIMENSION_LABELS.get(d, d)), _mean_if_enough(summary, d, min_count),
                      summary.dimensions[d].count if d in summary.dimensions else 0, None,
                      _mean_if_enough(system_summary, d, min_count),
                      tuple(_mean_if_enough(s, d, min_count) for s in trend_summaries))
        for d in _asked_dimensions(surveys, DIMENSION_LABELS)
    ]
    visits = _visits_in(store, {branch.slug: branch}, period)
    desks = [_group_row(desk.name, _select(cells, lambda k, d=desk.slug: k.desk == d), min_count)
             for desk in store.directory.desks(branch.slug)]
    members = store.directory.staff(branch.slug, include_inactive=True)
    staff_rows = [
        _group_row(m.display_name, _select(cells, _staff_only(m.id)), min_count, [v for v in visits if v.staff == m.id])
        for m in members
    ]
    staff_rows = sorted((r for r in staff_rows if r.responses or r.visits), key=lambda r: (-r.responses, r.label))
    visit_summary = summarise_visits(visits, default_rubric())
    behaviours = [BehaviourRow(b.title, visit_summary.behaviour_mean(b.id),
                               len(visit_summary.behaviour_scores.get(b.id, [])),
                               sum(visit_summary.critical_misses[i.id] for i in b.items))
                  for b in default_rubric().behaviours]
    report = BranchReport(
        branch=branch, period=period, generated_on=now.date(), min_count=min_count,
        headline=_headline(summary, visits, min_count),
        nps_counts={k: summary.nps_counts.get(k, 0) for k in ("promoter", "passive", "detractor")},
        dimensions=lines, trend_labels=[p.label for p in trend_periods], desks=desks, staff=staff_rows,
        themes=comment_themes(summary.comments, surveys),
        followups=_followup_figures(store, branch, period, now),
        behaviours=behaviours,
        accuracy=[(str(ACCURACY_LABELS[a]), visit_summary.accuracy.get(a, 0)) for a in ACCURACY_LABELS],
        comments=_top_comments(summary.comments, surveys, branch.timezone),
    )
    report.charts = _dimension_charts(lines, report.trend_labels, branch.name)
    report.charts["heatmap"] = charts.heatmap(
        dict(summary.heatmap_counts), {c: t.share_high for c, t in summary.heatmap.items()},
        title=_("Responses by weekday and hour"), weekday_names=_weekday_names())
    if visit_summary.visits:
        report.charts["behaviours"] = charts.bar_chart(
            [charts.Bar(b.title, None if b.score is None else 100 * b.score) for b in behaviours],
            title=_("Mystery-shopper score by behaviour (%)"), maximum=100, digits=0,
            empty_note=_("no approved visits"))
    return report


# -- system report ---------------------------------------------------------------------------
@dataclass
class SystemRow:
    branch: Branch
    headline: Headline
    dimensions: dict[str, float | None]


@dataclass
class SystemReport:
    period: Period
    generated_on: date
    min_count: int
    total: Headline
    dimensions: list[tuple[str, str]]  # (id, label) in column order
    rows: list[SystemRow]
    system_dimensions: dict[str, float | None]
    charts: dict[str, Markup] = field(default_factory=dict)


def build_system_report(store, period: Period, *, min_count: int = 5, language: str = "en",
                        today: date | None = None) -> SystemReport:
    """Every active branch side by side for ``period``, and the system as a whole."""
    surveys = surveys_from_settings(store.directory.settings())
    branches = store.directory.branches()
    dimensions = [(d, str(DIMENSION_LABELS.get(d, d))) for d in _asked_dimensions(surveys, DIMENSION_LABELS)]
    rows, summaries, all_visits = [], [], []
    for branch in branches:
        summary = _select(_period_cells(store, branch, period, surveys), _everything)
        visits = _visits_in(store, {branch.slug: branch}, period)
        summaries.append(summary)
        all_visits.extend(visits)
        rows.append(SystemRow(branch, _headline(summary, visits, min_count),
                              {d: _mean_if_enough(summary, d, min_count) for d, _label in dimensions}))
    total = merge_summaries(summaries)
    report = SystemReport(period, today or datetime.now(UTC).date(), min_count,
                          _headline(total, all_visits, min_count), dimensions, rows,
                          {d: _mean_if_enough(total, d, min_count) for d, _label in dimensions})
    report.charts = {
        "satisfaction": charts.bar_chart(
            [charts.Bar(r.branch.name, None if r.headline.satisfaction is None else 100 * r.headline.satisfaction)
             for r in rows], title=_("Satisfaction by branch (%)"), maximum=100, digits=0,
            empty_note=_("not enough feedback yet")),
    }
    if any(r.headline.visit_score is not None for r in rows):
        report.charts["visits"] = charts.bar_chart(
            [charts.Bar(r.branch.name, None if r.headline.visit_score is None else 100 * r.headline.visit_score)
             for r in rows], title=_("Mystery-shopper score by branch (%)"), maximum=100, digits=0,
            empty_note=_("no approved visits"))
    return report
