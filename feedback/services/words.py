"""Words that must work outside a request too: in a request, the user's language; elsewhere, English.

The coaching cycle writes its audit in words, and the demo and scripts write
through the same services with no request (so no user language) around them.
Import as ``_`` so the catalogue extractor finds the strings.
"""

from __future__ import annotations

from flask import has_app_context
from flask_babel import gettext

__all__ = ["gettext_anywhere"]


def gettext_anywhere(string: str, **variables) -> str:
    if has_app_context():
        try:
            return gettext(string, **variables)
        except RuntimeError:  # an app but no request: no user language to choose
            pass
    return string % variables if variables else string
