"""Fair comparison of a person's mean score with their branch: funnel-plot control limits.

A mean resting on few answers wanders by chance, so the limits around the
branch's figure widen as a person's answers get fewer (Spiegelhalter,
*Funnel plots for comparing institutional performance*, Statistics in
Medicine 2005): about 2 standard errors (95 %) and 3 (99.8 %). A label needs a
figure beyond the 99.8 % limits. When the people of a branch differ more than
chance alone would make them (over-dispersion), the limits widen by the
multiplicative factor Spiegelhalter gives, estimated from the *other* people of
the branch so that one person's own extreme figure cannot hide itself.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import NormalDist

from ..services.aggregate import Tally

__all__ = ["LABEL_Z", "WARNING_Z", "Comparison", "compare", "dispersion"]

LABEL_Z = NormalDist().inv_cdf(1 - 0.002 / 2)  # 3.09: the 99.8 % limits, beyond which a label may stand
WARNING_Z = NormalDist().inv_cdf(1 - 0.05 / 2)  # 1.96: the 95 % limits, shown for context only
SCALE = (1.0, 5.0)
CHI2_1_MEDIAN = 0.45493642311957283  # the median of a chi-square with one degree of freedom

# Positions a comparison can take.
NO_FIGURE = "none"  # fewer than min_count answers: no figure at all
TOO_FEW = "too_few"  # a figure, but too few answers (or too small a branch) for the limits to mean something
WITHIN = "within"
ABOVE = "above"
BELOW = "below"


@dataclass(frozen=True)
class Comparison:
    """A person's mean beside the branch's, with the limits that chance allows at this n."""

    mean: float | None  # None when n < min_count
    n: int
    reference: float | None  # the branch's mean
    reference_n: int
    position: str
    z: float | None = None
    lower: float | None = None  # 99.8 % limits around the reference at this n, inside the scale
    upper: float | None = None
    lower95: float | None = None
    upper95: float | None = None
    dispersion: float = 1.0

    @property
    def beyond_limits(self) -> bool:
        return self.position in (ABOVE, BELOW)

    def as_json(self) -> dict:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def _clip(value: float) -> float:
    return min(SCALE[1], max(SCALE[0], value))


def standard_error(reference: Tally, n: int, phi: float) -> float | None:
    variance = reference.variance
    if variance is None or n <= 0:
        return None
    return math.sqrt(variance * phi / n)


def compare(person: Tally, reference: Tally, *, phi: float = 1.0, min_count: int = 5, compare_min: int = 10,
            reference_min: int = 20) -> Comparison:
    """Where ``person``'s mean stands against ``reference`` (the branch), allowing for chance.

    Under ``min_count`` answers there is no figure; under ``compare_min`` (or a
    branch under ``reference_min`` answers, or one without a known spread) the
    figure is shown as too few to compare.
    """
    n = person.count
    ref_mean = reference.mean if reference.count >= min_count else None
    if n < min_count:
        return Comparison(None, n, ref_mean, reference.count, NO_FIGURE)
    se = standard_error(reference, n, phi)
    if n < compare_min or reference.count < reference_min or ref_mean is None or not se:
        return Comparison(person.mean, n, ref_mean, reference.count, TOO_FEW, dispersion=phi)
    z = (person.mean - ref_mean) / se
    position = ABOVE if z > LABEL_Z else BELOW if z < -LABEL_Z else WITHIN
    return Comparison(
        person.mean, n, ref_mean, reference.count, position, z,
        _clip(ref_mean - LABEL_Z * se), _clip(ref_mean + LABEL_Z * se),
        _clip(ref_mean - WARNING_Z * se), _clip(ref_mean + WARNING_Z * se), phi,
    )


def dispersion(others: Iterable[Tally], reference: Tally, *, compare_min: int = 10) -> float:
    """Spiegelhalter's over-dispersion factor from the other people of the branch (at least 1).

    The mean squared z-score of the others with ``compare_min`` answers or more,
    winsorised at 10 % and 90 % when there are ten or more of them; from three
    to nine, the median squared z-score over its expected value (robust to one
    colleague's genuine difference); with fewer than three there is nothing to
    estimate from, and the factor is 1.
    """
    ref_mean = reference.mean
    zs = []
    for tally in others:
        se = standard_error(reference, tally.count, 1.0)
        if tally.count >= compare_min and se and ref_mean is not None:
            zs.append((tally.mean - ref_mean) / se)
    if len(zs) < 3:
        return 1.0
    if len(zs) < 10:
        # Too few to winsorise: one colleague's genuine strength would set the limits for everyone.
        # The median of z^2 is robust to that; a chi-square with one degree of freedom has median 0.4549.
        return max(1.0, statistics.median(z * z for z in zs) / CHI2_1_MEDIAN)
    ordered = sorted(zs)
    low, high = ordered[len(ordered) // 10], ordered[-(len(ordered) // 10) - 1]
    zs = [min(high, max(low, z)) for z in zs]
    return max(1.0, sum(z * z for z in zs) / len(zs))
