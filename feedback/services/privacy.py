"""Guest privacy: find and mask e-mail addresses and phone numbers typed into a comment.

A comment is read by managers and printed in coaching reports, so contact
details must not travel with it. A guest who wants a reply ticks "contact me"
and the details go to a separate follow-up record instead (see ``submission``).
"""

from __future__ import annotations

import re

__all__ = ["EMAIL_MASK", "PHONE_MASK", "find_contact_details", "mask_contact_details"]

EMAIL_MASK = "[e-mail removed]"
PHONE_MASK = "[phone removed]"

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# A run of digits, spaces, dots, dashes and brackets, optionally after "+",
# holding at least 7 digits: phone numbers in the formats guests type, but not
# a year ("2026") or a short count ("3 books").
_PHONE_CANDIDATE = re.compile(r"(?<![\w+])\+?\(?\d[\d\s().-]{5,}\d(?!\w)")
_MIN_PHONE_DIGITS = 7
_MAX_PHONE_DIGITS = 15  # E.164


def _is_phone(candidate: str) -> bool:
    digits = sum(ch.isdigit() for ch in candidate)
    return _MIN_PHONE_DIGITS <= digits <= _MAX_PHONE_DIGITS


def find_contact_details(text: str) -> list[str]:
    """E-mail addresses and phone numbers in ``text``, in the order they appear."""
    found: list[tuple[int, str]] = [(m.start(), m.group(0)) for m in _EMAIL.finditer(text)]
    without_emails = _EMAIL.sub(lambda m: " " * len(m.group(0)), text)
    for match in _PHONE_CANDIDATE.finditer(without_emails):
        if _is_phone(match.group(0)):
            found.append((match.start(), match.group(0).strip()))
    return [value for _, value in sorted(found)]


def mask_contact_details(text: str) -> str:
    """``text`` with every e-mail address and phone number replaced by a neutral marker."""
    masked = _EMAIL.sub(EMAIL_MASK, text)
    return _PHONE_CANDIDATE.sub(lambda m: PHONE_MASK if _is_phone(m.group(0)) else m.group(0), masked)
