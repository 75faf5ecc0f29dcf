"""Charts are drawn for a phone first (issue 14): every server-drawn SVG chart is laid out in a
viewBox at most ``DESIGN_WIDTH`` units wide with text of at least ``MIN_FONT`` units, so that on a
390 px screen (358 px for the content) it is drawn at 1:1 or larger and its text is never below
12 px. SVG scales its text with its viewBox, so a chart laid out 650 units wide and shrunk to a
phone prints 6 px text; this one is not shrunk. On wider screens it grows, at most to ``GROWTH``
times its size (the ``width``/``height`` attributes; CSS gives it ``max-width: 100%; height: auto``).
tests/browser/test_chart_text.py measures the rendered text at 390 x 844."""
from __future__ import annotations

DESIGN_WIDTH = 350  # SVG units: the content box of a 390 px screen is 358 px
MIN_FONT = 12       # SVG units; at 1:1 or larger, CSS px
GROWTH = 1.25       # how much larger than its design size a chart is drawn where there is room


def size(width: float, height: float, growth: float = GROWTH) -> str:
    """The ``width``/``height`` attributes of a chart's <svg> (its viewBox is 0 0 width height)."""
    return f'width="{round(width * growth)}" height="{round(height * growth)}"'
