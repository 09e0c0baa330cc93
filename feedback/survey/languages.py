"""The language picker on a guest's first screen: each installed language, named in itself."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from babel import Locale

__all__ = ["LanguageChoice", "language_choices"]


@dataclass(frozen=True)
class LanguageChoice:
    code: str
    name: str  # in its own language ("Español"), so a guest can find theirs
    url: str
    current: bool


def language_choices(languages: list[str], current: str, path: str, args: dict[str, str]) -> list[LanguageChoice]:
    """Links to ``path`` with the same query arguments and ``lang`` set to each language."""
    choices = []
    for code in languages:
        name = Locale.parse(code).get_display_name(code) or code
        query = urlencode({**{k: v for k, v in args.items() if k != "lang"}, "lang": code})
        choices.append(LanguageChoice(code, name[:1].upper() + name[1:], f"{path}?{query}", code == current))
    return choices
