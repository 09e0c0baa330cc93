"""Every message shown to people is translated in every language, and none is fuzzy.

The messages are extracted afresh from the code and templates (as
``make translations-update`` does), so a new English string that nobody has
translated fails here even before anyone refreshes ``messages.pot``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ROOT / "feedback" / "translations"
LANGUAGES = ["da", "es"]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None,
            "lazy_ngettext": (1, 2), "N_": None}


def extracted_messages() -> dict[str, bool]:
    """Message id -> whether it has a plural form, from the sources ``babel.cfg`` names."""
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: dict[str, bool] = {}
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS):
        if isinstance(message, tuple | list):
            found[message[0]] = True
        else:
            found.setdefault(message, False)
    return found


def problems_in(catalogue: Catalog, wanted: dict[str, bool]) -> list[str]:
    """Untranslated, fuzzy or missing messages, each described in one line."""
    found = []
    for msgid in sorted(wanted):
        message = catalogue.get(msgid)
        if message is None:
            found.append(f"missing (run make translations-update): {msgid!r}")
            continue
        if message.fuzzy:
            found.append(f"fuzzy: {msgid!r}")
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if not all(s and s.strip() for s in strings):
            found.append(f"untranslated: {msgid!r}")
    return found


@pytest.fixture(scope="module")
def wanted() -> dict[str, bool]:
    return extracted_messages()


def test_the_extraction_finds_the_staff_and_guest_messages(wanted):
    assert "Sign in" in wanted and "Dashboard" in wanted and len(wanted) > 400


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(wanted, language):
    with (CATALOGUES / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle, locale=language)
    assert problems_in(catalogue, wanted) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_translation_keeps_the_placeholders_of_its_message(language):
    """A translation that drops or renames %(name)s would fail at the moment it is shown."""
    with (CATALOGUES / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle, locale=language)
    assert [(message.id, str(error)) for message, error in catalogue.check()] == []


def test_the_check_catches_an_untranslated_and_a_fuzzy_message():
    """Guards the check above: it must fail on the faults it exists to catch."""
    catalogue = Catalog(locale="da")
    catalogue.add("Sign in", "Log ind")
    catalogue.add("Sign out", "")
    catalogue.add("Dashboard", "Overblik", flags=["fuzzy"])
    problems = problems_in(catalogue, {"Sign in": False, "Sign out": False, "Dashboard": False, "New": False})
    assert problems == ["fuzzy: 'Dashboard'", "missing (run make translations-update): 'New'",
                        "untranslated: 'Sign out'"]
