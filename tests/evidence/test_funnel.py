"""Funnel-plot limits (Spiegelhalter 2005): checked against figures worked out by hand."""

from __future__ import annotations

import math

import pytest

from feedback.evidence import funnel
from feedback.services.aggregate import Tally


def tally(values) -> Tally:
    t = Tally()
    for v in values:
        t.add(v)
    return t


def test_limits_are_three_standard_errors_around_the_branch_at_this_n():
    branch = tally([3, 4, 4, 5, 4] * 40)  # mean 4.0, sample variance 0.5025...
    person = tally([2, 3, 2, 3, 2] * 8)  # mean 2.4, n = 40
    c = funnel.compare(person, branch)
    variance = (sum(v * v for v in [3, 4, 4, 5, 4]) * 40 - 800 ** 2 / 200) / 199
    se = math.sqrt(variance / 40)
    assert c.reference == 4.0 and c.n == 40 and c.reference_n == 200
    assert c.lower == pytest.approx(4.0 - 3.0902 * se, abs=1e-3)
    assert c.upper == pytest.approx(4.0 + 3.0902 * se, abs=1e-3)
    assert c.z == pytest.approx((2.4 - 4.0) / se)
    assert c.position == "below"


def test_limits_stay_inside_the_scale():
    branch = tally([4, 5, 5, 5, 5] * 10)
    c = funnel.compare(tally([5] * 10), branch)
    assert c.upper <= 5.0 and c.lower >= 1.0


def test_no_figure_under_five_answers_and_too_few_to_compare_under_ten():
    branch = tally([3, 4, 4, 5, 4] * 40)
    assert funnel.compare(tally([1, 1, 1, 1]), branch).position == "none"
    assert funnel.compare(tally([1, 1, 1, 1]), branch).mean is None
    assert funnel.compare(tally([1] * 9), branch).position == "too_few"
    assert funnel.compare(tally([1] * 10), branch).position == "below"


def test_over_dispersion_widens_the_limits_and_is_never_below_one():
    branch = tally([3, 4, 4, 5, 4] * 40)
    alike = [tally([3, 4, 4, 5, 4] * 8) for _ in range(4)]
    assert funnel.dispersion(alike, branch) == 1.0
    spread = [tally([5] * 40), tally([2] * 40), tally([5, 4] * 20), tally([2, 3] * 20)]
    phi = funnel.dispersion(spread, branch)
    assert phi > 1
    person = tally([3] * 40)
    narrow, wide = funnel.compare(person, branch), funnel.compare(person, branch, phi=phi)
    assert narrow.z == pytest.approx(wide.z * math.sqrt(phi))  # the standard error grows by sqrt(phi)
    assert (wide.upper - wide.lower) > (narrow.upper - narrow.lower)


def test_figures_kept_without_their_spread_are_too_few_to_compare():
    branch = Tally(count=200, total=800.0, high=150, squares=None)  # kept by an older purge
    assert funnel.compare(tally([1] * 40), branch).position == "too_few"
