"""The Ministry reads verdicts through the API on 4 December 2026: a council that has done almost
nothing does not "comply" (the case of Peqin), and a council with nothing due yet is "on track"."""
from __future__ import annotations

from datetime import datetime

import pytest

from safetycouncil.timeutil import LOCAL_TIMEZONE

from .support import council_meeting


@pytest.fixture
def on(monkeypatch):
    """Judge as if now were the given moment in Albania (the engine's one clock)."""
    from safetycouncil.compliance import engine

    def set_now(moment: datetime):
        monkeypatch.setattr(engine, "_now", lambda: moment.replace(tzinfo=LOCAL_TIMEZONE))

    return set_now


def test_a_council_that_did_almost_nothing_does_not_comply(app, client, make_user, api_token, in_tenant, on):
    """Art. 6.7, 8.4, 8.5, 9.2: by 4 December the plan (due 31 March), eleven monthly monitoring
    meetings and the first half's consultation were due: none was done."""
    on(datetime(2026, 12, 4, 10, 0))
    with in_tenant("peqin") as s:
        council_meeting(s, datetime(2026, 5, 12, 10, 0), "pq")
    token = api_token(make_user("ministry"))
    body = client.get("/api/v1/compliance/peqin?year=2026", headers=token).get_json()
    assert body["complies"] is False and body["status"] == "fails" and body["year_complete"] is False
    rules = body["rules"]
    for rule in ("plan-approved", "monthly-monitoring", "open-consultations", "plan-published"):
        assert rules[rule]["verdict"] == "fail", rule
    months = [e for e in rules["monthly-monitoring"]["evidence"] if e["kind"] == "period_missing"]
    assert len(months) == 11 and all(e["message"] for e in months)
    assert rules["meetings-per-year"]["verdict"] == "not_yet_due" and rules["meetings-per-year"]["at_risk"] is True
    national = client.get("/api/v1/compliance?year=2026", headers=token).get_json()
    peqin = next(c for c in national["items"] if c["municipality"] == "peqin")
    assert peqin["complies"] is False and peqin["status"] == "fails"
    assert national["complying"] + national["on_track"] + national["at_risk"] + national["failing"] == 61


def test_nothing_due_yet_is_on_track(app, client, make_user, api_token, in_tenant, on):
    """On 5 January nothing has fallen due for a council whose members and seats are in place from
    1 January: it is on track, and the headline does not count it as complying."""
    on(datetime(2026, 1, 5, 9, 0))
    from .support import exemplary

    with in_tenant("peqin") as s:
        exemplary(s, "pq", year=2026)
    token = api_token(make_user("ministry"))
    body = client.get("/api/v1/compliance/peqin?year=2026", headers=token).get_json()
    assert body["status"] in ("on_track", "at_risk") and body["complies"] is False
    national = client.get("/api/v1/compliance?year=2026", headers=token).get_json()
    assert national["complying"] == 0
