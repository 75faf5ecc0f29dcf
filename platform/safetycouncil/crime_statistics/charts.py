"""Charts as inline SVG drawn on the server: no JavaScript, no external files.

Each chart is an image with an accessible name (``role="img"``, ``aria-label`` and ``<title>``)
and a description pointing to the table that always accompanies it. Figures come already
made safe to publish (``disclosure.Figure``): a suppressed one is drawn as a label, never a bar.
"""
from __future__ import annotations

import itertools

from flask_babel import gettext as _
from markupsafe import Markup, escape

from .disclosure import Figure

_ids = itertools.count(1)


def _open(width: int, height: int, title: str, description: str, css: str) -> tuple[str, list[str]]:
    n = next(_ids)
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="crime-svg {css}" viewBox="0 0 {width} {height}" '
            f'role="img" aria-label="{escape(title)}" aria-describedby="chart-desc-{n}" focusable="false">'
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


def month_bars(rows: list[tuple[str, Figure, Figure]], *, title: str, current_label: str, earlier_label: str,
               show) -> Markup:
    """Horizontal bars per category: the month (dark) and the same month a year earlier (light)."""
    label_w, bar_w, row_h = 250, 330, 34
    width, height = label_w + bar_w + 70, 40 + row_h * len(rows)
    top = _scale_max([f.count for _, a, b in rows for f in (a, b) if f.published])
    head, parts = _open(width, height, title, _("The same figures are in the table that follows the chart."),
                        "chart-bars")
    parts.append(f'<g class="legend" font-size="12"><rect x="{label_w}" y="6" width="12" height="12" '
                 f'class="bar-current"/><text x="{label_w + 18}" y="16">{escape(current_label)}</text>'
                 f'<rect x="{label_w + 170}" y="6" width="12" height="12" class="bar-earlier"/>'
                 f'<text x="{label_w + 188}" y="16">{escape(earlier_label)}</text></g>')
    for i, (name, current, earlier) in enumerate(rows):
        y = 32 + i * row_h
        parts.append(f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" font-size="12" '
                     f'class="chart-label">{escape(name)}</text>')
        for j, (figure, css) in enumerate(((current, "bar-current"), (earlier, "bar-earlier"))):
            by = y + 3 + j * 14
            if figure.published:
                w = 0 if top == 0 else round(bar_w * figure.count / top, 1)
                parts.append(f'<rect x="{label_w}" y="{by}" width="{max(w, 1)}" height="12" class="{css}"/>'
                             f'<text x="{label_w + w + 5}" y="{by + 10}" font-size="11">{figure.count}</text>')
            else:
                parts.append(f'<text x="{label_w + 4}" y="{by + 10}" font-size="11" class="chart-note">'
                             f'{escape(show(figure))}</text>')
    return Markup(head + "".join(parts) + "</svg>")


def trend_columns(labels: list[str], figures: list[Figure], *, title: str, show, marks: list[str] | None = None,
                  small: bool = False) -> Markup:
    """Columns per month, oldest first. ``marks``: per month, "revised" to flag it, "" otherwise.
    Months without figures show a dash; suppressed figures a short label instead of a column."""
    n = max(len(figures), 1)
    col = 14 if small else 26
    left, bottom, plot_h = (8, 16, 60) if small else (36, 52, 180)
    width, height = left + col * n + 8, 12 + plot_h + bottom
    top = _scale_max([f.count for f in figures if f.published])
    head, parts = _open(width, height, title, _("The same figures are in the table that follows the chart."),
                        "chart-trend small" if small else "chart-trend")
    base = 10 + plot_h
    if small:  # one gridline at the top with its value, so that the small charts can be compared
        parts.append(f'<line x1="{left}" x2="{width - 4}" y1="10" y2="10" class="grid"/>'
                     f'<text x="{width - 4}" y="8" text-anchor="end" font-size="9">{top}</text>')
    else:
        for k in range(0, 5):
            value = top * k // 4
            y = base - plot_h * k / 4
            parts.append(f'<line x1="{left}" x2="{width - 4}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
                         f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{value}</text>')
    parts.append(f'<line x1="{left}" x2="{width - 4}" y1="{base}" y2="{base}" class="axis"/>')
    marks = marks or [""] * len(figures)
    for i, (label, figure) in enumerate(zip(labels, figures, strict=True)):
        x = left + i * col + 2
        middle = x + (col - 4) / 2
        h = 0.0
        if figure.published:
            h = 0 if top == 0 else plot_h * figure.count / top
            parts.append(f'<rect x="{x}" y="{base - h:.1f}" width="{col - 4}" height="{max(h, 0.5):.1f}" '
                         f'class="bar-current{" revised" if marks[i] == "revised" else ""}">'
                         f'<title>{escape(label)}: {figure.count}</title></rect>')
        else:
            text = "–" if not figure.available else ("<" if small else show(figure))
            parts.append(f'<text x="{middle:.1f}" y="{base - 3}" text-anchor="middle" '
                         f'font-size="{9 if small or figure.available else 16}" class="chart-note">'
                         f'<title>{escape(label)}: {escape(show(figure))}</title>{escape(text)}</text>')
        if marks[i] == "revised" and not small:
            parts.append(f'<text x="{middle:.1f}" y="{max(base - h - 3, 9):.1f}" text-anchor="middle" '
                         f'font-size="13" font-weight="bold">*</text>')
        if not small and (i % 3 == (n - 1) % 3):
            parts.append(f'<text x="{x + (col - 4) / 2:.1f}" y="{base + 14}" text-anchor="middle" '
                         f'font-size="10">{escape(label)}</text>')
    return Markup(head + "".join(parts) + "</svg>")
