"""gunicorn settings, read automatically when gunicorn starts in this folder.

The access log leaves out the client's address and user agent on purpose:
guests are anonymous, so nothing that could identify them is written, not
even to a log.

The server's one render service (see ``feedback/render_service.py``) is
started here, before the workers, and stopped when gunicorn exits: every
worker sends its PDFs to it instead of starting render processes of its own.
"""

import os

bind = f"127.0.0.1:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("WORKERS", "2"))
accesslog = "-"
access_log_format = '%(t)s "%(r)s" %(s)s %(b)s %(M)sms'
# A slow report must not be mistaken for a hung worker.
timeout = 120


def on_starting(server):
    from feedback.render_service import start_for_gunicorn

    server.render_service = start_for_gunicorn()


def on_exit(server):
    from feedback.render_service import stop_service

    stop_service(getattr(server, "render_service", None))
