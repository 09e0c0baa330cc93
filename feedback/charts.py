"""Inline SVG charts shared by the dashboard and the PDF reports, readable by everyone.

Every chart is a ``<figure>``: a visible title above, a caption below saying
how to read it, and the SVG itself with ``role="img"``, a ``<title>`` holding
the title and every figure as text (the alternative text a screen reader
speaks and a tagged PDF stores), and a ``<desc>``. They use presentation
attributes only (no ``style``), so they pass a strict Content-Security-Policy
in pages and render identically in WeasyPrint.

Readable by everyone means: the Okabe-Ito palette (safe under the common
colour-vision deficiencies) and, beside each colour, its own marker shape and
dash pattern, so a chart still reads in greyscale; one meaning per colour
(the subject, the branch, the system, an earlier period); 1-5 scores as dots
with their uncertainty on a 1-5 axis, never bars from 0; value labels placed
so they never overlap; chart text no larger than body text (the SVG is drawn
560 units wide and printed about 500 pt wide, so 10 units is about 9 pt).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

__all__ = [
    "Bar",
    "Dot",
    "Series",
    "ROLE_STYLES",
    "bar_chart",
    "dot_chart",
    "line_chart",
    "heatmap",
    "score_interval",
    "spread_labels",
]

INK = "#1b1f24"
MUTED = "#4a5561"
GRID = "#d5dbe1"
TRACK = "#eef1f4"
# Okabe & Ito (2008), "Color universal design": distinguishable with every common colour-vision deficiency.
OKABE_ITO = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
MARKERS = ("circle", "diamond", "triangle", "square")
DASHES = ("", "6 3", "2 3", "8 3 2 3")
_FONT = 'font-family="DejaVu Sans, sans-serif"'
TEXT, SMALL = 10, 9  # chart text sizes: never larger than the body text they sit beside


@dataclass(frozen=True)
class Style:
    colour: str
    marker: str
    dash: str


#: One meaning per colour in a document: the person or branch reported on, its branch, the system, earlier.
ROLE_STYLES = {
    "subject": Style(OKABE_ITO[0], "circle", ""),
    "branch": Style(OKABE_ITO[1], "diamond", "6 3"),
    "system": Style(OKABE_ITO[6], "triangle", "2 3"),
    "earlier": Style(OKABE_ITO[3], "square", "8 3 2 3"),
}


#: Lines that are none of the roles (one branch each on the board's chart): never the system's black triangle.
SERIES_STYLES = (
    Style(OKABE_ITO[0], "circle", ""), Style(OKABE_ITO[1], "diamond", "6 3"),
    Style(OKABE_ITO[2], "square", "8 3 2 3"), Style(OKABE_ITO[3], "circle", "1 2"),
    Style(OKABE_ITO[4], "diamond", "4 2"), Style(OKABE_ITO[5], "square", "2 2"),
)


def _series_style(index: int) -> Style:
    return SERIES_STYLES[index % len(SERIES_STYLES)]


def _nice_step(span: float) -> float:
    """A tick step of 1, 2 or 5 times a power of ten giving at most about five gridlines (1 on a 1-5 scale)."""
    if span <= 5:
        return 1
    raw = span / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)


def _fmt(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _marker(shape: str, x: float, y: float, colour: str, size: float = 4.0, hollow: bool = False) -> str:
    fill = "#ffffff" if hollow else colour
    common = f'fill="{fill}" stroke="{colour}" stroke-width="1.5"'
    if shape == "diamond":
        s = size * 1.25
        return (f'<path d="M{x:.1f},{y - s:.1f} L{x + s:.1f},{y:.1f} L{x:.1f},{y + s:.1f} L{x - s:.1f},{y:.1f} Z" '
                f'{common}/>')
    if shape == "triangle":
        s = size * 1.2
        return (f'<path d="M{x:.1f},{y - s:.1f} L{x + s:.1f},{y + s * 0.8:.1f} L{x - s:.1f},{y + s * 0.8:.1f} Z" '
                f'{common}/>')
    if shape == "square":
        return f'<rect x="{x - size:.1f}" y="{y - size:.1f}" width="{2 * size:.1f}" height="{2 * size:.1f}" {common}/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size:.1f}" {common}/>'


def _text(x: float, y: float, text: str, *, size: int = TEXT, anchor: str = "start", fill: str = INK,
          bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{fill}"{weight} '
            f'{_FONT}>{escape(text)}</text>')


def _figure(width: int, height: int, title: str, figures: str, body: list[str], caption: str = "") -> Markup:
    """The ``<figure>``: visible title, the SVG with its text alternative, the caption."""
    ident = f"chart-{abs(hash((title, figures))) % 10**8}"
    alternative = f"{title}. {figures}" if figures else title
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="{ident}-t" class="chart">'
        f'<title id="{ident}-t">{escape(alternative)}</title><desc>{escape(caption or figures)}</desc>'
        + "".join(body)
        + "</svg>"
    )
    caption_html = f'<figcaption class="chart-caption">{escape(caption)}</figcaption>' if caption else ""
    return Markup(f'<figure class="chart"><p class="chart-title">{escape(title)}</p>{svg}{caption_html}</figure>')


def spread_labels(wanted: Sequence[float], *, gap: float, low: float, high: float) -> list[float]:
    """Positions as near ``wanted`` as possible, at least ``gap`` apart, within ``low..high``.

    Used for value labels stacked on one axis (the ends of lines): sorted, then
    pushed apart, then shifted back inside the range, so two labels never overlap.
    """
    if not wanted:
        return []
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    placed = [max(low, min(high, wanted[i])) for i in order]
    for k in range(1, len(placed)):
        placed[k] = max(placed[k], placed[k - 1] + gap)
    overflow = placed[-1] - high
    if overflow > 0:
        placed = [p - overflow for p in placed]
        for k in range(len(placed) - 2, -1, -1):
            placed[k] = min(placed[k], placed[k + 1] - gap)
    result = [0.0] * len(wanted)
    for k, i in enumerate(order):
        result[i] = placed[k]
    return result


def score_interval(mean: float | None, n: int, *, low: float = 1.0, high: float = 5.0, z: float = 1.96
                   ) -> tuple[float, float] | None:
    """A conservative 95 % interval for a mean of answers on ``low..high``, from the mean and n alone.

    No answer's spread is stored, so the variance is bounded by Bhatia-Davis,
    (mean - low)(high - mean), the largest any answers with that mean can have:
    the interval is never narrower than the true one.
    """
    if mean is None or n <= 0:
        return None
    half = z * math.sqrt(max(0.0, (mean - low) * (high - mean)) / n)
    return max(low, mean - half), min(high, mean + half)


# -- dots on a 1-5 axis -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Dot:
    """One row of a dot chart: the subject's value with its interval, and comparison markers."""

    label: str
    value: float | None  # None: not enough answers, written as a note instead of a dot
    n: int = 0
    interval: tuple[float, float] | None = None
    compare: tuple[float | None, ...] = ()


def dot_chart(rows: Sequence[Dot], *, title: str, caption: str = "", compare_labels: Sequence[str] = (),
              subject_label: str = "", minimum: float = 1.0, maximum: float = 5.0, width: int = 560,
              empty_note: str = "not enough feedback yet", n_label: str = "n", digits: int = 1,
              compare_roles: Sequence[str] = ("branch", "system", "earlier")) -> Markup:
    """Scores as dots with their interval on a ``minimum..maximum`` axis, comparison markers beside them."""
    row, top = 24, 20
    label_w = max(140, min(240, 12 + int(6 * max((len(r.label) for r in rows), default=0))))
    value_w = 86
    plot_x, plot_w = label_w, width - label_w - value_w
    legend = [(subject_label, ROLE_STYLES["subject"])] if subject_label else []
    legend += [(name, ROLE_STYLES[compare_roles[j]]) for j, name in enumerate(compare_labels)]
    legend_h = 20 if legend else 0
    height = top + row * len(rows) + 16 + legend_h

    def x_of(v: float) -> float:
        return plot_x + (max(minimum, min(maximum, v)) - minimum) / (maximum - minimum) * plot_w

    body = []
    bottom = top + row * len(rows)
    for tick in range(int(minimum), int(maximum) + 1):
        x = x_of(tick)
        body.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4}" y2="{bottom}" stroke="{GRID}"/>')
        body.append(_text(x, top - 8, str(tick), size=SMALL, anchor="middle", fill=MUTED))
    descs = []
    for i, r in enumerate(rows):
        y = top + i * row + row / 2
        body.append(_text(label_w - 8, y + 3.5, r.label, anchor="end"))
        if r.value is None:
            body.append(_text(plot_x + 4, y + 3.5, empty_note, size=SMALL, fill=MUTED))
            descs.append(f"{r.label}: {empty_note}" + (f" ({n_label}={r.n})" if r.n else ""))
            continue
        if r.interval:
            lo, hi = x_of(r.interval[0]), x_of(r.interval[1])
            body.append(f'<line x1="{lo:.1f}" x2="{hi:.1f}" y1="{y:.1f}" y2="{y:.1f}" '
                        f'stroke="{ROLE_STYLES["subject"].colour}" stroke-width="2"/>')
            for x in (lo, hi):
                body.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y - 4:.1f}" y2="{y + 4:.1f}" '
                            f'stroke="{ROLE_STYLES["subject"].colour}" stroke-width="1.5"/>')
        for j, marker in enumerate(r.compare):
            if marker is None:
                continue
            style = ROLE_STYLES[compare_roles[j % len(compare_roles)]]
            body.append(_marker(style.marker, x_of(marker), y, style.colour, 3.6, hollow=True))
        body.append(_marker("circle", x_of(r.value), y, ROLE_STYLES["subject"].colour, 4.5))
        shown = _fmt(r.value, digits) + (f" ({n_label}={r.n})" if r.n else "")
        body.append(_text(width - 4, y + 3.5, shown, anchor="end"))
        desc = f"{r.label}: {_fmt(r.value, digits)}"
        if r.n:
            desc += f" ({n_label}={r.n})"
        if r.interval:
            desc += f" [{_fmt(r.interval[0], digits)}-{_fmt(r.interval[1], digits)}]"
        for j, marker in enumerate(r.compare):
            if marker is not None and j < len(compare_labels):
                desc += f", {compare_labels[j]} {_fmt(marker, digits)}"
        descs.append(desc)
    if legend:
        y, x = bottom + 22, plot_x
        for name, style in legend:
            hollow = style is not ROLE_STYLES["subject"]
            body.append(_marker(style.marker, x + 4, y - 3.5, style.colour, 3.6, hollow=hollow))
            body.append(_text(x + 12, y, name, size=SMALL))
            x += 24 + 6 * len(name)
    return _figure(width, height, title, "; ".join(descs), body, caption)


# -- horizontal bars for shares and percentages ------------------------------------------------------
@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: not enough data, drawn as a note instead of a bar
    compare: tuple[float | None, ...] = ()  # markers, e.g. branch and system averages
    n: int = 0


def bar_chart(bars: Sequence[Bar], *, title: str, maximum: float = 5.0, digits: int = 1,
              compare_labels: Sequence[str] = (), width: int = 560, empty_note: str = "not enough feedback yet",
              caption: str = "", unit: str = "", n_label: str = "n",
              compare_roles: Sequence[str] = ("branch", "system", "earlier")) -> Markup:
    """Horizontal bars from 0 with the value written at the end; 1-5 scores (``maximum=5``) become dots.

    A bar's length means an amount, so only shares and percentages are bars;
    a 1-5 score has no zero and is drawn by :func:`dot_chart` on a 1-5 axis.
    """
    if maximum == 5.0:
        return dot_chart([Dot(b.label, b.value, b.n, None, b.compare) for b in bars], title=title,
                         caption=caption, compare_labels=compare_labels, empty_note=empty_note, width=width,
                         digits=digits, compare_roles=compare_roles, n_label=n_label)
    row, top = 24, 6
    label_w = max(140, min(260, 12 + int(6 * max((len(b.label) for b in bars), default=0))))
    value_w = 86 if any(b.n for b in bars) else 48
    plot_w = width - label_w - value_w
    legend_h = 20 if compare_labels else 0
    height = top + row * len(bars) + legend_h + 6
    body, descs = [], []
    roles = compare_roles
    for i, bar in enumerate(bars):
        y = top + i * row
        body.append(_text(label_w - 8, y + 16, bar.label, anchor="end"))
        body.append(f'<rect x="{label_w}" y="{y + 4}" width="{plot_w}" height="16" fill="{TRACK}"/>')
        if bar.value is None:
            body.append(_text(label_w + 6, y + 16, empty_note, size=SMALL, fill=MUTED))
            descs.append(f"{bar.label}: {empty_note}")
        else:
            w = max(0.0, min(1.0, bar.value / maximum)) * plot_w
            shown = f"{_fmt(bar.value, digits)}{unit}" + (f" ({n_label}={bar.n})" if bar.n else "")
            body.append(f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="16" '
                        f'fill="{ROLE_STYLES["subject"].colour}"/>')
            body.append(_text(width - 4, y + 16, shown, anchor="end"))
            descs.append(f"{bar.label}: {shown}")
        for j, marker in enumerate(bar.compare):
            if marker is None:
                continue
            style = ROLE_STYLES[roles[j % len(roles)]]
            x = label_w + max(0.0, min(1.0, marker / maximum)) * plot_w
            body.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y + 1}" y2="{y + 23}" stroke="{style.colour}" '
                        f'stroke-width="2" stroke-dasharray="{style.dash or "none"}"/>')
            body.append(_marker(style.marker, x, y + 12, style.colour, 3.4, hollow=True))
            if j < len(compare_labels):
                descs[-1] += f", {compare_labels[j]} {_fmt(marker, digits)}{unit}"
    if compare_labels:
        y, x = top + row * len(bars) + 14, label_w
        for j, name in enumerate(compare_labels):
            style = ROLE_STYLES[roles[j % len(roles)]]
            body.append(_marker(style.marker, x + 4, y - 3.5, style.colour, 3.4, hollow=True))
            body.append(_text(x + 12, y, name, size=SMALL))
            x += 24 + 6 * len(name)
    return _figure(width, height, title, "; ".join(descs), body, caption)


# -- lines over time --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]
    role: str | None = None  # "subject" | "branch" | "system" | "earlier": fixes colour, marker and dash


def line_chart(labels: Sequence[str], series: Sequence[Series], *, title: str, minimum: float = 1.0,
               maximum: float = 5.0, width: int = 560, height: int = 190, digits: int = 1, caption: str = "",
               long_labels: Sequence[str] = (), unit: str = "") -> Markup:
    """Lines over periods, a gap where a period has no value, each line named and valued at its end.

    Tick labels may be two lines (``"Oct\\n2026"``); the text alternative uses
    ``long_labels`` ("October 2026") where given. Only the last value of each
    line is written on the chart, placed so no two labels overlap; every value
    is in the text alternative.
    """
    longest = max((len(s.name) + 6 for s in series), default=0)
    left, right, top = 34, max(96, 26 + int(5.6 * longest)), 10
    two_line = any("\n" in label for label in labels)
    bottom = 34 if two_line else 22
    plot_w, plot_h = width - left - right, height - top - bottom
    steps = max(1, len(labels) - 1)
    body = []

    def y_of(v: float) -> float:
        return top + plot_h - (max(minimum, min(maximum, v)) - minimum) / (maximum - minimum) * plot_h

    step = _nice_step(maximum - minimum)
    tick = math.ceil(minimum / step) * step
    while tick <= maximum + 1e-9:
        y = y_of(tick)
        body.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(_text(left - 5, y + 3.5, f"{tick:g}{unit}", size=SMALL, anchor="end", fill=MUTED))
        tick += step
    # Thin the tick labels so they never run into each other (about 34 units a label).
    every = max(1, math.ceil(len(labels) * 34 / max(plot_w, 1)))
    for i, label in enumerate(labels):
        if i % every and i != len(labels) - 1:
            continue
        x = left + i * plot_w / steps
        for k, part in enumerate(label.split("\n")):
            body.append(_text(x, height - bottom + 14 + 11 * k, part, size=SMALL, anchor="middle", fill=MUTED))
    descs, ends = [], []
    for s_index, s in enumerate(series):
        style = ROLE_STYLES.get(s.role or "") or _series_style(s_index)
        points = [(left + i * plot_w / steps, y_of(v), v) for i, v in enumerate(s.values) if v is not None]
        # Consecutive points are joined; a missing period leaves a gap.
        run: list[tuple[float, float]] = []
        for i, v in enumerate([*s.values, None]):
            if v is not None:
                run.append((left + i * plot_w / steps, y_of(v)))
                continue
            if len(run) > 1:
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
                body.append(f'<polyline points="{path}" fill="none" stroke="{style.colour}" stroke-width="2"{dash}/>')
            run = []
        for x, y, _v in points:
            body.append(_marker(style.marker, x, y, style.colour, 3.2))
        if points:
            ends.append((points[-1], s, style))
        names = long_labels if len(long_labels) == len(labels) else [label.replace("\n", " ") for label in labels]
        descs.append(s.name + ": " + ", ".join(f"{lab} {_fmt(v, digits)}{unit if v is not None else ''}"
                                              for lab, v in zip(names, s.values, strict=False)))
    placed = spread_labels([y for (_x, y, _v), _s, _st in ends], gap=12, low=top + 4, high=top + plot_h + 4)
    for ((x, y, v), s, style), label_y in zip(ends, placed, strict=True):
        lx = left + plot_w + 8
        body.append(f'<line x1="{x + 4:.1f}" x2="{lx - 2:.1f}" y1="{y:.1f}" y2="{label_y:.1f}" stroke="{GRID}"/>')
        body.append(_marker(style.marker, lx + 4, label_y, style.colour, 3.2))
        body.append(_text(lx + 11, label_y + 3.5, f"{s.name} {_fmt(v, digits)}{unit}", size=SMALL))
    return _figure(width, height, title, "; ".join(descs), body, caption)


# -- weekday x hour ---------------------------------------------------------------------------------
HEAT_FLOOR = 0.5  # shares at or below this get the lightest shade: real differences lie between 50 and 100 %


def _satisfaction_fill(share: float) -> str:
    """Light (half or fewer satisfied) to dark blue (all satisfied): one hue, so it reads in greyscale too."""
    share = max(0.0, min(1.0, (share - HEAT_FLOOR) / (1 - HEAT_FLOOR)))
    low, high = (222, 235, 247), (8, 48, 107)
    return "rgb(" + ",".join(str(int(a + (b - a) * share)) for a, b in zip(low, high, strict=True)) + ")"


def heatmap(counts: dict[tuple[int, int], int], means: dict[tuple[int, int], float | None], *,
            title: str, weekday_names: Sequence[str], hours: Sequence[int] | None = None,
            width: int = 560, caption: str = "", min_count: int = 5, few_note: str = "") -> Markup:
    """Weekday x hour: the cell's shade is its satisfaction (share of 4-5), its number the responses.

    Every hour that has an answer is kept (a library open late, or a kiosk
    answered at night, shows up); a cell with fewer than ``min_count`` answers
    shows its count on white, with no shade to over-read.
    """
    if hours is None:
        seen = [h for (_d, h), n in counts.items() if n]
        hours = range(min([8, *seen]), max([20, *seen]) + 1)
    hours = list(hours)
    left, top = 40, 16
    cell_w = (width - left - 4) / max(1, len(hours))
    cell_h = 20
    height = top + cell_h * 7 + 30
    body = []
    label_every = 1 if cell_w >= 18 else 2
    for i, hour in enumerate(hours):
        if i % label_every == 0:
            body.append(_text(left + i * cell_w + cell_w / 2, 11, f"{hour:02d}", size=SMALL, anchor="middle",
                              fill=MUTED))
    descs = []
    for day in range(7):
        y = top + day * cell_h
        body.append(_text(left - 5, y + 14, weekday_names[day], size=SMALL, anchor="end"))
        for i, hour in enumerate(hours):
            n = counts.get((day, hour), 0)
            mean = means.get((day, hour))
            x = left + i * cell_w
            shaded = n >= min_count and mean is not None
            fill = _satisfaction_fill(mean) if shaded else "#ffffff"
            body.append(f'<rect x="{x:.1f}" y="{y}" width="{cell_w - 1.5:.1f}" height="{cell_h - 1.5}" fill="{fill}" '
                        f'stroke="{GRID}" stroke-width="0.5"/>')
            if n:
                ink = "#ffffff" if shaded and mean > HEAT_FLOOR + 0.45 * (1 - HEAT_FLOOR) else INK
                size = SMALL if cell_w >= 20 else 7
                body.append(_text(x + cell_w / 2 - 0.75, y + 13.5, str(n), size=size, anchor="middle", fill=ink))
                descs.append(f"{weekday_names[day]} {hour:02d}: {n}"
                             + (f" ({mean:.0%})" if mean is not None and n >= min_count else ""))
    # Legend: the shade scale from 50 % (or fewer) to 100 % satisfied.
    y = top + cell_h * 7 + 10
    for k in range(11):
        share = HEAT_FLOOR + (1 - HEAT_FLOOR) * k / 10
        body.append(f'<rect x="{left + k * 16}" y="{y}" width="16" height="9" fill="{_satisfaction_fill(share)}"/>')
    body.append(_text(left, y + 20, f"≤{HEAT_FLOOR:.0%}", size=SMALL, fill=MUTED))
    body.append(_text(left + 176, y + 20, "100%", size=SMALL, anchor="end", fill=MUTED))
    if few_note:
        body.append(f'<rect x="{left + 196}" y="{y}" width="16" height="9" fill="#ffffff" stroke="{GRID}"/>')
        body.append(_text(left + 218, y + 8, few_note, size=SMALL, fill=MUTED))
    return _figure(width, height, title, "; ".join(descs) or "–", body, caption)
