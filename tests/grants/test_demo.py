"""The demo's grants in Elbasan: a past call decided by a council decision, awards, reports; a call open today."""
from tests.api.contract_support import load_elbasan_demo


def test_elbasan_demo_has_a_decided_call_awards_reports_and_an_open_call(app, client, make_user, login):
    load_elbasan_demo(app)
    with app.app_context():  # idempotent
        from sqlalchemy import select

        from safetycouncil.extensions import db
        from safetycouncil.grants.demo import load_demo
        from safetycouncil.municipalities.models import Municipality

        load_demo(db.session.execute(select(Municipality).where(Municipality.slug == "elbasan")).scalars().all())
        db.session.commit()
    page = client.get("/public/elbasan/grants/").get_data(as_text=True)
    assert "Forumi i Gruas Elbasan" in page and "340 banorë" in page
    assert page.count("Forumi i Gruas Elbasan") == 1
    data = client.get("/public/elbasan/grants/awards.json").get_json()
    assert len(data["items"]) == 2 and data["licence"]["url"]
    calls = client.get("/api/v1/public/municipalities/elbasan/grants/calls").get_json()
    assert len(calls) == 2 and [c["accepting"] for c in calls].count(True) == 1
    secretary = make_user("technical_secretary", municipality="elbasan")
    login(client, secretary)
    index = client.get("/elbasan/grants/")
    assert index.status_code == 200
    past = [c for c in calls if c["status"] == "decided"][0]
    page = client.get(f"/elbasan/grants/calls/{past['id']}").get_data(as_text=True)
    assert "Arta Leka" in page and "Vendimi në regjistër" in page
    assert "Termat e referencës" in page and "Formulari i aplikimit" in page
    public = client.get(f"/public/elbasan/grants/calls/{past['id']}").get_data(as_text=True)
    assert "Termat e referencës" in public
    # the Ministry's 2026 programme: a lot for the county of Elbasan, whose call Elbasan's council completes
    programmes = client.get("/public/grants/programmes").get_data(as_text=True)
    assert "Programi kombëtar i granteve për sigurinë në komunitet 2026" in programmes
    assert "Qarku i Elbasanit" in programmes
