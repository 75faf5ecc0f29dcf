"""Charts are readable on a phone (issue 14): at 390 x 844 no chart prints text below 12 px. SVG scales
its text with its viewBox, so this measures what the reader sees: each visible text element's computed
font size times the scale of its SVG on screen (getScreenCTM), on the public pages with charts (crime
trend, bars per category, small multiples, the tile map), the survey results and the Ministry's
console and trends."""
from __future__ import annotations

import pytest

from ..surveys.support import public_and_unpublished_waves
from .test_accessibility import _sign_in, _sign_out, _world

pytestmark = pytest.mark.browser

MINIMUM_PX = 12

RENDERED_TEXT = """() => Array.from(document.querySelectorAll('svg text')).filter(t => {
    const svg = t.closest('svg');
    return t.getClientRects().length && svg.getBoundingClientRect().width > 0 && t.textContent.trim();
}).map(t => {
    const m = t.getScreenCTM();
    const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
    return {chart: t.closest('svg').getAttribute('class') || 'svg', px: Math.round(px * 10) / 10,
            text: t.textContent.trim().slice(0, 24)};
})"""


def _measure(page, paths) -> tuple[list[str], set[str]]:
    small, charts = [], set()
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, f"{path} -> {response.status}"
        for t in page.evaluate(RENDERED_TEXT):
            charts.add(t["chart"].split()[0] + (" small" if "small" in t["chart"] else ""))
            if t["px"] < MINIMUM_PX:
                small.append(f"{path}: {t['chart']} {t['text']!r} at {t['px']} px")
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"{path} scrolls sideways: {width}"
    return small, charts


def test_chart_text_is_at_least_12_px_at_390(phone_page, app, in_tenant, make_user):
    _world(app, in_tenant)
    wave = public_and_unpublished_waves(in_tenant, "elbasan", "Vala e fshehtë")[0]
    page = phone_page
    small, charts = _measure(page, ["/", "/public/elbasan/", "/public/elbasan/crime-statistics"])
    _sign_in(page, make_user("technical_secretary", municipality="elbasan"))
    more, seen = _measure(page, [f"/elbasan/surveys/{wave}/results"])
    small += more
    charts |= seen
    _sign_out(page)
    _sign_in(page, make_user("ministry"))
    more, seen = _measure(page, ["/national/", "/national/compliance/trends"])
    small += more
    charts |= seen
    # every kind of chart was on a page and measured (the test is not vacuous)
    assert {"tilemap", "crime-svg", "crime-svg small", "survey-svg", "compliance-svg"} <= charts, charts
    assert not small, "\n".join(small)
