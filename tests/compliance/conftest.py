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


@pytest.fixture
def councils(app, in_tenant, municipality_id):
    """[Elbasan, Fier] in 2024 (``support.YEAR``): Elbasan complies; Fier lags (no secretariat
    meetings after spring, a press release late)."""
    from datetime import datetime

    from sqlalchemy import delete, update

    from safetycouncil.meetings.models import Meeting
    from safetycouncil.records.models import PressRelease

    from .support import YEAR, exemplary

    with in_tenant("elbasan") as s:
        exemplary(s, "elb")
    with in_tenant("fier") as s:
        built = exemplary(s, "fier")
        s.execute(delete(Meeting).where(Meeting.kind == "secretariat_monitoring",
                                        Meeting.starts_at >= datetime(YEAR, 5, 1)))
        s.execute(update(PressRelease).where(PressRelease.meeting_id == built["meetings"][1].id)
                  .values(published_at=datetime(YEAR, 10, 20, 9, 0)))
    return [municipality_id("elbasan"), municipality_id("fier")]
