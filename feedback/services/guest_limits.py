"""How many answers one source may send: above one limit they are held, above a far higher one refused.

A library's public Wi-Fi is one address for every guest in the building, so
volume from one address is only *suspicion*: past ``hold_after`` an answer is
stored held for review (reason ``address_volume``) and counts once a manager
confirms it. Only a rate no group of people can reach (``refuse_after``, by
default hundreds a minute) is refused, and the page that says so keeps the
guest's answers. Counts are shared by every worker (``store.counters``) and
keyed by what the caller gives: a keyed hash of the address, never the address.

Limits are written as the ``limits`` library parses them: ``"120 per 10 minutes"``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from limits import RateLimitItem, parse

__all__ = ["GuestLimits", "Screening", "screen_submission"]


@dataclass(frozen=True)
class GuestLimits:
    """The two thresholds of one channel; ``None`` turns one off."""

    hold_after: RateLimitItem | None
    refuse_after: RateLimitItem | None
    enabled: bool = True
    reason: str = "address_volume"

    @classmethod
    def for_qr(cls, config: Mapping[str, Any]) -> GuestLimits:
        return cls(_parse(config.get("QR_HOLD_LIMIT")), _parse(config.get("QR_REFUSE_LIMIT")),
                   bool(config.get("RATELIMIT_ENABLED", True)))

    @classmethod
    def for_kiosk(cls, config: Mapping[str, Any]) -> GuestLimits:
        """A kiosk is a registered device: never held for volume, refused only past its limit (it queues)."""
        return cls(None, _parse(config.get("KIOSK_RATELIMIT")), bool(config.get("RATELIMIT_ENABLED", True)))


@functools.lru_cache(maxsize=32)
def _parse(text: str | None) -> RateLimitItem | None:
    """A limit's text parsed once a process: every guest's answer asks for it."""
    return parse(text) if text else None


@dataclass(frozen=True)
class Screening:
    refuse: bool = False
    reasons: tuple[str, ...] = ()


def screen_submission(counters, limits: GuestLimits, subject: str) -> Screening:
    """Count one answer from ``subject`` (a keyed hash) and say whether to hold or refuse it.

    One read-modify-write of the shared counter file, whatever the number of limits.
    """
    if not limits.enabled:
        return Screening()
    items = {name: item for name, item in (("hold", limits.hold_after), ("refuse", limits.refuse_after)) if item}
    if not items:
        return Screening()
    keys = {name: item.key_for(name, subject) for name, item in items.items()}
    counts = counters.incr_many({keys[name]: item.get_expiry() for name, item in items.items()})
    over = {name for name, item in items.items() if counts[keys[name]] > item.amount}
    return Screening(refuse="refuse" in over, reasons=(limits.reason,) if "hold" in over else ())
