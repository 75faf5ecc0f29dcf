"""Invitations e-mailed through the real SMTP server (and, in the PostgreSQL pass, by a real RQ
worker): the agenda in the body, links to the materials, a calendar entry; idempotent; lateness."""
import io
from datetime import date, datetime, timedelta

from icalendar import Calendar
from sqlalchemy import select

from safetycouncil import workdays
from safetycouncil.extensions import db
from safetycouncil.meetings import invitations, services
from safetycouncil.meetings.models import AgendaMaterial, Invitation, Meeting
from safetycouncil.tenancy import tenant

from tests import factories as make

from .conftest import PDF, future, past


def _council(in_tenant, *, starts_at=None, kind="council"):
    """A council with members: two with e-mail, one without, one invited participant, one whose
    mandate ended; and a meeting with a two-item agenda."""
    with in_tenant("elbasan") as session:
        ids = {
            "mayor": make.member(session, "Gledian Llatja", email="kryetari@elbasan.example").id,
            "police": make.member(session, "Arben Kola", category="c", email="policia@elbasan.example").id,
            "school": make.member(session, "Drita Leka", category="f").id,
            "prefect": make.member(session, "Prefekti i Qarkut", category="invited", email="prefekti@example.al").id,
            "former": make.member(session, "Ish Anëtar", category="k", email="ish@example.al",
                                 mandate_end=date(2024, 12, 31)).id,
        }
        ids["meeting"] = make.meeting(session, starts_at=starts_at or future(30), kind=kind,
                                     title="Mbledhja e KVSP për planin vendor",
                                     agenda=["Miratimi i planit vendor", "Siguria në shkolla"], status="planned").id
    return ids


def _attach_pdf(client, meeting_id, app, municipality_id, name="plani-vendor.pdf", title="Plani vendor 2025"):
    with app.app_context(), tenant(municipality_id("elbasan")):
        item_id = db.session.get(Meeting, meeting_id).agenda_items[0].id
    response = client.post(f"/elbasan/meetings/items/{item_id}/materials",
                           data={"title": title, "file": (io.BytesIO(PDF), name)}, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    with app.app_context(), tenant(municipality_id("elbasan")):
        return db.session.execute(select(AgendaMaterial.document_id)).scalars().all()[-1]


def _calendar(message) -> Calendar:
    parts = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    return Calendar.from_ical(parts[0].get_payload(decode=True))


def test_the_invitation_is_emailed_with_the_agenda_material_links_and_a_calendar_entry(
        app, secretary_client, in_tenant, municipality_id, outbox, run_jobs):
    starts = future(30)
    ids = _council(in_tenant, starts_at=starts)
    client = secretary_client.client
    document_id = _attach_pdf(client, ids["meeting"], app, municipality_id)
    response = client.post(f"/elbasan/meetings/{ids['meeting']}/invitations/send")
    assert response.status_code == 302
    run_jobs()

    assert sorted(m["To"] for m in outbox) == ["kryetari@elbasan.example", "policia@elbasan.example"]
    message = next(m for m in outbox if m["To"] == "kryetari@elbasan.example")
    assert "Mbledhja e KVSP për planin vendor" in message["Subject"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Gledian Llatja" in body
    assert body.index("Miratimi i planit vendor") < body.index("Siguria në shkolla")
    # The materials travel with the invitation (within the size limit): no account needed to read them.
    attached = {p.get_filename(): p.get_payload(decode=True) for p in message.iter_attachments()
                if p.get_content_type() == "application/pdf"}
    assert attached == {"plani-vendor.pdf": PDF}
    assert document_id
    assert "Salla e Këshillit" in body

    calendar = _calendar(message)
    event = next(iter(calendar.walk("VEVENT")))
    assert str(event["uid"]) == f"meeting-{ids['meeting']}@kvsp-platform"
    assert str(event["summary"]) == "Mbledhja e KVSP për planin vendor"
    assert str(event["location"]) == "Salla e Këshillit"
    assert "Miratimi i planit vendor" in str(event["description"])
    start = event.decoded("dtstart")
    assert start.tzinfo is not None and str(start.tzinfo) == "Europe/Tirane"
    assert start.replace(tzinfo=None) == starts
    assert event.decoded("dtend").replace(tzinfo=None) == starts + timedelta(hours=2)
    assert event["dtstart"].params["TZID"] == "Europe/Tirane"
    assert calendar.walk("VTIMEZONE"), "the time zone is described in the file"

    with app.app_context(), tenant(municipality_id("elbasan")):
        rows = {r.member.full_name: r for r in db.session.execute(select(Invitation)).scalars()}
        assert set(rows) == {"Gledian Llatja", "Arben Kola", "Drita Leka"}  # not the invited one, not the former
        assert rows["Drita Leka"].status == "no_email"
        assert {rows["Gledian Llatja"].status, rows["Arben Kola"].status} == {"sent"}
        meeting = db.session.get(Meeting, ids["meeting"])
        assert meeting.invitation_sent_at is not None
        assert meeting.invitation_working_days_late == 0
    page = client.get(f"/elbasan/meetings/{ids['meeting']}").get_data(as_text=True)
    assert "mtg-badge-inv-sent" in page and "mtg-badge-inv-no_email" in page


def test_sending_twice_emails_each_member_once(app, secretary_client, in_tenant, municipality_id, outbox, run_jobs):
    ids = _council(in_tenant)
    client = secretary_client.client
    client.post(f"/elbasan/meetings/{ids['meeting']}/invitations/send")
    run_jobs()
    assert len(outbox) == 2
    # The job itself, run again (a retry, a second worker): nobody is e-mailed twice.
    with app.test_request_context(), tenant(municipality_id("elbasan")):
        assert invitations.send_invitations_job(ids["meeting"]) == 0
    # The button again: refused, since everyone with an address has it.
    again = client.post(f"/elbasan/meetings/{ids['meeting']}/invitations/send", follow_redirects=True)
    assert "flash-error" in again.get_data(as_text=True)
    run_jobs()
    assert len(outbox) == 2

    # A member who gets an address later is e-mailed once, and only them.
    with in_tenant("elbasan") as session:
        from safetycouncil.council.models import CouncilMember

        session.get(CouncilMember, ids["school"]).email = "arsimi@elbasan.example"
    client.post(f"/elbasan/meetings/{ids['meeting']}/invitations/send")
    run_jobs()
    assert sorted(m["To"] for m in outbox) == ["arsimi@elbasan.example", "kryetari@elbasan.example",
                                              "policia@elbasan.example"]


def test_an_invitation_sent_after_the_deadline_is_recorded_late(
        app, secretary_client, in_tenant, municipality_id, outbox, run_jobs):
    starts = future(2, hour=18)  # the deadline has passed already
    ids = _council(in_tenant, starts_at=starts)
    secretary_client.client.post(f"/elbasan/meetings/{ids['meeting']}/invitations/send")
    run_jobs()
    assert len(outbox) == 2
    expected = workdays.working_days_late(services.local_today(), starts.date())
    assert expected >= 1
    with app.app_context(), tenant(municipality_id("elbasan")):
        meeting = db.session.get(Meeting, ids["meeting"])
        assert meeting.invitation_working_days_late == expected


def test_an_ad_hoc_meeting_invites_only_the_chosen(app, secretary_client, in_tenant, outbox, run_jobs):
    ids = _council(in_tenant, kind="council_ad_hoc")
    client = secretary_client.client
    nobody = client.post(f"/elbasan/meetings/{ids['meeting']}/invitations/send", follow_redirects=True)
    assert "flash-error" in nobody.get_data(as_text=True)
    page = client.get(f"/elbasan/meetings/{ids['meeting']}/invitees")
    assert page.status_code == 200 and "Prefekti i Qarkut" in page.get_data(as_text=True)
    assert "Ish Anëtar" not in page.get_data(as_text=True)  # mandate over
    client.post(f"/elbasan/meetings/{ids['meeting']}/invitees", data={"member_id": [ids["police"], ids["prefect"]]})
    client.post(f"/elbasan/meetings/{ids['meeting']}/invitations/send")
    run_jobs()
    assert sorted(m["To"] for m in outbox) == ["policia@elbasan.example", "prefekti@example.al"]
    refused = client.post(f"/elbasan/meetings/{ids['meeting']}/invitees", data={"member_id": [ids["former"]]})
    assert refused.status_code == 422


def test_a_council_meeting_adds_the_invited_participants_chosen(app, secretary_client, in_tenant, outbox, run_jobs):
    ids = _council(in_tenant)
    client = secretary_client.client
    client.post(f"/elbasan/meetings/{ids['meeting']}/invitees", data={"member_id": [ids["prefect"]]})
    client.post(f"/elbasan/meetings/{ids['meeting']}/invitations/send")
    run_jobs()
    assert sorted(m["To"] for m in outbox) == ["kryetari@elbasan.example", "policia@elbasan.example",
                                              "prefekti@example.al"]


def test_no_invitation_without_an_agenda_or_for_a_past_or_cancelled_meeting(
        app, secretary_client, in_tenant, outbox, run_jobs, read_meeting):
    with in_tenant("elbasan") as session:
        make.member(session, "Gledian Llatja", email="kryetari@elbasan.example")
        bare = make.meeting(session, starts_at=future(20), status="planned").id
        gone = make.meeting(session, starts_at=past(20), agenda=["Plani"], status="planned").id
        off = make.meeting(session, starts_at=future(20), agenda=["Plani"], status="cancelled").id
    client = secretary_client.client
    for meeting_id in (bare, gone, off):
        response = client.post(f"/elbasan/meetings/{meeting_id}/invitations/send", follow_redirects=True)
        assert "flash-error" in response.get_data(as_text=True), meeting_id
    run_jobs()
    assert outbox == []
    assert read_meeting(gone).invitation_sent_at is None


def test_invitations_of_a_past_meeting_are_recorded_with_the_real_date(
        app, secretary_client, in_tenant, municipality_id, outbox, read_meeting):
    with in_tenant("elbasan") as session:
        make.member(session, "Gledian Llatja", email="kryetari@elbasan.example")
        late = make.meeting(session, starts_at=datetime(2025, 10, 17, 10), agenda=["Plani"], status="planned").id
        on_time = make.meeting(session, starts_at=datetime(2025, 6, 13, 10), agenda=["Plani"], status="planned").id
    client = secretary_client.client
    client.post(f"/elbasan/meetings/{late}/invitations/record", data={"sent_on": "2025-10-13"})
    client.post(f"/elbasan/meetings/{on_time}/invitations/record", data={"sent_on": "05.06.2025"})
    assert read_meeting(late).invitation_working_days_late == 1  # Monday after the Friday deadline
    assert services.sent_day(read_meeting(late)) == date(2025, 10, 13)
    assert read_meeting(on_time).invitation_working_days_late == 0
    assert outbox == []  # recorded, not e-mailed
    with app.app_context(), tenant(municipality_id("elbasan")):
        rows = db.session.execute(select(Invitation).where(Invitation.meeting_id == late)).scalars().all()
        assert [(r.member.full_name, r.status) for r in rows] == [("Gledian Llatja", "sent")]
    page = client.get(f"/elbasan/meetings/{late}").get_data(as_text=True)
    assert "mtg-badge-late" in page

    # Refused: twice, in the future, after the meeting day, nonsense.
    for meeting_id, value in ((late, "2025-10-14"), (on_time, "2099-01-01")):
        response = client.post(f"/elbasan/meetings/{meeting_id}/invitations/record", data={"sent_on": value},
                               follow_redirects=True)
        assert "flash-error" in response.get_data(as_text=True)
    with in_tenant("elbasan") as session:
        other = make.meeting(session, starts_at=datetime(2025, 3, 14, 10), status="planned").id
    for value in ("2025-03-15", "someday", ""):
        response = client.post(f"/elbasan/meetings/{other}/invitations/record", data={"sent_on": value},
                               follow_redirects=True)
        assert "flash-error" in response.get_data(as_text=True), value
    assert read_meeting(other).invitation_sent_at is None
