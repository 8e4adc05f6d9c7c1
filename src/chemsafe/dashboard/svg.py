"""Line charts as inline SVG, drawn in Python: no script, no library, no network.

Every label and value goes through chemsafe.htmltext.escape_attr (SVG text takes no
markup: a control or bidirectional character shows as its code, plain); each point carries
its series, period and value as data attributes (what a test or a curious reader can check)
and a <title> the browser shows on hover. The legend is HTML (escape_html).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from chemsafe.htmltext import escape_attr, escape_html

WIDTH = 560
HEIGHT = 260
MARGIN_LEFT = 64
MARGIN_RIGHT = 36
MARGIN_TOP = 16
MARGIN_BOTTOM = 44


@dataclass(frozen=True)
class Series:
    key: str  # machine-readable, e.g. HIGH or S01
    label: str  # shown in the legend
    color: str
    values: Sequence[float | None]
    width: float = 2.0
    dashed: bool = False


def nice_ceiling(value: float) -> float:
    """The smallest round number at or above value whose quarters are round too."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 1.2, 1.6, 2, 2.4, 3, 4, 5, 6, 8, 10):
        if step * power >= value * (1 - 1e-12):
            return step * power
    return 10 * power


def _attr(value: object) -> str:
    return escape_attr(str(value))


def _segments(points: list[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    """Split a line where a value is missing instead of drawing across the gap."""
    out: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for point in points:
        if point is None:
            if current:
                out.append(current)
            current = []
        else:
            current.append(point)
    if current:
        out.append(current)
    return out


def line_chart(chart_id: str, title: str, periods: Sequence[str], series: Sequence[Series],
               fmt: Callable[[float], str], y_max: float | None = None,
               y_min: float = 0.0, ticks: int = 4, *, y_title: str,
               x_title: str = "분기 Quarter") -> str:
    """An SVG line chart with one line per series over the periods, both axes titled.
    It scales to the width of its container (viewBox; the page's CSS sets width 100%)."""
    values = [v for s in series for v in s.values if v is not None]
    top = y_max if y_max is not None else nice_ceiling(max(values, default=0.0))
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    step = plot_w / max(len(periods) - 1, 1)

    def x(i: int) -> float:
        return MARGIN_LEFT + i * step

    def y(v: float) -> float:
        share = (v - y_min) / (top - y_min) if top > y_min else 0.0
        return MARGIN_TOP + plot_h * (1 - min(max(share, 0.0), 1.0))

    parts = [
        f'<svg class="chart" id="{_attr(chart_id)}" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" '
        'preserveAspectRatio="xMidYMid meet">',
        f"<title>{escape_attr(title)}</title>",
        f'<text class="axis-title" data-axis="x" x="{MARGIN_LEFT + plot_w / 2:.1f}" '
        f'y="{HEIGHT - 6}" text-anchor="middle">{escape_attr(x_title)}</text>',
        f'<text class="axis-title" data-axis="y" x="{-(MARGIN_TOP + plot_h / 2):.1f}" y="14" '
        f'transform="rotate(-90)" text-anchor="middle">{escape_attr(y_title)}</text>',
    ]
    for t in range(ticks + 1):
        value = y_min + (top - y_min) * t / ticks
        ty = y(value)
        parts.append(f'<line class="grid" x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" '
                     f'y1="{ty:.1f}" y2="{ty:.1f}"/>')
        parts.append(f'<text class="tick" x="{MARGIN_LEFT - 6}" y="{ty + 4:.1f}" '
                     f'text-anchor="end">{escape_attr(fmt(value))}</text>')
    label_every = max(1, math.ceil(len(periods) / 8))
    for i, period in enumerate(periods):
        if i % label_every == 0 or i == len(periods) - 1:
            parts.append(f'<text class="tick" x="{x(i):.1f}" y="{HEIGHT - MARGIN_BOTTOM + 18}" '
                         f'text-anchor="middle">{escape_attr(period)}</text>')
    for s in series:
        points = [None if v is None else (x(i), y(v)) for i, v in enumerate(s.values)]
        dash = ' stroke-dasharray="6 4"' if s.dashed else ""
        for segment in _segments(points):
            coords = " ".join(f"{px:.1f},{py:.1f}" for px, py in segment)
            parts.append(f'<polyline class="line" data-series="{_attr(s.key)}" fill="none" '
                         f'stroke="{_attr(s.color)}" stroke-width="{s.width}"{dash} '
                         f'points="{coords}"/>')
        for i, v in enumerate(s.values):
            if v is None:
                continue
            parts.append(
                f'<circle class="point" data-series="{_attr(s.key)}" '
                f'data-period="{_attr(periods[i])}" data-value="{v!r}" cx="{x(i):.1f}" '
                f'cy="{y(v):.1f}" r="3" fill="{_attr(s.color)}"><title>'
                f"{escape_attr(f'{s.label} {periods[i]}: {fmt(v)}')}</title></circle>")
    parts.append("</svg>")
    return "".join(parts)


def legend(series: Sequence[Series]) -> str:
    items = "".join(
        f'<li><span class="swatch{" dashed" if s.dashed else ""}" '
        f'style="border-color:{_attr(s.color)}"></span>{escape_html(s.label)}</li>'
        for s in series
    )
    return f'<ul class="legend">{items}</ul>'
