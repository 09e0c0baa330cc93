"""Charts readable by everyone: titles and captions, dots on a 1-5 axis, safe colours with shapes, no overlaps."""

from __future__ import annotations

import re

from feedback import charts


def _font_sizes(svg: str) -> list[float]:
    return [float(v) for v in re.findall(r'font-size="([\d.]+)"', svg)]


def test_every_chart_is_a_figure_with_a_visible_title_caption_and_text_alternative():
    made = [
        charts.dot_chart([charts.Dot("Welcome", 4.2, 40, (3.9, 4.5), (3.8,))], title="Scores", caption="How to read",
                         compare_labels=["Branch"]),
        charts.bar_chart([charts.Bar("Central", 81.0, n=300)], title="Satisfied", maximum=100, caption="Share"),
        charts.line_chart(["Oct\n2026", "Nov"], [charts.Series("Central", (80.0, 82.0))], title="By month",
                          caption="Monthly", minimum=0, maximum=100, long_labels=["October 2026", "November 2026"]),
        charts.heatmap({(0, 10): 7}, {(0, 10): 0.8}, title="Hours", caption="Shade", weekday_names=list("MTWTFSS")),
    ]
    for chart in map(str, made):
        assert chart.startswith('<figure class="chart"><p class="chart-title">')
        assert "<figcaption" in chart and 'role="img"' in chart and "style=" not in chart
        title = re.search(r"<title[^>]*>([^<]*)</title>", chart).group(1)
        visible = re.search(r'<p class="chart-title">([^<]*)</p>', chart).group(1)
        assert title.startswith(visible) and len(title) > len(visible)  # the alt text carries the figures
        assert max(_font_sizes(chart)) <= charts.TEXT  # never larger than the body text
    assert "October 2026 80" in str(made[2])  # readable dates in the text alternative


def test_a_1_to_5_score_is_a_dot_on_a_1_to_5_axis_not_a_bar_from_zero():
    chart = str(charts.bar_chart([charts.Bar("Welcome", 4.4), charts.Bar("Listening", 3.9)], title="Scores"))
    assert "<circle" in chart and 'fill="#0072B2"' in chart
    ticks = re.findall(r">(\d)</text>", chart)
    assert ticks == ["1", "2", "3", "4", "5"]  # the axis runs 1 to 5 only
    assert not re.search(r'<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="16" fill="#0072B2"', chart)


def test_comparisons_differ_by_shape_and_dash_as_well_as_colour():
    styles = list(charts.ROLE_STYLES.values())
    assert len({s.colour for s in styles}) == len({s.marker for s in styles}) == len({s.dash for s in styles}) == 4
    assert {s.colour for s in styles} <= set(charts.OKABE_ITO)
    chart = str(charts.line_chart(["a", "b"], [charts.Series("Central", (70.0, 72.0), "subject"),
                                              charts.Series("All", (71.0, 71.0), "system")],
                                  title="t", minimum=0, maximum=100))
    assert 'stroke-dasharray="2 3"' in chart  # the system's line is dotted, the subject's solid


def test_value_labels_never_overlap_even_when_the_values_do():
    placed = charts.spread_labels([50.0, 50.5, 51.0, 49.8], gap=12, low=0, high=200)
    ordered = sorted(placed)
    assert all(b - a >= 12 - 1e-9 for a, b in zip(ordered, ordered[1:], strict=False))
    near_top = charts.spread_labels([195.0, 196.0, 199.0], gap=12, low=0, high=200)
    top = sorted(near_top)
    assert max(top) <= 200 and all(b - a >= 12 - 1e-9 for a, b in zip(top, top[1:], strict=False))
    # Three lines ending on the same value get three separate labels.
    chart = str(charts.line_chart(["x", "y"], [charts.Series(n, (4.0, 4.4)) for n in ("A", "B", "C")], title="t"))
    label_ys = [float(y) for y in re.findall(r'<text x="[\d.]+" y="([\d.]+)"[^>]*>[ABC] 4\.4</text>', chart)]
    assert len(label_ys) == 3 and min(abs(a - b) for a in label_ys for b in label_ys if a != b) >= 12 - 1e-9


def test_the_score_interval_is_conservative_and_inside_the_scale():
    low, high = charts.score_interval(4.5, 10)
    assert 1 <= low < 4.5 < high <= 5
    assert charts.score_interval(5.0, 30) == (5.0, 5.0)  # every answer a 5: no spread possible
    assert charts.score_interval(None, 0) is None
    narrow, wide = charts.score_interval(3.0, 400), charts.score_interval(3.0, 25)
    assert narrow[1] - narrow[0] < wide[1] - wide[0]


def test_the_heatmap_keeps_every_hour_with_an_answer():
    chart = str(charts.heatmap({(1, 0): 3, (2, 23): 2, (3, 12): 9}, {(3, 12): 0.9}, title="h",
                               weekday_names=list("MTWTFSS"), min_count=5))
    hours = re.findall(r">(\d\d)</text>", chart)
    assert hours[0] == "00" and "23" in chart and len(set(hours)) >= 12
    assert "T 00: 3" in chart and "W 23: 2" in chart and "T 12: 9 (90%)" in chart
