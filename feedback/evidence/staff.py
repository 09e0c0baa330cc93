"""A person's evidence for one period: every behaviour, its guest and shopper evidence, and the labels it allows.

The coaching PDF, its JSON twin, the coaching pages and the dashboard read
this one object, so a label means the same everywhere. A person is judged on
behaviours only (what they control): NPS, the wait, opening hours,
collections and noise belong to the branch report.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from ..model import Branch, StaffMember
from ..services.periods import Period
from ..services.surveys import surveys_from_settings
from . import funnel
from .cells import period_cells
from .comments import Comment, colleagues_named, is_service_only, most_written, quote
from .guest import guest_comparisons
from .labels import FOCUS, STRENGTH, decide
from .shopper import ShopperObservation, VisitScorecard, observe_behaviours, visit_scorecards
from .tips import tips_for
from .visits import counted_visits
from .vocabulary import BehaviourTerm, behaviours

__all__ = ["EvidenceNotFound", "BehaviourEvidence", "Goal", "Label", "StaffEvidence", "staff_evidence",
           "SHEET_STRENGTHS", "SHEET_FOCUS"]

SHEET_STRENGTHS = 2  # strengths on the conversation sheet
SHEET_FOCUS = 1  # focus areas on the conversation sheet
COMMENTS_PER_GROUP = 5


class EvidenceNotFound(LookupError):
    """No staff member or branch by that code or slug."""


@dataclass
class BehaviourEvidence:
    """One behaviour of one person: guest figure against the branch, what shoppers saw, the label it allows."""

    id: str
    label: str
    rusa: str
    rusa_section: str
    guest: funnel.Comparison | None  # None: no guest question measures this behaviour
    shopper: ShopperObservation
    label_kind: str | None = None  # strength | focus | None
    reasons: list[str] = field(default_factory=list)
    mixed: bool = False
    weight: float = 0.0
    quotes: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "id": self.id, "label": self.label, "rusa_section": self.rusa,
            "guest": None if self.guest is None else self.guest.as_json(),
            "shopper": self.shopper.as_json(),
            "label_kind": self.label_kind, "mixed": self.mixed, "reasons": list(self.reasons),
            "quotes": list(self.quotes),
        }


@dataclass
class Goal:
    """A goal names a behaviour, what good looks like, the evidence behind it, and a target inside the scale."""

    behaviour: str
    good_looks_like: str
    motivated_by: str
    target: str
    target_value: float | None = None  # a 1-5 guest score, never outside the scale


@dataclass
class Label:
    kind: str  # strength | focus
    behaviour: BehaviourEvidence
    reasons: list[str]
    quote: str | None
    observation: str | None
    good_looks_like: list[str]
    tips: list[str]
    goal: Goal | None = None

    @property
    def id(self) -> str:
        return self.behaviour.id

    def as_json(self) -> dict:
        return {"id": self.id, "kind": self.kind, "reasons": self.reasons, "quote": self.quote,
                "observation": self.observation, "good_looks_like": self.good_looks_like,
                "goal": None if self.goal is None else self.goal.__dict__}


@dataclass
class StaffEvidence:
    member: StaffMember
    branch: Branch
    period: Period
    language: str
    min_count: int
    compare_min: int
    behaviours: list[BehaviourEvidence]
    strengths: list[Label]  # every qualifying strength, strongest evidence first
    focus_areas: list[Label]
    praise: list[Comment]
    suggestions: list[Comment]
    colleague_mentions: list[tuple[Comment, list[str]]]  # (comment, names of the colleagues it mentions)
    service_comments: int  # suggestions about what the person does not control, left to the branch report
    visits: list[VisitScorecard]
    responses: int  # guest responses about this person that count

    @property
    def sheet_strengths(self) -> list[Label]:
        return self.strengths[:SHEET_STRENGTHS]

    @property
    def sheet_focus(self) -> list[Label]:
        return self.focus_areas[:SHEET_FOCUS]

    @property
    def no_focus_note(self) -> str | None:
        if self.focus_areas:
            return None
        return _("No focus area needed this period: choose a stretch goal together.")

    def behaviour(self, behaviour_id: str) -> BehaviourEvidence | None:
        return next((b for b in self.behaviours if b.id == behaviour_id), None)

    def as_json(self) -> dict:
        return {
            "staff": {"code": self.member.code, "name": self.member.display_name, "branch": self.branch.slug},
            "period": self.period.label,
            "language": self.language,
            "rules": {"min_answers_for_a_figure": self.min_count, "min_answers_to_compare": self.compare_min,
                      "label_limits": "99.8 % funnel limits around the branch mean", "z": round(funnel.LABEL_Z, 3)},
            "responses": self.responses,
            "strengths": [label.as_json() for label in self.strengths],
            "focus_areas": [label.as_json() for label in self.focus_areas],
            "no_focus_note": self.no_focus_note,
            "behaviours": [b.as_json() for b in self.behaviours],
            "comments": {
                "praise": [c.__dict__ for c in self.praise],
                "suggestions": [c.__dict__ for c in self.suggestions],
                "colleague_mentions": [{"comment": c.__dict__, "mentions": names}
                                       for c, names in self.colleague_mentions],
                "left_to_branch_report": self.service_comments,
            },
            "visits": [v.__dict__ for v in self.visits],
        }


def _asked(surveys) -> set[str]:
    return {q.dimension for s in surveys.values() for q in s.questions if q.dimension}


def _observation(kind: str, shopper: ShopperObservation) -> str | None:
    """One shopper observation for the conversation sheet: the item most seen, or most missed."""
    items = [i for i in shopper.items if i.judged]
    if not items:
        return None
    if kind == STRENGTH:
        item = max(items, key=lambda i: (i.seen / i.judged, i.judged))
        return _("Shoppers saw \u201c%(item)s\u201d in %(seen)d of %(n)d visits", item=item.text, seen=item.seen,
                 n=item.judged)
    item = max(items, key=lambda i: (i.critical and i.missed > 0, i.missed / i.judged, 1 - i.seen / i.judged,
                                     i.judged))
    return _("Shoppers saw \u201c%(item)s\u201d in %(seen)d of %(n)d visits", item=item.text, seen=item.seen,
             n=item.judged)


def _goal(evidence: BehaviourEvidence, good: list[str]) -> Goal:
    motivated_by = evidence.reasons[0] if evidence.reasons else ""
    guest = evidence.guest
    if guest is not None and guest.position == funnel.BELOW and guest.reference is not None:
        target_value = min(5.0, guest.reference)
        target = _("Guests rate %(behaviour)s at least at the branch's %(target).1f (now %(now).1f, n=%(n)d)",
                   behaviour=evidence.label, target=target_value, now=guest.mean, n=guest.n)
        return Goal(evidence.id, good[0] if good else "", motivated_by, target, target_value)
    return Goal(evidence.id, good[0] if good else "", motivated_by,
                _("Shoppers see it in every visit of the next period (now %(seen)d of %(n)d)",
                  seen=evidence.shopper.seen, n=evidence.shopper.visits))


def _make_label(kind: str, evidence: BehaviourEvidence, language: str) -> Label:
    good, tips = tips_for(evidence.id, language)
    quote_text = evidence.quotes[0] if evidence.quotes else None
    return Label(kind, evidence, list(evidence.reasons), quote_text, _observation(kind, evidence.shopper), good,
                 tips, _goal(evidence, good) if kind == FOCUS else None)


def staff_evidence(store, code: str, period: Period, *, language: str = "en", min_count: int = 5,
                   compare_min: int = 10) -> StaffEvidence:
    """Everything a coach may say of the staff member with ``code`` in ``period``, and why."""
    member = store.directory.staff_by_code(code)
    if member is None:
        raise EvidenceNotFound(f"no staff member with code {code!r}")
    branch = store.directory.branch(member.branch)
    if branch is None:
        raise EvidenceNotFound(f"no branch {member.branch!r}")
    surveys = surveys_from_settings(store.directory.settings())
    asked = _asked(surveys)
    terms: list[BehaviourTerm] = list(behaviours())
    cells = period_cells(store, branch, period, surveys)
    guest_terms = [t for t in terms if any(d in asked for d in t.guest_dimensions)]
    comparisons = guest_comparisons(cells, member.id, guest_terms, min_count=min_count, compare_min=compare_min)
    visits = counted_visits(store, {branch.slug: branch}, period, staff=member.id)
    observed = observe_behaviours(visits)

    # Comments: credited to the person unless they name a colleague; service-only suggestions go elsewhere.
    directory = store.directory.staff(include_inactive=True)
    credited, mentions, service_only = [], [], 0
    responses = 0
    for key, summary in cells:
        if key.staff != member.id or key.flagged:
            continue
        responses += summary.responses
        for response in summary.comments:
            if not response.comment.strip():
                continue
            c = quote(response, surveys, branch.timezone)
            named = colleagues_named(response.comment, member, directory)
            if named:
                mentions.append((c, [m.display_name for m in named]))
            elif c.score is not None and c.score < 4 and is_service_only(c.themes):
                service_only += 1
            else:
                credited.append(c)
    praise = [c for c in credited if c.score is not None and c.score >= 4]
    suggestions = [c for c in credited if c.score is not None and c.score < 4]

    evidence = []
    for term in terms:
        item = BehaviourEvidence(term.id, term.label, term.rusa, term.rusa_label, comparisons.get(term.id),
                                 observed[term.id])
        decision = decide(item.guest, item.shopper)
        item.label_kind, item.reasons, item.mixed, item.weight = (decision.kind, list(decision.reasons),
                                                                  decision.mixed, decision.weight)
        pool = praise if decision.kind == STRENGTH else suggestions if decision.kind == FOCUS else credited
        item.quotes = [c.text for c in most_written((c for c in pool if term.id in c.behaviours), 3)]
        evidence.append(item)
    ranked = sorted(evidence, key=lambda b: -b.weight)  # stable: ties keep the vocabulary's order
    strengths = [_make_label(STRENGTH, b, language) for b in ranked if b.label_kind == STRENGTH]
    focus = [_make_label(FOCUS, b, language) for b in ranked if b.label_kind == FOCUS]
    return StaffEvidence(
        member=member, branch=branch, period=period, language=language, min_count=min_count,
        compare_min=compare_min, behaviours=evidence, strengths=strengths, focus_areas=focus,
        praise=most_written(praise, COMMENTS_PER_GROUP), suggestions=most_written(suggestions, COMMENTS_PER_GROUP),
        colleague_mentions=mentions, service_comments=service_only,
        visits=visit_scorecards(visits, branch.timezone), responses=responses,
    )
