"""The Ministry's call programmes with lots (issue 15): a lot for a municipality or for a county; opening the
programme gives each council that runs a lot its own call (isolated like any call); a county lot's budget is
shared by its municipalities' calls, checked when awarding; the Ministry sees totals per lot."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from safetycouncil.errors import Conflict, ValidationFailed
from safetycouncil.extensions import db
from safetycouncil.grants import programmes, services
from safetycouncil.grants.models import GrantCall
from safetycouncil.municipalities.models import County, Municipality
from safetycouncil.timeutil import local_today
from tests.grants.support import application


def _programme(app, municipality_id):
    today = local_today()
    with app.app_context():
        programme = programmes.create_programme(
            {"title": "Programi kombëtar i granteve 2026", "description": "Siguria në komunitet", "year": 2026,
             "opens_on": today - timedelta(days=1), "closes_on": today + timedelta(days=30)}, user_id=None)
        elbasan_county = db.session.execute(select(County).where(County.slug == "elbasan")).scalar_one()
        programmes.add_lot(programme, {"title": "Loti i qarkut Elbasan", "county_id": elbasan_county.id,
                                       "budget": 500_000, "max_per_grant": 400_000})
        programmes.add_lot(programme, {"title": "Loti i Fierit", "municipality_id": municipality_id("fier"),
                                       "budget": 800_000, "max_per_grant": 400_000})
        with pytest.raises(ValidationFailed):
            programmes.add_lot(programme, {"title": "Pa vend", "budget": 1, "max_per_grant": 1})
        programmes.open_programme(programme, user_id=None)
        db.session.commit()
        return programme.id


def _award(session, call, organisation, amount):
    call.status = "open"
    session.flush()
    row, _token = application(session, call, organisation=organisation)
    row.status, call.status = "proposed", "decided"
    session.flush()
    return services.create_award(row, {"contract_number": f"K-{organisation}", "signed_on": date(2026, 3, 1),
                                       "amount": amount,
                                       "tranches": [{"amount": amount, "due_on": date(2026, 4, 1)}]})


def test_a_county_lot_gives_each_municipality_of_the_county_its_own_call_and_a_shared_cap(
        app, in_tenant, municipality_id):
    programme_id = _programme(app, municipality_id)
    with in_tenant("elbasan") as session:
        calls = list(session.execute(select(GrantCall)).scalars())
        assert [c.title for c in calls] == ["Programi kombëtar i granteve 2026 — Loti i qarkut Elbasan"]
        assert calls[0].status == "draft" and calls[0].budget == 500_000  # the council completes and opens it
        _award(session, calls[0], "Shoqata Elbasan", 300_000)
    with in_tenant("cerrik") as session:
        (call,) = session.execute(select(GrantCall)).scalars()
        assert "Loti i qarkut Elbasan" in call.title
        with pytest.raises(ValidationFailed) as refused:
            _award(session, call, "Shoqata Cërrik", 300_000)  # 200 000 left of the lot's 500 000
        assert "amount" in refused.value.errors
        session.rollback()
    with in_tenant("fier") as session:
        titles = [c.title for c in session.execute(select(GrantCall)).scalars()]
        assert titles == ["Programi kombëtar i granteve 2026 — Loti i Fierit"]  # nothing of Elbasan's county

    with app.app_context():
        programme = programmes.get_programme(programme_id)
        rows = {r["lot"].title: r for r in programmes.programme_totals(programme)}
        county = rows["Loti i qarkut Elbasan"]
        assert county["calls"] > 1 and county["awards"] == 1 and county["amount"] == 300_000
        assert county["left"] == 200_000
        assert rows["Loti i Fierit"]["calls"] == 1 and rows["Loti i Fierit"]["awards"] == 0
        with pytest.raises(Conflict):  # opened once: the state forbids it, whatever the input
            programmes.open_programme(programme, user_id=None)


def _opened_with_an_award_and_a_draft(app, in_tenant, municipality_id):
    """The opened national programme with one award in Elbasan, and a second programme still a draft."""
    _programme(app, municipality_id)
    with in_tenant("elbasan") as session:
        (call,) = session.execute(select(GrantCall)).scalars()
        _award(session, call, "Shoqata Sekrete Elbasan", 300_000)
    with app.app_context():
        programmes.create_programme({"title": "Program ende draft", "description": "", "year": 2027,
                                     "opens_on": date(2027, 1, 1), "closes_on": date(2027, 6, 30)}, user_id=None)
        db.session.commit()


def test_the_ministry_sees_totals_per_lot_and_the_public_sees_open_programmes_only(
        app, in_tenant, municipality_id, make_user, login):
    _opened_with_an_award_and_a_draft(app, in_tenant, municipality_id)
    ministry = app.test_client()
    login(ministry, make_user("ministry"))
    page = ministry.get("/national/grants/programmes").get_data(as_text=True)
    assert "Loti i qarkut Elbasan" in page and "Loti i Fierit" in page and "Program ende draft" in page
    assert "300" in page and "200" in page  # awarded and left of the county lot
    assert "Shoqata Sekrete Elbasan" not in page and "drita@example.org" not in page  # totals only

    public = app.test_client().get("/public/grants/programmes").get_data(as_text=True)
    assert "Programi kombëtar i granteve 2026" in public and "Loti i qarkut Elbasan" in public
    assert "Program ende draft" not in public and "Shoqata Sekrete Elbasan" not in public

    member = app.test_client()
    login(member, make_user("member", municipality="elbasan"))
    assert member.get("/national/grants/programmes").status_code in (403, 404)


def test_the_ministry_creates_a_programme_adds_lots_and_opens_it_through_the_page(app, make_user, login,
                                                                                  in_tenant, municipality_id):
    client = app.test_client()
    login(client, make_user("ministry"))
    page = client.post("/national/grants/programmes", data={"action": "create", "title": "Programi 2027",
                                                             "year": "2027", "opens_on": "", "closes_on": ""})
    assert page.status_code == 422 or "closes_on" in page.get_data(as_text=True)
    client.post("/national/grants/programmes", data={"action": "create", "title": "Programi 2027", "year": "2027",
                                                      "opens_on": "2027-01-10", "closes_on": "2027-03-31",
                                                      "description": "Grante"})
    with app.app_context():
        (programme,) = programmes.list_programmes()
        programme_id = programme.id
    bad = client.post("/national/grants/programmes", data={"action": "add_lot", "programme_id": programme_id,
                                                            "title": "Loti", "place": "", "budget": "100"})
    assert "Zgjidhni një bashki ose një qark për lotin." in bad.get_data(as_text=True)
    client.post("/national/grants/programmes", data={"action": "add_lot", "programme_id": programme_id,
                                                      "title": "Loti i Fierit", "place": f"m:{municipality_id('fier')}",
                                                      "budget": "600000", "max_per_grant": "200000"})
    client.post("/national/grants/programmes", data={"action": "open", "programme_id": programme_id})
    with in_tenant("fier") as session:
        assert [c.title for c in session.execute(select(GrantCall)).scalars()] == ["Programi 2027 — Loti i Fierit"]
    member = app.test_client()
    login(member, make_user("member", municipality="fier"))
    assert member.post("/national/grants/programmes", data={"action": "open", "programme_id": programme_id}
                       ).status_code in (403, 404)


def test_the_programmes_through_the_api_ministry_totals_and_public_lots(app, in_tenant, municipality_id, make_user,
                                                                      api_token):
    _opened_with_an_award_and_a_draft(app, in_tenant, municipality_id)
    client = app.test_client()
    national = client.get("/api/v1/grants/programmes", headers=api_token(make_user("ministry")))
    assert national.status_code == 200, national.get_json()
    by_title = {p["title"]: p for p in national.get_json()}
    assert set(by_title) == {"Programi kombëtar i granteve 2026", "Program ende draft"}
    lots = {lot["title"]: lot for lot in by_title["Programi kombëtar i granteve 2026"]["lots"]}
    county = lots["Loti i qarkut Elbasan"]
    assert (county["county"], county["municipality"], county["budget"]) == ("elbasan", None, 500_000)
    assert (county["awards"], county["amount"], county["left"]) == (1, 300_000, 200_000) and county["calls"] > 1
    assert lots["Loti i Fierit"]["municipality"] == "fier" and lots["Loti i Fierit"]["awards"] == 0
    assert by_title["Programi kombëtar i granteve 2026"]["opened_at"].endswith("Z")
    assert "Shoqata Sekrete Elbasan" not in national.get_data(as_text=True)  # totals only

    public = client.get("/api/v1/public/grants/programmes")
    assert public.status_code == 200
    (only,) = public.get_json()
    assert only["title"] == "Programi kombëtar i granteve 2026"  # the draft is not public
    assert all("amount" not in lot and "applications" not in lot for lot in only["lots"])

    secretary = api_token(make_user("technical_secretary", municipality="elbasan"))
    assert client.get("/api/v1/grants/programmes", headers=secretary).status_code in (403, 404)


def test_the_ministry_creates_a_programme_adds_lots_and_opens_it_through_the_api(app, in_tenant, make_user,
                                                                                 api_token):
    """The page's services through the API: one schema for both; a county lot gives each of its councils a
    draft call; a refusal says which field; only the Ministry writes."""
    client = app.test_client()
    ministry = api_token(make_user("ministry"))
    bad = client.post("/api/v1/grants/programmes", headers=ministry, json={
        "title": "x" * 301, "year": 1999, "opens_on": "2027-03-01", "closes_on": "2027-01-01"})
    assert bad.status_code == 422 and set(bad.json["errors"]) >= {"title", "year"}
    late = client.post("/api/v1/grants/programmes", headers=ministry, json={
        "title": "Programi 2027", "year": 2027, "opens_on": "2027-03-01", "closes_on": "2027-01-01"})
    assert late.status_code == 422 and set(late.json["errors"]) == {"closes_on"}
    created = client.post("/api/v1/grants/programmes", headers=ministry, json={
        "title": "Programi 2027", "description": "Grante për sigurinë", "year": 2027,
        "opens_on": "2027-01-10", "closes_on": "2027-03-31"})
    assert created.status_code == 201 and created.json["status"] == "draft" and created.json["lots"] == []
    base = f"/api/v1/grants/programmes/{created.json['id']}"
    nowhere = client.post(f"{base}/lots", headers=ministry, json={"title": "Loti", "budget": 500_000,
                                                                  "max_per_grant": 100_000})
    assert nowhere.status_code == 422 and set(nowhere.json["errors"]) == {"place"}
    both = client.post(f"{base}/lots", headers=ministry, json={"title": "Loti", "municipality": "fier",
                                                               "county": "elbasan", "budget": 500_000,
                                                               "max_per_grant": 100_000})
    assert both.status_code == 422
    lot = client.post(f"{base}/lots", headers=ministry, json={"title": "Loti i qarkut Korçë", "county": "korce",
                                                              "budget": 900_000, "max_per_grant": 150_000})
    assert lot.status_code == 201, lot.json
    assert [(x["county"], x["budget"], x["calls"]) for x in lot.json["lots"]] == [("korce", 900_000, 0)]
    secretary = api_token(make_user("technical_secretary", municipality="korce"))
    assert client.post(f"{base}/open", headers=secretary).status_code in (403, 404)
    assert client.post("/api/v1/grants/programmes", headers=secretary, json={
        "title": "X", "year": 2027, "opens_on": "2027-01-10", "closes_on": "2027-03-31"}).status_code in (403, 404)
    opened = client.post(f"{base}/open", headers=ministry)
    assert opened.status_code == 200 and opened.json["status"] == "open"
    with app.app_context():
        korce = db.session.execute(select(County).where(County.slug == "korce")).scalar_one()
        councils = db.session.execute(select(Municipality).where(Municipality.county_id == korce.id,
                                                                 Municipality.active.is_(True))).scalars().all()
    assert opened.json["lots"][0]["calls"] == len(councils) > 1
    with in_tenant("pogradec") as session:
        assert [c.title for c in session.execute(select(GrantCall)).scalars()] == [
            "Programi 2027 — Loti i qarkut Korçë"]
    again = client.post(f"{base}/open", headers=ministry)
    assert again.status_code == 409 and "status" in again.json["errors"]
    assert client.post(f"{base}/lots", headers=ministry, json={"title": "Vonë", "municipality": "fier",
                                                               "budget": 1000, "max_per_grant": 1000}
                       ).status_code == 409
    assert client.post("/api/v1/grants/programmes/999999/open", headers=ministry).status_code == 404
