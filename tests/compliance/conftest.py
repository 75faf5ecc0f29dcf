from __future__ import annotations

import pytest


@pytest.fixture
def judge(app, municipality_id):
    """judge("elbasan", 2024) -> the CouncilResult of that council for that year (judged on 31 December)."""
    from datetime import date

    from safetycouncil.compliance.engine import evaluate

    def run(slug: str, year: int = 2024, as_of: date | None = None):
        with app.app_context():
            mid = municipality_id(slug)
            return evaluate([mid], year, as_of or date(year, 12, 31)).results[mid]

    return run
