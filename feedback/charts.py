"""Inline SVG charts shared by the dashboard and the PDF reports.

Charts are plain SVG strings built with presentation attributes only (no
``style``), so they pass a strict Content-Security-Policy in pages and render
identically in WeasyPrint. Every chart carries ``role="img"``, a ``<title>``
and a ``<desc>`` giving its figures as text, and never relies on colour
alone: values are written beside bars and in cells.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

__all__ = ["Bar", "Series", "bar_chart", "line_chart", "heatmap"]

INK = "#1b1f24"
MUTED = "#4a5561"
GRID = "#d5dbe1"
PALETTE = ("#0b5cab", "#c2410c", "#1d6b35", "#6b21a8")
_FONT = 'font-family="DejaVu Sans, sans-serif"'


def _fmt(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _frame(width: int, height: int, title: str, desc: str, body: list[str]) -> Markup:
    ident = f"chart-{abs(hash((title, desc))) % 10**8}"
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="{ident}-t {ident}-d" class="chart">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: not enough data, drawn as a note instead of a bar
    compare: tuple[float | None, ...] = ()  # markers, e.g. branch and system averages


def bar_chart(bars: Sequence[Bar], *, title: str, maximum: float = 5.0, digits: int = 1,
              compare_labels: Sequence[str] = (), width: int = 560, empty_note: str = "not enough feedback yet"
              ) -> Markup:
    """Horizontal bars with the value written at the end, and optional comparison ticks."""
    row, top = 26, 8
    # Wide enough for the longest label (about 6.6 px a character at 12 px), within limits.
    label_w = max(170, min(300, 12 + int(6.6 * max((len(b.label) for b in bars), default=0))))
    plot_w = width - label_w - 60
    legend_h = 22 if compare_labels else 0
    height = top + row * len(bars) + legend_h + 8
    body = []
    descs = []
    for i, bar in enumerate(bars):
        y = top + i * row
        body.append(f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" font-size="12" fill="{INK}" '
                    f'{_FONT}>{escape(bar.label)}</text>')
        body.append(f'<rect x="{label_w}" y="{y + 4}" width="{plot_w}" height="18" fill="#eef1f4"/>')
        if bar.value is None:
            body.append(f'<text x="{label_w + 6}" y="{y + 17}" font-size="11" fill="{MUTED}" {_FONT}>'
                        f'{escape(empty_note)}</text>')
            descs.append(f"{bar.label}: {empty_note}")
        else:
            w = max(0.0, min(1.0, bar.value / maximum)) * plot_w
            body.append(f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="18" fill="{PALETTE[0]}"/>')
            body.append(f'<text x="{label_w + plot_w + 6}" y="{y + 17}" font-size="12" fill="{INK}" {_FONT}>'
                        f'{_fmt(bar.value, digits)}</text>')
            descs.append(f"{bar.label}: {_fmt(bar.value, digits)}")
        for j, marker in enumerate(bar.compare):
            if marker is None:
                continue
            x = label_w + max(0.0, min(1.0, marker / maximum)) * plot_w
            colour = PALETTE[(j + 1) % len(PALETTE)]
            body.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y + 1}" y2="{y + 25}" stroke="{colour}" '
                        f'stroke-width="3"/>')
            if j < len(compare_labels):
                descs[-1] += f", {compare_labels[j]} {_fmt(marker, digits)}"
    if compare_labels:
        y = top + row * len(bars) + 14
        x = label_w
        for j, name in enumerate(compare_labels):
            colour = PALETTE[(j + 1) % len(PALETTE)]
            body.append(f'<line x1="{x}" x2="{x}" y1="{y - 10}" y2="{y + 2}" stroke="{colour}" stroke-width="3"/>')
            body.append(f'<text x="{x + 6}" y="{y}" font-size="11" fill="{INK}" {_FONT}>{escape(name)}</text>')
            x += 20 + 7 * len(name)
    return _frame(width, height, title, "; ".join(descs), body)


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]


def line_chart(labels: Sequence[str], series: Sequence[Series], *, title: str, minimum: float = 1.0,
               maximum: float = 5.0, width: int = 560, height: int = 200, digits: int = 1) -> Markup:
    """Lines over periods; a gap where a period has no value; points labelled with their value."""
    # The legend sits on the right; leave it room for the longest name (about 6 px a character).
    longest = max((len(s.name) for s in series), default=0)
    left, right, top, bottom = 40, max(120, 34 + 6 * longest), 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    steps = max(1, len(labels) - 1)
    body = []

    def y_of(v: float) -> float:
        return top + plot_h - (max(minimum, min(maximum, v)) - minimum) / (maximum - minimum) * plot_h

    for tick in range(int(minimum), int(maximum) + 1, max(1, int((maximum - minimum) // 4) or 1)):
        y = y_of(tick)
        body.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="10" fill="{MUTED}" '
                    f'{_FONT}>{tick}</text>')
    for i, label in enumerate(labels):
        x = left + i * plot_w / steps
        body.append(f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle" font-size="10" fill="{MUTED}" '
                    f'{_FONT}>{escape(label)}</text>')
    descs = []
    for s_index, s in enumerate(series):
        colour = PALETTE[s_index % len(PALETTE)]
        points = [(left + i * plot_w / steps, y_of(v), v) for i, v in enumerate(s.values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points)
            body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        for x, y, v in points:
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>')
            body.append(f'<text x="{x:.1f}" y="{y - 7:.1f}" text-anchor="middle" font-size="9" fill="{INK}" '
                        f'{_FONT}>{_fmt(v, digits)}</text>')
        body.append(f'<rect x="{left + plot_w + 12}" y="{top + 16 * s_index}" width="10" height="10" '
                    f'fill="{colour}"/>')
        body.append(f'<text x="{left + plot_w + 26}" y="{top + 9 + 16 * s_index}" font-size="10" fill="{INK}" '
                    f'{_FONT}>{escape(s.name)}</text>')
        pairs = zip(labels, s.values, strict=False)
        descs.append(s.name + ": " + ", ".join(f"{lab} {_fmt(v, digits)}" for lab, v in pairs))
    return _frame(width, height, title, "; ".join(descs), body)


def heatmap(counts: dict[tuple[int, int], int], means: dict[tuple[int, int], float | None], *,
            title: str, weekday_names: Sequence[str], hours: Sequence[int] = tuple(range(8, 21)),
            width: int = 560) -> Markup:
    """Weekday x hour grid: darker means more responses; each cell shows its count."""
    left, top = 44, 18
    cell_w = (width - left - 4) / len(hours)
    cell_h = 24
    height = top + cell_h * 7 + 4
    peak = max(counts.values(), default=0) or 1
    body = []
    for i, hour in enumerate(hours):
        body.append(f'<text x="{left + i * cell_w + cell_w / 2:.1f}" y="12" text-anchor="middle" font-size="10" '
                    f'fill="{MUTED}" {_FONT}>{hour:02d}</text>')
    descs = []
    for day in range(7):
        y = top + day * cell_h
        body.append(f'<text x="{left - 6}" y="{y + 16}" text-anchor="end" font-size="10" fill="{INK}" '
                    f'{_FONT}>{escape(weekday_names[day])}</text>')
        for i, hour in enumerate(hours):
            n = counts.get((day, hour), 0)
            shade = n / peak
            fill = f"rgb({int(240 - 229 * shade)},{int(244 - 152 * shade)},{int(248 - 77 * shade)})"
            x = left + i * cell_w
            body.append(f'<rect x="{x:.1f}" y="{y}" width="{cell_w - 2:.1f}" height="{cell_h - 2}" fill="{fill}"/>')
            if n:
                ink = "#ffffff" if shade > 0.55 else INK
                body.append(f'<text x="{x + cell_w / 2 - 1:.1f}" y="{y + 15}" text-anchor="middle" font-size="9" '
                            f'fill="{ink}" {_FONT}>{n}</text>')
                mean = means.get((day, hour))
                descs.append(f"{weekday_names[day]} {hour:02d}: {n}"
                             + (f" (satisfaction {mean:.0%})" if mean is not None else ""))
    return _frame(width, height, title, "; ".join(descs) or "no responses", body)
