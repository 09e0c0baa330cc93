"""Monthly cells: the unit in which the dashboard reads figures and retention keeps them.

A *cell* is the :class:`~feedback.services.aggregate.ResponseSummary` of the
responses sharing one branch, local month, desk, channel, staff member and
flagged state (held or discarded: such a cell counts its answers in
``flagged`` alone). Every figure of the dashboard is a merge of the cells its
filter selects, so a filter on desk, channel or staff gives the same numbers
whether the responses behind a month are still stored or were purged and only
their cells were kept (see ``retention``). Tallies are sums, so merging is
exact: the definitions stay those of ``aggregate``.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from ..model import Response, parse_utc
from .aggregate import ResponseSummary, Tally, summarise_responses
from .surveys import Survey

__all__ = [
    "CellKey",
    "cells_from_responses",
    "merge_summaries",
    "summary_to_doc",
    "summary_from_doc",
    "tally_to_doc",
    "tally_from_doc",
    "select",
]


@dataclass(frozen=True)
class CellKey:
    branch: str
    month: str  # YYYY-MM in the branch's time zone
    desk: str | None
    channel: str
    staff: str | None
    flagged: bool

    def to_doc(self) -> dict:
        return {"branch": self.branch, "month": self.month, "desk": self.desk, "channel": self.channel,
                "staff": self.staff, "flagged": self.flagged}

    @classmethod
    def from_doc(cls, doc: dict) -> CellKey:
        return cls(doc["branch"], doc["month"], doc.get("desk"), doc["channel"], doc.get("staff"),
                   bool(doc.get("flagged")))


def _key_of(response: Response, tz: ZoneInfo) -> CellKey:
    month = f"{parse_utc(response.submitted_at).astimezone(tz):%Y-%m}"
    return CellKey(response.branch, month, response.desk, response.channel, response.staff, response.flagged)


def cells_from_responses(responses: Iterable[Response], surveys: dict[str, Survey],
                         timezone: str) -> dict[CellKey, ResponseSummary]:
    """Group responses of branches in one time zone into cells, each summarised once."""
    tz = ZoneInfo(timezone)
    groups: dict[CellKey, list[Response]] = defaultdict(list)
    for response in responses:
        groups[_key_of(response, tz)].append(response)
    return {key: summarise_responses(items, surveys, timezone=timezone) for key, items in groups.items()}


def _add_tally(into: Tally, other: Tally) -> None:
    into.merge(other)


def merge_summaries(summaries: Iterable[ResponseSummary], *, latest_comments: int | None = None
                    ) -> ResponseSummary:
    """One summary holding every answer of ``summaries``, as if summarised together.

    ``latest_comments`` keeps only that many of the newest comments (a page
    that lists ten need not sort a hundred branches' year of them).
    """
    merged = ResponseSummary()
    for s in summaries:
        merged.responses += s.responses
        merged.flagged += s.flagged
        _add_tally(merged.satisfaction, s.satisfaction)
        merged.nps_counts.update(s.nps_counts)
        for name, tally in s.dimensions.items():
            _add_tally(merged.dimensions[name], tally)
        for cell, tally in s.heatmap.items():
            _add_tally(merged.heatmap[cell], tally)
        merged.heatmap_counts.update(s.heatmap_counts)
        for month, tally in s.by_month.items():
            _add_tally(merged.by_month[month], tally)
        merged.month_counts.update(s.month_counts)
        merged.outcomes.update(s.outcomes)
        merged.comments.extend(s.comments)
        if latest_comments is not None and len(merged.comments) > 4 * latest_comments + 64:
            merged.comments = heapq.nlargest(latest_comments, merged.comments, key=_submitted_at)
    if latest_comments is not None:
        merged.comments = heapq.nlargest(latest_comments, merged.comments, key=_submitted_at)
    else:
        merged.comments.sort(key=_submitted_at, reverse=True)
    return merged


def _submitted_at(response: Response) -> str:
    return response.submitted_at


def select(cells: Iterable[tuple[CellKey, ResponseSummary]], keep: Callable[[CellKey], bool]) -> ResponseSummary:
    """The merge of the cells whose key ``keep`` accepts (cells as ``(key, summary)`` pairs)."""
    return merge_summaries(summary for key, summary in cells if keep(key))


def tally_to_doc(t: Tally) -> list:
    return [t.count, t.total, t.high] + ([] if t.squares is None else [t.squares])


def tally_from_doc(doc: list) -> Tally:
    # Figures kept before the sum of squares was recorded have three numbers: no spread is known.
    return Tally(int(doc[0]), float(doc[1]), int(doc[2]), float(doc[3]) if len(doc) > 3 else None)


def summary_to_doc(s: ResponseSummary) -> dict:
    """A JSON shape for a summary, without comments: retention keeps figures, not words."""
    return {
        "responses": s.responses,
        "flagged": s.flagged,
        "satisfaction": tally_to_doc(s.satisfaction),
        "nps": dict(s.nps_counts),
        "dimensions": {k: tally_to_doc(v) for k, v in s.dimensions.items()},
        "heatmap": {f"{d}-{h}": tally_to_doc(v) for (d, h), v in s.heatmap.items()},
        "heatmap_counts": {f"{d}-{h}": n for (d, h), n in s.heatmap_counts.items()},
        "by_month": {k: tally_to_doc(v) for k, v in s.by_month.items()},
        "month_counts": dict(s.month_counts),
        "outcomes": dict(s.outcomes),
    }


def _cell(text: str) -> tuple[int, int]:
    day, hour = text.split("-")
    return int(day), int(hour)


def summary_from_doc(doc: dict, *, kept_cell: bool = True) -> ResponseSummary:
    """A kept summary; one kept before held answers left every figure is read as they are now.

    Such a cell (all its responses flagged, and counted) is read as flagged
    responses only, so a kept month and a stored one give the same figures.
    ``kept_cell=False`` reads a summary written by this code (a merged total,
    where as many counted as held answers is no sign of the old format).
    """
    s = ResponseSummary()
    s.responses = int(doc["responses"])
    s.flagged = int(doc.get("flagged", 0))
    if kept_cell and s.flagged and s.responses == s.flagged:
        s.responses = 0
        return s
    s.satisfaction = tally_from_doc(doc["satisfaction"])
    s.nps_counts.update(doc.get("nps", {}))
    for k, v in doc.get("dimensions", {}).items():
        s.dimensions[k] = tally_from_doc(v)
    for k, v in doc.get("heatmap", {}).items():
        s.heatmap[_cell(k)] = tally_from_doc(v)
    for k, n in doc.get("heatmap_counts", {}).items():
        s.heatmap_counts[_cell(k)] = int(n)
    for k, v in doc.get("by_month", {}).items():
        s.by_month[k] = tally_from_doc(v)
    s.month_counts.update(doc.get("month_counts", {}))
    s.outcomes.update(doc.get("outcomes", {}))
    return s
