"""Trend charts as inline SVG: no JavaScript, no external files; each has a title, a description
pointing to the data table beside it, and role="img"."""
from __future__ import annotations

import itertools

from markupsafe import Markup, escape

from ..chart_layout import DESIGN_WIDTH, size

_ids = itertools.count(1)


def percent_columns(points: list[tuple[str, int | None]], *, title: str, description: str) -> Markup:
    """Columns from 0 to 100 %, one per label (a year); a missing value is drawn as a dash."""
    n = next(_ids)
    # phone first (chart_layout): the columns share the design width, the text is 12 units (CSS)
    step = min(56, (DESIGN_WIDTH - 60) / max(len(points), 1))
    bar = min(36, step - 8)
    width, height, left, bottom, top = round(max(240, 60 + step * len(points))), 200, 40, 30, 16
    plot_h = height - bottom - top
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="compliance-svg" viewBox="0 0 {width} {height}" '
             f'{size(width, height)} role="img" aria-labelledby="ctitle-{n}" aria-describedby="cdesc-{n}" '
             f'focusable="false">'
             f'<title id="ctitle-{n}">{escape(title)}</title><desc id="cdesc-{n}">{escape(description)}</desc>']
    for tick in (0, 50, 100):
        y = top + plot_h - plot_h * tick / 100
        parts.append(f'<line x1="{left}" x2="{width - 8}" y1="{y:.0f}" y2="{y:.0f}" class="grid"/>'
                     f'<text x="{left - 6}" y="{y + 4:.0f}" text-anchor="end" class="tick">{tick}%</text>')
    for i, (label, value) in enumerate(points):
        x = round(left + 12 + i * step, 1)
        middle = round(x + bar / 2, 1)
        if value is None:
            parts.append(f'<text x="{middle}" y="{top + plot_h - 4}" text-anchor="middle" class="tick">–</text>')
        else:
            h = plot_h * value / 100
            parts.append(f'<rect x="{x}" y="{top + plot_h - h:.1f}" width="{bar:.1f}" height="{h:.1f}" class="bar"/>'
                         f'<text x="{middle}" y="{top + plot_h - h - 3:.1f}" text-anchor="middle" class="val">'
                         f'{value}%</text>')
        parts.append(f'<text x="{middle}" y="{height - 10}" text-anchor="middle" class="tick">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
