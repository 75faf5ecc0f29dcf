"""Survey charts as inline SVG drawn on the server (no JavaScript), each with an accessible name and a
pointer to the table that always accompanies it. Hidden groups (too few answers) are drawn as a label."""
from __future__ import annotations

import itertools

from flask_babel import gettext as _
from markupsafe import Markup, escape

from ..chart_layout import DESIGN_WIDTH, MIN_FONT, size

_ids = itertools.count(1)
SHADES = ("survey-s1", "survey-s2", "survey-s3", "survey-s4")


def _open(width: int, height: int, title: str, css: str) -> str:
    n = next(_ids)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="survey-svg {css}" viewBox="0 0 {width} {height}" '
            f'{size(width, height)} role="img" aria-label="{escape(title)}" aria-describedby="survey-desc-{n}" '
            f'focusable="false">'
            f'<title>{escape(title)}</title><desc id="survey-desc-{n}">'
            f'{escape(_("The same figures are in the table that follows the chart."))}</desc>')


def _fit(text: str, room: float, font: float = MIN_FONT) -> str:
    letters = max(int(room / (font * 0.6)), 4)  # DejaVu Sans: ~0.6 em a letter
    return text if len(text) <= letters else text[:letters - 1].rstrip() + "…"


def index_bars(rows: list[tuple[str, object]], *, title: str, national=None) -> Markup:
    """One bar per group (label, IndexResult) on a 0-100 scale, with its 95% confidence interval as a
    line; the national average as a dashed vertical line when given. Laid out for a phone
    (chart_layout): each group's name above its bar."""
    left, bar_w, row_h, font = 8, DESIGN_WIDTH - 48, 40, MIN_FONT
    width, height = DESIGN_WIDTH, 24 + row_h * max(len(rows), 1)
    parts = [_open(width, height, title, "survey-index")]
    for k in range(5):
        x = left + bar_w * k / 4
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="18" y2="{height - 4}" class="grid"/>'
                     f'<text x="{x:.1f}" y="13" text-anchor="middle" font-size="{font}">{25 * k}</text>')
    for i, (label, result) in enumerate(rows):
        y = 20 + i * row_h
        parts.append(f'<text x="{left}" y="{y + 13}" font-size="{font}"><title>{escape(label)}</title>'
                     f'{escape(_fit(label, width - left))}</text>')
        y += 16
        if result is None or not result.shown:
            parts.append(f'<text x="{left + 4}" y="{y + 13}" font-size="{font}" class="chart-note">'
                         f'{escape(_("too few answers"))}</text>')
            continue
        w = bar_w * result.mean / 100
        lo, hi = left + bar_w * result.low / 100, left + bar_w * result.high / 100
        parts.append(f'<rect x="{left}" y="{y + 1}" width="{max(w, 1):.1f}" height="16" class="bar-current">'
                     f'<title>{escape(label)}: {result.mean:.0f} ({result.low:.0f}–{result.high:.0f})</title></rect>'
                     f'<line x1="{lo:.1f}" x2="{hi:.1f}" y1="{y + 9}" y2="{y + 9}" class="survey-ci"/>'
                     f'<line x1="{lo:.1f}" x2="{lo:.1f}" y1="{y + 4}" y2="{y + 14}" class="survey-ci"/>'
                     f'<line x1="{hi:.1f}" x2="{hi:.1f}" y1="{y + 4}" y2="{y + 14}" class="survey-ci"/>'
                     f'<text x="{left + bar_w + 8}" y="{y + 14}" font-size="{font}">{result.mean:.0f}</text>')
    if national is not None and national.shown:
        x = left + bar_w * national.mean / 100
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="18" y2="{height - 4}" class="survey-national">'
                     f'<title>{escape(_("National average"))}: {national.mean:.0f}</title></line>')
    parts.append("</svg>")
    return Markup("".join(parts))


def stacked(distribution, labels: list[tuple[int, str]], *, title: str) -> Markup:
    """One 100% stacked bar: the share of each answer among those who answered."""
    width, height, bar_w = DESIGN_WIDTH, 48, DESIGN_WIDTH - 20
    parts = [_open(width, height, title, "survey-stacked")]
    x = 10.0
    for k, (value, label) in enumerate(labels):
        share = distribution.percent(value) or 0
        w = bar_w * share / 100
        if w > 0:
            parts.append(f'<rect x="{x:.1f}" y="4" width="{w:.1f}" height="22" class="{SHADES[k % 4]}">'
                         f'<title>{escape(label)}: {share:.0f}%</title></rect>')
            if w > 32:
                parts.append(f'<text x="{x + w / 2:.1f}" y="19" text-anchor="middle" font-size="{MIN_FONT}" '
                             f'class="survey-on-bar">{share:.0f}%</text>')
        x += w
    parts.append(f'<text x="10" y="42" font-size="{MIN_FONT}">{escape(_("n = %(n)d", n=distribution.answered))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
