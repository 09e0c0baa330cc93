"""Alerts: tell a branch's managers while the problem is still in the building.

Three rules, evaluated by the background worker (never on a guest's request):

* **Unhappy burst** (HappyOrNot's default): within ``window_minutes`` (15) at
  least ``min_answers`` (4) answers, of which at least ``unhappy_share``
  (half) are unhappy (faces 1-2 on average). Editable per branch.
* **Very low score with a comment**: a guest gave the lowest face
  (``low_score``) and wrote something: someone should read it today.
* **Kiosk silent**: an active kiosk has not been in touch for
  ``kiosk_silent_minutes`` during the branch's opening hours.

Each alert is stored once (its key names the event) and says what happened,
when, and links to the answers in the comments browser.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from ..local_time import format_local
from ..model import Alert, Branch, Response, format_utc, new_id, parse_utc, utc_now
from .surveys import Survey, surveys_from_settings

__all__ = ["AlertRule", "AlertRuleError", "DEFAULT_RULE", "alert_rule", "save_alert_rule", "smiley_mean",
           "evaluate_branch", "recent_alerts", "describe_alert", "LOOKBACK"]

#: How far back each evaluation looks: a worker that was down this long still catches up.
LOOKBACK = timedelta(hours=2)
_UNHAPPY_AT_MOST = 2.0


class AlertRuleError(ValueError):
    """A rule value out of range; ``field`` names it."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class AlertRule:
    enabled: bool = True
    window_minutes: int = 15
    min_answers: int = 4
    unhappy_share: float = 0.5
    low_score_comment: bool = True
    low_score: int = 1
    kiosk_silent_minutes: int = 120
    opens: str = "09:00"
    closes: str = "20:00"

    def open_at(self, local: datetime) -> bool:
        return _clock(self.opens) <= local.time() < _clock(self.closes)


DEFAULT_RULE = AlertRule()


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def _checked(rule: AlertRule) -> AlertRule:
    if not 1 <= rule.window_minutes <= 24 * 60:
        raise AlertRuleError("window_minutes", "between 1 and 1440 minutes")
    if not 1 <= rule.min_answers <= 1000:
        raise AlertRuleError("min_answers", "between 1 and 1000 answers")
    if not 0 < rule.unhappy_share <= 1:
        raise AlertRuleError("unhappy_share", "a share above 0 and at most 1")
    if not 1 <= rule.low_score <= 5:
        raise AlertRuleError("low_score", "a face from 1 to 5")
    if not 10 <= rule.kiosk_silent_minutes <= 24 * 60:
        raise AlertRuleError("kiosk_silent_minutes", "between 10 and 1440 minutes")
    for name in ("opens", "closes"):
        try:
            _clock(getattr(rule, name))
        except (ValueError, TypeError):
            raise AlertRuleError(name, "a time like 09:00") from None
    if _clock(rule.opens) >= _clock(rule.closes):
        raise AlertRuleError("closes", "after the opening time")
    return rule


def alert_rule(store, branch: str) -> AlertRule:
    """The branch's rule: the defaults with whatever the branch changed."""
    known = {f.name for f in fields(AlertRule)}
    stored = {k: v for k, v in store.alerts.rule(branch).items() if k in known}
    return replace(DEFAULT_RULE, **stored)


def save_alert_rule(store, branch: str, rule: AlertRule) -> AlertRule:
    store.alerts.set_rule(branch, asdict(_checked(rule)))
    return rule


def smiley_mean(survey: Survey | None, response: Response) -> float | None:
    """The mean of a response's faces (1-5), or None when it has none."""
    if survey is None:
        return None
    scores = [v for q in survey.questions if q.type == "smiley"
              and isinstance(v := response.answers.get(q.id), int) and not isinstance(v, bool)]
    return sum(scores) / len(scores) if scores else None


def _counts(response: Response) -> bool:
    """Held or discarded answers (the review queue) raise no alert."""
    return getattr(response, "review", None) not in ("held", "discarded") and not response.flagged


def _burst_alerts(branch: Branch, rule: AlertRule, scored: list[tuple[Response, float | None]],
                  last_end: str | None) -> list[Alert]:
    window = timedelta(minutes=rule.window_minutes)
    found: list[Alert] = []
    rated = [(r, s) for r, s in scored if s is not None]
    for index, (last, _score) in enumerate(rated):
        end = last.submitted
        inside = [(r, s) for r, s in rated[: index + 1] if end - r.submitted < window]
        unhappy = sum(1 for _r, s in inside if s <= _UNHAPPY_AT_MOST)
        if len(inside) < rule.min_answers or unhappy < rule.unhappy_share * len(inside):
            continue
        start = inside[0][0].submitted
        # One alert per run of unhappy windows: a window overlapping the last alert's is the same problem.
        if last_end is not None and format_utc(start) <= last_end:
            continue
        alert = Alert(id=new_id(), branch=branch.slug, kind="unhappy_burst", raised_at="",
                      key=f"unhappy_burst:{branch.slug}:{inside[0][0].id}", window_start=format_utc(start),
                      window_end=format_utc(end), answers=len(inside), unhappy=unhappy)
        found.append(alert)
        last_end = alert.window_end
    return found


def _low_score_alerts(branch: Branch, rule: AlertRule, scored) -> list[Alert]:
    return [Alert(id=new_id(), branch=branch.slug, kind="low_score_comment", raised_at="",
                  key=f"low_score_comment:{r.id}", window_start=r.submitted_at, window_end=r.submitted_at,
                  answers=1, unhappy=1, response=r.id)
            for r, s in scored if s is not None and s <= rule.low_score and r.comment.strip()]


def _kiosk_alerts(store, branch: Branch, rule: AlertRule, now: datetime, responses: list[Response]
                  ) -> list[Alert]:
    """Active kiosks not heard from (no check-in, no answer at their desk) for the rule's time, while open."""
    local = now.astimezone(ZoneInfo(branch.timezone))
    if not rule.open_at(local):
        return []
    opened = datetime.combine(local.date(), _clock(rule.opens), ZoneInfo(branch.timezone))
    silent_for = timedelta(minutes=rule.kiosk_silent_minutes)
    found = []
    for kiosk in store.directory.kiosks(branch.slug):
        if not kiosk.active:
            continue
        seen = store.kiosk_activity.get(kiosk.token)
        last = parse_utc(seen["last_seen"]) if seen and seen.get("last_seen") else None
        # A kiosk answer at its desk is a sign of life too (a kiosk page older than its check-ins).
        answered = [r.submitted for r in responses if r.channel == "kiosk" and r.desk == kiosk.desk]
        if answered:
            last = max(filter(None, [last, max(answered)]))
        since = max(filter(None, [last, opened, parse_utc(kiosk.created_at) if kiosk.created_at else None]))
        if now - since < silent_for:
            continue
        found.append(Alert(id=new_id(), branch=branch.slug, kind="kiosk_silent", raised_at="",
                           key=f"kiosk_silent:{kiosk.token}:{local.date().isoformat()}",
                           window_start=format_utc(last) if last else "", window_end=format_utc(now),
                           kiosk=kiosk.token, detail=kiosk.label or kiosk.desk))
    return found


def evaluate_branch(store, branch: Branch, *, now: datetime | None = None,
                    surveys: dict[str, Survey] | None = None) -> list[Alert]:
    """Look at the branch's last :data:`LOOKBACK` of answers and its kiosks; store and return new alerts."""
    now = now or utc_now()
    rule = alert_rule(store, branch.slug)
    if not rule.enabled:
        return []
    surveys = surveys if surveys is not None else surveys_from_settings(store.directory.settings())
    responses = sorted((r for r in store.responses.in_period(branch.slug, now - LOOKBACK, now + timedelta(seconds=1))
                        if _counts(r)), key=lambda r: r.submitted_at)
    scored = [(r, smiley_mean(surveys.get(r.survey), r)) for r in responses]
    last = store.alerts.last_of_kind(branch.slug, "unhappy_burst")
    candidates = _burst_alerts(branch, rule, scored, last.window_end if last else None)
    if rule.low_score_comment:
        candidates += _low_score_alerts(branch, rule, scored)
    candidates += _kiosk_alerts(store, branch, rule, now, responses)
    raised = []
    for alert in candidates:
        alert.raised_at = format_utc(now)
        if store.alerts.raise_once(alert):
            raised.append(alert)
    return raised


def recent_alerts(store, branches: Iterable[str], *, now: datetime | None = None,
                  days: int = 2) -> list[Alert]:
    """Alerts of the last ``days`` at ``branches``, newest first: what the dashboard shows."""
    now = now or utc_now()
    return store.alerts.since(now - timedelta(days=days), set(branches))


def rule_from_form(data: dict[str, Any]) -> AlertRule:
    """An :class:`AlertRule` from a form's values (range-checked by :func:`save_alert_rule`)."""
    known = {f.name for f in fields(AlertRule)}
    return replace(DEFAULT_RULE, **{k: v for k, v in data.items() if k in known})


def _local(stamp: str, timezone: str) -> str:
    return format_local(stamp, timezone, kind="time") if stamp else "?"


def describe_alert(alert: Alert, branch: Branch) -> str:
    """What happened, in a sentence, in the current language and the branch's local time."""
    tz = branch.timezone
    if alert.kind == "unhappy_burst":
        if _local(alert.window_start, tz) == _local(alert.window_end, tz):
            return _("%(unhappy)d of %(answers)d answers were unhappy at %(time)s.", unhappy=alert.unhappy,
                     answers=alert.answers, time=_local(alert.window_end, tz))
        return _("%(unhappy)d of %(answers)d answers were unhappy between %(start)s and %(end)s.",
                 unhappy=alert.unhappy, answers=alert.answers, start=_local(alert.window_start, tz),
                 end=_local(alert.window_end, tz))
    if alert.kind == "low_score_comment":
        return _("A guest gave the lowest score and left a comment at %(time)s.",
                 time=_local(alert.window_end, tz))
    if alert.kind == "kiosk_silent":
        if alert.window_start:
            return _("The kiosk \"%(kiosk)s\" has not been in touch since %(time)s, during opening hours.",
                     kiosk=alert.detail, time=_local(alert.window_start, tz))
        return _("The kiosk \"%(kiosk)s\" has not been in touch today, during opening hours.", kiosk=alert.detail)
    return alert.kind
