"""Art. 5.2.d: "The chair informs the Municipal Council about the council's work at least once a year."
The sessions are recorded through the page and the API, may be back-dated, are audited, and the
rule reads them."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from safetycouncil.audit.models import AuditEntry
from safetycouncil.council.models import MunicipalCouncilSession
from safetycouncil.extensions import db
from safetycouncil.tenancy import read_across_tenants
from safetycouncil.timeutil import local_today


def test_the_secretary_records_a_past_session_and_bad_input_is_refused(app, client, make_user, login, in_tenant):
    secretary = make_user("technical_secretary", municipality="elbasan", locale="en")
    login(client, secretary)
    url = "/elbasan/council/municipal-council"
    assert client.get(url).status_code == 200
    future = (local_today() + timedelta(days=3)).isoformat()
    refused = client.post(url, data={"held_on": future, "decision_number": "", "report_title": "Raporti"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "cannot be in the future" in body and "decision or minute number" in body
    assert 'value="Raporti"' in body  # nothing typed is lost
    saved = client.post(url, data={"held_on": "2025-12-18", "decision_number": "145/2025",
                                   "report_title": "Raporti vjetor i KVSP 2025"})
    assert saved.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "145/2025" in page and "Raporti vjetor i KVSP 2025" in page
    with app.app_context(), read_across_tenants():
        entry = db.session.execute(select(AuditEntry).where(
            AuditEntry.entity_type == "MunicipalCouncilSession").order_by(AuditEntry.id.desc())).scalars().first()
        assert entry is not None and entry.user_id == secretary.id


def test_the_api_records_sessions_and_a_member_only_reads(app, client, make_user, api_token):
    base = "/api/v1/municipalities/elbasan/council/municipal-council-sessions"
    chair = api_token(make_user("chair", municipality="elbasan"))
    created = client.post(base, headers=chair, json={"held_on": "2025-12-18", "decision_number": "145/2025",
                                                     "report_title": "Raporti vjetor"})
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["held_on"] == "2025-12-18"
    bad = client.post(base, headers=chair, json={"held_on": "2025-13-40", "decision_number": "1",
                                                 "report_title": "x"})
    assert bad.status_code == 422
    member = api_token(make_user("member", municipality="elbasan"))
    assert [s["decision_number"] for s in client.get(base, headers=member).get_json()] == ["145/2025"]
    assert client.post(base, headers=member, json={"held_on": "2025-12-18", "decision_number": "2",
                                                   "report_title": "y"}).status_code == 403
    outsider = api_token(make_user("technical_secretary", municipality="fier"))
    assert client.get(base, headers=outsider).status_code == 404


def test_a_back_dated_session_makes_last_year_pass(app, in_tenant, municipality_id):
    from safetycouncil.compliance.engine import evaluate

    mid = municipality_id("elbasan")
    with app.app_context():
        before = evaluate([mid], 2025, date(2026, 3, 1)).results[mid].verdicts["council-informed"]
    assert before.status == "fail"
    with in_tenant("elbasan") as s:
        s.add(MunicipalCouncilSession(held_on=date(2025, 12, 18), decision_number="145/2025",
                                      report_title="Raporti vjetor"))
    with app.app_context():
        after = evaluate([mid], 2025, date(2026, 3, 1)).results[mid].verdicts["council-informed"]
    assert after.status == "pass"
