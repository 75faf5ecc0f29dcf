from __future__ import annotations

import pytest


@pytest.fixture
def judge(app, municipality_id):
    """judge("elbasan", 2024) -> the CouncilResult of that council for that year, judged once every due date of
    that year has passed (on 1 March of the next year), or ``as_of`` (a date: the end of that day)."""
    from datetime import date

    from safetycouncil.compliance.engine import evaluate

    def run(slug: str, year: int = 2024, as_of: date | None = None):
        with app.app_context():
            mid = municipality_id(slug)
            return evaluate([mid], year, as_of or date(year + 1, 3, 1)).results[mid]

    return run
