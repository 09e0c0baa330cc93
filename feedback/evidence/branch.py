"""A branch's evidence for one period: behaviour figures, what no person controls, themes, shopper observations.

The branch report and ``report branch --format json`` read it. Service
dimensions (the wait, opening hours, collections ...) and NPS live here, not in
personal reports: they are the branch's to act on.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..services.aggregate import enough
from ..services.periods import Period
from ..services.surveys import DIMENSION_LABELS, surveys_from_settings
from .cells import counted, period_cells, select
from .comments import THEME_LABELS, most_written, quote
from .comments import themes as all_themes
from .guest import behaviour_tally
from .shopper import ShopperObservation, observe_behaviours
from .staff import EvidenceNotFound, staff_evidence
from .visits import counted_visits
from .vocabulary import behaviours, service_dimensions

__all__ = ["BranchEvidence", "ThemeEvidence", "branch_evidence"]

QUOTES_PER_THEME = 2


@dataclass
class ThemeEvidence:
    id: str
    label: str
    comments: int
    praise: int
    suggestions: int
    service: bool
    quotes: list[str] = field(default_factory=list)


@dataclass
class BranchEvidence:
    slug: str
    name: str
    period: Period
    responses: int
    nps: float | None
    nps_answers: int
    behaviours: list[dict]  # id, label, rusa_section, guest mean and n, shopper observation
    service: list[dict]  # dimension, label, mean and n
    themes: list[ThemeEvidence]
    accuracy: dict[str, int]
    staff_labels: list[dict]  # per staff code: strengths and focus areas (ids)

    def as_json(self) -> dict:
        return {
            "branch": {"slug": self.slug, "name": self.name}, "period": self.period.label,
            "responses": self.responses, "nps": self.nps, "nps_answers": self.nps_answers,
            "behaviours": self.behaviours, "service_dimensions": self.service,
            "themes": [t.__dict__ for t in self.themes], "accuracy": self.accuracy, "staff": self.staff_labels,
        }


def _observation_json(obs: ShopperObservation) -> dict:
    return obs.as_json()


def branch_evidence(store, slug: str, period: Period, *, language: str = "en", min_count: int = 5) -> BranchEvidence:
    branch = store.directory.branch(slug)
    if branch is None:
        raise EvidenceNotFound(f"no branch {slug!r}")
    surveys = surveys_from_settings(store.directory.settings())
    cells = period_cells(store, branch, period, surveys)
    summary = select(cells, counted)
    visits = counted_visits(store, {branch.slug: branch}, period)
    observed = observe_behaviours(visits)
    behaviour_rows = []
    for term in behaviours():
        tally = behaviour_tally(summary, term)
        behaviour_rows.append({
            "id": term.id, "label": term.label, "rusa_section": term.rusa,
            "guest": {"mean": tally.mean if enough(tally.count, min_count) else None, "n": tally.count},
            "shopper": _observation_json(observed[term.id]),
        })
    service = []
    for dimension in service_dimensions():
        tally = summary.dimensions.get(dimension)
        if tally is not None and tally.count:
            service.append({"dimension": dimension, "label": str(DIMENSION_LABELS.get(dimension, dimension)),
                            "mean": tally.mean if enough(tally.count, min_count) else None, "n": tally.count})
    quoted = [quote(r, surveys, branch.timezone) for r in summary.comments if r.comment.strip()]
    counts: dict[str, Counter] = {}
    for c in quoted:
        for theme in c.themes:
            counts.setdefault(theme, Counter())["all"] += 1
            counts[theme]["praise" if c.score is not None and c.score >= 4 else "suggestion"] += 1
    service_themes = {t.id for t in all_themes() if t.service}
    theme_rows = sorted(
        (ThemeEvidence(t, str(THEME_LABELS.get(t, t)), c["all"], c["praise"], c["suggestion"], t in service_themes,
                       [q.text for q in most_written((q for q in quoted if t in q.themes), QUOTES_PER_THEME)])
         for t, c in counts.items()),
        key=lambda row: (-row.comments, row.label))
    staff_labels = []
    for member in store.directory.staff(branch.slug):
        ev = staff_evidence(store, member.code, period, language=language, min_count=min_count)
        staff_labels.append({"code": member.code, "strengths": [label.id for label in ev.strengths],
                             "focus_areas": [label.id for label in ev.focus_areas], "responses": ev.responses})
    accuracy = Counter(v.accuracy for v in visits if v.accuracy)
    return BranchEvidence(branch.slug, branch.name, period, summary.responses, summary.nps, summary.nps_answers,
                          behaviour_rows, service, theme_rows, dict(accuracy), staff_labels)
