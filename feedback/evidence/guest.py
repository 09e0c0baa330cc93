"""What guests said of each behaviour of one person, beside their branch, allowing for chance."""

from __future__ import annotations

from collections import defaultdict

from ..services.aggregate import Tally
from ..services.monthly_cells import merge_summaries
from . import funnel
from .cells import Cells, counted
from .vocabulary import BehaviourTerm

__all__ = ["guest_comparisons", "behaviour_tally"]


def behaviour_tally(summary, term: BehaviourTerm) -> Tally:
    """Every guest answer on the questions that measure ``term``."""
    tally = Tally()
    for dimension in term.guest_dimensions:
        if dimension in summary.dimensions:
            tally.merge(summary.dimensions[dimension])
    return tally


def guest_comparisons(cells: Cells, member_id: str, terms: list[BehaviourTerm], *, min_count: int,
                      compare_min: int) -> dict[str, funnel.Comparison]:
    """Per behaviour, the person's guest figure compared with the branch's (every counted answer).

    The over-dispersion factor comes from the branch's other staff members, so
    a person's own figure never widens the limits it is judged by.
    """
    by_staff: dict[str | None, list] = defaultdict(list)
    for key, summary in cells:
        if counted(key):
            by_staff[key.staff].append(summary)
    branch = merge_summaries(s for group in by_staff.values() for s in group)
    person = merge_summaries(by_staff.get(member_id, []))
    others = [merge_summaries(group) for staff, group in by_staff.items() if staff and staff != member_id]
    # The spread among colleagues is measured around the colleagues' own figure: a person far from the
    # branch pulls its mean towards them, which would make every colleague look unusual and widen the
    # limits that person is judged by.
    without_person = merge_summaries(s for staff, group in by_staff.items() if staff != member_id for s in group)
    result = {}
    for term in terms:
        reference = behaviour_tally(branch, term)
        phi = funnel.dispersion((behaviour_tally(o, term) for o in others), behaviour_tally(without_person, term),
                                compare_min=compare_min)
        result[term.id] = funnel.compare(behaviour_tally(person, term), reference, phi=phi, min_count=min_count,
                                         compare_min=compare_min)
    return result
