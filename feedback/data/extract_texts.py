"""A Babel extractor for the English texts in our data files (rubric, scenarios).

The mystery-shopper rubric and scenarios are data (``rubric.json``,
``scenarios.json``), written in English; their texts are shown through
gettext (``{{ _(item.text) }}``), so they are translated in the same
catalogues as the rest of the app, and the catalogue check sees a new or
changed text as an untranslated message. ``babel.cfg`` names this extractor.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

__all__ = ["TEXT_KEYS", "extract_data_texts"]

# Keys whose string values are shown to people; ids, channels and "_about" notes are not.
TEXT_KEYS = frozenset({"title", "text", "question", "expected"})


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            if key in TEXT_KEYS and isinstance(inner, str) and inner.strip():
                yield inner
            elif not key.startswith("_"):
                yield from _texts(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _texts(inner)


def extract_data_texts(fileobj, keywords, comment_tags, options) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel's extractor interface: (line number, function name, message, comments) for each text."""
    raw = fileobj.read().decode("utf-8")
    lines = raw.splitlines()
    for text in _texts(json.loads(raw)):
        encoded = json.dumps(text, ensure_ascii=False)
        line = next((n for n, content in enumerate(lines, start=1) if encoded in content), 0)
        yield line, "_", text, []
