"""E-mail: queue a message in the durable outbox; the background worker sends it over SMTP.

:func:`queue_mail` is the one way the app sends mail. It stores the message
(``store.outbox``) and wakes the worker; it never talks to a mail server and
never raises, so no guest or manager ever waits for, or fails on, SMTP.
:func:`deliver_due` is what the worker runs: it sends every message that is
due through Flask-Mailman (``MAIL_*`` settings) and, when the server is down,
keeps the message and tries again later with a growing pause. Nothing is
dropped: a message stays pending until a server takes it.

With no ``MAIL_SERVER`` configured nothing is sent; the messages wait in the
outbox, where an administrator can read them (and pass a reset link on).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ..model import OutboxMessage, format_utc, new_id, utc_now

__all__ = ["DeliveryReport", "mail_configured", "queue_mail", "deliver_due", "retry_delay"]

log = logging.getLogger(__name__)


def mail_configured(config: Mapping[str, Any]) -> bool:
    """True when a mail server is named: only then does the worker try to send."""
    return bool(str(config.get("MAIL_SERVER") or "").strip())


def queue_mail(store, *, to: Iterable[str], subject: str, body: str, kind: str,
               now: datetime | None = None) -> OutboxMessage | None:
    """Store a message for the worker to send; return it, or None if it could not even be stored.

    Never raises: a caller (a reset request, a guest's submit via the worker)
    must not fail because of mail. A storage fault is logged loudly.
    """
    recipients = sorted({address.strip() for address in to if address and address.strip()})
    if not recipients:
        return None
    moment = now or utc_now()
    message = OutboxMessage(id=new_id(), to=recipients, subject=subject.replace("\n", " ")[:200], body=body,
                            kind=kind, created_at=format_utc(moment), next_attempt_at=format_utc(moment))
    try:
        store.outbox.add(message)
    except Exception:  # noqa: BLE001 - the caller's work must go on; the log says what was not stored
        log.exception("could not store an e-mail (%s) for %s", kind, ", ".join(recipients))
        return None
    _wake_worker()
    return message


def _wake_worker() -> None:
    """Ask the background worker to deliver now (it also looks every minute, so this may fail)."""
    try:
        from ..jobs import current_jobs

        current_jobs().enqueue("deliver_mail")
    except RuntimeError:  # outside an app: scripts; the worker's minute check finds the message
        pass


def retry_delay(attempts: int, *, max_minutes: float = 30) -> timedelta:
    """The pause after ``attempts`` failed tries: 1, 2, 4 ... minutes, never more than ``max_minutes``."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), max_minutes))


@dataclass(frozen=True)
class DeliveryReport:
    sent: int
    failed: int
    waiting: int  # still pending after this round (failed ones included)


def _email(message: OutboxMessage, connection, sender: str):
    from flask_mailman import EmailMessage

    return EmailMessage(subject=message.subject, body=message.body, from_email=sender, to=message.to,
                        connection=connection)


def deliver_due(store, config: Mapping[str, Any], *, now: datetime | None = None) -> DeliveryReport:
    """Send every due message over SMTP (needs an app context for Flask-Mailman); keep the failures."""
    now = now or utc_now()
    if not mail_configured(config):
        return DeliveryReport(0, 0, len(store.outbox.pending()))
    from flask import current_app

    due = store.outbox.due(now)
    sent = failed = 0
    max_minutes = float(config.get("MAIL_RETRY_MAX_MINUTES", 30))
    if due:
        mail = current_app.extensions["mailman"]
        connection = mail.get_connection()
        try:
            connection.open()
        except Exception as exc:  # noqa: BLE001 - server down: every message waits for the next round
            for message in due:
                store.outbox.mark_attempt_failed(message.id, error=f"{type(exc).__name__}: {exc}",
                                                 next_attempt=now + retry_delay(message.attempts + 1,
                                                                                max_minutes=max_minutes))
            log.warning("mail server %s:%s unreachable (%s); %d message(s) wait", config.get("MAIL_SERVER"),
                        config.get("MAIL_PORT"), exc, len(due))
            return DeliveryReport(0, len(due), len(store.outbox.pending()))
        try:
            for message in due:
                try:
                    _email(message, connection, str(config.get("MAIL_DEFAULT_SENDER"))).send()
                except Exception as exc:  # noqa: BLE001 - one refused message must not stop the others
                    failed += 1
                    store.outbox.mark_attempt_failed(message.id, error=f"{type(exc).__name__}: {exc}",
                                                     next_attempt=now + retry_delay(message.attempts + 1,
                                                                                    max_minutes=max_minutes))
                else:
                    sent += 1
                    store.outbox.mark_sent(message.id, utc_now())
        finally:
            try:
                connection.close()
            except Exception:  # noqa: BLE001
                pass
    return DeliveryReport(sent, failed, len(store.outbox.pending()))
