"""Planning, changing, holding, cancelling and deleting meetings on the web."""
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from safetycouncil.extensions import db
from safetycouncil.meetings import services
from safetycouncil.meetings.models import AgendaItem, Attendance, Invitation, Meeting
from safetycouncil.records.models import Decision, MinutesVersion, PressRelease
from safetycouncil.tenancy import tenant

from tests import factories as make

from .conftest import future, past


def _form(**overrides):
    data = {"kind": "council", "title": "Mbledhja e dytë e KVSP", "starts_at": "2025-10-17T10:00",
            "ends_at": "2025-10-17T12:00", "location": "Salla e Këshillit Bashkiak"}
    data.update(overrides)
    return data


def test_an_end_before_the_start_is_refused_with_a_clear_message(app, secretary_client, municipality_id):
    response = secretary_client.client.post("/elbasan/meetings/new",
                                            data=_form(starts_at="2025-10-17T12:00", ends_at="2025-10-17T10:00"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="ends_at-error"' in page and 'aria-invalid="true"' in page
    with app.app_context(), tenant(municipality_id("elbasan")):
        assert db.session.execute(select(func.count()).select_from(Meeting)).scalar() == 0


@pytest.mark.parametrize("field,value", [
    ("starts_at", "tomorrow"), ("starts_at", "2025-13-40T10:00"), ("starts_at", "2025-10-17"),
    ("ends_at", ""), ("starts_at", "0025-10-17T10:00"), ("kind", "party"), ("title", "  "),
])
def test_bad_values_are_refused_clearly(secretary_client, field, value):
    response = secretary_client.client.post("/elbasan/meetings/new", data=_form(**{field: value}))
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)


def test_plan_change_and_list_meetings(app, secretary_client, in_tenant, read_meeting):
    client = secretary_client.client
    assert client.get("/elbasan/meetings/new").status_code == 200
    created = client.post("/elbasan/meetings/new", data=_form(kind="open_consultation", title="Takim i hapur"))
    meeting_id = int(created.headers["Location"].rsplit("/", 1)[-1])
    meeting = read_meeting(meeting_id)
    assert (meeting.kind, meeting.status, meeting.created_by_id) == ("open_consultation", "planned",
                                                                     secretary_client.user.id)
    assert meeting.starts_at == datetime(2025, 10, 17, 10, 0)

    assert client.get(f"/elbasan/meetings/{meeting_id}/edit").status_code == 200
    changed = client.post(f"/elbasan/meetings/{meeting_id}/edit",
                          data=_form(kind="open_consultation", title="Konsultimi i qershorit",
                                     starts_at="2025-06-13T16:00", ends_at="2025-06-13T18:00"))
    assert changed.status_code == 302
    meeting = read_meeting(meeting_id)
    assert meeting.title == "Konsultimi i qershorit" and meeting.invitation_deadline == date(2025, 6, 5)
    bad = client.post(f"/elbasan/meetings/{meeting_id}/edit", data=_form(ends_at="2025-10-17T09:00"))
    assert bad.status_code == 422

    with in_tenant("elbasan") as session:
        make.meeting(session, starts_at=future(20), title="Mbledhja e ardhshme", status="planned")
    listing = client.get("/elbasan/meetings/").get_data(as_text=True)
    assert "Konsultimi i qershorit" in listing and "Mbledhja e ardhshme" in listing
    assert listing.index("Mbledhja e ardhshme") < listing.index("Konsultimi i qershorit")  # upcoming first
    filtered = client.get("/elbasan/meetings/?kind=council&year=2025").get_data(as_text=True)
    assert "Konsultimi i qershorit" not in filtered


def test_held_only_once_started_and_cancelled_only_with_a_reason(app, secretary_client, in_tenant, read_meeting):
    client = secretary_client.client
    with in_tenant("elbasan") as session:
        coming = make.meeting(session, starts_at=future(10), status="planned").id
        done = make.meeting(session, starts_at=past(2), status="planned").id
    client.post(f"/elbasan/meetings/{coming}/held")
    assert read_meeting(coming).status == "planned"
    client.post(f"/elbasan/meetings/{done}/held")
    assert read_meeting(done).status == "held"

    client.post(f"/elbasan/meetings/{coming}/cancel", data={"reason": " "})
    assert read_meeting(coming).status == "planned"
    client.post(f"/elbasan/meetings/{coming}/cancel", data={"reason": "Mungesa e kuorumit"})
    meeting = read_meeting(coming)
    assert (meeting.status, meeting.cancelled_reason) == ("cancelled", "Mungesa e kuorumit")
    page = client.get(f"/elbasan/meetings/{coming}").get_data(as_text=True)
    assert "Mungesa e kuorumit" in page
    # A cancelled meeting is no longer changed.
    assert client.post(f"/elbasan/meetings/{coming}/edit", data=_form()).status_code == 422


@pytest.mark.parametrize("record", ["agenda", "invitation", "attendance", "minutes", "decision", "press"])
def test_a_meeting_with_records_cannot_be_deleted_and_cancelling_is_suggested(
        app, secretary_client, in_tenant, municipality_id, record):
    with in_tenant("elbasan") as session:
        meeting_id = make.meeting(session, starts_at=past(5), status="planned").id
        member_id = make.member(session, "Gent Hoxha", email="gent@example.al").id
        if record == "agenda":
            session.add(AgendaItem(meeting_id=meeting_id, position=1, title="Plani vendor"))
        elif record == "invitation":
            session.add(Invitation(meeting_id=meeting_id, member_id=member_id, status="sent",
                                   email="gent@example.al", sent_at=datetime(2025, 1, 1)))
        elif record == "attendance":
            session.add(Attendance(meeting_id=meeting_id, member_id=member_id, status="present"))
        elif record == "minutes":
            session.add(MinutesVersion(meeting_id=meeting_id, version=1, text="Procesverbali"))
        elif record == "decision":
            session.add(Decision(meeting_id=meeting_id, number="1/2025", title="Vendimi"))
        else:
            session.add(PressRelease(meeting_id=meeting_id, title="Njoftim", time_and_place="x", participation="x",
                                     agenda_summary="x", discussion_essence="x"))
    client = secretary_client.client
    response = client.post(f"/elbasan/meetings/{meeting_id}/delete", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "flash-error" in page
    with app.app_context(), tenant(municipality_id("elbasan")):
        assert db.session.get(Meeting, meeting_id) is not None
        with pytest.raises(services.ValidationFailed) as refused:
            services.delete_meeting(db.session.get(Meeting, meeting_id))
        assert "meeting" in refused.value.errors


def test_a_meeting_with_nothing_recorded_may_be_deleted(app, secretary_client, in_tenant, municipality_id):
    with in_tenant("elbasan") as session:
        # not a public meeting: a council meeting is announced on the public page (test_calendar_publication)
        meeting_id = make.meeting(session, starts_at=future(40), kind="secretariat_monitoring", status="planned").id
        member_id = make.member(session, "Ana Kola", category="invited", email="ana@example.al").id
        session.add(Invitation(meeting_id=meeting_id, member_id=member_id, status="pending"))  # chosen, not sent
    response = secretary_client.client.post(f"/elbasan/meetings/{meeting_id}/delete")
    assert response.status_code == 302 and response.headers["Location"].endswith("/elbasan/meetings/")
    with app.app_context(), tenant(municipality_id("elbasan")):
        assert db.session.get(Meeting, meeting_id) is None
        assert db.session.execute(select(func.count()).select_from(Invitation)).scalar() == 0


def test_a_member_reads_meetings_but_cannot_plan_them(app, make_user, login, in_tenant):
    with in_tenant("elbasan") as session:
        meeting_id = make.meeting(session, starts_at=future(15), agenda=["Plani vendor"], status="planned").id
    member = make_user("member", municipality="elbasan")
    client = app.test_client()
    login(client, member)
    page = client.get(f"/elbasan/meetings/{meeting_id}").get_data(as_text=True)
    assert "Plani vendor" in page
    assert "/invitations/send" not in page and "/cancel" not in page and "/agenda" not in page
    assert client.post("/elbasan/meetings/new", data=_form()).status_code == 403
    assert client.post(f"/elbasan/meetings/{meeting_id}/cancel", data={"reason": "x"}).status_code == 403


def test_the_detail_page_includes_the_records_section_when_it_exists(secretary_client, in_tenant):
    with in_tenant("elbasan") as session:
        meeting_id = make.meeting(session, starts_at=past(3), status="held", agenda=["Plani"]).id
    page = secretary_client.client.get(f"/elbasan/meetings/{meeting_id}")
    assert page.status_code == 200  # with or without records/_meeting_section.html
