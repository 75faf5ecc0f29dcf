"""Charts as inline SVG drawn on the server: no JavaScript, no external files.

Each chart is an image with an accessible name (``role="img"``, ``aria-label`` and ``<title>``)
and a description pointing to the table that always accompanies it. Figures come already
made safe to publish (``disclosure.Figure``): a suppressed one is drawn as a label, never a bar.
"""
from __future__ import annotations

import itertools

from flask_babel import gettext as _
from markupsafe import Markup, escape

from ..chart_layout import DESIGN_WIDTH, MIN_FONT, size
from .disclosure import Figure

_ids = itertools.count(1)


def _open(width: int, height: int, title: str, description: str, css: str) -> tuple[str, list[str]]:
    n = next(_ids)
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="crime-svg {css}" viewBox="0 0 {width} {height}" '
            f'{size(width, height)} role="img" aria-label="{escape(title)}" aria-describedby="chart-desc-{n}" '
            f'focusable="false">'
            f'<title>{escape(title)}</title><desc id="chart-desc-{n}">{escape(description)}</desc>')
    return head, []


def _scale_max(values: list[int]) -> int:
    top = max(values, default=0)
    if top <= 5:
        return 5
    for step in (10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if top <= step * 5:
            return -(-top // step) * step
    return top


def _fit(text: str, room: float, font: float = MIN_FONT) -> str:
    """``text`` cut (with "…") to about ``room`` units at ``font`` (DejaVu Sans: ~0.6 em a letter)."""
    letters = max(int(room / (font * 0.6)), 4)
    return text if len(text) <= letters else text[:letters - 1].rstrip() + "…"


def month_bars(rows: list[tuple[str, Figure, Figure]], *, title: str, current_label: str, earlier_label: str,
               show) -> Markup:
    """Horizontal bars per category: the month (dark) and the same month a year earlier (light). Laid
    out for a phone (chart_layout): each category's name above its two bars, the full name in its title."""
    width, bar_w, row_h, font = DESIGN_WIDTH, DESIGN_WIDTH - 50, 52, MIN_FONT
    height = 34 + row_h * len(rows)
    top = _scale_max([f.count for _, a, b in rows for f in (a, b) if f.published])
    head, parts = _open(width, height, title, _("The same figures are in the table that follows the chart."),
                        "chart-bars")
    half = width / 2
    parts.append(f'<g class="legend" font-size="{font}"><rect x="0" y="6" width="12" height="12" '
                 f'class="bar-current"/><text x="18" y="16">{escape(_fit(current_label, half - 24))}</text>'
                 f'<rect x="{half:.0f}" y="6" width="12" height="12" class="bar-earlier"/>'
                 f'<text x="{half + 18:.0f}" y="16">{escape(_fit(earlier_label, half - 24))}</text></g>')
    for i, (name, current, earlier) in enumerate(rows):
        y = 30 + i * row_h
        parts.append(f'<text x="0" y="{y + 13}" font-size="{font}" class="chart-label"><title>{escape(name)}</title>'
                     f'{escape(_fit(name, width))}</text>')
        for j, (figure, css) in enumerate(((current, "bar-current"), (earlier, "bar-earlier"))):
            by = y + 18 + j * 15
            if figure.published:
                w = 0 if top == 0 else round(bar_w * figure.count / top, 1)
                parts.append(f'<rect x="0" y="{by}" width="{max(w, 1)}" height="13" class="{css}"/>'
                             f'<text x="{w + 5}" y="{by + 11}" font-size="{font}">{figure.count}</text>')
            else:
                parts.append(f'<text x="4" y="{by + 11}" font-size="{font}" class="chart-note">'
                             f'{escape(show(figure))}</text>')
    return Markup(head + "".join(parts) + "</svg>")


def trend_columns(labels: list[str], figures: list[Figure], *, title: str, show, marks: list[str] | None = None,
                  small: bool = False) -> Markup:
    """Columns per month, oldest first. ``marks``: per month, "revised" to flag it, "" otherwise.
    Months without figures show a dash; suppressed figures a short label instead of a column."""
    n = max(len(figures), 1)
    left, bottom, plot_h = (8, 16, 60) if small else (36, 36, 180)
    # phone first (chart_layout): the columns share the design width; small multiples sit in a
    # 14rem (224 px) grid column
    right = 8 if small else 32  # room for half of the last month's label
    room = (216 if small else DESIGN_WIDTH) - left - right
    col = min(14 if small else 40, max(room / n, 6))
    width, height = round(left + col * n + right, 1), 12 + plot_h + bottom
    width = int(width) if width == int(width) else width
    plot_end = left + col * n + 4
    every = max(1, -(-68 // int(col)))  # a month's label ("korr 2026") needs ~68 units at 12
    top = _scale_max([f.count for f in figures if f.published])
    head, parts = _open(width, height, title, _("The same figures are in the table that follows the chart."),
                        "chart-trend small" if small else "chart-trend")
    base = 10 + plot_h
    if small:  # one gridline at the top with its value, so that the small charts can be compared
        parts.append(f'<line x1="{left}" x2="{plot_end:.1f}" y1="10" y2="10" class="grid"/>'
                     f'<text x="{width - 4}" y="9" text-anchor="end" font-size="{MIN_FONT}">{top}</text>')
    else:
        for k in range(0, 5):
            value = top * k // 4
            y = base - plot_h * k / 4
            parts.append(f'<line x1="{left}" x2="{plot_end:.1f}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
                         f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" '
                         f'font-size="{MIN_FONT}">{value}</text>')
    parts.append(f'<line x1="{left}" x2="{plot_end:.1f}" y1="{base}" y2="{base}" class="axis"/>')
    marks = marks or [""] * len(figures)
    for i, (label, figure) in enumerate(zip(labels, figures, strict=True)):
        x = round(left + i * col + 2, 1)
        middle = x + (col - 4) / 2
        h = 0.0
        if figure.published:
            h = 0 if top == 0 else plot_h * figure.count / top
            parts.append(f'<rect x="{x}" y="{base - h:.1f}" width="{col - 4:.1f}" height="{max(h, 0.5):.1f}" '
                         f'class="bar-current{" revised" if marks[i] == "revised" else ""}">'
                         f'<title>{escape(label)}: {figure.count}</title></rect>')
        else:
            text = "–" if not figure.available else ("<" if small else show(figure))
            parts.append(f'<text x="{middle:.1f}" y="{base - 3}" text-anchor="middle" '
                         f'font-size="{MIN_FONT if small or figure.available else 16}" class="chart-note">'
                         f'<title>{escape(label)}: {escape(show(figure))}</title>{escape(text)}</text>')
        if marks[i] == "revised" and not small:
            parts.append(f'<text x="{middle:.1f}" y="{max(base - h - 3, 9):.1f}" text-anchor="middle" '
                         f'font-size="13" font-weight="bold">*</text>')
        if not small and (i % every == (n - 1) % every):
            parts.append(f'<text x="{x + (col - 4) / 2:.1f}" y="{base + 16}" text-anchor="middle" '
                         f'font-size="{MIN_FONT}">{escape(label)}</text>')
    return Markup(head + "".join(parts) + "</svg>")
