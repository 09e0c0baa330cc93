"""Which behaviours a report may call a strength or a focus area, and why: the rules, in one place.

A label judges a named person, so it must survive "could this be chance?":

* **Focus area**: the person's guest score is below the branch beyond the
  99.8 % limits (``funnel``), or approved shopper visits show the behaviour
  missed at least twice (once for a critical item).
* **Strength**: the guest score is above the branch beyond the limits, or
  shoppers saw the behaviour in every approved visit (at least two).
* **Never both, never against the evidence**: a strength needs no visit that
  saw the behaviour missed and no guest figure below the branch; a focus area
  needs no run of visits that saw it every time and no guest figure at or
  above the branch. Where the evidence points both ways there is no label;
  the report says the evidence is mixed.

Nothing here ranks a person's own scores against each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from . import funnel
from .shopper import ShopperObservation

__all__ = ["STRENGTH", "FOCUS", "Decision", "decide", "guest_sentence", "shopper_sentence"]

STRENGTH, FOCUS = "strength", "focus"


@dataclass(frozen=True)
class Decision:
    kind: str | None  # strength | focus | None
    reasons: tuple[str, ...]  # the evidence behind the label, each with its n
    mixed: bool = False  # both kinds of evidence, pointing different ways
    weight: float = 0.0  # how strongly the evidence speaks, for ordering labels (never shown)


def _score(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def guest_sentence(c: funnel.Comparison) -> str:
    """The guest figure with its n beside the branch's, and where it stands."""
    if c.position == funnel.NO_FIGURE:
        return _("Guests: fewer than 5 answers (n=%(n)d), no figure", n=c.n)
    if c.position == funnel.TOO_FEW:
        return _("Guests: %(mean)s (n=%(n)d); branch %(ref)s (n=%(ref_n)d); too few answers to compare",
                 mean=_score(c.mean), n=c.n, ref=_score(c.reference), ref_n=c.reference_n)
    where = {funnel.ABOVE: _("above the branch beyond what chance explains"),
             funnel.BELOW: _("below the branch beyond what chance explains"),
             funnel.WITHIN: _("within what chance explains")}[c.position]
    return _("Guests: %(mean)s (n=%(n)d) against the branch's %(ref)s (n=%(ref_n)d, limits %(lo)s to %(hi)s): "
             "%(where)s", mean=_score(c.mean), n=c.n, ref=_score(c.reference), ref_n=c.reference_n,
             lo=_score(c.lower), hi=_score(c.upper), where=where)


def shopper_sentence(s: ShopperObservation) -> str:
    if not s.visits:
        return _("Mystery shoppers: not observed in an approved visit")
    text = _("Mystery shoppers: seen in %(seen)d of %(visits)d visits, partly in %(partly)d, missed in %(missed)d",
             seen=s.seen, visits=s.visits, partly=s.partly, missed=s.missed)
    if s.critical_missed:
        text += "; " + _("a critical item missed in %(n)d", n=s.critical_missed)
    return text


def decide(guest: funnel.Comparison | None, shopper: ShopperObservation) -> Decision:
    """The label the evidence allows for one behaviour of one person."""
    guest_above = guest is not None and guest.position == funnel.ABOVE
    guest_below = guest is not None and guest.position == funnel.BELOW
    focus_evidence = guest_below or shopper.missed_repeatedly
    strength_evidence = guest_above or shopper.seen_every_time
    # What contradicts a label: a strength that shoppers saw missed, or that guests rate below the branch;
    # a focus area that shoppers saw every time, or that guests rate at or above the branch.
    guest_side = None
    if guest is not None and guest.mean is not None and guest.reference is not None:
        guest_side = "at_or_above" if guest.mean >= guest.reference else "below"
    strength_contradicted = shopper.missed > 0 or focus_evidence or guest_side == "below"
    focus_contradicted = shopper.seen_every_time or guest_above or guest_side == "at_or_above"
    reasons = []
    if guest is not None and guest.position != funnel.NO_FIGURE:
        reasons.append(guest_sentence(guest))
    if shopper.visits:
        reasons.append(shopper_sentence(shopper))
    z = abs(guest.z) if guest is not None and guest.z is not None and guest.beyond_limits else 0.0
    if focus_evidence and not focus_contradicted:
        return Decision(FOCUS, tuple(reasons), weight=z + 2 * shopper.critical_missed + shopper.missed)
    if strength_evidence and not strength_contradicted:
        return Decision(STRENGTH, tuple(reasons), weight=z + (shopper.seen if shopper.seen_every_time else 0))
    return Decision(None, tuple(reasons), mixed=focus_evidence or strength_evidence)
