"""Configuration: defaults in code, then ``<instance>/config.py``, then ``FEEDBACK_*`` variables.

The instance folder is ``FEEDBACK_INSTANCE`` when set (so an operator can keep
data on its own volume); otherwise ``instance/`` in the project folder when
running from a checkout, and ``instance/`` in the current directory when
installed from a wheel (never inside site-packages). A secret key is
generated into the instance on first start when none is configured: never a
key written in the code.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .resources import PROJECT_ROOT, is_source_checkout

__all__ = ["PROJECT_ROOT", "DEFAULTS", "instance_path", "apply_environment", "ensure_secret_key"]

# Always trusted as a Host: health checks and the CLI reach the app on loopback.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")

DEFAULTS: dict[str, Any] = {
    "SYSTEM_NAME": "City Libraries",
    # The address guests and staff reach the app at: printed on posters, kiosk and invitation links.
    "PUBLIC_URL": "http://127.0.0.1:5000",
    "LANGUAGES": ["en", "es", "da"],
    "BABEL_DEFAULT_LOCALE": "en",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Copenhagen",
    # Show "You were helped by Maria" on a staff member's QR survey.
    "SHOW_STAFF_NAMES": True,
    "KIOSK_IDLE_SECONDS": 60,
    "KIOSK_IDLE_WARNING_SECONDS": 15,
    "KIOSK_THANKS_SECONDS": 6,
    "KIOSK_RATELIMIT": "30 per minute",
    # A burst of this many identical low scores about one person within the window is flagged.
    "BURST_MIN_RESPONSES": 3,
    "BURST_WINDOW_MINUTES": 60,
    # Abuse control (services/guest_limits.py): counts shared by every worker, keyed by a hash of the
    # address. Past the hold limit an answer is stored but held for review; only a rate no group of
    # people reaches is refused (the page keeps the answers). A library's Wi-Fi is one address for all.
    "RATELIMIT_ENABLED": True,
    "QR_HOLD_LIMIT": "120 per 10 minutes",
    "QR_REFUSE_LIMIT": "300 per minute",
    # A QR form page keeps its idempotency key this long across Back and reload (survey/form_keys.py);
    # a key older than FORM_KEY_MAX_HOURS still stores its answer, held for review.
    "FORM_KEY_REUSE_MINUTES": 60,
    "FORM_KEY_MAX_HOURS": 24,
    "MAX_CONTENT_LENGTH": 64 * 1024,
    "COMMENT_MAX_LENGTH": 2000,
    "RESPONSE_CHUNK_SIZE": 64,
    "RETENTION_DAYS": 730,
    # Rotating backups of the data folder (see store/rotating_backups.py); 0 turns them off.
    "BACKUP_INTERVAL_HOURS": 24,
    "BACKUP_KEEP": 7,
    "FOLLOWUP_RETENTION_DAYS": 30,
    # The follow-up service level the branch and board reports measure: guests answered within this many days.
    "FOLLOWUP_TARGET_DAYS": 3,
    "REPORT_PAGE_SIZE": "A4",
    # PDF rendering runs in this many worker processes, each render capped in time and memory.
    "REPORT_WORKERS": 2,
    "REPORT_TIMEOUT_SECONDS": 20,
    "REPORT_MEMORY_MB": 1536,
    "MIN_RESPONSES_FOR_FIGURE": 5,
    # Below this many answers a person's figure is shown but "too few to compare" with the branch.
    "MIN_RESPONSES_TO_COMPARE": 10,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # None: follow PUBLIC_URL (see derive_from_public_url).
    "SESSION_COOKIE_SECURE": None,
    "REMEMBER_COOKIE_SECURE": None,
    "TRUSTED_HOSTS": None,
    "REMEMBER_COOKIE_HTTPONLY": True,
    # A sign-in lasts at most this long (server-side; see services/user_sessions.py).
    "SESSION_HOURS": 12,
    "WTF_CSRF_TIME_LIMIT": 3600 * 8,
    # E-mail through SMTP, Flask's usual names (override as FEEDBACK_MAIL_SERVER, ...). With no
    # MAIL_SERVER nothing is sent: messages wait in the outbox and the console shows them to an admin.
    # Plain SMTP to a local relay is MAIL_SERVER="localhost", MAIL_PORT=25 and both TLS settings off.
    "MAIL_SERVER": "",
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,
    "MAIL_USE_SSL": False,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_DEFAULT_SENDER": "Guest Feedback <feedback@localhost>",
    "MAIL_TIMEOUT": 10,
    "MAIL_BACKEND": "smtp",
    # Unsent mail is retried with a growing pause, never more than this many minutes apart; never dropped.
    "MAIL_RETRY_MAX_MINUTES": 30,
    # Background jobs (report batches, mail, alerts) run in a worker beside the web server
    # (`flask --app wsgi worker`, started by `make run`); its queue is a SQLite file in the instance.
    "JOBS_DATABASE": "jobs.sqlite3",
    # A follow-up still open after this many days is marked overdue.
    "FOLLOWUP_OVERDUE_DAYS": 3,
}


def derive_from_public_url(config: dict[str, Any]) -> None:
    """Settings that must agree with ``PUBLIC_URL``, unless set explicitly.

    Cookies are ``Secure`` whenever the public address is https, whatever else
    is configured (over plain http, as the demo on http://127.0.0.1 runs, they
    cannot be). ``TRUSTED_HOSTS`` is the public host plus loopback (health
    checks, the CLI): Flask then answers 400 to a request whose Host header
    names anything else, so no page, redirect or link is built on a forged Host.
    """
    public = urlsplit(str(config["PUBLIC_URL"]))
    https = public.scheme == "https"
    for name in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        config[name] = True if https else bool(config.get(name))
    if config.get("TRUSTED_HOSTS") is None:
        hosts = [public.hostname] if public.hostname else []
        config["TRUSTED_HOSTS"] = hosts + [h for h in LOOPBACK_HOSTS if h not in hosts]


def instance_path() -> Path:
    configured = os.environ.get("FEEDBACK_INSTANCE")
    if configured:
        return Path(configured).resolve()
    return (PROJECT_ROOT if is_source_checkout() else Path.cwd()) / "instance"


def _parse_env_value(raw: str) -> Any:
    """``FEEDBACK_X=0`` is the number 0, ``=["en"]`` a list; anything else stays text."""
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def apply_environment(config: dict[str, Any], environ: dict[str, str] | None = None) -> None:
    environ = os.environ if environ is None else environ
    for name, raw in environ.items():
        if name.startswith("FEEDBACK_") and name != "FEEDBACK_INSTANCE":
            config[name.removeprefix("FEEDBACK_")] = _parse_env_value(raw)


def ensure_secret_key(instance: Path) -> str:
    """Read ``<instance>/secret_key``, creating it (mode 0600) on first start."""
    path = instance / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        # Another worker won the race: use its key so sessions agree.
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
