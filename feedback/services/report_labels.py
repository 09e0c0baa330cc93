"""How the PDF documents name dimensions, comment themes, answer accuracy and visit channels.

The same words as on screen (``surveys.DIMENSION_LABELS``, the evidence
layer's theme names, the coaching labels), but in the catalogues' ``report``
context, so the documents' translations live together and a Danish report
reads Danish throughout. Looked up when a document is rendered, in its language.
"""

from __future__ import annotations

from flask_babel import pgettext

__all__ = ["dimension_label", "theme_label", "accuracy_label", "channel_label", "ACCURACY_ORDER"]

ACCURACY_ORDER = ("correct", "partly_correct", "incorrect", "referred")


def dimension_label(dimension: str, fallback: str | None = None) -> str:
    labels = {
        "welcome": pgettext("report", "Welcome"), "approachability": pgettext("report", "Approachability"),
        "listening": pgettext("report", "Listening"),
        "helpfulness": pgettext("report", "Helpfulness and accuracy"),
        "follow_up": pgettext("report", "Follow-up"), "referral": pgettext("report", "Referral"),
        "farewell": pgettext("report", "Farewell"), "courtesy": pgettext("report", "Courtesy and fairness"),
        "wait_time": pgettext("report", "Wait time"), "environment": pgettext("report", "Environment"),
        "collections": pgettext("report", "Collections"), "technology": pgettext("report", "Technology"),
        "hours": pgettext("report", "Opening hours"),
    }
    return labels.get(dimension, fallback or dimension)


def theme_label(theme: str) -> str:
    labels = {
        "acknowledgement": pgettext("report", "Being noticed"), "listening": pgettext("report", "Being understood"),
        "rushed": pgettext("report", "Time and attention"), "follow_up": pgettext("report", "Follow-up"),
        "wait": pgettext("report", "Waiting"), "friendliness": pgettext("report", "Friendliness"),
        "help": pgettext("report", "Help and answers"), "noise": pgettext("report", "Noise"),
        "hours": pgettext("report", "Opening hours"), "collections": pgettext("report", "Collections"),
        "technology": pgettext("report", "Technology"),
    }
    return labels.get(theme, theme)


def accuracy_label(accuracy: str) -> str:
    labels = {
        "correct": pgettext("report", "correct"), "partly_correct": pgettext("report", "partly correct"),
        "incorrect": pgettext("report", "incorrect"), "referred": pgettext("report", "referred elsewhere"),
    }
    return labels.get(accuracy, accuracy)


def channel_label(channel: str) -> str:
    labels = {
        "in_person": pgettext("report", "in person"), "phone": pgettext("report", "phone"),
        "chat": pgettext("report", "chat"), "email": pgettext("report", "e-mail"),
    }
    return labels.get(channel, channel)
