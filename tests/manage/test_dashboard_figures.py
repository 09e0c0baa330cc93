"""The dashboard's figures equal figures worked out by hand from a small known set of responses."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from feedback.services.dashboard import Scope, build_dashboard
from feedback.services.periods import parse_period

COPENHAGEN = ZoneInfo("Europe/Copenhagen")

# (local time in Copenhagen, welcome, helpful, nps, desk, channel)
KNOWN = [
    (datetime(2026, 3, 2, 10, 15), 5, 4, 10, "info", "qr"),     # Monday 10
    (datetime(2026, 3, 2, 10, 40), 4, 4, 9, "info", "kiosk"),   # Monday 10
    (datetime(2026, 3, 2, 14, 5), 2, 3, 6, "lending", "qr"),    # Monday 14
    (datetime(2026, 3, 4, 11, 0), 3, 5, 8, "info", "qr"),       # Wednesday 11
    (datetime(2026, 3, 7, 16, 30), 1, 2, 3, "lending", "kiosk"),  # Saturday 16
    (datetime(2026, 3, 31, 23, 30), 5, 5, 7, "info", "qr"),     # Tuesday 23 local: still March
]
# The previous month: two answers, to compare against.
EARLIER = [
    (datetime(2026, 2, 10, 12, 0), 2, 2, 0, "info", "qr"),
    (datetime(2026, 2, 11, 12, 0), 4, 4, 10, "info", "qr"),
]


def _store_all(factory, rows, staff=None):
    for local, welcome, helpful, nps, desk, channel in rows:
        factory.response("central", answers={"welcome": welcome, "helpful": helpful, "nps": nps},
                         at=local.replace(tzinfo=COPENHAGEN).astimezone(UTC), desk=desk, channel=channel,
                         survey="qr", staff=staff)


@pytest.fixture
def known(factory, store):
    branch = factory.branch("central")
    factory.branch("riverside")
    factory.desk("central", "info")
    factory.desk("central", "lending", "Lending desk")
    _store_all(factory, KNOWN)
    _store_all(factory, EARLIER)
    # Another branch's response in the same month must not leak into central's figures.
    factory.response("riverside", answers={"welcome": 1, "helpful": 1, "nps": 0},
                     at=datetime(2026, 3, 3, 10, 0, tzinfo=UTC))
    # A response just after the month ends (local April 1st, 00:30) belongs to April.
    factory.response("central", answers={"welcome": 1, "helpful": 1, "nps": 0},
                     at=datetime(2026, 4, 1, 0, 30, tzinfo=COPENHAGEN).astimezone(UTC))
    return branch


def _by_hand(rows):
    smileys = [v for _t, w, h, _n, _d, _c in rows for v in (w, h)]
    nps = [r[3] for r in rows]
    promoters = sum(1 for n in nps if n >= 9)
    detractors = sum(1 for n in nps if n <= 6)
    cells = {}
    for local, *_rest in rows:
        cells[(local.weekday(), local.hour)] = cells.get((local.weekday(), local.hour), 0) + 1
    return {
        "satisfaction": sum(1 for v in smileys if v >= 4) / len(smileys),
        "nps": 100 * (promoters - detractors) / len(nps),
        "promoters": promoters,
        "passives": len(nps) - promoters - detractors,
        "detractors": detractors,
        "welcome_mean": sum(r[1] for r in rows) / len(rows),
        "heatmap": cells,
    }


def test_dashboard_figures_equal_the_figures_worked_out_by_hand(known, store):
    board = build_dashboard(store, Scope((known,), parse_period("2026-03")))
    hand = _by_hand(KNOWN)
    s = board.summary
    assert s.responses == len(KNOWN) == 6
    assert s.satisfaction_share == pytest.approx(hand["satisfaction"])  # 7 of 12 answers are 4 or 5
    assert hand["satisfaction"] == pytest.approx(7 / 12)
    assert s.nps == pytest.approx(hand["nps"])  # 2 promoters, 2 passives, 2 detractors: 0
    assert (s.nps_counts["promoter"], s.nps_counts["passive"], s.nps_counts["detractor"]) == (
        hand["promoters"], hand["passives"], hand["detractors"])
    welcome = next(row for row in board.dimensions if row.dimension == "welcome")
    assert welcome.mean == pytest.approx(hand["welcome_mean"]) == pytest.approx(20 / 6)
    assert welcome.previous == pytest.approx((2 + 4) / 2)
    assert welcome.change == pytest.approx(20 / 6 - 3)
    assert dict(s.heatmap_counts) == hand["heatmap"]
    assert s.heatmap_counts[(0, 10)] == 2 and s.heatmap_counts[(1, 23)] == 1


def test_filters_by_desk_and_channel_select_the_promised_responses(known, store):
    period = parse_period("2026-03")
    info_qr = [r for r in KNOWN if r[4] == "info" and r[5] == "qr"]
    board = build_dashboard(store, Scope((known,), period, desk="info", channel="qr"))
    assert board.summary.responses == len(info_qr) == 3
    assert board.summary.satisfaction_share == pytest.approx(_by_hand(info_qr)["satisfaction"])
    assert dict(board.summary.heatmap_counts) == _by_hand(info_qr)["heatmap"]


def test_the_dashboard_page_shows_the_same_figures(known, store, factory, client, auth):
    factory.user("boss@test.library", "manager", ["central"])
    auth.login("boss@test.library")
    page = client.get("/manage/?period=2026-03&branch=central").get_data(as_text=True)
    hand = _by_hand(KNOWN)
    figures = dict(re.findall(r'id="(figure-\w+|nps-\w+)">([^<]*)<', page))
    assert figures["figure-responses"] == "6"
    assert figures["figure-satisfaction"] == f"{100 * hand['satisfaction']:.0f} %"
    assert figures["figure-nps"] == f"{hand['nps']:+.0f}"
    assert (figures["nps-promoters"], figures["nps-passives"], figures["nps-detractors"]) == ("2", "2", "2")
    row = re.search(r'data-dimension="welcome">.*?<td class="num">([^<]+)</td>', page, re.S).group(1)
    assert row == f"{hand['welcome_mean']:.2f}"
    # The heatmap's text alternative names each cell's count.
    assert "Mon 10: 2" in page and "Sat 16: 1" in page


def test_a_staff_figure_needs_five_responses_and_held_answers_count_in_no_figure(factory, store):
    branch = factory.branch("central")
    shown = factory.staff("Shown Person")
    hidden = factory.staff("Hidden Person")
    at = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
    for score in (5, 5, 4, 2, 1):
        factory.response(answers={"welcome": score}, at=at, staff=shown.id)
    factory.response(answers={"welcome": 1}, at=at, staff=shown.id, flagged=True)
    for score in (5, 5, 5, 5):
        factory.response(answers={"welcome": score}, at=at, staff=hidden.id)
    factory.response(answers={"welcome": 5}, at=at, staff=hidden.id, flagged=True)
    board = build_dashboard(store, Scope((branch,), parse_period("2026-03")), min_count=5)
    rows = {r.member.display_name: r for r in board.staff}
    assert rows["Shown Person"].count == 5 and rows["Shown Person"].shown
    assert rows["Shown Person"].satisfaction == pytest.approx(3 / 5)
    assert rows["Shown Person"].mean == pytest.approx(17 / 5)
    # Four unflagged responses: the count is shown, the figure is not.
    assert rows["Hidden Person"].count == 4 and not rows["Hidden Person"].shown
    assert rows["Hidden Person"].satisfaction is None
    # Held (flagged) answers count in no figure, the branch's neither; the dashboard says how many wait.
    assert board.summary.responses == 9 and board.summary.flagged == 2
    assert board.summary.satisfaction.count == 9


def test_latest_comments_have_contact_details_masked(factory, store):
    branch = factory.branch("central")
    factory.response(comment="Call me on +45 12 34 56 78 or write to guest@example.org please",
                     at=datetime(2026, 3, 5, 10, 0, tzinfo=UTC))
    board = build_dashboard(store, Scope((branch,), parse_period("2026-03")))
    text = board.comments[0].text
    assert "12 34 56 78" not in text and "guest@example.org" not in text
    assert "please" in text


def test_charts_carry_a_text_alternative(known, store):
    board = build_dashboard(store, Scope((known,), parse_period("2026-03")))
    for name in ("dimensions", "trend_satisfaction", "trend_responses", "heatmap"):
        svg = str(board.charts[name])
        assert 'role="img"' in svg and "<title" in svg and "<desc" in svg, name
        assert "style=" not in svg
    assert "03/26 58" in str(board.charts["trend_satisfaction"])  # 7/12 = 58 %
