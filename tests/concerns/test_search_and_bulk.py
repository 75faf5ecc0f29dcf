"""Search across a municipality's meetings, decisions, concerns and documents, Albanian-aware
("Korce" finds "Korçë" and the other way round), tenant-scoped; filters of concerns by area and
text; bulk moderation of concerns sent online."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from safetycouncil.areas.models import Area
from safetycouncil.concerns.models import Concern, RiskCategory
from safetycouncil.concerns.services import ensure_default_categories
from safetycouncil.documents.services import store_document
from safetycouncil.extensions import db
from safetycouncil.records.models import Decision

from tests import factories as make


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(app, in_tenant):
    with app.app_context():
        ensure_default_categories()
        db.session.commit()
        category = db.session.execute(select(RiskCategory.id).order_by(RiskCategory.id)).scalars().first()
    ids = {}
    with in_tenant("elbasan") as session:
        kala, other = Area(name="Lagjja Kala", kind="neighbourhood"), Area(name="Lagjja 5 Maji", kind="neighbourhood")
        session.add_all([kala, other])
        session.flush()
        meeting = make.meeting(session, "open_consultation", datetime(2026, 3, 12, 17, 0),
                                  title="Takim i hapur në Korçë për ndriçimin")
        session.add(Decision(meeting_id=meeting.id, number="2026/3", title="Për ndriçimin e rrugës së Shkollës"))
        for text, area, status in (
                ("Mungesë ndriçimi në rrugën pranë shkollës së Korçës", kala, "accepted"),
                ("Qentë endacakë pranë tregut", other, "accepted"),
                ("Shpejtësi e lartë te kryqëzimi i Kalasë", kala, "pending_moderation"),
                ("Zhurmë natën te lokalet", other, "pending_moderation"),
                ("Reklamë", other, "pending_moderation")):
            session.add(Concern(text=text, source_kind="citizen", area_id=area.id, category_id=category,
                                channel="online" if status != "accepted" else "meeting", status=status))
        store_document("Raporti i monitorimit, Korçë 2026", "raporti-korce.pdf", PDF, uploaded_by_id=None)
        ids.update(kala=kala.id, other=other.id, meeting=meeting.id)
    with in_tenant("fier") as session:
        make.meeting(session, "council", datetime(2026, 3, 13, 10, 0), title="Mbledhja për Korçën e Fierit")
    return ids


@pytest.fixture
def staff(app, make_user, login):
    client = app.test_client()
    login(client, make_user("technical_secretary", municipality="elbasan"))
    return client


def test_search_finds_with_and_without_diacritics(staff, world):
    page = staff.get("/elbasan/search/?q=Korce").get_data(as_text=True)
    assert "Takim i hapur në Korçë për ndriçimin" in page  # a meeting
    assert "Mungesë ndriçimi në rrugën pranë shkollës së Korçës" in page  # a concern ("Korce" is its prefix)
    assert "Raporti i monitorimit, Korçë 2026" in page  # a document
    assert "Fierit" not in page  # another municipality's meeting is never read
    same = staff.get("/elbasan/search/?q=KORÇË").get_data(as_text=True)
    assert "Takim i hapur në Korçë" in same and "Raporti i monitorimit" in same
    decisions = staff.get("/elbasan/search/?q=ndricimin+rruges").get_data(as_text=True)
    assert "2026/3 · Për ndriçimin e rrugës së Shkollës" in decisions
    assert f'href="/elbasan/meetings/{world["meeting"]}"' in page
    none = staff.get("/elbasan/search/?q=xyzzy").get_data(as_text=True)
    assert "0 rezultate" in none
    assert staff.get("/elbasan/search/").status_code == 200
    assert 'href="/elbasan/search/"' in staff.get("/elbasan/").get_data(as_text=True)  # in the navigation


def test_search_is_for_the_municipality_s_people(app, world, make_user, login):
    outsider = app.test_client()
    login(outsider, make_user("technical_secretary", municipality="fier"))
    assert outsider.get("/elbasan/search/?q=Korce").status_code == 404
    fier = outsider.get("/fier/search/?q=korce").get_data(as_text=True)
    assert "Mbledhja për Korçën e Fierit" in fier and "Takim i hapur" not in fier


def test_concerns_filter_by_area_and_text(staff, world):
    by_area = staff.get(f"/elbasan/concerns/?area={world['kala']}").get_data(as_text=True)
    assert "Mungesë ndriçimi" in by_area and "Qentë endacakë" not in by_area
    by_text = staff.get("/elbasan/concerns/?q=qente").get_data(as_text=True)
    assert "Qentë endacakë" in by_text and "Mungesë ndriçimi" not in by_text
    both = staff.get(f"/elbasan/concerns/?area={world['other']}&q=korce").get_data(as_text=True)
    assert "Mungesë ndriçimi" not in both and "Qentë endacakë" not in both
    assert 'id="filter-area"' in by_area and 'id="filter-q"' in by_area


def test_bulk_moderation(app, staff, world, in_tenant):
    with in_tenant("elbasan") as session:
        pending = {c.text: c.id for c in session.execute(
            select(Concern).where(Concern.status == "pending_moderation")).scalars()}
    page = staff.get("/elbasan/concerns/moderation").get_data(as_text=True)
    assert 'form="bulk-moderation"' in page
    # Rejecting needs a note: nothing changes.
    refused = staff.post("/elbasan/concerns/moderation", data={
        "concern_ids": [pending["Zhurmë natën te lokalet"], pending["Reklamë"]], "decision": "reject"},
        follow_redirects=True)
    assert "flash-error" in refused.get_data(as_text=True)
    accepted = staff.post("/elbasan/concerns/moderation", data={
        "concern_ids": [pending["Shpejtësi e lartë te kryqëzimi i Kalasë"], pending["Zhurmë natën te lokalet"]],
        "decision": "accept"}, follow_redirects=True)
    assert "2 shqetësime u moderuan" in accepted.get_data(as_text=True)
    rejected = staff.post("/elbasan/concerns/moderation", data={
        "concern_ids": [pending["Reklamë"]], "decision": "reject", "note": "Nuk ka të bëjë me sigurinë"})
    assert rejected.status_code == 302
    with in_tenant("elbasan") as session:
        statuses = {c.text: (c.status, c.moderation_note) for c in session.execute(select(Concern)).scalars()}
    assert statuses["Shpejtësi e lartë te kryqëzimi i Kalasë"][0] == "accepted"
    assert statuses["Zhurmë natën te lokalet"][0] == "accepted"
    assert statuses["Reklamë"] == ("rejected", "Nuk ka të bëjë me sigurinë")
    # Already moderated: refused as a whole.
    again = staff.post("/elbasan/concerns/moderation", data={
        "concern_ids": [pending["Reklamë"]], "decision": "accept"}, follow_redirects=True)
    assert "flash-error" in again.get_data(as_text=True)
