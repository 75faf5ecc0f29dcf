"""Attendance (members once each, guests), agenda materials and the audio recording: refused
files are explained and leave nothing behind."""
import io

import pytest
from sqlalchemy import func, select

from safetycouncil.documents.models import Document
from safetycouncil.errors import ValidationFailed
from safetycouncil.extensions import db
from safetycouncil.meetings import services
from safetycouncil.meetings.models import AgendaItem, AgendaMaterial, Attendance, Meeting
from safetycouncil.tenancy import tenant

from tests import factories as make

from .conftest import MP3, PDF, future, past


def _counts(app, municipality_id):
    with app.app_context(), tenant(municipality_id("elbasan")):
        return tuple(db.session.execute(select(func.count()).select_from(model)).scalar()
                     for model in (Document, AgendaMaterial))


# --- attendance ------------------------------------------------------------------------------------

def test_attendance_of_members_and_guests(app, secretary_client, in_tenant, municipality_id):
    with in_tenant("elbasan") as session:
        meeting_id = make.meeting(session, starts_at=past(1), agenda=["Plani"], status="planned").id
        mayor = make.member(session, "Gledian Llatja", email="k@example.al").id
        police = make.member(session, "Arben Kola", category="c").id
        school = make.member(session, "Drita Leka", category="f").id
    client = secretary_client.client
    page = client.get(f"/elbasan/meetings/{meeting_id}/attendance")
    assert page.status_code == 200 and "Drita Leka" in page.get_data(as_text=True)
    saved = client.post(f"/elbasan/meetings/{meeting_id}/attendance", data={
        "action": "members", "member_id": [mayor, police, school], "status": ["present", "excused", ""]})
    assert saved.status_code == 302
    client.post(f"/elbasan/meetings/{meeting_id}/attendance",
                data={"action": "guest", "guest_name": "Mirela Shehu", "guest_institution": "Gazeta lokale"})
    with app.app_context(), tenant(municipality_id("elbasan")):
        rows = services.list_attendance(db.session.get(Meeting, meeting_id))
        assert [(a.member.full_name if a.member else a.guest_name, a.status) for a in rows] == [
            ("Arben Kola", "excused"), ("Gledian Llatja", "present"), ("Mirela Shehu", "present")]
        guest_id = rows[-1].id
    detail = client.get(f"/elbasan/meetings/{meeting_id}").get_data(as_text=True)
    assert "Mirela Shehu" in detail and "Gazeta lokale" in detail
    # Changing a status, removing the guest.
    client.post(f"/elbasan/meetings/{meeting_id}/attendance",
                data={"action": "members", "member_id": [police], "status": ["present"]})
    client.post(f"/elbasan/meetings/{meeting_id}/attendance", data={"action": "remove", "attendance_id": guest_id})
    with app.app_context(), tenant(municipality_id("elbasan")):
        rows = services.list_attendance(db.session.get(Meeting, meeting_id))
        assert [(a.member_id, a.status) for a in rows] == [(police, "present"), (mayor, "present")]


def test_a_member_recorded_twice_is_refused(app, secretary_client, in_tenant, municipality_id):
    with in_tenant("elbasan") as session:
        meeting_id = make.meeting(session, starts_at=past(1), status="planned").id
        mayor = make.member(session, "Gledian Llatja").id
    with app.app_context(), tenant(municipality_id("elbasan")):
        meeting = db.session.get(Meeting, meeting_id)
        services.record_attendance(meeting, mayor, "present")
        with pytest.raises(ValidationFailed) as refused:
            services.record_attendance(meeting, mayor, "absent")
        assert "Gledian Llatja" in refused.value.errors["member_id"]
        db.session.commit()
    response = secretary_client.client.post(f"/elbasan/meetings/{meeting_id}/attendance", data={
        "action": "members", "member_id": [mayor, mayor], "status": ["present", "absent"]})
    assert response.status_code == 422
    assert "Gledian Llatja" in response.get_data(as_text=True)
    with app.app_context(), tenant(municipality_id("elbasan")):
        assert db.session.execute(select(Attendance.status)).scalars().all() == ["present"]


def test_no_attendance_before_the_meeting_or_for_a_stranger(app, secretary_client, in_tenant, municipality_id):
    with in_tenant("fier") as session:
        stranger = make.member(session, "Nga Fieri").id
    with in_tenant("elbasan") as session:
        coming = make.meeting(session, starts_at=future(3), status="planned").id
        done = make.meeting(session, starts_at=past(3), status="planned").id
        mayor = make.member(session, "Gledian Llatja").id
    client = secretary_client.client
    early = client.post(f"/elbasan/meetings/{coming}/attendance",
                        data={"action": "members", "member_id": [mayor], "status": ["present"]})
    assert early.status_code == 422
    other = client.post(f"/elbasan/meetings/{done}/attendance",
                        data={"action": "members", "member_id": [stranger], "status": ["present"]})
    assert other.status_code == 422
    wrong = client.post(f"/elbasan/meetings/{done}/attendance",
                        data={"action": "members", "member_id": [mayor], "status": ["asleep"]})
    assert wrong.status_code == 422
    nameless = client.post(f"/elbasan/meetings/{done}/attendance", data={"action": "guest", "guest_name": " "})
    assert nameless.status_code == 422 and 'id="guest_name-error"' in nameless.get_data(as_text=True)
    with app.app_context(), tenant(municipality_id("elbasan")):
        assert db.session.execute(select(func.count()).select_from(Attendance)).scalar() == 0


# --- the agenda and its materials --------------------------------------------------------------------

def test_agenda_items_are_added_edited_reordered_and_removed(app, secretary_client, in_tenant, municipality_id):
    with in_tenant("elbasan") as session:
        meeting_id = make.meeting(session, starts_at=future(20), status="planned").id
    client = secretary_client.client
    for title in ("Plani vendor", "Siguria në shkolla", "Të ndryshme"):
        assert client.post(f"/elbasan/meetings/{meeting_id}/agenda", data={"title": title}).status_code == 302
    assert "flash-error" in client.post(f"/elbasan/meetings/{meeting_id}/agenda", data={"title": ""},
                                        follow_redirects=True).get_data(as_text=True)

    def titles():
        with app.app_context(), tenant(municipality_id("elbasan")):
            return [(i.position, i.title) for i in db.session.get(Meeting, meeting_id).agenda_items], \
                {i.title: i.id for i in db.session.get(Meeting, meeting_id).agenda_items}

    order, ids = titles()
    assert order == [(1, "Plani vendor"), (2, "Siguria në shkolla"), (3, "Të ndryshme")]
    client.post(f"/elbasan/meetings/items/{ids['Siguria në shkolla']}/move", data={"direction": "up"})
    assert [t for _, t in titles()[0]] == ["Siguria në shkolla", "Plani vendor", "Të ndryshme"]
    assert client.get(f"/elbasan/meetings/items/{ids['Plani vendor']}").status_code == 200
    client.post(f"/elbasan/meetings/items/{ids['Plani vendor']}",
                data={"title": "Miratimi i planit vendor", "presenter": "Sekretariati", "description": "Drafti"})
    bad = client.post(f"/elbasan/meetings/items/{ids['Plani vendor']}", data={"title": ""})
    assert bad.status_code == 422 and 'id="title-error"' in bad.get_data(as_text=True)
    client.post(f"/elbasan/meetings/items/{ids['Siguria në shkolla']}", data={"action": "delete"})
    assert titles()[0] == [(1, "Miratimi i planit vendor"), (2, "Të ndryshme")]


def test_a_material_is_stored_and_linked(app, secretary_client, in_tenant, municipality_id):
    with in_tenant("elbasan") as session:
        meeting_id = make.meeting(session, starts_at=future(20), agenda=["Plani vendor"], status="planned").id
        item_id = session.execute(select(AgendaItem.id)).scalar_one()
    client = secretary_client.client
    response = client.post(f"/elbasan/meetings/items/{item_id}/materials",
                           data={"title": "Drafti i planit", "file": (io.BytesIO(PDF), "drafti.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context(), tenant(municipality_id("elbasan")):
        material = db.session.execute(select(AgendaMaterial)).scalar_one()
        assert material.document.title == "Drafti i planit" and material.document.content_type == "application/pdf"
        assert "/materials/" in material.document.storage_key
        document_id, material_id = material.document_id, material.id
    assert client.get(f"/elbasan/documents/{document_id}/download").data == PDF
    assert "Drafti i planit" in client.get(f"/elbasan/meetings/{meeting_id}").get_data(as_text=True)
    client.post(f"/elbasan/meetings/materials/{material_id}/remove")
    assert _counts(app, municipality_id) == (1, 0)  # unlinked; the document stays


@pytest.mark.parametrize("name,data", [("virus.exe", b"MZ\x90\x00"), ("fake.pdf", b"<html>not a pdf</html>"),
                                       ("empty.pdf", b"")])
def test_a_forbidden_file_is_refused_and_nothing_is_saved(app, secretary_client, in_tenant, municipality_id,
                                                           name, data):
    with in_tenant("elbasan") as session:
        make.meeting(session, starts_at=future(20), agenda=["Plani vendor"], status="planned")
        item_id = session.execute(select(AgendaItem.id)).scalar_one()
    response = secretary_client.client.post(f"/elbasan/meetings/items/{item_id}/materials",
                                            data={"file": (io.BytesIO(data), name)},
                                            content_type="multipart/form-data")
    assert response.status_code == 422
    assert "flash-error" in response.get_data(as_text=True)
    assert _counts(app, municipality_id) == (0, 0)


def test_a_file_too_large_is_refused_and_nothing_is_saved(app, secretary_client, in_tenant, municipality_id,
                                                          monkeypatch):
    with in_tenant("elbasan") as session:
        make.meeting(session, starts_at=future(20), agenda=["Plani vendor"], status="planned")
        item_id = session.execute(select(AgendaItem.id)).scalar_one()
    monkeypatch.setattr(services, "MAX_MATERIAL_BYTES", 1024 * 1024)
    big = PDF + b"0" * (1024 * 1024)
    response = secretary_client.client.post(f"/elbasan/meetings/items/{item_id}/materials",
                                            data={"file": (io.BytesIO(big), "plani.pdf")},
                                            content_type="multipart/form-data")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "1 MB" in page
    # Beyond what the server accepts at all: a clear 413.
    app.config["MAX_CONTENT_LENGTH"], limit = 1024, app.config["MAX_CONTENT_LENGTH"]
    try:
        response = secretary_client.client.post(f"/elbasan/meetings/items/{item_id}/materials",
                                                data={"file": (io.BytesIO(PDF + b"0" * 4096), "plani.pdf")},
                                                content_type="multipart/form-data")
        assert response.status_code == 413
    finally:
        app.config["MAX_CONTENT_LENGTH"] = limit
    assert _counts(app, municipality_id) == (0, 0)


def test_the_audio_recording_is_checked_and_linked(app, secretary_client, in_tenant, municipality_id, read_meeting):
    with in_tenant("elbasan") as session:
        done = make.meeting(session, starts_at=past(1), status="held").id
        coming = make.meeting(session, starts_at=future(5), status="planned").id
    client = secretary_client.client
    wrong = client.post(f"/elbasan/meetings/{done}/audio", data={"audio": (io.BytesIO(PDF), "regjistrimi.pdf")},
                        content_type="multipart/form-data")
    assert wrong.status_code == 422
    early = client.post(f"/elbasan/meetings/{coming}/audio", data={"audio": (io.BytesIO(MP3), "regjistrimi.mp3")},
                        content_type="multipart/form-data")
    assert early.status_code == 422
    assert _counts(app, municipality_id) == (0, 0)
    ok = client.post(f"/elbasan/meetings/{done}/audio", data={"audio": (io.BytesIO(MP3), "regjistrimi.mp3")},
                     content_type="multipart/form-data")
    assert ok.status_code == 302
    meeting = read_meeting(done)
    assert meeting.audio_document_id is not None
    with app.app_context(), tenant(municipality_id("elbasan")):
        assert db.session.get(Document, meeting.audio_document_id).content_type == "audio/mpeg"
    assert client.get(f"/elbasan/documents/{meeting.audio_document_id}/download").data == MP3
