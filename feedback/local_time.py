"""Times as people read them: in the branch's time zone, in the reader's language.

Times are stored in UTC (ISO 8601 with a trailing Z); every page shows them
through :func:`format_local` (the ``local_time`` template filter), so the
review queue, the visit page, follow-ups, kiosks and history agree on one
moment and one look ("24 Nov 2026, 01:28" in English, "24. nov. 2026 01.28"
in Danish). Babel supplies each language's own pattern; no format is
hand-written here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.dates import format_skeleton, format_time, get_datetime_format

__all__ = ["format_local", "local_moment", "init_app"]

# Babel's plain "en" writes month first and a 12-hour clock; European libraries read British English.
_FORMAT_LOCALES = {"en": "en_GB"}
_DATE_SKELETON = "yMMMd"  # "24 Nov 2026", "24. nov. 2026", "24 nov 2026"


def local_moment(value: str | datetime, timezone: str) -> datetime:
    """A stored UTC time (text or aware datetime) moved into ``timezone`` (UTC when unknown)."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        zone = ZoneInfo(timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return moment.astimezone(zone)


def _current_language() -> str:
    """The language of the page being made (Flask-Babel's choice), or English outside a request."""
    try:
        from flask_babel import get_locale

        return str(get_locale() or "en")
    except (RuntimeError, AttributeError, KeyError):
        return "en"


def format_local(value: str | datetime | date | None, timezone: str, language: str | None = None, *,
                 kind: str = "datetime") -> str:
    """``value`` in ``timezone``, written the way ``language`` writes it; "" for no value.

    ``language`` defaults to the current page's. ``kind`` is ``datetime`` (day
    and time to the minute), ``date`` or ``time``. A plain ``date`` (an
    assignment window) is a local date already and is only written.
    """
    if value in (None, ""):
        return ""
    language = language or _current_language()
    locale = Locale.parse(_FORMAT_LOCALES.get(str(language), str(language)))
    if isinstance(value, date) and not isinstance(value, datetime):
        return format_skeleton(_DATE_SKELETON, datetime(value.year, value.month, value.day), locale=locale)
    if isinstance(value, str) and len(value) == 10:  # "2026-11-24": a local date
        return format_local(date.fromisoformat(value), timezone, language, kind="date")
    moment = local_moment(value, timezone)
    day = format_skeleton(_DATE_SKELETON, moment, locale=locale)
    clock = format_time(moment, "short", locale=locale)
    if kind == "date":
        return day
    if kind == "time":
        return clock
    # The language's own way of joining a date and a time ("{1}, {0}", "{1} {0}").
    return get_datetime_format("medium", locale=locale).replace("{1}", day).replace("{0}", clock)


def init_app(app) -> None:
    """Register the ``local_time`` filter: ``{{ stamp|local_time(branch=slug) }}`` or ``timezone=...``."""
    from flask import g
    from flask_babel import get_locale

    def branch_timezone(slug: str | None) -> str:
        if not slug:
            return "UTC"
        cache = g.setdefault("branch_timezones", {})
        if slug not in cache:
            from .store import current_store

            branch = current_store().directory.branch(slug)
            cache[slug] = branch.timezone if branch else "UTC"
        return cache[slug]

    def local_time(value, branch: str | None = None, timezone: str | None = None, kind: str = "datetime") -> str:
        return format_local(value, timezone or branch_timezone(branch), str(get_locale() or "en"), kind=kind)

    app.jinja_env.filters["local_time"] = local_time
