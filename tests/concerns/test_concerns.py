"""The register of concerns: recorded at open consultations, sent online and moderated, the national list
of categories, and "you said, we did"."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from safetycouncil.concerns.models import Concern, RiskCategory
from safetycouncil.concerns.services import ensure_default_categories
from safetycouncil.extensions import db

from tests import factories as make

from ..plans import support

API = "/api/v1/municipalities/elbasan"


@pytest.fixture
def world(app, in_tenant):
    """Elbasan with an area, an open consultation, and the national categories."""
    with app.app_context():
        ensure_default_categories()
        db.session.commit()
        categories = {c.code: c.id for c in db.session.execute(select(RiskCategory)).scalars()}
    with in_tenant("elbasan") as session:
        area = support.area(session)
        consultation = make.meeting(session, "open_consultation", datetime(2025, 3, 12, 17, 0),
                                       title="Takim i hapur konsultimi, Lagjja Kala")
        monthly = make.meeting(session, "secretariat_monitoring", datetime(2025, 3, 20, 9, 0))
        ids = {"area": area.id, "consultation": consultation.id, "monthly": monthly.id}
    return {**ids, "categories": categories}


@pytest.fixture
def secretary(make_user):
    return make_user("technical_secretary", municipality="elbasan")


def test_the_national_list_is_seeded_in_both_languages(app, world):
    with app.app_context():
        names = {c.code: (c.name_sq, c.name_en) for c in db.session.execute(select(RiskCategory)).scalars()}
    assert len(names) == 11
    assert names["domestic_violence"] == ("Dhuna në familje", "Domestic violence")
    assert names["youth_substances"][1] == "Narcotics, alcohol and tobacco among young people"
    assert {"hotspots", "road_safety", "property_crime", "school_safety", "juvenile_delinquency",
            "violent_extremism", "trafficking", "public_order", "civil_emergencies"} < set(names)


def test_a_concern_raised_at_an_open_consultation_is_recorded(client, world, secretary, api_token):
    headers = api_token(secretary)
    response = client.post(f"{API}/concerns", headers=headers, json={
        "text": "Prindërit thonë se para shkollës 'Naim Frashëri' shitet duhan te të miturit.",
        "source_kind": "parent", "source_name": "Këshilli i prindërve", "area_id": world["area"],
        "category_id": world["categories"]["youth_substances"], "meeting_id": world["consultation"],
        "contact": "069 000 0000"})
    assert response.status_code == 201, response.get_json()
    concern = response.get_json()
    assert concern["status"] == "accepted" and concern["channel"] == "meeting"
    assert concern["category"]["name_en"] == "Narcotics, alcohol and tobacco among young people"
    assert concern["contact"] == "069 000 0000"
    listed = client.get(f"{API}/concerns?meeting_id={world['consultation']}", headers=headers).get_json()
    assert [c["id"] for c in listed] == [concern["id"]]


@pytest.mark.parametrize("change, field", [
    ({"source_kind": "alien"}, "source_kind"), ({"area_id": 99999}, "area_id"),
    ({"category_id": 99999}, "category_id"), ({"text": ""}, "text"), ({"meeting_id": "monthly"}, "meeting_id")])
def test_bad_concerns_are_refused_with_clear_messages(client, world, secretary, api_token, change, field):
    body = {"text": "Mungon ndriçimi", "source_kind": "citizen", "area_id": world["area"],
            "category_id": world["categories"]["public_order"], **change}
    if body.get("meeting_id") == "monthly":
        body["meeting_id"] = world["monthly"]  # a monitoring meeting is not an open consultation
    response = client.post(f"{API}/concerns", headers=api_token(secretary), json=body)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]


def test_a_concern_sent_online_waits_for_moderation(app, client, world, secretary, login, in_tenant):
    public = app.test_client()
    form = public.get("/public/elbasan/concern")
    assert form.status_code == 200 and 'name="website"' in form.get_data(as_text=True)
    sent = public.post("/public/elbasan/concern", data={
        "text": "Çdo natë ka zhurmë dhe përleshje pranë lokaleve në Lagjen Kala.", "area_id": world["area"],
        "category_id": world["categories"]["public_order"], "contact": "besa@example.al"})
    # the reference number to follow it (tests/public/test_said_did_and_follow.py)
    assert sent.status_code == 302 and "/public/elbasan/concern/sent?reference=" in sent.headers["Location"]
    assert "Sekretariati Teknik" in public.get("/public/elbasan/concern/sent").get_data(as_text=True) or \
        "Technical Secretariat" in public.get("/public/elbasan/concern/sent").get_data(as_text=True)
    with in_tenant("elbasan") as session:
        concern = session.execute(select(Concern)).scalar_one()
        assert (concern.status, concern.channel, concern.source_kind) == ("pending_moderation", "online", "citizen")
        concern_id = concern.id

    staff = app.test_client()
    login(staff, secretary)
    page = staff.get("/elbasan/concerns/moderation").get_data(as_text=True)
    assert "zhurmë dhe përleshje" in page and "besa@example.al" in page
    refused = staff.post(f"/elbasan/concerns/{concern_id}", data={"action": "moderate", "decision": "reject"})
    assert refused.status_code == 422  # a rejection says why
    assert staff.post(f"/elbasan/concerns/{concern_id}",
                      data={"action": "moderate", "decision": "accept"}).status_code == 302
    with in_tenant("elbasan") as session:
        assert session.get(Concern, concern_id).status == "accepted"
    again = staff.post(f"/elbasan/concerns/{concern_id}", data={"action": "moderate", "decision": "reject",
                                                               "note": "x"})
    assert again.status_code == 422


def test_the_contact_is_seen_only_by_staff(app, client, world, make_user, api_token, in_tenant):
    with in_tenant("elbasan") as session:
        session.add(Concern(text="Drita", source_kind="citizen", area_id=world["area"],
                            category_id=world["categories"]["road_safety"], channel="online",
                            status="pending_moderation", contact="069 111 1111"))
    for role, kwargs, sees in (("technical_secretary", {"municipality": "elbasan"}, True),
                               ("member", {"municipality": "elbasan"}, False),
                               ("prefecture", {"county": "elbasan"}, False), ("ministry", {}, False)):
        user = make_user(role, **kwargs)
        concern = client.get(f"{API}/concerns", headers=api_token(user)).get_json()[0]
        assert (concern["contact"] == "069 111 1111") is sees, role


def test_the_public_form_has_a_honeypot_and_a_rate_limit(app, world, in_tenant):
    public = app.test_client()
    body = {"text": "Qen endacakë pranë shkollës", "area_id": world["area"],
            "category_id": world["categories"]["school_safety"]}
    bot = public.post("/public/elbasan/concern", data={**body, "website": "http://spam.example"})
    assert bot.status_code == 302
    with in_tenant("elbasan") as session:
        assert session.execute(select(func.count()).select_from(Concern)).scalar() == 0
    bad = public.post("/public/elbasan/concern", data={**body, "text": ""})
    assert bad.status_code == 422
    statuses = [public.post("/public/elbasan/concern", data=body).status_code for _ in range(6)]
    assert 429 in statuses
    with in_tenant("elbasan") as session:
        assert session.execute(select(func.count()).select_from(Concern)).scalar() < 6


def test_the_ministry_adds_renames_and_retires_categories(app, world, make_user, login, secretary):
    ministry = app.test_client()
    login(ministry, make_user("ministry"))
    assert ministry.get("/national/risk-categories").status_code == 200
    assert ministry.post("/national/risk-categories", data={"name_sq": "Krimi kibernetik",
                                                            "name_en": "Cybercrime"}).status_code == 302
    assert ministry.post("/national/risk-categories", data={"name_sq": "krimi  kibernetik",
                                                            "name_en": "Cyber"}).status_code == 422
    with app.app_context():
        cyber = db.session.execute(select(RiskCategory).where(RiskCategory.name_en == "Cybercrime")).scalar_one()
        cyber_id, road = cyber.id, world["categories"]["road_safety"]
    ministry.post(f"/national/risk-categories/{cyber_id}", data={"name_sq": "Krimi kibernetik",
                                                                "name_en": "Cybercrime and online fraud"})
    ministry.post(f"/national/risk-categories/{road}", data={"action": "retire"})
    with app.app_context():
        assert db.session.get(RiskCategory, cyber_id).name_en == "Cybercrime and online fraud"
        assert db.session.get(RiskCategory, road).active is False
    staff = app.test_client()
    login(staff, secretary)
    assert staff.get("/national/risk-categories").status_code == 403
    page = staff.get("/elbasan/concerns/").get_data(as_text=True)
    assert "Cybercrime and online fraud" not in page or "Krimi kibernetik" in page
    refused = staff.post("/elbasan/concerns/", data={"text": "x", "source_kind": "citizen", "area_id": world["area"],
                                                     "category_id": road})
    assert refused.status_code == 422  # retired: no longer offered


def test_pages_render_for_staff_and_readers(app, world, secretary, make_user, login, in_tenant):
    with in_tenant("elbasan") as session:
        concern_id = support.concern(session).id
    for user in (secretary, make_user("member", municipality="elbasan")):
        web = app.test_client()
        login(web, user)
        for url in ("/elbasan/concerns/", "/elbasan/concerns/?status=accepted", "/elbasan/concerns/moderation",
                    f"/elbasan/concerns/{concern_id}"):
            assert web.get(url).status_code == 200, url
    web = app.test_client()
    login(web, secretary)
    created = web.post("/elbasan/concerns/", data={
        "text": "Shoferë me shpejtësi të lartë pranë kopshtit", "source_kind": "village_head",
        "area_id": world["area"], "category_id": world["categories"]["road_safety"],
        "meeting_id": world["consultation"]})
    assert created.status_code == 302
