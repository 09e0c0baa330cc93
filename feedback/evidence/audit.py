"""A check of every label over many reports: does any contradict the evidence it stands on?

The four counts must be zero: a focus area where the person's guest score is
at or above the branch's, a strength below it, a label that shopper visits
contradict (a strength seen missed, a focus area seen every time), and a
behaviour named both a strength and a focus area. ``bench/label_audit.py``
prints the table over the demo; the tests run it too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..services.periods import Period
from .staff import StaffEvidence, staff_evidence

__all__ = ["LabelAudit", "audit_labels", "audit_evidence"]


@dataclass
class LabelAudit:
    reports: int = 0
    strengths: int = 0
    focus_areas: int = 0
    focus_at_or_above_branch: int = 0
    strength_below_branch: int = 0
    against_shopper_evidence: int = 0
    in_both_lists: int = 0

    @property
    def failures(self) -> int:
        return (self.focus_at_or_above_branch + self.strength_below_branch + self.against_shopper_evidence
                + self.in_both_lists)


def audit_evidence(evidence: StaffEvidence, into: LabelAudit) -> None:
    into.reports += 1
    into.strengths += len(evidence.strengths)
    into.focus_areas += len(evidence.focus_areas)
    strengths = {label.id for label in evidence.strengths}
    focus = {label.id for label in evidence.focus_areas}
    into.in_both_lists += len(strengths & focus)
    for label in evidence.strengths + evidence.focus_areas:
        guest, shopper = label.behaviour.guest, label.behaviour.shopper
        has_figure = guest is not None and guest.mean is not None and guest.reference is not None
        if label.kind == "focus":
            into.focus_at_or_above_branch += has_figure and guest.mean >= guest.reference
            into.against_shopper_evidence += shopper.seen_every_time
        else:
            into.strength_below_branch += has_figure and guest.mean < guest.reference
            into.against_shopper_evidence += shopper.missed > 0


def audit_labels(store, periods: Iterable[Period], *, min_count: int = 5, compare_min: int = 10) -> LabelAudit:
    """Every active staff member's evidence for every period, audited."""
    audit = LabelAudit()
    periods = list(periods)
    for member in store.directory.staff():
        for period in periods:
            audit_evidence(staff_evidence(store, member.code, period, min_count=min_count,
                                          compare_min=compare_min), audit)
    return audit
