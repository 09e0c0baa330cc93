"""Fixtures for kiosk tests: a branch with a desk, a registered kiosk, compiled catalogs, CSRF on."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from feedback.services.kiosks import register_kiosk

TRANSLATIONS = Path(__file__).resolve().parents[2] / "feedback" / "translations"


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """Compile any .po newer than its .mo, as ``make`` does, so a bare pytest run sees translations."""
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source, mo.open("wb") as target:
                write_mo(target, read_po(source))


@pytest.fixture
def app_config() -> dict:
    """Extra config for this test's app (override with ``@pytest.mark.parametrize("app_config", ...)``)."""
    return {}


@pytest.fixture
def app(make_app, app_config):
    """Kiosks run with CSRF protection on, as in production: that is what they must survive."""
    return make_app(**{"WTF_CSRF_ENABLED": True, **app_config})


@pytest.fixture
def kiosk(store, factory):
    factory.branch("central", "Central Library")
    factory.desk("central", "info", "Information desk")
    return register_kiosk(store, "central", "info", "by the entrance")
