"""The answer scales on a 390 px phone: 0-10 on one row, faces red to green with their words."""

from __future__ import annotations

import colorsys

import pytest

from feedback.services.setup import survey_to_dict
from feedback.services.targets import guest_survey

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def channel(rgb: str) -> tuple[int, int, int]:
    return tuple(int(v) for v in rgb[rgb.index("(") + 1:rgb.index(")")].split(","))


@pytest.fixture
def nps_turned_on(store, site):
    survey = survey_to_dict(guest_survey(store, "qr"))
    for question in survey["questions"]:
        if question["id"] == "nps":
            question["asked"] = True
    store.directory.update_settings(surveys=[survey])


def test_the_0_to_10_scale_is_one_row_on_a_390_px_phone(browser, live_server, nps_turned_on):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/s/central?step=nps")
    boxes = page.evaluate("""() => [...document.querySelectorAll('.choices-nps .answer')]
        .map(e => e.getBoundingClientRect()).map(r => [Math.round(r.top), r.width, r.height, r.right])""")
    context.close()
    assert len(boxes) == 11
    assert len({top for top, *_ in boxes}) == 1, "every number on the same row"
    assert min(width for _t, width, _h, _r in boxes) >= 24 and min(h for _t, _w, h, _r in boxes) >= 44
    assert max(right for *_x, right in boxes) <= PHONE["width"]


def test_faces_go_from_red_to_green_and_each_says_what_it_means(browser, live_server, site):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/s/central")
    fills = [channel(page.evaluate(f"getComputedStyle(document.querySelector('.face-{n} .face-head')).fill"))
             for n in range(1, 6)]
    words = page.locator(".choices-smiley .answer").all_inner_texts()
    context.close()
    hues = [round(360 * colorsys.rgb_to_hsv(*(c / 255 for c in f))[0]) for f in fills]
    assert hues == sorted(hues) and len(set(hues)) == 5, hues  # each face a step further from red to green
    assert hues[0] < 15 and 90 < hues[-1] < 150, hues
    assert [w.strip() for w in words] == ["Very bad", "Bad", "OK", "Good", "Very good"]
