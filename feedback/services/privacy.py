"""Guest privacy: find and mask e-mail addresses and phone numbers typed into a comment.

A comment is read by managers and printed in coaching reports, so contact
details must not travel with it. A guest who wants a reply ticks "contact me"
and the details go to a separate follow-up record instead (see ``submission``).

Library comments are full of other numbers that look like phone numbers by
their digits alone: ISBNs ("ISBN 978-84-376-0494-7"), call numbers
("641.5 JAM", "signatura 863.64"), dates ("12.03.2026", "2026-03-12"), times
("kl. 14.30") and year ranges ("1999-2001"). Those are found first and set
aside, each by its own shape (and an ISBN by its check digit), so only what
is left can be taken for a phone number.
"""

from __future__ import annotations

import re
from collections.abc import Callable

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

# Numbers that are not phone numbers, each with a check that it really is what its shape says.
_ISBN_AFTER_WORD = re.compile(r"\bISBN(?:-1[03])?:?\s*[\dX][\d\s-]{8,16}[\dX]\b", re.IGNORECASE)
_ISBN_13 = re.compile(r"(?<![\d-])97[89](?:[\s-]?\d){10}(?![\d-])")
_ISBN_10_HYPHENATED = re.compile(r"(?<![\d-])\d{1,5}-\d{1,7}-\d{1,7}-[\dX](?![\w-])")
# A number's end is followed by no digit, nor by a separator and a digit (a sentence's full stop is fine).
_DAY_MONTH_YEAR = re.compile(r"(?<!\d)(?<!\d[.-])(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?!\d|[.-]\d)")
_ISO_DATE = re.compile(r"(?<!\d)(?<!\d-)(\d{4})-(\d{2})-(\d{2})(?!\d|-\d)")
_TIME = re.compile(r"(?<!\d)(?<!\d[.:])([01]?\d|2[0-3])[.:]([0-5]\d)(?!\d|[.:]\d)")
_YEAR_RANGE = re.compile(r"(?<![\d-])(1[5-9]\d\d|20\d\d)\s?[-–]\s?(1[5-9]\d\d|20\d\d)(?![\d-])")
# Dewey (and DK5) class numbers: three digits, one decimal point, more digits ("641.5", "823.914").
_CLASS_NUMBER = re.compile(r"(?<!\d)(?<!\d\.)\d{3}\.\d+(?!\d|\.\d)")


def _isbn_digits(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isdigit() or ch == "X")


def _is_isbn(text: str) -> bool:
    digits = _isbn_digits(text)
    if len(digits) == 13 and digits.isdigit():
        return sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10 == 0
    if len(digits) == 10 and digits[:9].isdigit():
        values = [int(d) for d in digits[:9]] + [10 if digits[9] == "X" else int(digits[9])]
        return sum(v * (10 - i) for i, v in enumerate(values)) % 11 == 0
    return False


def _is_day_month(m: re.Match) -> bool:
    first, second = int(m.group(1)), int(m.group(3))
    # Day first (en-GB, es, da) or month first (en-US): either way one is a month, the other a day.
    return (1 <= first <= 31 and 1 <= second <= 12) or (1 <= first <= 12 and 1 <= second <= 31)


def _is_iso_date(m: re.Match) -> bool:
    return 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31


def _is_year_range(m: re.Match) -> bool:
    return int(m.group(1)) <= int(m.group(2))


def _always(m: re.Match) -> bool:
    return True


_NOT_PHONES: tuple[tuple[re.Pattern, Callable[[re.Match], bool]], ...] = (
    (_ISBN_AFTER_WORD, _always),
    (_ISBN_13, lambda m: _is_isbn(m.group(0))),
    (_ISBN_10_HYPHENATED, lambda m: _is_isbn(m.group(0))),
    (_ISO_DATE, _is_iso_date),
    (_DAY_MONTH_YEAR, _is_day_month),
    (_YEAR_RANGE, _is_year_range),
    (_TIME, _always),
    (_CLASS_NUMBER, _always),
)


def _blank(text: str, pattern: re.Pattern, keep: Callable[[re.Match], bool]) -> str:
    """``text`` with each match that passes ``keep`` turned into letters, so no phone can start or run through it."""
    return pattern.sub(lambda m: "x" * len(m.group(0)) if keep(m) else m.group(0), text)


def _phone_spans(text: str) -> list[tuple[int, int]]:
    """Where the phone numbers are in ``text`` (e-mail addresses and the numbers above set aside)."""
    searched = _EMAIL.sub(lambda m: " " * len(m.group(0)), text)
    for pattern, keep in _NOT_PHONES:
        searched = _blank(searched, pattern, keep)
    spans = []
    for match in _PHONE_CANDIDATE.finditer(searched):
        digits = sum(ch.isdigit() for ch in match.group(0))
        if _MIN_PHONE_DIGITS <= digits <= _MAX_PHONE_DIGITS:
            value = match.group(0)
            start = match.start() + (len(value) - len(value.lstrip()))
            spans.append((start, match.start() + len(value.rstrip())))
    return spans


def find_contact_details(text: str) -> list[str]:
    """E-mail addresses and phone numbers in ``text``, in the order they appear."""
    found = [(m.start(), m.end()) for m in _EMAIL.finditer(text)] + _phone_spans(text)
    return [text[start:end] for start, end in sorted(found)]


def mask_contact_details(text: str) -> str:
    """``text`` with every e-mail address and phone number replaced by a neutral marker."""
    spans = sorted([(m.start(), m.end(), EMAIL_MASK) for m in _EMAIL.finditer(text)]
                   + [(start, end, PHONE_MASK) for start, end in _phone_spans(text)])
    pieces, at = [], 0
    for start, end, marker in spans:
        pieces += [text[at:start], marker]
        at = end
    return "".join(pieces) + text[at:]
