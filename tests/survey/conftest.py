"""Fixtures for guest-facing tests: a branch with a desk and a staff member, compiled catalogs, axe-core."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parents[2] / "feedback" / "translations"
AXE = Path(__file__).resolve().parents[1] / "js" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}


def compile_catalogs() -> None:
    """Compile any .po newer than its .mo, as ``make`` does, so a bare pytest run sees translations."""
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalog = read_po(source)
            with mo.open("wb") as target:
                write_mo(target, catalog)


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    compile_catalogs()


@pytest.fixture
def app_config() -> dict:
    """Config for this test's app; a test overrides it with ``@pytest.mark.parametrize("app_config", ...)``."""
    return {}


@pytest.fixture
def app(make_app, app_config):
    return make_app(**app_config)


@pytest.fixture
def site(factory):
    """Central Library with an information desk and Maria at it."""
    branch = factory.branch("central", "Central Library")
    desk = factory.desk("central", "info", "Information desk")
    maria = factory.staff("Maria Jensen", "central", code="MARIA7")
    return SimpleNamespace(branch=branch, desk=desk, maria=maria)


def hidden_value(html: str, name: str) -> str | None:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', html)
    return match.group(1) if match else None


@pytest.fixture
def axe_context(browser):
    """A browser context that lets the test inject axe-core (the app's CSP rightly forbids it)."""
    if not AXE.exists():
        pytest.fail(f"axe-core is missing: run npm install --prefix tests/js ({AXE})")
    context = browser.new_context(bypass_csp=True)
    yield context
    context.close()


@pytest.fixture
def axe_violations():
    """``axe_violations(page)``: serious or critical violations found by axe-core on the page."""
    return serious_violations


def serious_violations(page) -> list[str]:
    """Run axe-core on the page; describe every serious or critical violation."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
        const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
        return r.violations.map(v => ({
            id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}));
    }""")
    return [f"{v['id']} ({v['impact']}): {v['nodes']}" for v in result if v["impact"] in ("serious", "critical")]
