"""Bar charts as server-rendered SVG (RPT-11): no JavaScript, no library, readable without the picture.

Each chart names itself (``<title>``) and says in words what it shows (``<desc>``); every bar carries its
exact figure in a ``<title>`` of its own, and the page puts the same numbers in a table beside it. Colours
are presentation attributes, not styles, so the site's content security policy has nothing to allow."""

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

WIDTH, PLOT_HEIGHT = 720, 200
LEFT, RIGHT, BOTTOM, LEGEND_ROW = 44, 8, 30, 20
# Told apart by people with the common colour vision deficiencies (Okabe–Ito).
PALETTE = ("#0072b2", "#d55e00", "#999999", "#e69f00", "#009e73", "#cc79a7")


@dataclass
class Series:
    name: "StrOrPromise"
    values: list[float | None]


def _ceiling(value: float) -> float:
    """A round top for the axis: 1, 2 or 5 times a power of ten, at least the largest value."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def _number(value: float) -> str:
    return f"{value:g}"


def _legend(series: list[Series]) -> tuple[list[str], int]:
    """Legend entries, wrapped onto as many rows as they need; returns the markup and the rows' height."""
    parts, x, y = [], LEFT, 8
    for k, s in enumerate(series):
        width = 28 + sum(
            12 if ord(char) > 0x2E80 else 7 for char in str(s.name)
        )  # CJK is about twice as wide
        if x > LEFT and x + width > WIDTH - RIGHT:
            x, y = LEFT, y + LEGEND_ROW
        parts.append(
            f'<rect x="{x}" y="{y}" width="12" height="12" fill="{PALETTE[k % len(PALETTE)]}"/>'
            f'<text x="{x + 16}" y="{y + 10}" font-size="12" fill="currentColor">{escape(s.name)}</text>'
        )
        x += width
    return parts, y + LEGEND_ROW + 6


def _ticks(top: float, values: list[float]) -> tuple[float, ...]:
    # Counts get whole-number ticks: no "0.5 reports".
    whole = all(float(v).is_integer() for v in values)
    return (0, top / 2, top) if not whole or (top / 2).is_integer() else (0, top)


def bar_chart(
    *,
    ident: str,
    title: str,
    summary: str,
    labels: list[str],
    series: list[Series],
    stacked: bool = True,
    top: float | None = None,
) -> SafeString:
    """Bars per label: stacked (parts of one total) or side by side (separate measures). A value of None
    draws no bar (no data), unlike 0. ``top`` fixes the axis (100 for a percentage)."""
    legend, top_margin = _legend(series)
    height_total = top_margin + PLOT_HEIGHT + BOTTOM
    plot_h = PLOT_HEIGHT
    plot_w = WIDTH - LEFT - RIGHT
    values = [v for s in series for v in s.values if v is not None]
    totals = [
        sum(s.values[i] or 0 for s in series)
        if stacked
        else max((s.values[i] or 0 for s in series), default=0)
        for i in range(len(labels))
    ]
    top = top or _ceiling(max(totals, default=0))
    slot = plot_w / max(len(labels), 1)
    bar_w = slot * 0.7 / (1 if stacked else max(len(series), 1))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height_total}" width="100%" '
        f'class="chart" role="img" aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(title)}</title><desc id="{ident}-desc">{escape(summary)}</desc>',
        *legend,
    ]
    axis = top_margin + plot_h
    for tick in _ticks(top, values):
        y = axis - plot_h * tick / top
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#bbbbbb" '
            f'stroke-width="{1 if tick else 1.5}"/><text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" '
            f'font-size="11" fill="currentColor">{_number(tick)}</text>'
        )
    for i, label in enumerate(labels):
        x0 = LEFT + slot * i + slot * 0.15
        base: float = axis
        for k, s in enumerate(series):
            value = s.values[i]
            if value is None:
                continue
            height = plot_h * value / top
            x = x0 if stacked else x0 + bar_w * k
            y = base - height if stacked else axis - height
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{height:.1f}" '
                f'fill="{PALETTE[k % len(PALETTE)]}"><title>{escape(label)}: {escape(s.name)} '
                f"{_number(value)}</title></rect>"
            )
            if stacked:
                base -= height
        parts.append(
            f'<text x="{LEFT + slot * (i + 0.5):.1f}" y="{axis + 16}" text-anchor="middle" '
            f'font-size="11" fill="currentColor">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 -- every text above went through escape()
