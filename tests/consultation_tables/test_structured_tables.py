"""Issue 19: the Prefecture's consultation table as structured records — its themes, recommendations to the
county's municipalities and to national bodies (each with a due date and a follow-up: open / in progress /
done / not accepted, a dated note, the history kept and audited), funding requests, the council's agenda item
or plan activity that takes a recommendation up, and the Ministry's view of every Prefecture's tables with the
overdue recommendations by county and by addressee.

The Fier table of 9 May 2024 (IPO news room): "Finding funds to build structures for minors in each
municipality ... without forgetting the cooperation with the Ministry of Education"."""
from __future__ import annotations

import json
from datetime import date, timedelta

from sqlalchemy import select

from safetycouncil.audit.models import AuditEntry
from safetycouncil.consultation_tables import services
from safetycouncil.consultation_tables.models import (
    ConsultationRecommendation,
    ConsultationTable,
    NationalBody,
    NationalRecommendation,
    RecommendationFollowUp,
)
from safetycouncil.extensions import db
from safetycouncil.tenancy import tenant
from safetycouncil.timeutil import local_today
from tests import factories as make


def _client(app, make_user, login, *args, **kwargs):
    user = make_user(*args, **kwargs)
    client = app.test_client()
    login(client, user)
    return client, user


def _bodies(app) -> dict[str, int]:
    with app.app_context():
        services.ensure_national_bodies()
        db.session.commit()
        return {b.code: b.id for b in db.session.execute(select(NationalBody)).scalars()}


def _table(app, prefect, title="Tryeza e konsultimit", held_on="2024-05-09") -> int:
    response = prefect.post("/prefecture/fier/consultation-tables", data={"title": title, "held_on": held_on})
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    with app.app_context():
        return db.session.execute(select(ConsultationTable.id).where(ConsultationTable.title == title)).scalar_one()


def _council_rec(app, municipality_id, slug) -> int:
    with app.app_context(), tenant(municipality_id(slug)):
        return db.session.execute(select(ConsultationRecommendation.id)).scalars().first()


def test_a_table_records_themes_recommendations_to_municipalities_and_national_bodies_and_funding(
        app, make_user, login, municipality_id):
    bodies = _bodies(app)
    prefect, _ = _client(app, make_user, login, "prefecture", county="fier", locale="en")
    table_id = _table(app, prefect)
    url = f"/prefecture/fier/consultation-tables/{table_id}"
    assert prefect.post(url, data={"action": "theme", "title": "Parandalimi i bullizmit në shkolla",
                                   "presented_by": "Lindona Gega (QPKMR)"}).status_code == 302
    with app.app_context():
        theme_id = db.session.get(ConsultationTable, table_id).themes[0].id
    due = (local_today() + timedelta(days=90)).isoformat()
    response = prefect.post(url, data={
        "action": "recommendation", "text": "Qendra ditore për të miturit në çdo bashki", "theme_id": str(theme_id),
        "due_on": due, "municipality_ids": [str(municipality_id("fier")), str(municipality_id("patos"))],
        "body_ids": [str(bodies["QPKMR"]), str(bodies["MAS"])]})
    assert response.status_code == 302
    assert prefect.post(url, data={"action": "funding", "amount": "1500000.50", "currency": "ALL",
                                   "requested_from": "UNICEF", "purpose": "Qendra ditore"}).status_code == 302

    page = prefect.get(url).get_data(as_text=True)
    assert "Themes discussed" in page and "Parandalimi i bullizmit në shkolla" in page and "Lindona Gega" in page
    assert "Centre for the Prevention of Juvenile and Youth Crime" in page and "Ministry of Education and Sport" in page
    assert page.count("Qendra ditore për të miturit në çdo bashki") == 4  # two municipalities, two bodies
    assert "1,500,000.5 ALL" in page and "UNICEF" in page and "Awaiting an answer" in page
    with app.app_context():
        national = db.session.execute(select(NationalRecommendation)).scalars().all()
        assert {r.body.code for r in national} == {"QPKMR", "MAS"}
        assert all(r.due_on.isoformat() == due and r.theme_id == theme_id and r.status == "open" for r in national)
    with app.app_context(), tenant(municipality_id("patos")):
        row = db.session.execute(select(ConsultationRecommendation)).scalar_one()
        assert row.due_on.isoformat() == due and row.theme_id == theme_id and row.status == "open"

    # The national body's follow-up, recorded by the Prefecture: dated, kept step by step.
    qpkmr = next(r.id for r in national if r.body.code == "QPKMR")
    assert prefect.post(url, data={"action": "national_follow_up", "recommendation_id": str(qpkmr),
                                   "status": "in_progress", "note": "Trajnime për mësuesit",
                                   "noted_on": "2024-06-10"}).status_code == 302
    assert prefect.post(url, data={"action": "national_follow_up", "recommendation_id": str(qpkmr),
                                   "status": "done", "note": "U krye"}).status_code == 302
    with app.app_context():
        steps = services.national_follow_ups_of([qpkmr])[qpkmr]
        assert [(s.status, s.noted_on) for s in steps[:2]] == [("open", None), ("in_progress", date(2024, 6, 10))]
        assert steps[2].status == "done" and steps[2].noted_on == local_today()
    # The funding request's answer.
    with app.app_context():
        request_id = db.session.get(ConsultationTable, table_id).funding_requests[0].id
    assert prefect.post(url, data={"action": "funding_answer", "request_id": str(request_id),
                                   "answer_status": "partly_granted", "answered_on": "2024-11-05",
                                   "granted_amount": "500000"}).status_code == 302
    assert "Partly granted" in prefect.get(url).get_data(as_text=True)


def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_lost_or_cut(app, make_user, login,
                                                                              municipality_id):
    """The old validator cut a place of 250 characters to 200 silently: the schema refuses it, says why,
    and shows what was entered again."""
    prefect, _ = _client(app, make_user, login, "prefecture", county="fier", locale="en")
    long_place = "Salla e Prefekturës " + "x" * 230
    refused = prefect.post("/prefecture/fier/consultation-tables",
                           data={"title": "Tryeza", "held_on": "2024-05-09", "location": long_place})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "At most 200 characters." in page and long_place in page
    refused = prefect.post("/prefecture/fier/consultation-tables", data={"title": "Tryeza", "held_on": "9 May"})
    assert refused.status_code == 422 and "Enter the date as YYYY-MM-DD." in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(ConsultationTable)).first() is None

    table_id = _table(app, prefect)
    url = f"/prefecture/fier/consultation-tables/{table_id}"
    refused = prefect.post(url, data={"action": "funding", "amount": "një milion", "purpose": "Qendra ditore"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "Enter an amount greater than zero" in page and "Say from whom the funds are requested." in page
    assert "një milion" in page and "Qendra ditore</textarea>" in page
    refused = prefect.post(url, data={"action": "recommendation", "text": "Pa adresë"})
    assert refused.status_code == 422 and "national bodies" in refused.get_data(as_text=True)
    # in Albanian too
    sq, _ = _client(app, make_user, login, "prefecture", county="fier")
    refused = sq.post(url, data={"action": "theme", "title": "T" * 301})
    assert refused.status_code == 422 and "Shkruani temën (jo më shumë se 300 karaktere)." in refused.get_data(
        as_text=True)


def test_the_council_records_its_follow_up_and_links_its_agenda_item_or_plan_activity(
        app, make_user, login, municipality_id, in_tenant):
    prefect, _ = _client(app, make_user, login, "prefecture", county="fier", locale="en")
    table_id = _table(app, prefect)
    prefect.post(f"/prefecture/fier/consultation-tables/{table_id}", data={
        "action": "recommendation", "text": "Patrullime pranë shkollave", "due_on": "2024-09-30",
        "municipality_ids": [str(municipality_id("fier")), str(municipality_id("patos"))]})
    with in_tenant("fier") as session:
        fier_item = make.meeting(session, starts_at=make.day(-3), agenda=["Plani vendor Fier"]).agenda_items[0].id
    with in_tenant("patos") as session:
        patos_item = make.meeting(session, starts_at=make.day(-3), agenda=["Plani vendor Patos"]).agenda_items[0].id
    rec = _council_rec(app, municipality_id, "fier")
    secretary, _ = _client(app, make_user, login, "technical_secretary", municipality="fier", locale="en")
    url = f"/fier/recommendations/{rec}"

    # Another municipality's agenda item is not found in Fier: refused, what was entered kept.
    refused = secretary.post(url, data={"status": "in_progress", "note": "Në rendin e ditës",
                                        "agenda_item_id": str(patos_item)})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "Choose an item of one of the council" in page and "Në rendin e ditës</textarea>" in page
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    refused = secretary.post(url, data={"status": "in_progress", "noted_on": tomorrow})
    assert refused.status_code == 422 and "The date cannot be in the future." in refused.get_data(as_text=True)
    refused = secretary.post(url, data={"status": "not_accepted"})
    assert refused.status_code == 422 and "Say why the recommendation is not accepted." in refused.get_data(
        as_text=True)
    refused = secretary.post(url, data={"status": "forgotten"})
    assert refused.status_code == 422 and "Choose a follow-up status." in refused.get_data(as_text=True)

    assert secretary.post(url, data={"status": "in_progress", "note": "Në rendin e ditës",
                                     "noted_on": "2024-06-20", "agenda_item_id": str(fier_item)}).status_code == 302
    page = secretary.get("/fier/recommendations").get_data(as_text=True)
    assert "Taken up on the agenda of the meeting of" in page and "Plani vendor Fier" in page
    assert "Due on 30 Sept 2024" in page  # English dates the British way (issue 14)
    with app.app_context(), tenant(municipality_id("fier")):
        row = db.session.get(ConsultationRecommendation, rec)
        assert row.agenda_item_id == fier_item and row.status == "in_progress"
        steps = db.session.execute(select(RecommendationFollowUp).where(
            RecommendationFollowUp.recommendation_id == rec).order_by(RecommendationFollowUp.id)).scalars().all()
        assert [(s.status, s.noted_on) for s in steps] == [("open", None), ("in_progress", date(2024, 6, 20))]
        audited = db.session.execute(select(AuditEntry).where(
            AuditEntry.entity_type == "ConsultationRecommendation", AuditEntry.entity_id == str(rec))).scalars().all()
        assert any("agenda_item_id" in (e.changes or {}) for e in audited)
    # The Prefecture sees the follow-up and the link on its page.
    page = prefect.get(f"/prefecture/fier/consultation-tables/{table_id}").get_data(as_text=True)
    assert "In progress: Në rendin e ditës" in page and "On a council meeting's agenda" in page


def test_isolation_other_county_404_and_councils_see_only_what_is_addressed_to_them(
        app, make_user, login, municipality_id, api_token):
    bodies = _bodies(app)
    prefect, prefect_user = _client(app, make_user, login, "prefecture", county="fier", locale="en")
    table_id = _table(app, prefect)
    url = f"/prefecture/fier/consultation-tables/{table_id}"
    prefect.post(url, data={"action": "recommendation", "text": "Vetëm për Fierin",
                            "municipality_ids": [str(municipality_id("fier"))], "body_ids": [str(bodies["DPPSH"])]})
    prefect.post(url, data={"action": "recommendation", "text": "Vetëm për Patosin",
                            "municipality_ids": [str(municipality_id("patos"))]})

    elbasan, elbasan_user = _client(app, make_user, login, "prefecture", county="elbasan")
    for path in (url, "/prefecture/fier/consultation-tables/follow-up", "/prefecture/fier/consultation-tables"):
        assert elbasan.get(path).status_code == 404, path
    assert elbasan.get(f"/prefecture/elbasan/consultation-tables/{table_id}").status_code == 404
    assert "Vetëm për" not in elbasan.get("/prefecture/elbasan/consultation-tables/follow-up").get_data(as_text=True)
    headers = api_token(elbasan_user)
    for path in ("/api/v1/prefectures/fier/consultation-tables",
                 f"/api/v1/prefectures/fier/consultation-tables/{table_id}",
                 f"/api/v1/prefectures/elbasan/consultation-tables/{table_id}",
                 "/api/v1/prefectures/fier/consultation-recommendations"):
        assert elbasan.get(path, headers=headers).status_code == 404, path
    assert elbasan.post(f"/api/v1/prefectures/elbasan/consultation-tables/{table_id}/themes", headers=headers,
                        json={"title": "X"}).status_code == 404
    assert elbasan.get("/national/consultation-tables").status_code in (403, 404)

    # Fier's council sees its own recommendation only; Patos its own; Lushnje (not addressed) nothing.
    fier, fier_user = _client(app, make_user, login, "technical_secretary", municipality="fier")
    page = fier.get("/fier/recommendations").get_data(as_text=True)
    assert "Vetëm për Fierin" in page and "Vetëm për Patosin" not in page
    patos_rec = _council_rec(app, municipality_id, "patos")
    assert fier.post(f"/fier/recommendations/{patos_rec}", data={"status": "done"}).status_code == 404
    listed = fier.get("/api/v1/municipalities/fier/recommendations", headers=api_token(fier_user)).get_json()
    assert [r["text"] for r in listed] == ["Vetëm për Fierin"]
    assert fier.get("/api/v1/municipalities/patos/recommendations",
                    headers=api_token(fier_user)).status_code == 404
    lushnje, _ = _client(app, make_user, login, "technical_secretary", municipality="lushnje")
    assert "Vetëm për" not in lushnje.get("/lushnje/recommendations").get_data(as_text=True)
    # The municipality does not see the recommendations to national bodies, nor the Prefecture's pages.
    assert fier.get(url).status_code == 404

    # The Ministry reads, and does not write, a Prefecture's table.
    ministry, _ = _client(app, make_user, login, "ministry")
    assert ministry.get(url).status_code == 200
    assert ministry.post(url, data={"action": "theme", "title": "X"}).status_code == 403


def test_the_ministry_sees_every_prefectures_tables_and_the_overdue_by_county_and_addressee(
        app, make_user, login, municipality_id, api_token):
    bodies = _bodies(app)
    past = (local_today() - timedelta(days=30)).isoformat()
    future = (local_today() + timedelta(days=30)).isoformat()
    fier_prefect, _ = _client(app, make_user, login, "prefecture", county="fier", locale="en")
    fier_table = _table(app, fier_prefect)
    fier_prefect.post(f"/prefecture/fier/consultation-tables/{fier_table}", data={
        "action": "recommendation", "text": "E vonuar në Fier", "due_on": past,
        "municipality_ids": [str(municipality_id("fier")), str(municipality_id("patos"))],
        "body_ids": [str(bodies["ASHDMF"])]})
    fier_prefect.post(f"/prefecture/fier/consultation-tables/{fier_table}", data={
        "action": "recommendation", "text": "Ende në kohë", "due_on": future,
        "municipality_ids": [str(municipality_id("fier"))]})
    elbasan_prefect, _ = _client(app, make_user, login, "prefecture", county="elbasan", locale="en")
    assert elbasan_prefect.post("/prefecture/elbasan/consultation-tables",
                                data={"title": "Tryeza e Elbasanit", "held_on": "2025-03-20"}).status_code == 302
    with app.app_context():
        elbasan_table = db.session.execute(select(ConsultationTable.id).where(
            ConsultationTable.title == "Tryeza e Elbasanit")).scalar_one()
    elbasan_prefect.post(f"/prefecture/elbasan/consultation-tables/{elbasan_table}", data={
        "action": "recommendation", "text": "E vonuar në Elbasan", "due_on": past,
        "municipality_ids": [str(municipality_id("cerrik"))]})
    # Patos did it: no longer overdue.
    patos, _ = _client(app, make_user, login, "technical_secretary", municipality="patos")
    assert patos.post(f"/patos/recommendations/{_council_rec(app, municipality_id, 'patos')}",
                      data={"status": "done", "note": "U krye"}).status_code == 302

    ministry, ministry_user = _client(app, make_user, login, "ministry", locale="en")
    page = ministry.get("/national/consultation-tables").get_data(as_text=True)
    assert "3 recommendations overdue" in page
    assert "Tryeza e Elbasanit" in page and "Tryeza e konsultimit" in page
    assert "State Agency for the Rights and Protection of Children" in page and "Municipality of Cërrik" in page
    only = ministry.get("/national/consultation-tables", query_string={"show": "overdue", "county": "elbasan"})
    text = only.get_data(as_text=True)
    assert "E vonuar në Elbasan" in text and "E vonuar në Fier" not in text and "30 days overdue" in text
    headers = api_token(ministry_user)
    overdue = ministry.get("/api/v1/consultation-recommendations", headers=headers,
                           query_string={"overdue": "true"})
    assert overdue.status_code == 200 and json.loads(overdue.headers["X-Pagination"])["total"] == 3
    assert {(r["county"], r["addressee"], r["kind"]) for r in overdue.get_json()} == {
        ("fier", "fier", "municipality"), ("fier", "ASHDMF", "national_body"), ("elbasan", "cerrik", "municipality")}
    assert all(r["overdue"] and r["updated_at"].endswith("Z") for r in overdue.get_json())
    everything = ministry.get("/api/v1/consultation-recommendations", headers=headers,
                              query_string={"county": "fier"}).get_json()
    assert len(everything) == 4 and {r["status"] for r in everything} == {"open", "done"}

    # The Prefecture reads the same view, on its county only.
    page = fier_prefect.get("/prefecture/fier/consultation-tables/follow-up").get_data(as_text=True)
    assert "2 recommendations overdue" in page and "E vonuar në Elbasan" not in page
    assert fier_prefect.get("/national/consultation-tables").status_code in (403, 404)


def test_the_api_records_a_table_and_its_items_and_a_prefecture_links_only_within_its_county(
        app, client, make_user, municipality_id, api_token, in_tenant):
    bodies = _bodies(app)
    prefect = make_user("prefecture", county="fier")
    headers = api_token(prefect)
    base = "/api/v1/prefectures/fier/consultation-tables"
    created = client.post(base, headers=headers, json={"title": "Tryeza", "held_on": "2024-05-09"})
    assert created.status_code == 201, created.get_json()
    table_id = created.get_json()["id"]
    too_long = client.post(base, headers=headers, json={"title": "T" * 301, "held_on": "2024-05-09"})
    assert too_long.status_code == 422 and "title" in too_long.get_json()["errors"]
    theme = client.post(f"{base}/{table_id}/themes", headers=headers, json={"title": "Bullizmi"})
    assert theme.status_code == 201 and theme.get_json()["position"] == 1
    recs = client.post(f"{base}/{table_id}/recommendations", headers=headers, json={
        "text": "Qendra ditore", "due_on": "2024-12-31", "theme_id": theme.get_json()["id"],
        "municipality_ids": [municipality_id("fier")], "body_ids": [bodies["MAS"]]})
    assert recs.status_code == 201, recs.get_json()
    assert {(r["kind"], r["addressee"]) for r in recs.get_json()} == {("municipality", "fier"),
                                                                     ("national_body", "MAS")}
    outside = client.post(f"{base}/{table_id}/recommendations", headers=headers, json={
        "text": "X", "municipality_ids": [municipality_id("elbasan")]})
    assert outside.status_code == 422 and "municipality_ids" in outside.get_json()["errors"]
    national_id = next(r["id"] for r in recs.get_json() if r["kind"] == "national_body")
    council_id = next(r["id"] for r in recs.get_json() if r["kind"] == "municipality")
    step = client.post(f"{base}/{table_id}/national-recommendations/{national_id}/follow-ups", headers=headers,
                       json={"status": "not_accepted", "note": "Jashtë kompetencës", "noted_on": "2024-07-01"})
    assert step.status_code == 201 and step.get_json()["status"] == "not_accepted"
    funding = client.post(f"{base}/{table_id}/funding-requests", headers=headers,
                          json={"amount": "2000000", "body_id": bodies["ASHDMF"], "purpose": "Qendra ditore"})
    assert funding.status_code == 201 and funding.get_json()["amount"] == "2000000.00"
    answered = client.patch(f"{base}/{table_id}/funding-requests/{funding.get_json()['id']}", headers=headers,
                            json={"answer_status": "refused"})
    assert answered.status_code == 422 and "answered_on" in answered.get_json()["errors"]

    # Links: Fier's agenda item, yes; Elbasan's (another county), not found in Fier.
    with in_tenant("fier") as session:
        fier_item = make.meeting(session, starts_at=make.day(-3), agenda=["Plani vendor Fier"]).agenda_items[0].id
    with in_tenant("elbasan") as session:
        elbasan_item = make.meeting(session, starts_at=make.day(-3), agenda=["Plani vendor Elbasan"]).agenda_items[0].id
    linked = client.patch(f"{base}/{table_id}/recommendations/{council_id}", headers=headers,
                          json={"agenda_item_id": fier_item})
    assert linked.status_code == 200 and linked.get_json()["agenda_item_id"] == fier_item
    refused = client.patch(f"{base}/{table_id}/recommendations/{council_id}", headers=headers,
                           json={"agenda_item_id": elbasan_item})
    assert refused.status_code == 422 and "agenda_item_id" in refused.get_json()["errors"]
    other = api_token(make_user("prefecture", county="elbasan"))
    assert client.patch(f"/api/v1/prefectures/elbasan/consultation-tables/{table_id}/recommendations/{council_id}",
                        headers=other, json={"agenda_item_id": elbasan_item}).status_code == 404

    one = client.get(f"{base}/{table_id}", headers=headers).get_json()
    assert [t["title"] for t in one["themes"]] == ["Bullizmi"] and len(one["recommendations"]) == 2
    assert one["funding_requests"][0]["body"] == "ASHDMF"
    # The council follows up through the API too.
    secretary = api_token(make_user("technical_secretary", municipality="fier"))
    done = client.post(f"/api/v1/municipalities/fier/recommendations/{council_id}/follow-ups", headers=secretary,
                       json={"status": "done", "note": "Aktiviteti 2.3"})
    assert done.status_code == 201 and done.get_json()["status"] == "done"
    member = api_token(make_user("member", municipality="fier"))
    assert client.post(f"/api/v1/municipalities/fier/recommendations/{council_id}/follow-ups", headers=member,
                       json={"status": "open"}).status_code == 403

    # National bodies: everyone with an account reads the list; the Ministry extends it.
    listed = client.get("/api/v1/national-bodies", headers=headers).get_json()
    assert {"QPKMR", "ASHDMF", "DPPSH", "MAS"} <= {b["code"] for b in listed}
    assert client.post("/api/v1/national-bodies", headers=headers,
                       json={"code": "AKSHI", "name_sq": "A", "name_en": "A"}).status_code == 403
    ministry = api_token(make_user("ministry"))
    assert client.post("/api/v1/national-bodies", headers=ministry,
                       json={"code": "ISHP", "name_sq": "Instituti i Shëndetit Publik",
                             "name_en": "Institute of Public Health"}).status_code == 201
    assert client.post("/api/v1/national-bodies", headers=ministry,
                       json={"code": "ishp", "name_sq": "x", "name_en": "y"}).status_code == 422
    document = client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/consultation-recommendations" in document["paths"]
    assert "/api/v1/prefectures/{county}/consultation-recommendations" in document["paths"]


def test_the_ministry_adds_a_national_body_from_its_page(app, make_user, login):
    _bodies(app)
    ministry, _ = _client(app, make_user, login, "ministry", locale="en")
    assert ministry.post("/national/consultation-tables/bodies", data={
        "code": "AKPA", "name_sq": "Agjencia Kombëtare për Arsimin", "name_en": "National Agency for Education"
    }).status_code == 302
    refused = ministry.post("/national/consultation-tables/bodies", data={"code": "AKPA", "name_sq": "x",
                                                                          "name_en": "y"})
    assert refused.status_code == 422 and "exists already" in refused.get_data(as_text=True)
    assert "National Agency for Education" in ministry.get("/national/consultation-tables").get_data(as_text=True)
