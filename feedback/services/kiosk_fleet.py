"""The kiosk fleet: which kiosks are alive, how busy they were today, what waits on them.

A kiosk checks in every few minutes (``kiosk.js`` -> ``/kiosk/<token>/seen``)
with the number of answers queued on the device; :func:`record_kiosk_contact`
keeps that in ``store.kiosk_activity``. :func:`kiosk_fleet` shows it beside
today's kiosk answers at the kiosk's desk.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..local_time import format_local
from ..model import Kiosk, parse_utc, utc_now

__all__ = ["FleetRow", "record_kiosk_contact", "kiosk_fleet", "kiosk_reference", "MAX_REPORTED_QUEUE"]

#: A larger queue length from a device is not believed (and not stored).
MAX_REPORTED_QUEUE = 100_000


def kiosk_reference(token: str) -> str:
    """A short public reference to a kiosk, so pages never show its secret token."""
    return hashlib.sha256(token.encode()).hexdigest()[:12]


def record_kiosk_contact(store, kiosk: Kiosk, queue: int | None, *, now: datetime | None = None) -> bool:
    if queue is not None and not 0 <= queue <= MAX_REPORTED_QUEUE:
        queue = None
    return store.kiosk_activity.record(kiosk.token, now or utc_now(), queue=queue)


@dataclass(frozen=True)
class FleetRow:
    reference: str
    label: str
    branch: str
    desk: str
    active: bool
    last_seen: str  # local time at the branch, "" when never
    silent: bool  # not seen for more than an hour
    answers_today: int  # kiosk answers at this kiosk's desk today (local day)
    queue: int | None  # answers waiting on the device when it last checked in
    queue_at: str


def kiosk_fleet(store, branch_slugs: list[str], *, now: datetime | None = None) -> list[FleetRow]:
    now = now or utc_now()
    activity = store.kiosk_activity.all()
    branches = {b.slug: b for b in store.directory.branches(include_inactive=True)}
    rows = []
    for slug in branch_slugs:
        branch = branches.get(slug)
        kiosks = store.directory.kiosks(slug) if branch else []
        if not kiosks:
            continue
        tz = ZoneInfo(branch.timezone)
        today = now.astimezone(tz).date()
        start = datetime.combine(today, time.min, tz)
        counts: dict[str | None, int] = {}
        for response in store.responses.in_period(slug, start, start + timedelta(days=1)):
            if response.channel == "kiosk":
                counts[response.desk] = counts.get(response.desk, 0) + 1
        desks = {d.slug: d.name for d in store.directory.desks(slug)}
        for kiosk in kiosks:
            seen = activity.get(kiosk.token, {})
            last = parse_utc(seen["last_seen"]) if seen.get("last_seen") else None
            queue_at = parse_utc(seen["queue_at"]).astimezone(tz) if seen.get("queue_at") else None
            rows.append(FleetRow(
                reference=kiosk_reference(kiosk.token), label=kiosk.label, branch=branch.name,
                desk=desks.get(kiosk.desk, kiosk.desk), active=kiosk.active,
                last_seen=format_local(last, branch.timezone) if last else "",
                silent=kiosk.active and (last is None or now - last > timedelta(hours=1)),
                answers_today=counts.get(kiosk.desk, 0), queue=seen.get("queue"),
                queue_at=format_local(queue_at, branch.timezone, kind="time") if queue_at else ""))
    return sorted(rows, key=lambda r: (not r.active, r.branch, r.desk, r.label))
