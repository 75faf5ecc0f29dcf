"""The Prefect's consultation tables: recorded by the county's Prefecture, recommendations arrive in each
addressed municipality's portal, whose follow-up the Prefecture sees; nothing crosses the county."""
from __future__ import annotations

from sqlalchemy import select

from safetycouncil.consultation_tables.models import ConsultationTable
from safetycouncil.extensions import db


def _client(app, make_user, login, *args, **kwargs):
    user = make_user(*args, **kwargs)
    client = app.test_client()
    login(client, user)
    return client, user


def test_a_table_its_recommendations_and_their_follow_up(app, make_user, login, municipality_id, api_token):
    prefect, prefect_user = _client(app, make_user, login, "prefecture", county="fier", locale="en")
    response = prefect.post("/prefecture/fier/consultation-tables",
                            data={"title": "Tryeza e konsultimit", "held_on": "2024-05-09", "agenda": "1. Bullizmi"})
    assert response.status_code == 302
    with app.app_context():
        table_id = db.session.execute(select(ConsultationTable.id)).scalar_one()
    url = f"/prefecture/fier/consultation-tables/{table_id}"
    assert prefect.post(url, data={"action": "participant", "name": "Lindona Gega",
                                   "organisation": "QPKMR"}).status_code == 302
    assert prefect.post(url, data={"action": "participant", "name": "Sekretari",
                                   "municipality_id": str(municipality_id("patos"))}).status_code == 302
    assert prefect.post(url, data={"action": "recommendation", "text": "Parandalimi i bullizmit në shkolla",
                                   "municipality_ids": [str(municipality_id("fier")),
                                                        str(municipality_id("patos"))]}).status_code == 302
    # a municipality outside the county cannot be addressed
    refused = prefect.post(url, data={"action": "recommendation", "text": "X",
                                      "municipality_ids": [str(municipality_id("elbasan"))]})
    assert refused.status_code == 422 and "Address the recommendation" in refused.get_data(as_text=True)
    assert "X</textarea>" in refused.get_data(as_text=True)  # what was entered is shown again
    page = prefect.get(url).get_data(as_text=True)
    assert "Lindona Gega" in page and "Municipality of Patos" in page and page.count("<td>Open") == 2

    secretary, _ = _client(app, make_user, login, "technical_secretary", municipality="fier", locale="en")
    mine = secretary.get("/fier/recommendations").get_data(as_text=True)
    assert "Parandalimi i bullizmit në shkolla" in mine
    from safetycouncil.consultation_tables.models import ConsultationRecommendation
    from safetycouncil.tenancy import tenant

    with app.app_context(), tenant(municipality_id("fier")):
        rec_id = db.session.execute(select(ConsultationRecommendation.id)).scalar_one()
    assert secretary.post(f"/fier/recommendations/{rec_id}", data={
        "status": "in_progress", "note": "U fut në regjistrin e rreziqeve"}).status_code == 302
    page = prefect.get(url).get_data(as_text=True)
    assert "In progress: U fut në regjistrin e rreziqeve" in page

    lushnje, _ = _client(app, make_user, login, "technical_secretary", municipality="lushnje", locale="en")
    assert "bullizmit" not in lushnje.get("/lushnje/recommendations").get_data(as_text=True)
    assert lushnje.post(f"/lushnje/recommendations/{rec_id}", data={"status": "done"}).status_code == 404

    elbasan_prefect, _ = _client(app, make_user, login, "prefecture", county="elbasan")
    assert elbasan_prefect.get(url).status_code == 404
    assert elbasan_prefect.get(f"/prefecture/elbasan/consultation-tables/{table_id}").status_code == 404
    ministry, _ = _client(app, make_user, login, "ministry")
    assert ministry.get(url).status_code == 200
    assert ministry.post(url, data={"action": "update", "minutes": "x"}).status_code == 403

    headers = api_token(prefect_user)
    listed = prefect.get("/api/v1/prefectures/fier/consultation-tables", headers=headers).get_json()
    assert listed[0]["recommendations"][0]["status"] in ("in_progress", "open")
    assert {r["addressee"] for r in listed[0]["recommendations"]} == {"fier", "patos"}
    created = prefect.post("/api/v1/prefectures/fier/consultation-tables", headers=headers,
                           json={"title": "E dyta", "held_on": "2025-03-01"})
    assert created.status_code == 201
    other = api_token(make_user("prefecture", county="elbasan"))
    assert prefect.get("/api/v1/prefectures/fier/consultation-tables", headers=other).status_code == 404


def test_the_fier_demo_table(app, make_user, login):
    from safetycouncil.consultation_tables.demo import load_demo
    from safetycouncil.municipalities.models import Municipality

    with app.app_context():
        municipalities = db.session.execute(select(Municipality)).scalars().all()
        load_demo(municipalities)
        load_demo(municipalities)  # idempotent
        db.session.commit()
        everywhere = db.session.execute(select(ConsultationTable)).scalars().all()
        assert len({t.county_id for t in everywhere}) >= 3 and len({t.held_on.year for t in everywhere}) >= 3
        tables = [t for t in everywhere if t.held_on.isoformat() == "2024-05-09"]
        assert len(tables) == 1 and len(tables[0].themes) == 7 and tables[0].funding_requests
        assert len([p for p in tables[0].participants if p.municipality_id]) == 6
    prefect, _ = _client(app, make_user, login, "prefecture", county="fier", locale="en")
    page = prefect.get(f"/prefecture/fier/consultation-tables/{tables[0].id}").get_data(as_text=True)
    assert "Arben Velo" in page and "ASHDMF" in page and "Mallakastër" in page
    secretary, _ = _client(app, make_user, login, "technical_secretary", municipality="divjake", locale="en")
    assert "qendër ditore" in secretary.get("/divjake/recommendations").get_data(as_text=True)
