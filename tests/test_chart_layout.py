"""Every server-drawn chart is laid out for a phone (issue 14, chart_layout.py): its viewBox is at most
DESIGN_WIDTH units wide (a 390 px screen's content box is 358 px, so it is never shrunk there) and no
text is set below 12 units, whatever the number of months, years or groups. The browser test
(tests/browser/test_chart_text.py) measures the rendered sizes."""
from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from safetycouncil.chart_layout import DESIGN_WIDTH, MIN_FONT


def _check(svg: str) -> None:
    width = float(re.search(r'viewBox="0 0 ([\d.]+) [\d.]+"', svg).group(1))
    assert width <= DESIGN_WIDTH, width
    sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)"', svg)]
    assert all(s >= MIN_FONT for s in sizes), sizes
    assert re.search(r'<svg[^>]* width="\d+" height="\d+"', svg)  # drawn at its size, grows a little


@pytest.mark.parametrize("months", [3, 12, 24, 36])
def test_crime_charts(app, months):
    from safetycouncil.crime_statistics import charts
    from safetycouncil.crime_statistics.disclosure import Figure

    figures = [Figure(count=10 + i) if i % 5 else Figure(count=None, suppressed=True) for i in range(months)]
    figures[-1] = Figure(count=None, available=False)
    labels = [f"m{i}" for i in range(months)]
    with app.test_request_context("/"):
        _check(str(charts.trend_columns(labels, figures, title="t", show=lambda f: "< 5")))
        _check(str(charts.trend_columns(labels, figures, title="t", show=lambda f: "< 5", small=True)))
        rows = [("Vepra penale ndaj fëmijëve dhe të miturve në familje", figures[1], figures[0])] * 12
        bars = str(charts.month_bars(rows, title="t", current_label="nëntor 2026", earlier_label="nëntor 2025",
                                     show=lambda f: "nuk shfaqet"))
        _check(bars)
        assert "<title>Vepra penale ndaj fëmijëve dhe të miturve në familje</title>" in bars  # full name kept


@pytest.mark.parametrize("years", [1, 5, 9])
def test_compliance_and_survey_charts(app, years):
    from safetycouncil.compliance.charts import percent_columns
    from safetycouncil.surveys import charts

    _check(str(percent_columns([(str(2020 + i), 50 if i % 2 else None) for i in range(years)],
                               title="t", description="d")))
    result = SimpleNamespace(shown=True, mean=62.0, low=55.0, high=70.0)
    distribution = SimpleNamespace(answered=40, percent=lambda value: 25.0)
    with app.test_request_context("/"):
        _check(str(charts.index_bars([("Ndihem i sigurt në lagjen time natën", result), ("Grup", None)] * 4,
                                     title="t", national=result)))
        _check(str(charts.stacked(distribution, [(1, "a"), (2, "b"), (3, "c"), (4, "d")], title="t")))
