"""Every staff page in each language: axe-core finds nothing serious, and no English label is left on screen.

"No English label" is checked against the catalogue itself: any text on the
page (text nodes, labels, button values, placeholders, aria-labels, titles)
that is exactly an English message whose translation differs would be an
untranslated string. Names, comments and codes are data and match no message.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from babel.messages.pofile import read_po

from feedback.services.assignments import create_assignment
from feedback.services.kiosks import register_kiosk
from tests.survey.conftest import AXE, TRANSLATIONS, compile_catalogs

from .conftest import PASSWORD

pytestmark = pytest.mark.browser

SHOWN_TEXT = """() => {
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, parent = node.parentElement;
    if (!parent || parent.closest('script, style, [hidden], svg') || !node.textContent.trim()) continue;
    texts.push(node.textContent.trim());
  }
  const labelled = '[aria-label], [title], [placeholder], input[type=submit], input[type=button]';
  for (const e of document.querySelectorAll(labelled)) {
    for (const a of ['aria-label', 'title', 'placeholder', 'value']) {
      const shown = a !== 'value' || e.type === 'submit' || e.type === 'button';
      if (e.getAttribute(a) && shown) texts.push(e.getAttribute(a).trim());
    }
  }
  texts.push(document.title.trim());
  return texts;
}"""


def serious_violations(page) -> list[str]:
    """axe-core (loaded into every page of the context by an init script) on the page: serious or critical."""
    result = page.evaluate("""async () => {
        const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
        const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
        return r.violations.map(v => ({
            id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}));
    }""")
    return [f"{v['id']} ({v['impact']}): {v['nodes']}" for v in result if v["impact"] in ("serious", "critical")]


def english_patterns(language: str) -> list[tuple[str, re.Pattern]]:
    """A pattern for each English message that reads differently in ``language``."""
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle, locale=language)
    found = []
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        for english in ids:
            if english in strings or len(english) < 3:
                continue
            parts = re.split(r"%\(\w+\)[sd]|%%", english)
            if len(parts) > 1 and sum(c.isalpha() for c in "".join(parts)) < 6:
                continue  # "%(first)s to %(last)s" would match Danish prose that says "to" (two)
            pattern = ".+".join(re.escape(p) for p in parts).replace(r"\ ", " ")
            found.append((english, re.compile(rf"^{pattern}$")))
    return found


def english_left(page, patterns) -> list[str]:
    texts = set(page.evaluate(SHOWN_TEXT))
    return sorted({text for text in texts for english, pattern in patterns if pattern.match(text)})


@pytest.fixture(scope="module", autouse=True)
def compiled():
    compile_catalogs()


@pytest.fixture
def staff_world(world, store):
    """The console's world, plus a kiosk, an open assignment and a submitted visit for the shop pages."""
    shopper = store.directory.user_by_email(world.users["shopper"])
    admin = store.directory.user_by_email(world.users["admin"])
    today = datetime.now(UTC).date()
    assignment = create_assignment(store, manager=admin, shopper_id=shopper.id, branch="central",
                                   channel="in_person", scenario="renew-loan",
                                   window_start=today - timedelta(days=2), window_end=today + timedelta(days=3))
    register_kiosk(store, "central", "info", "By the door")
    visit = next(iter(store.visits.all()))
    return world, assignment, visit


def sign_in(page, base: str, email: str, language: str) -> None:
    page.goto(f"{base}/auth/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_load_state()
    # The account's language, saved on the account page as a user would.
    page.goto(f"{base}/auth/account")
    page.select_option("#language", language)
    page.click("form.card button[type=submit]")
    page.wait_for_load_state()


def staff_pages(world, assignment, visit, store) -> dict[str, list[str]]:
    staff = world.staff_a
    admin_id = store.directory.user_by_email(world.users["manager_a"]).id
    return {
        "admin@test.library": [
            "/auth/account", "/manage/", f"/manage/staff/{staff.id}", "/manage/followups/", "/manage/followups/central",
            "/manage/setup/", "/manage/setup/branches", "/manage/setup/branches/new", "/manage/setup/branches/central",
            "/manage/setup/branches/central/desks", "/manage/setup/branches/central/desks/info",
            "/manage/setup/staff", "/manage/setup/staff/new", f"/manage/setup/staff/{staff.id}",
            "/manage/setup/users", "/manage/setup/users/new", f"/manage/setup/users/{admin_id}",
            "/manage/setup/kiosks", "/manage/setup/surveys/", "/manage/setup/retention", "/manage/setup/outbox",
            "/manage/comments/", "/manage/alerts/central", "/manage/kiosks/", "/manage/posters/", "/manage/review/",
            f"/manage/staff/{staff.id}/coaching", "/manage/you-said-we-did/", "/manage/you-said-we-did/central",
            "/manage/setup/programme-notices", "/manage/setup/staff-accounts", "/shop/appeals",
            "/manage/reports/", "/shop/assignments", "/shop/assignments/new", "/shop/visits", "/shop/shoppers",
            f"/shop/visits/{visit.id}",
        ],
        "reviewer@test.library": ["/shop/review"],
        "shopper@test.library": ["/shop/", f"/shop/assignments/{assignment.id}/visit"],
    }


@pytest.mark.parametrize("language", ["en", "da", "es"])
def test_every_staff_page_passes_axe_and_shows_no_english_label(live_server, browser, store, staff_world,
                                                                language):
    if not AXE.exists():
        pytest.fail(f"axe-core is missing: run npm install --prefix tests/js ({AXE})")
    world, assignment, visit = staff_world
    patterns = english_patterns(language) if language != "en" else []
    found: dict[str, list[str]] = {}
    checked = 0
    for email, paths in staff_pages(world, assignment, visit, store).items():
        context = browser.new_context(bypass_csp=True, locale="en-GB")
        context.add_init_script(path=str(AXE))  # the same axe-core the guest pages' test injects
        page = context.new_page()
        sign_in(page, live_server.url, email, language)
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            assert page.evaluate("document.documentElement.lang") == language, path
            problems = serious_violations(page) + [f"English: {t!r}" for t in english_left(page, patterns)]
            if problems:
                found[path] = problems
            checked += 1
        if email == "shopper@test.library":  # the visit report refused, with its error summary
            page.click("#submit_report")
            page.locator("#error-summary").wait_for()
            problems = serious_violations(page) + [f"English: {t!r}" for t in english_left(page, patterns)]
            if problems:
                found["visit report with errors"] = problems
            checked += 1
        context.close()
    assert found == {}
    assert checked == 42


def test_the_no_english_check_itself_finds_an_untranslated_label(browser):
    """Guards the test above: an English label on a Danish page is caught."""
    page = browser.new_page()
    page.set_content('<html lang="da"><body><button>Gem</button><label>Time zone</label>'
                     '<p>Follow-ups: Central</p><p>Maria Jensen</p></body></html>')
    assert english_left(page, english_patterns("da")) == ["Follow-ups: Central", "Time zone"]
    page.close()


def test_a_danish_manager_signs_in_reads_the_dashboard_and_a_visit_in_danish(live_server, browser, store,
                                                                            staff_world):
    world, _assignment, visit = staff_world
    manager = store.directory.user_by_email(world.users["manager_a"])
    store.directory.update_user(manager.id, language="da")
    patterns = english_patterns("da")
    context = browser.new_context(locale="da-DK")  # a Danish browser: the sign-in page is Danish before sign-in
    page = context.new_page()
    page.goto(f"{live_server.url}/auth/login")
    assert page.evaluate("document.documentElement.lang") == "da"
    assert page.get_by_role("button", name="Log ind").is_visible()
    assert english_left(page, patterns) == []
    page.get_by_label("E-mail").fill(world.users["manager_a"])
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{live_server.url}/manage/")
    assert page.get_by_role("heading", level=1).inner_text() == "Overblik"
    assert english_left(page, patterns) == []
    page.goto(f"{live_server.url}/shop/visits/{visit.id}")
    assert page.get_by_text("Hvornår (lokal tid)").is_visible()
    assert page.get_by_text("11. mar. 2026 12.00").is_visible()  # 11:00 UTC in Copenhagen, written the Danish way
    assert english_left(page, patterns) == []
    context.close()


def test_the_axe_check_itself_catches_a_faulty_page(browser):
    """Guards the axe run above: loaded by the init script, it must report what it exists to catch."""
    context = browser.new_context(bypass_csp=True)
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.set_content('<html lang="da"><body><img src="x.png"><input type="text"></body></html>')
    found = " ".join(serious_violations(page))
    assert "image-alt" in found and "label" in found
    context.close()
