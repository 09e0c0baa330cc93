"""How the PDF documents name dimensions, comment themes, answer accuracy and visit channels.

The same words as on screen (``surveys.DIMENSION_LABELS`` and the coaching
labels), but in the catalogues' ``report`` context, so the documents'
translations live together and a Danish report reads Danish throughout.
"""

from __future__ import annotations

from flask_babel import lazy_pgettext

__all__ = ["dimension_label", "theme_label", "accuracy_label", "channel_label", "ACCURACY_ORDER"]

_DIMENSIONS = {
    "welcome": lazy_pgettext("report", "Welcome"), "approachability": lazy_pgettext("report", "Approachability"),
    "listening": lazy_pgettext("report", "Listening"),
    "helpfulness": lazy_pgettext("report", "Helpfulness and accuracy"),
    "follow_up": lazy_pgettext("report", "Follow-up"), "referral": lazy_pgettext("report", "Referral"),
    "farewell": lazy_pgettext("report", "Farewell"), "courtesy": lazy_pgettext("report", "Courtesy and fairness"),
    "wait_time": lazy_pgettext("report", "Wait time"), "environment": lazy_pgettext("report", "Environment"),
    "collections": lazy_pgettext("report", "Collections"), "technology": lazy_pgettext("report", "Technology"),
    "hours": lazy_pgettext("report", "Opening hours"),
}
_THEMES = {
    "acknowledgement": lazy_pgettext("report", "Being noticed"),
    "listening": lazy_pgettext("report", "Being understood"),
    "rushed": lazy_pgettext("report", "Time and attention"),
    "follow_up": lazy_pgettext("report", "Follow-up"),
    "wait": lazy_pgettext("report", "Waiting"), "friendliness": lazy_pgettext("report", "Friendliness"),
    "help": lazy_pgettext("report", "Help and answers"), "noise": lazy_pgettext("report", "Noise"),
    "hours": lazy_pgettext("report", "Opening hours"), "collections": lazy_pgettext("report", "Collections"),
    "technology": lazy_pgettext("report", "Technology"),
}
_ACCURACY = {
    "correct": lazy_pgettext("report", "correct"), "partly_correct": lazy_pgettext("report", "partly correct"),
    "incorrect": lazy_pgettext("report", "incorrect"), "referred": lazy_pgettext("report", "referred elsewhere"),
}
ACCURACY_ORDER = tuple(_ACCURACY)
_CHANNELS = {
    "in_person": lazy_pgettext("report", "in person"), "phone": lazy_pgettext("report", "phone"),
    "chat": lazy_pgettext("report", "chat"), "email": lazy_pgettext("report", "e-mail"),
}


def dimension_label(dimension: str, fallback: str | None = None) -> str:
    return str(_DIMENSIONS.get(dimension, fallback or dimension))


def theme_label(theme: str) -> str:
    return str(_THEMES.get(theme, theme))


def accuracy_label(accuracy: str) -> str:
    return str(_ACCURACY.get(accuracy, accuracy))


def channel_label(channel: str) -> str:
    return str(_CHANNELS.get(channel, channel))
