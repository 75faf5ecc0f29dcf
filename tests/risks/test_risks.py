"""The risk register: concerns become risks, rated with a reason, every rating kept, evidence cited."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from safetycouncil.risks.models import RiskRating

from ..plans import support

API = "/api/v1/municipalities/elbasan"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def concerns(in_tenant):
    with in_tenant("elbasan") as session:
        first = support.concern(session, "Shitje droge pranë stacionit të autobusëve").id
        second = support.concern(session, "Të rinj që përdorin drogë në parkun e qytetit").id
        pending = support.concern(session, "Dërguar në internet", status="pending_moderation").id
    return first, second, pending


@pytest.fixture
def headers(make_user, api_token):
    return api_token(make_user("secretariat_police", municipality="elbasan"))


def test_several_concerns_become_one_rated_risk_and_every_rating_is_kept(client, concerns, headers, in_tenant):
    first, second, _ = concerns
    created = client.post(f"{API}/risks", headers=headers, json={
        "title": "Pika të nxehta të përdorimit të drogës", "concern_ids": [first, second],
        "intensity": "moderate", "reason": "Dy shqetësime nga e njëjta zonë"})
    assert created.status_code == 201, created.get_json()
    risk = created.get_json()
    assert risk["concern_ids"] == [first, second] and risk["intensity"] == "moderate"
    assert risk["category_id"] is not None  # taken from the first concern
    again = client.post(f"{API}/risks/{risk['id']}/ratings", headers=headers, json={
        "intensity": "high", "reason": "DVP raportoi 63 raste në 2021"})
    assert again.status_code == 201
    ratings = client.get(f"{API}/risks/{risk['id']}/ratings", headers=headers).get_json()
    assert [(r["intensity"], r["reason"]) for r in ratings] == [
        ("moderate", "Dy shqetësime nga e njëjta zonë"), ("high", "DVP raportoi 63 raste në 2021")]
    assert client.get(f"{API}/risks/{risk['id']}", headers=headers).get_json()["intensity"] == "high"
    with in_tenant("elbasan") as session:
        assert session.execute(select(func.count()).select_from(RiskRating)).scalar() == 2


def test_a_rating_needs_an_intensity_and_a_reason(client, concerns, headers):
    risk = client.post(f"{API}/risks", headers=headers, json={"title": "Vjedhje banesash"}).get_json()
    assert risk["intensity"] is None
    for body, field in (({"intensity": "extreme", "reason": "x"}, "intensity"),
                        ({"intensity": "low", "reason": ""}, "reason")):
        response = client.post(f"{API}/risks/{risk['id']}/ratings", headers=headers, json=body)
        assert response.status_code == 422 and field in response.get_json()["errors"]


def test_only_accepted_concerns_become_risks(client, concerns, headers):
    _, _, pending = concerns
    response = client.post(f"{API}/risks", headers=headers, json={"title": "X", "concern_ids": [pending]})
    assert response.status_code == 422 and "concern_ids" in response.get_json()["errors"]


def test_a_risk_cites_statistics_surveys_documents_and_concerns(client, concerns, headers, make_user, api_token):
    first, second, _ = concerns
    risk = client.post(f"{API}/risks", headers=headers, json={"title": "Dhuna në familje",
                                                             "concern_ids": [first]}).get_json()
    document = client.post(f"{API}/documents", headers=headers, content_type="multipart/form-data",
                           data={"title": "Anketa e sigurisë 2024", "file": (io.BytesIO(PDF), "anketa.pdf")})
    assert document.status_code == 201
    for body in ({"kind": "statistics", "text": "56 raste në 2021 (DVP Elbasan)",
                  "url": "https://www.asp.gov.al/statistika"},
                 {"kind": "survey", "text": "42% e grave nuk ndihen të sigurta natën"},
                 {"kind": "document", "document_id": document.get_json()["id"]}):
        assert client.post(f"{API}/risks/{risk['id']}/evidence", headers=headers, json=body).status_code == 201
    bad = client.post(f"{API}/risks/{risk['id']}/evidence", headers=headers,
                      json={"kind": "statistics", "text": "x", "url": "javascript:alert(1)"})
    assert bad.status_code == 422 and "url" in bad.get_json()["errors"]
    patched = client.patch(f"{API}/risks/{risk['id']}", headers=headers, json={"concern_ids": [first, second]})
    assert patched.get_json()["concern_ids"] == [first, second]
    evidence = client.get(f"{API}/risks/{risk['id']}/evidence", headers=headers).get_json()
    assert [e["kind"] for e in evidence] == ["statistics", "survey", "document"]
    member = api_token(make_user("member", municipality="elbasan"))
    assert client.post(f"{API}/risks/{risk['id']}/ratings", headers=member,
                       json={"intensity": "low", "reason": "x"}).status_code == 403


def test_the_risk_pages(app, concerns, make_user, login):
    first, second, _ = concerns
    web = app.test_client()
    login(web, make_user("secretariat_municipality", municipality="elbasan"))
    assert web.get("/elbasan/risks/").status_code == 200
    created = web.post("/elbasan/risks/", data={"title": "Droga pranë shkollave", "concern_ids": [first, second],
                                                "intensity": "high", "reason": "Shumë shqetësime"})
    assert created.status_code == 302
    page = web.get(created.headers["Location"])
    assert page.status_code == 200 and "Shumë shqetësime" in page.get_data(as_text=True)
    refused = web.post(created.headers["Location"], data={"action": "rate", "intensity": "low"})
    assert refused.status_code == 422


def test_ratings_cannot_be_changed_or_deleted(client, concerns, headers, in_tenant):
    risk = client.post(f"{API}/risks", headers=headers, json={"title": "Rendi publik", "intensity": "low",
                                                             "reason": "Pak raste"}).get_json()
    with in_tenant("elbasan") as session:
        rating = session.execute(select(RiskRating)).scalar_one()
        rating.intensity = "high"
        with pytest.raises(ValueError, match="append-only"):
            session.flush()
        session.rollback()
        with pytest.raises(ValueError, match="append-only"):
            session.delete(session.execute(select(RiskRating)).scalar_one())
            session.flush()
        session.rollback()
    assert client.get(f"{API}/risks/{risk['id']}/ratings", headers=headers).get_json()[0]["intensity"] == "low"
