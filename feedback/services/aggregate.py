"""The figures: one number, one definition, for the dashboard and the PDF reports alike.

Definitions
-----------
* **satisfaction**: the share of smiley answers (1-5) that are 4 or 5.
* **NPS**: per cent promoters (9-10) minus per cent detractors (0-6) of the
  0-10 answers; passives are 7-8.
* **dimension score**: the mean of the smiley answers to questions carrying
  that dimension (1-5).
* **heatmap**: responses by weekday and hour in the branch's time zone, with
  the satisfaction of each cell.
* **outcome**: the share of yes to the survey's yes/no question ("Did you
  find what you came for?"), also by the answer to its choice question
  ("What brought you in today?"); counted as ``"reason|yes"`` pairs.
* **staff behaviour share**: the share of 4s and 5s on the questions about
  staff behaviour (welcome, listening, helpfulness, courtesy ...); figures
  about a person use it, never the wait or NPS, which no person controls.
* A figure about a staff member is shown only when it rests on at least
  ``min_count`` responses (:func:`enough`).
* Answers held for review (a suspected burst aimed at one person, many
  answers from one address, a missing form token) and discarded ones count
  in no figure; ``ResponseSummary.flagged`` says how many were left out. An
  answer a manager confirmed as genuine counts like any other.
* **visit score**: the mean of approved visits' scores (see ``rubric``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from ..model import Response, Visit, parse_utc
from .rubric import Rubric
from .surveys import STAFF_DIMENSIONS, Survey
from .visit_consistency import visit_score

__all__ = [
    "Tally",
    "ResponseSummary",
    "VisitSummary",
    "summarise_responses",
    "summarise_visits",
    "summarise_by",
    "enough",
]


@dataclass
class Tally:
    """A running mean of 1-5 answers with the share of 4s and 5s.

    ``squares`` (the sum of squared answers) gives the spread that fair
    comparisons need (``feedback.evidence.funnel``); it is ``None`` for figures
    kept by an older purge that did not record it.
    """

    count: int = 0
    total: float = 0.0
    high: int = 0
    squares: float | None = 0.0

    def add(self, value: int) -> None:
        self.count += 1
        self.total += value
        if self.squares is not None:
            self.squares += value * value
        if value >= 4:
            self.high += 1

    def merge(self, other: Tally) -> None:
        """Add ``other``'s answers to this tally, exactly."""
        self.count += other.count
        self.total += other.total
        self.high += other.high
        self.squares = None if self.squares is None or other.squares is None else self.squares + other.squares

    @property
    def mean(self) -> float | None:
        return self.total / self.count if self.count else None

    @property
    def variance(self) -> float | None:
        """The sample variance of the answers, or None with fewer than two or no recorded squares."""
        if self.squares is None or self.count < 2:
            return None
        return max(0.0, (self.squares - self.total * self.total / self.count) / (self.count - 1))

    @property
    def share_high(self) -> float | None:
        return self.high / self.count if self.count else None


@dataclass
class ResponseSummary:
    responses: int = 0
    satisfaction: Tally = field(default_factory=Tally)
    nps_counts: Counter = field(default_factory=Counter)  # promoter / passive / detractor
    dimensions: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    heatmap: dict[tuple[int, int], Tally] = field(default_factory=lambda: defaultdict(Tally))
    heatmap_counts: Counter = field(default_factory=Counter)  # (weekday, hour) -> responses
    by_month: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    month_counts: Counter = field(default_factory=Counter)
    comments: list[Response] = field(default_factory=list)
    flagged: int = 0  # answers held for review or discarded: stored, but in no figure above
    outcomes: Counter = field(default_factory=Counter)  # "reason|yes" -> responses ("" when not answered)

    def outcome_share(self, reason: str | None = None) -> tuple[float | None, int]:
        """The share answering yes to the outcome question (of one reason for visit), with its n."""
        yes = no = 0
        for key, count in self.outcomes.items():
            why, _sep, found = key.partition("|")
            if reason is not None and why != reason:
                continue
            yes += count if found == "yes" else 0
            no += count if found == "no" else 0
        return (yes / (yes + no) if yes + no else None), yes + no

    @property
    def nps_answers(self) -> int:
        return sum(self.nps_counts.values())

    @property
    def nps(self) -> float | None:
        n = self.nps_answers
        if not n:
            return None
        return 100.0 * (self.nps_counts["promoter"] - self.nps_counts["detractor"]) / n

    @property
    def satisfaction_share(self) -> float | None:
        return self.satisfaction.share_high

    def behaviour_tally(self) -> Tally:
        """Every answer on the questions about staff behaviour: what figures *about a person* rest on.

        The wait, NPS and other service questions are left out: a person does not control them.
        """
        tally = Tally()
        for name in STAFF_DIMENSIONS:
            if name in self.dimensions:
                tally.merge(self.dimensions[name])
        return tally


def enough(count: int, min_count: int) -> bool:
    """Whether a figure resting on ``count`` answers may be shown at all."""
    return count >= min_count


def nps_group(score: int) -> str:
    if score >= 9:
        return "promoter"
    if score >= 7:
        return "passive"
    return "detractor"


def summarise_responses(
    responses: Iterable[Response],
    surveys: dict[str, Survey],
    *,
    timezone: str = "UTC",
) -> ResponseSummary:
    """One pass over responses, collecting every figure the dashboard and reports show."""
    tz = ZoneInfo(timezone)
    summary = ResponseSummary()
    question_types: dict[tuple[str, str], tuple[str, str | None]] = {}
    for survey in surveys.values():
        for q in survey.questions:
            question_types[(survey.id, q.id)] = (q.type, q.dimension)
    for response in responses:
        if not response.counted:
            summary.flagged += 1
            continue
        summary.responses += 1
        local = parse_utc(response.submitted_at).astimezone(tz)
        cell = (local.weekday(), local.hour)
        month = f"{local:%Y-%m}"
        summary.heatmap_counts[cell] += 1
        summary.month_counts[month] += 1
        reason = found = ""
        for question_id, value in response.answers.items():
            kind, dimension = question_types.get((response.survey, question_id), (None, None))
            if kind == "yesno" and value in ("yes", "no") and not found:
                found = value
            elif kind == "choice" and isinstance(value, str) and not reason:
                reason = value
            if kind == "smiley" and isinstance(value, int):
                summary.satisfaction.add(value)
                summary.heatmap[cell].add(value)
                summary.by_month[month].add(value)
                if dimension:
                    summary.dimensions[dimension].add(value)
            elif kind == "nps" and isinstance(value, int):
                summary.nps_counts[nps_group(value)] += 1
        if reason or found:
            summary.outcomes[f"{reason}|{found}"] += 1
        if response.comment:
            summary.comments.append(response)
    summary.comments.sort(key=lambda r: r.submitted_at, reverse=True)
    return summary


def summarise_by(
    responses: Iterable[Response], key, surveys: dict[str, Survey], *, timezone: str = "UTC",
) -> dict[str, ResponseSummary]:
    """Summaries grouped by ``key(response)`` (staff id, desk...); ``None`` keys are skipped."""
    groups: dict[str, list[Response]] = defaultdict(list)
    for response in responses:
        group = key(response)
        if group is not None:
            groups[group].append(response)
    return {
        group: summarise_responses(items, surveys, timezone=timezone)
        for group, items in groups.items()
    }


@dataclass
class VisitSummary:
    visits: int = 0
    overall_scores: list[float] = field(default_factory=list)
    behaviour_scores: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    accuracy: Counter = field(default_factory=Counter)
    critical_misses: Counter = field(default_factory=Counter)

    @property
    def mean_score(self) -> float | None:
        return sum(self.overall_scores) / len(self.overall_scores) if self.overall_scores else None

    def behaviour_mean(self, behaviour: str) -> float | None:
        scores = self.behaviour_scores.get(behaviour) or []
        return sum(scores) / len(scores) if scores else None


def summarise_visits(visits: Iterable[Visit], rubric: Rubric) -> VisitSummary:
    """Scores of *approved* visits only: a visit counts once a reviewer has approved it."""
    summary = VisitSummary()
    for visit in visits:
        if visit.status != "approved":
            continue
        score = visit_score(rubric, visit)
        summary.visits += 1
        if score.overall is not None:
            summary.overall_scores.append(score.overall)
        for behaviour, value in score.by_behaviour.items():
            if value is not None:
                summary.behaviour_scores[behaviour].append(value)
        if visit.accuracy:
            summary.accuracy[visit.accuracy] += 1
        for item in score.critical_misses:
            summary.critical_misses[item] += 1
    return summary
