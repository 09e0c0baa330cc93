"""A visit's audit trail in words: "saved: changed the narrative and 4 answers".

The audit stores what changed as field names (``changed: narrative,
answers.welcome_greeted``) so that it stays exact and language-free; this
module is the one place that turns such a note into a sentence in the
reader's language. Reviewers' comments are kept as written.
"""

from __future__ import annotations

from babel.lists import format_list
from flask_babel import get_locale, gettext, ngettext
from flask_babel import lazy_gettext as _l

__all__ = ["FIELD_NAMES", "describe_changes", "history_note"]

_CHANGED = "changed: "

# How each field the shopper writes is named in a sentence ("changed the narrative").
FIELD_NAMES = {
    "visited_at": _l("the time of the visit"),
    "wait_minutes": _l("the wait"),
    "duration_minutes": _l("the length of the interaction"),
    "staff": _l("the staff member"),
    "staff_description": _l("the description of the staff member"),
    "accuracy": _l("the accuracy of the answer"),
    "narrative": _l("the narrative"),
    "would_return": _l("whether you would come back"),
}


def describe_changes(fields: list[str]) -> str:
    """``["narrative", "answers.a", "answers.b"]`` -> "changed the narrative and 2 answers"."""
    answers = sum(1 for f in fields if f.startswith("answers."))
    parts = [str(FIELD_NAMES.get(f, f)) for f in fields if not f.startswith("answers.")]
    if answers:
        parts.append(ngettext("%(num)d answer", "%(num)d answers", answers))
    if not parts:
        return ""
    return gettext("changed %(what)s", what=format_list(parts, locale=str(get_locale() or "en")))


def history_note(note: str) -> str:
    """The note of an audit entry as shown: changes in words, anything else as written."""
    if note.startswith(_CHANGED):
        return describe_changes([f.strip() for f in note[len(_CHANGED):].split(",") if f.strip()])
    return note
