"""The e-mail outbox: ``outbox.json``, every message stored before anyone tries to send it.

A message is written here first and only then handed to SMTP by the
background worker, so a mail server that is down, a worker that restarts or a
slow relay loses nothing: an unsent message stays ``pending`` and is tried
again. Once sent, its body (which may hold a reset link) is erased; the
envelope stays as a record of what went where.
"""

from __future__ import annotations

from datetime import datetime

from tinydb import where

from ..model import OutboxMessage, format_utc

__all__ = ["OutboxRepository"]

FILE = "outbox.json"
TABLE = "messages"


class OutboxRepository:
    def __init__(self, store):
        self._store = store

    def add(self, message: OutboxMessage) -> OutboxMessage:
        with self._store.lock("outbox"), self._store.table(FILE, TABLE) as t:
            t.insert(message.to_doc())
        return message

    def get(self, message_id: str) -> OutboxMessage | None:
        with self._store.table(FILE, TABLE) as t:
            doc = t.get(where("id") == message_id)
        return OutboxMessage.from_doc(doc) if doc else None

    def pending(self) -> list[OutboxMessage]:
        """Every unsent message, oldest first."""
        with self._store.table(FILE, TABLE) as t:
            docs = t.search(where("status") == "pending")
        return sorted((OutboxMessage.from_doc(d) for d in docs), key=lambda m: m.created_at)

    def due(self, now: datetime) -> list[OutboxMessage]:
        """Unsent messages whose next attempt is now or past, oldest first."""
        stamp = format_utc(now)
        return [m for m in self.pending() if m.next_attempt_at <= stamp]

    def recent(self, limit: int = 50) -> list[OutboxMessage]:
        with self._store.table(FILE, TABLE) as t:
            docs = t.all()
        found = sorted((OutboxMessage.from_doc(d) for d in docs), key=lambda m: m.created_at, reverse=True)
        return found[:limit]

    def mark_sent(self, message_id: str, at: datetime) -> None:
        """Sent: keep the envelope, erase the body (it may hold a single-use link)."""
        with self._store.lock("outbox"), self._store.table(FILE, TABLE) as t:
            t.update({"status": "sent", "sent_at": format_utc(at), "body": "", "last_error": ""},
                     where("id") == message_id)

    def mark_attempt_failed(self, message_id: str, *, error: str, next_attempt: datetime) -> None:
        with self._store.lock("outbox"), self._store.table(FILE, TABLE) as t:
            doc = t.get(where("id") == message_id)
            if doc is None:
                return
            t.update({"attempts": int(doc.get("attempts", 0)) + 1, "last_error": error[:300],
                      "next_attempt_at": format_utc(next_attempt)}, where("id") == message_id)

    def remove_sent_before(self, cutoff: datetime) -> int:
        stamp = format_utc(cutoff)
        with self._store.lock("outbox"), self._store.table(FILE, TABLE) as t:
            removed = t.remove((where("status") == "sent") & (where("sent_at") < stamp))
        return len(removed)
