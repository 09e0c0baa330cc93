"""gunicorn settings, read automatically when gunicorn starts in this folder.

The access log leaves out the client's address and user agent on purpose:
guests are anonymous, so nothing that could identify them is written, not
even to a log.
"""

import os

bind = f"127.0.0.1:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("WORKERS", "2"))
accesslog = "-"
access_log_format = '%(t)s "%(r)s" %(s)s %(b)s %(M)sms'
# A slow report must not be mistaken for a hung worker.
timeout = 120
