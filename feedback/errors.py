"""Error pages: a clear page in the person's language, never a stack trace, never a false "thank you".

A store that cannot be read (a corrupt file) or written (a full disk, an I/O
error, a lock held too long) answers 503 with a page that says nothing was
saved, so a guest or a kiosk knows to try again and an operator sees the cause
in the log. Any other ``OSError`` (a missing template, a permission error) is
a fault of the installation, not a passing storage problem: it answers 500 and
is logged with its traceback, never disguised as "not stored".
"""

from __future__ import annotations

import errno
import logging

from flask import Flask, Response, render_template
from flask_babel import gettext as _
from werkzeug.exceptions import SecurityError

from .store import CorruptFileError

__all__ = ["STORAGE_ERRNOS", "init_app", "is_storage_fault"]

log = logging.getLogger(__name__)

# The errors a full, failing or busy disk gives; worth a retry, so 503.
STORAGE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EROFS, errno.ENFILE, errno.EMFILE})


def is_storage_fault(error: OSError) -> bool:
    """True for a full or failing disk and a store lock that timed out; False for a fault of the installation."""
    from filelock import Timeout

    return isinstance(error, Timeout) or error.errno in STORAGE_ERRNOS


def _page(status: int, title: str, message: str):
    return render_template("errors/error.html", status=status, title=title, message=message), status


def init_app(app: Flask) -> None:
    @app.errorhandler(CorruptFileError)
    def corrupt_store(error: CorruptFileError):
        log.error("store unusable: %s", error)
        return _page(503, _("Temporarily unavailable"),
                     _("We could not save or show this just now. Nothing you sent was lost on our side; "
                       "please try again in a moment."))

    @app.errorhandler(OSError)
    def storage_failure(error: OSError):
        if not is_storage_fault(error):
            log.error("server fault (not a storage fault)", exc_info=error)
            return _page(500, _("Something went wrong"), _("Please try again in a moment."))
        log.error("storage failure: %s", error)
        return _page(503, _("Temporarily unavailable"),
                     _("We could not save this just now, so it was not stored. Please try again in a moment."))

    @app.errorhandler(400)
    def bad_request(error):
        if isinstance(error, SecurityError):
            # A Host header outside TRUSTED_HOSTS: no URL can be built for it, so no page either.
            log.warning("refused a request for an untrusted host: %s", error.description)
            return Response("Unknown host.\n", status=400, mimetype="text/plain")
        return _page(400, _("Something went wrong with this form"),
                     _("Please go back, reload the page and try again."))

    @app.errorhandler(403)
    def forbidden(error):
        return _page(403, _("Not allowed"), _("You do not have access to this page."))

    @app.errorhandler(404)
    def not_found(error):
        return _page(404, _("Page not found"), _("There is nothing at this address."))

    @app.errorhandler(413)
    def too_large(error):
        return _page(413, _("Too much text"), _("What you sent is too long. Please shorten it and try again."))

    @app.errorhandler(429)
    def too_many(error):
        return _page(429, _("Please wait a moment"),
                     _("We received many answers from here in a short time. Please try again later."))

    @app.errorhandler(500)
    def server_error(error):
        return _page(500, _("Something went wrong"), _("Please try again in a moment."))
