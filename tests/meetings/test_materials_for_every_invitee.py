"""Art. 7.4: the invitation carries the agenda and its materials, to every invitee, with or without an
account: attached within a size limit, otherwise a personal, expiring, revocable link that needs no
account (its token kept hashed, each opening logged). Each invitation row records what it carried
and when; ``materials.invitation_evidence`` gives the compliance rules each invitee's sent_at and
whether the materials were included. E-mails carry Albanian first and English second, with links
built from the configured public address. A meeting created with a start already past is recorded
as entered after the fact, with who entered it."""
import io
import re
from datetime import timedelta

from sqlalchemy import select

from safetycouncil.accounts.services import token_hash
from safetycouncil.audit.models import AuditEntry
from safetycouncil.extensions import db
from safetycouncil.mail import LANGUAGE_SEPARATOR
from safetycouncil.meetings import materials
from safetycouncil.meetings.models import Invitation, MaterialLink, Meeting
from safetycouncil.tenancy import tenant
from safetycouncil.timeutil import utcnow

from tests import factories as make

from .conftest import PDF, future, past

LINK = re.compile(r"http://localhost/elbasan/meetings/materials/([A-Za-z0-9_\-]+)")


def _council(in_tenant):
    with in_tenant("elbasan") as session:
        ids = {
            "mayor": make.member(session, "Gledian Llatja", email="kryetari@elbasan.example").id,
            "church": make.member(session, "Kisha Ortodokse Elbasan", category="n", email="kisha@elbasan.example").id,
            "noemail": make.member(session, "Dhoma e Tregtisë", category="m").id,
        }
        ids["meeting"] = make.meeting(session, starts_at=future(30), title="Mbledhja e dhjetorit",
                                     agenda=["Plani vendor", "Siguria rrugore"], status="planned").id
    return ids


def _attach(client, app, municipality_id, meeting_id, data=PDF, name="plani.pdf"):
    with app.app_context(), tenant(municipality_id("elbasan")):
        item_id = db.session.get(Meeting, meeting_id).agenda_items[0].id
    response = client.post(f"/elbasan/meetings/items/{item_id}/materials",
                           data={"title": "Plani vendor 2027", "file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


def _body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_small_materials_are_attached_and_recorded_per_invitee(
        app, secretary_client, in_tenant, municipality_id, outbox, run_jobs):
    ids = _council(in_tenant)
    client = secretary_client.client
    _attach(client, app, municipality_id, ids["meeting"])
    assert client.post(f"/elbasan/meetings/{ids['meeting']}/invitations/send").status_code == 302
    run_jobs()

    assert sorted(m["To"] for m in outbox) == ["kisha@elbasan.example", "kryetari@elbasan.example"]
    for message in outbox:
        pdfs = [p for p in message.iter_attachments() if p.get_content_type() == "application/pdf"]
        assert [p.get_payload(decode=True) for p in pdfs] == [PDF]
        body = _body(message)
        # Albanian first, English second, in one e-mail.
        assert body.index("Jeni të ftuar") < body.index(LANGUAGE_SEPARATOR.strip()) < body.index("You are invited")
        assert "Materialet janë bashkëngjitur" in body and "The materials are attached to this e-mail." in body
        assert "Ftesë" in message["Subject"] and "Invitation" in message["Subject"]
        assert "127.0.0.1" not in body

    with app.test_request_context(), tenant(municipality_id("elbasan")):
        meeting = db.session.get(Meeting, ids["meeting"])
        evidence = {e["name"]: e for e in materials.invitation_evidence(meeting)}
    assert evidence["Gledian Llatja"]["materials"] == "attached"
    assert evidence["Gledian Llatja"]["materials_included"] is True
    assert evidence["Gledian Llatja"]["sent_at"] is not None
    assert evidence["Kisha Ortodokse Elbasan"]["materials_included"] is True
    # No address: not sent, the materials did not reach them.
    assert evidence["Dhoma e Tregtisë"]["sent_at"] is None
    assert evidence["Dhoma e Tregtisë"]["materials_included"] is False


def test_large_materials_go_as_a_personal_link_that_needs_no_account(
        app, secretary_client, in_tenant, municipality_id, outbox, run_jobs):
    app.config["MATERIALS_ATTACH_MAX_BYTES"] = 10  # every file is "too large" to attach
    try:
        ids = _council(in_tenant)
        client = secretary_client.client
        _attach(client, app, municipality_id, ids["meeting"])
        client.post(f"/elbasan/meetings/{ids['meeting']}/invitations/send")
        run_jobs()
    finally:
        app.config["MATERIALS_ATTACH_MAX_BYTES"] = 5 * 1024 * 1024

    church = next(m for m in outbox if m["To"] == "kisha@elbasan.example")
    assert not [p for p in church.iter_attachments() if p.get_content_type() == "application/pdf"]
    body = _body(church)
    tokens = set(LINK.findall(body))
    assert len(tokens) == 1, body
    token = tokens.pop()
    mayor_token = LINK.findall(_body(next(m for m in outbox if m["To"] == "kryetari@elbasan.example")))[0]
    assert mayor_token != token  # personal

    # Only the hash is stored.
    with app.app_context(), tenant(municipality_id("elbasan")):
        links = db.session.execute(select(MaterialLink)).scalars().all()
        assert len(links) == 2 and all(link.token_hash != token for link in links)
        assert {link.token_hash for link in links} == {token_hash(token), token_hash(mayor_token)}

    # Anyone with the link, signed out, opens the list and the file; each opening is logged.
    anonymous = app.test_client()
    page = anonymous.get(f"/elbasan/meetings/materials/{token}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Plani vendor 2027" in text and "Kisha Ortodokse Elbasan" in text
    href = re.search(r'href="(/elbasan/meetings/materials/[^"]+/\d+)"', text).group(1)
    download = anonymous.get(href)
    assert download.status_code == 200 and download.data == PDF
    with app.app_context(), tenant(municipality_id("elbasan")):
        link = db.session.execute(select(MaterialLink).where(MaterialLink.token_hash == token_hash(token))).scalar_one()
        assert link.open_count == 2 and link.first_opened_at is not None
        assert db.session.execute(select(AuditEntry).where(AuditEntry.action == "materials_opened")).scalars().all()
        invitation = db.session.get(Invitation, link.invitation_id)
        assert invitation.materials == "link"
        meeting = db.session.get(Meeting, ids["meeting"])
        with app.test_request_context():
            evidence = {e["name"]: e for e in materials.invitation_evidence(meeting)}
        assert evidence["Kisha Ortodokse Elbasan"]["materials_included"] is True
        invitation_id = invitation.id

    # The secretary sees it was opened, and withdraws the link.
    detail = secretary_client.client.get(f"/elbasan/meetings/{ids['meeting']}").get_data(as_text=True)
    assert "2 herë" in detail
    assert secretary_client.client.post(
        f"/elbasan/meetings/invitations/{invitation_id}/revoke-link").status_code == 302
    refused = anonymous.get(f"/elbasan/meetings/materials/{token}")
    assert refused.status_code == 404 and "tërhequr" in refused.get_data(as_text=True)
    assert anonymous.get(href).status_code == 404
    # The other invitee's link still works; another municipality's address does not open it.
    assert anonymous.get(f"/elbasan/meetings/materials/{mayor_token}").status_code == 200
    assert anonymous.get(f"/tirane/meetings/materials/{mayor_token}").status_code == 404


def test_an_expired_link_is_refused(app, secretary_client, in_tenant, municipality_id, outbox, run_jobs):
    app.config["MATERIALS_ATTACH_MAX_BYTES"] = 10
    try:
        ids = _council(in_tenant)
        _attach(secretary_client.client, app, municipality_id, ids["meeting"])
        secretary_client.client.post(f"/elbasan/meetings/{ids['meeting']}/invitations/send")
        run_jobs()
    finally:
        app.config["MATERIALS_ATTACH_MAX_BYTES"] = 5 * 1024 * 1024
    token = LINK.findall(_body(outbox[0]))[0]
    with in_tenant("elbasan") as session:
        link = session.execute(select(MaterialLink).where(MaterialLink.token_hash == token_hash(token))).scalar_one()
        assert link.expires_at > utcnow() + timedelta(days=30)  # until well after the meeting
        link.expires_at = utcnow() - timedelta(minutes=1)
    response = app.test_client().get(f"/elbasan/meetings/materials/{token}")
    assert response.status_code == 404 and "skaduar" in response.get_data(as_text=True)
    assert app.test_client().get("/elbasan/meetings/materials/not-a-token").status_code == 404


def test_invitations_recorded_outside_the_platform_do_not_prove_the_materials(
        app, secretary_client, in_tenant, municipality_id):
    ids = _council(in_tenant)
    with in_tenant("elbasan") as session:
        session.get(Meeting, ids["meeting"]).starts_at = past(1)
    secretary_client.client.post(f"/elbasan/meetings/{ids['meeting']}/invitations/record",
                                 data={"sent_on": past(10).date().isoformat()})
    with app.test_request_context(), tenant(municipality_id("elbasan")):
        evidence = materials.invitation_evidence(db.session.get(Meeting, ids["meeting"]))
    assert evidence and all(e["sent_at"] is not None and e["materials_included"] is None for e in evidence)


def test_links_in_emails_come_from_the_public_address(app, secretary_client, in_tenant, outbox, run_jobs):
    ids = _council(in_tenant)
    before = app.config["BASE_URL"]
    app.config["BASE_URL"] = "https://kvsp.example.al"
    try:
        secretary_client.client.post(f"/elbasan/meetings/{ids['meeting']}/invitations/send")
        run_jobs()
    finally:
        app.config["BASE_URL"] = before
    body = _body(outbox[0])
    assert f"https://kvsp.example.al/elbasan/meetings/{ids['meeting']}" in body
    assert "127.0.0.1" not in body and "localhost" not in body


def test_the_public_address_is_configured_and_required_in_production():
    import pytest

    from safetycouncil.config import load_config

    assert load_config({"PUBLIC_BASE_URL": "https://kvsp.example.al/"})["BASE_URL"] == "https://kvsp.example.al"
    assert load_config({"PORT": "8080"})["BASE_URL"] == "http://127.0.0.1:8080"
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
        load_config({"KVSP_ENV": "production", "SECRET_KEY": "x"})


def test_a_meeting_created_in_the_past_is_entered_after_the_fact(app, secretary_client, municipality_id):
    client = secretary_client.client
    start = past(20)
    response = client.post("/elbasan/meetings/new", data={
        "kind": "council", "title": "Mbledhja e tetorit (e regjistruar më vonë)",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"), "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "location": "Bashkia"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Regjistruar pas faktit" in page
    later = client.post("/elbasan/meetings/new", data={
        "kind": "council", "title": "Mbledhja e ardhshme", "starts_at": future(20).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (future(20) + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")})
    with app.app_context(), tenant(municipality_id("elbasan")):
        meetings = {m.title: m for m in db.session.execute(select(Meeting)).scalars()}
        entered = meetings["Mbledhja e tetorit (e regjistruar më vonë)"]
        assert entered.entered_after_the_fact is True
        assert entered.recorded_by_id == secretary_client.user.id
        planned = meetings["Mbledhja e ardhshme"]
        assert planned.entered_after_the_fact is False and planned.recorded_by_id is None
        with app.test_request_context():
            entered_meeting = db.session.get(Meeting, entered.id)
            assert all(e["entered_after_the_fact"] for e in materials.invitation_evidence(entered_meeting))
    assert later.status_code == 302
