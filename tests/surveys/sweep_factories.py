"""Ids for the isolation sweep (tests/tenancy/test_isolation_sweep.py): a survey wave with no new area
(the sweep counts areas), open, with one paper answer."""
from datetime import date

from safetycouncil.surveys.services import create_wave, enter_response


def make_wave(session, tag):
    wave = create_wave({"title": f"Vala {tag}", "starts_on": date(2025, 4, 1), "ends_on": date(2025, 5, 1),
                        "target_respondents": 100}, user_id=None)
    wave.status = "open"
    session.flush()
    enter_response(wave, {"safety_day": "3"}, None, "paper")
    return wave.id


ID_FACTORIES = {"wave_id": make_wave}
