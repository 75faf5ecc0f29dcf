"""Survey charts as inline SVG drawn on the server (no JavaScript), each with an accessible name and a
pointer to the table that always accompanies it. Hidden groups (too few answers) are drawn as a label."""
from __future__ import annotations

import itertools

from flask_babel import gettext as _
from markupsafe import Markup, escape

_ids = itertools.count(1)
SHADES = ("survey-s1", "survey-s2", "survey-s3", "survey-s4")


def _open(width: int, height: int, title: str, css: str) -> str:
    n = next(_ids)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="survey-svg {css}" viewBox="0 0 {width} {height}" '
            f'role="img" aria-label="{escape(title)}" aria-describedby="survey-desc-{n}" focusable="false">'
            f'<title>{escape(title)}</title><desc id="survey-desc-{n}">'
            f'{escape(_("The same figures are in the table that follows the chart."))}</desc>')


def index_bars(rows: list[tuple[str, object]], *, title: str, national=None) -> Markup:
    """One bar per group (label, IndexResult) on a 0-100 scale, with its 95% confidence interval as a
    line; the national average as a dashed vertical line when given."""
    label_w, bar_w, row_h = 200, 360, 28
    width, height = label_w + bar_w + 60, 30 + row_h * max(len(rows), 1)
    parts = [_open(width, height, title, "survey-index")]
    for k in range(5):
        x = label_w + bar_w * k / 4
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="16" y2="{height - 4}" class="grid"/>'
                     f'<text x="{x:.1f}" y="12" text-anchor="middle" font-size="10">{25 * k}</text>')
    for i, (label, result) in enumerate(rows):
        y = 22 + i * row_h
        parts.append(f'<text x="{label_w - 8}" y="{y + 14}" text-anchor="end" font-size="12">{escape(label)}</text>')
        if result is None or not result.shown:
            parts.append(f'<text x="{label_w + 4}" y="{y + 14}" font-size="11" class="chart-note">'
                         f'{escape(_("too few answers"))}</text>')
            continue
        w = bar_w * result.mean / 100
        lo, hi = label_w + bar_w * result.low / 100, label_w + bar_w * result.high / 100
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{max(w, 1):.1f}" height="16" class="bar-current">'
                     f'<title>{escape(label)}: {result.mean:.0f} ({result.low:.0f}–{result.high:.0f})</title></rect>'
                     f'<line x1="{lo:.1f}" x2="{hi:.1f}" y1="{y + 11}" y2="{y + 11}" class="survey-ci"/>'
                     f'<line x1="{lo:.1f}" x2="{lo:.1f}" y1="{y + 6}" y2="{y + 16}" class="survey-ci"/>'
                     f'<line x1="{hi:.1f}" x2="{hi:.1f}" y1="{y + 6}" y2="{y + 16}" class="survey-ci"/>'
                     f'<text x="{label_w + bar_w + 6}" y="{y + 15}" font-size="11">{result.mean:.0f}</text>')
    if national is not None and national.shown:
        x = label_w + bar_w * national.mean / 100
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="16" y2="{height - 4}" class="survey-national">'
                     f'<title>{escape(_("National average"))}: {national.mean:.0f}</title></line>')
    parts.append("</svg>")
    return Markup("".join(parts))


def stacked(distribution, labels: list[tuple[int, str]], *, title: str) -> Markup:
    """One 100% stacked bar: the share of each answer among those who answered."""
    width, height, bar_w = 560, 46, 540
    parts = [_open(width, height, title, "survey-stacked")]
    x = 10.0
    for k, (value, label) in enumerate(labels):
        share = distribution.percent(value) or 0
        w = bar_w * share / 100
        if w > 0:
            parts.append(f'<rect x="{x:.1f}" y="4" width="{w:.1f}" height="22" class="{SHADES[k % 4]}">'
                         f'<title>{escape(label)}: {share:.0f}%</title></rect>')
            if w > 28:
                parts.append(f'<text x="{x + w / 2:.1f}" y="19" text-anchor="middle" font-size="11" '
                             f'class="survey-on-bar">{share:.0f}%</text>')
        x += w
    parts.append(f'<text x="10" y="40" font-size="10">{escape(_("n = %(n)d", n=distribution.answered))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
