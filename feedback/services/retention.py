"""Retention: old responses are deleted, the monthly figures reports need are kept.

A response older than the retention period is removed with its whole day
(``responses.remove_days_before``), but first its monthly cells are stored in
``store.aggregates``, so dashboards and reports over old months still show
the same figures (comments aside: words are not kept). Follow-ups past their
own retention lose the guest's contact details.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from .monthly_cells import cells_from_responses, summary_to_doc
from .surveys import surveys_from_settings

__all__ = ["PurgeResult", "retention_days", "purge"]

MIN_RETENTION_DAYS = 30


@dataclass
class PurgeResult:
    cutoff: str
    responses_removed: int
    cells_kept: int
    contacts_erased: int


def retention_days(store, default: int) -> int:
    """The retention period: the administrator's setting, else the configured default."""
    stored = store.directory.settings().get("retention_days")
    return int(stored) if stored else int(default)


def purge(store, *, days: int, followup_days: int, now: datetime | None = None) -> PurgeResult:
    """Remove responses older than ``days`` (UTC days), keeping their monthly cells first."""
    if days < MIN_RETENTION_DAYS:
        raise ValueError(f"retention must be at least {MIN_RETENTION_DAYS} days")
    now = now or datetime.now(UTC)
    cutoff = (now - timedelta(days=days)).date()
    cutoff_moment = datetime.combine(cutoff, datetime.min.time(), UTC)
    surveys = surveys_from_settings(store.directory.settings())
    timezones = {b.slug: b.timezone for b in store.directory.branches(include_inactive=True)}
    kept = 0
    for branch in store.responses.branches():
        already = store.aggregates.kept_days(branch)
        # Only days not kept before: a purge that stopped half-way never counts a day twice.
        old = [r for r in store.responses.in_period(branch, None, cutoff_moment)
               if r.submitted.date().isoformat() not in already]
        if not old:
            continue
        cells = cells_from_responses(old, surveys, timezones.get(branch, "UTC"))
        docs = [{**key.to_doc(), "summary": summary_to_doc(summary)} for key, summary in cells.items()]
        days_kept = sorted({(branch, r.submitted.date().isoformat()) for r in old})
        store.aggregates.add(docs, days_kept)
        kept += len(docs)
    removed = store.responses.remove_days_before(cutoff)
    store.review_queue.remove_before(cutoff_moment.strftime("%Y-%m-%dT%H:%M:%SZ"))  # their answers are gone
    erased = store.followups.erase_contacts_before(now - timedelta(days=followup_days))
    return PurgeResult(cutoff.isoformat(), removed, kept, erased)
