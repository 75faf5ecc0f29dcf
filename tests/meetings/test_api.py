"""Meetings through the API: resources with the invitation deadline and lateness, the agenda,
materials, attendance and invitations."""
import io
from datetime import date, datetime

from safetycouncil.meetings import services

from tests import factories as make

from .conftest import MP3, PDF, future, past

BASE = "/api/v1/municipalities/elbasan"


def test_a_meeting_resource_carries_its_invitation_deadline(client, make_user, api_token):
    headers = api_token(make_user("technical_secretary", municipality="elbasan"))
    response = client.post(f"{BASE}/meetings", headers=headers, json={
        "kind": "council", "title": "Mbledhja e KVSP", "starts_at": "2025-06-13T10:00", "ends_at": "2025-06-13T12:00",
        "location": "Salla e Këshillit"})
    assert response.status_code == 201, response.get_json()
    meeting = response.get_json()
    assert meeting["invitation_deadline"] == "2025-06-05"
    assert meeting["starts_at"] == "2025-06-13T10:00:00+02:00"
    assert meeting["status"] == "planned" and meeting["agenda_items"] == []
    assert meeting["invitation_sent_at"] is None and meeting["invitation_late"] is None

    got = client.get(f"{BASE}/meetings/{meeting['id']}", headers=headers).get_json()
    assert got["invitation_deadline"] == "2025-06-05"
    moved = client.patch(f"{BASE}/meetings/{meeting['id']}", headers=headers,
                         json={"starts_at": "2025-10-17T10:00+02:00", "ends_at": "2025-10-17T12:00"})
    assert moved.status_code == 200 and moved.get_json()["invitation_deadline"] == "2025-10-10"

    recorded = client.post(f"{BASE}/meetings/{meeting['id']}/invitations/record", headers=headers,
                           json={"sent_on": "2025-10-14"})
    assert recorded.status_code == 200, recorded.get_json()
    body = recorded.get_json()
    assert body["invitation_late"] is True and body["invitation_working_days_late"] == 2
    assert body["invitation_sent_at"].startswith("2025-10-14T")
    twice = client.post(f"{BASE}/meetings/{meeting['id']}/invitations/record", headers=headers,
                        json={"sent_on": "2025-10-10"})
    assert twice.status_code == 422 and "sent_on" in twice.get_json()["errors"]


def test_refusals_are_422_with_the_field_named(client, make_user, api_token):
    headers = api_token(make_user("technical_secretary", municipality="elbasan"))
    base = {"kind": "council", "title": "Mbledhja", "starts_at": "2025-06-13T12:00", "ends_at": "2025-06-13T10:00"}
    response = client.post(f"{BASE}/meetings", headers=headers, json=base)
    assert response.status_code == 422 and set(response.get_json()["errors"]) == {"ends_at"}
    response = client.post(f"{BASE}/meetings", headers=headers, json={**base, "starts_at": "13 qershor"})
    assert response.status_code == 422 and "starts_at" in response.get_json()["errors"]
    response = client.post(f"{BASE}/meetings", headers=headers, json={**base, "kind": "party"})
    assert response.status_code == 422 and "kind" in response.get_json()["errors"]
    response = client.post(f"{BASE}/meetings", headers=headers, json={"title": "x"})
    assert response.status_code == 422 and {"kind", "starts_at", "ends_at"} <= set(response.get_json()["errors"])


def test_list_with_filters_cancel_and_delete(client, make_user, api_token, in_tenant):
    headers = api_token(make_user("technical_secretary", municipality="elbasan"))
    with in_tenant("elbasan") as session:
        council = make.meeting(session, starts_at=datetime(2025, 10, 17, 10), status="planned").id
        make.meeting(session, starts_at=datetime(2024, 10, 18, 10), kind="open_consultation", status="planned")
        empty = make.meeting(session, starts_at=future(30), kind="task_force", status="planned").id  # never on the public page
        busy = make.meeting(session, starts_at=future(31), agenda=["Plani"], status="planned").id
    listed = client.get(f"{BASE}/meetings?kind=council&year=2025", headers=headers).get_json()
    assert [m["id"] for m in listed] == [council]
    assert len(client.get(f"{BASE}/meetings", headers=headers).get_json()) == 4
    assert client.get(f"{BASE}/meetings?kind=party", headers=headers).status_code == 422

    refused = client.delete(f"{BASE}/meetings/{busy}", headers=headers)
    assert refused.status_code == 422 and "meeting" in refused.get_json()["errors"]
    assert client.delete(f"{BASE}/meetings/{empty}", headers=headers).status_code == 204
    assert client.get(f"{BASE}/meetings/{empty}", headers=headers).status_code == 404
    no_reason = client.post(f"{BASE}/meetings/{busy}/cancel", headers=headers, json={})
    assert no_reason.status_code == 422
    cancelled = client.post(f"{BASE}/meetings/{busy}/cancel", headers=headers, json={"reason": "Mungesa e kuorumit"})
    assert cancelled.get_json()["status"] == "cancelled"
    assert client.post(f"{BASE}/meetings/{council}/held", headers=headers).get_json()["status"] == "held"


def test_agenda_items_and_materials(app, client, make_user, api_token, in_tenant):
    headers = api_token(make_user("technical_secretary", municipality="elbasan"))
    with in_tenant("elbasan") as session:
        meeting_id = make.meeting(session, starts_at=future(20), status="planned").id
    ids = []
    for title in ("Plani vendor", "Siguria në shkolla", "Të ndryshme"):
        response = client.post(f"{BASE}/meetings/{meeting_id}/agenda-items", headers=headers,
                               json={"title": title, "presenter": "Sekretariati"})
        assert response.status_code == 201, response.get_json()
        ids.append(response.get_json()["id"])
    assert client.post(f"{BASE}/meetings/{meeting_id}/agenda-items", headers=headers, json={}).status_code == 422
    moved = client.patch(f"{BASE}/agenda-items/{ids[2]}", headers=headers, json={"position": 1, "title": "Fillimi"})
    assert moved.status_code == 200 and moved.get_json()["position"] == 1
    agenda = client.get(f"{BASE}/meetings/{meeting_id}/agenda-items", headers=headers).get_json()
    assert [(i["position"], i["title"]) for i in agenda] == [(1, "Fillimi"), (2, "Plani vendor"),
                                                            (3, "Siguria në shkolla")]
    assert client.delete(f"{BASE}/agenda-items/{ids[1]}", headers=headers).status_code == 204

    upload = client.post(f"{BASE}/agenda-items/{ids[0]}/materials", headers=headers,
                         data={"title": "Drafti", "file": (io.BytesIO(PDF), "drafti.pdf")},
                         content_type="multipart/form-data")
    assert upload.status_code == 201, upload.get_json()
    assert upload.get_json()["title"] == "Drafti" and upload.get_json()["content_type"] == "application/pdf"
    bad = client.post(f"{BASE}/agenda-items/{ids[0]}/materials", headers=headers,
                      data={"file": (io.BytesIO(b"MZ"), "x.exe")}, content_type="multipart/form-data")
    assert bad.status_code == 422 and "file" in bad.get_json()["errors"]
    meeting = client.get(f"{BASE}/meetings/{meeting_id}", headers=headers).get_json()
    assert [len(i["materials"]) for i in meeting["agenda_items"]] == [0, 1]
    material_id = meeting["agenda_items"][1]["materials"][0]["id"]
    assert client.get(f"{BASE}/agenda-materials/{material_id}", headers=headers).status_code == 200
    assert client.delete(f"{BASE}/agenda-materials/{material_id}", headers=headers).status_code == 204


def test_attendance_put_refuses_a_member_twice(client, make_user, api_token, in_tenant):
    headers = api_token(make_user("technical_secretary", municipality="elbasan"))
    with in_tenant("elbasan") as session:
        meeting_id = make.meeting(session, starts_at=past(1), status="planned").id
        mayor = make.member(session, "Gledian Llatja").id
        police = make.member(session, "Arben Kola", category="c").id
    twice = client.put(f"{BASE}/meetings/{meeting_id}/attendance", headers=headers,
                       json={"members": [{"member_id": mayor, "status": "present"},
                                         {"member_id": mayor, "status": "absent"}]})
    assert twice.status_code == 422 and "member_id" in twice.get_json()["errors"]
    put = client.put(f"{BASE}/meetings/{meeting_id}/attendance", headers=headers, json={
        "members": [{"member_id": mayor, "status": "present"}, {"member_id": police, "status": "excused"}],
        "guests": [{"name": "Mirela Shehu", "institution": "Gazeta lokale"}]})
    assert put.status_code == 200, put.get_json()
    rows = client.get(f"{BASE}/meetings/{meeting_id}/attendance", headers=headers).get_json()
    assert sorted((r["member_name"] or r["guest_name"], r["status"]) for r in rows) == [
        ("Arben Kola", "excused"), ("Gledian Llatja", "present"), ("Mirela Shehu", "present")]
    audio = client.post(f"{BASE}/meetings/{meeting_id}/audio", headers=headers,
                        data={"file": (io.BytesIO(MP3), "regjistrimi.mp3")}, content_type="multipart/form-data")
    assert audio.status_code == 201 and audio.get_json()["audio_document_id"]
    not_audio = client.post(f"{BASE}/meetings/{meeting_id}/audio", headers=headers,
                            data={"file": (io.BytesIO(PDF), "regjistrimi.pdf")}, content_type="multipart/form-data")
    assert not_audio.status_code == 422 and "file" in not_audio.get_json()["errors"]


def test_invitations_through_the_api(client, make_user, api_token, in_tenant, outbox, run_jobs):
    headers = api_token(make_user("technical_secretary", municipality="elbasan"))
    with in_tenant("elbasan") as session:
        meeting_id = make.meeting(session, starts_at=future(25), kind="council_ad_hoc", agenda=["Situata"], status="planned").id
        police = make.member(session, "Arben Kola", category="c", email="policia@elbasan.example").id
        make.member(session, "Gledian Llatja", email="kryetari@elbasan.example")
    invitees = client.get(f"{BASE}/meetings/{meeting_id}/invitees", headers=headers).get_json()
    assert invitees["automatic"] == [] and len(invitees["choosable"]) == 2
    chosen = client.put(f"{BASE}/meetings/{meeting_id}/invitees", headers=headers, json={"member_ids": [police]})
    assert chosen.status_code == 200 and chosen.get_json()["chosen"] == [police]
    response = client.post(f"{BASE}/meetings/{meeting_id}/invitations", headers=headers)
    assert response.status_code == 202
    run_jobs()
    assert [m["To"] for m in outbox] == ["policia@elbasan.example"]
    rows = client.get(f"{BASE}/meetings/{meeting_id}/invitations", headers=headers).get_json()
    assert [(r["member_name"], r["status"]) for r in rows] == [("Arben Kola", "sent")]
    meeting = client.get(f"{BASE}/meetings/{meeting_id}", headers=headers).get_json()
    assert meeting["invitation_late"] is False and meeting["invitation_working_days_late"] == 0
    assert meeting["invitation_sent_at"].endswith("Z")  # the platform's one form (api.contract.UtcDateTime)
    again = client.post(f"{BASE}/meetings/{meeting_id}/invitations", headers=headers)
    assert again.status_code == 422


def test_readers_read_and_another_municipality_gets_404(app, client, make_user, api_token, in_tenant):
    with in_tenant("elbasan") as session:
        meeting_id = make.meeting(session, starts_at=future(25), status="planned").id
    member = api_token(make_user("member", municipality="elbasan"))
    assert client.get(f"{BASE}/meetings/{meeting_id}", headers=member).status_code == 200
    assert client.patch(f"{BASE}/meetings/{meeting_id}", headers=member, json={"title": "x"}).status_code == 403
    outsider = api_token(make_user("technical_secretary", municipality="fier"))
    fier = "/api/v1/municipalities/fier"
    assert client.get(f"{fier}/meetings/{meeting_id}", headers=outsider).status_code == 404
    assert client.post(f"{fier}/meetings/{meeting_id}/agenda-items", headers=outsider, json={}).status_code == 404
    from safetycouncil import unified_model

    with app.app_context():
        assert unified_model.notice_working_days(date(2026, 1, 1)) == 5
