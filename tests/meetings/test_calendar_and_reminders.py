"""The municipality's calendar feed, and the daily reminder to the technical secretary."""
from datetime import date, datetime

from icalendar import Calendar
from sqlalchemy import select

from safetycouncil.extensions import db
from safetycouncil.meetings import invitations
from safetycouncil.meetings.models import Meeting
from safetycouncil.tenancy import tenant

from tests import factories as make


def test_the_calendar_feed_lists_the_municipalitys_meetings_only(app, secretary_client, in_tenant, client):
    with in_tenant("elbasan") as session:
        first = make.meeting(session, starts_at=datetime(2025, 10, 17, 10), title="Mbledhja e tetorit",
                            agenda=["Plani vendor"], status="planned").id
        off = make.meeting(session, starts_at=datetime(2025, 11, 14, 10), title="Mbledhja e anuluar",
                          status="cancelled").id
    with in_tenant("fier") as session:
        make.meeting(session, starts_at=datetime(2025, 10, 17, 10), title="Mbledhja e Fierit", status="planned")
    response = secretary_client.client.get("/elbasan/meetings/calendar.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {f"meeting-{first}@kvsp-platform", f"meeting-{off}@kvsp-platform"}
    october = events[f"meeting-{first}@kvsp-platform"]
    assert str(october["summary"]) == "Mbledhja e tetorit"
    assert october.decoded("dtstart") == datetime(2025, 10, 17, 10).replace(tzinfo=october.decoded("dtstart").tzinfo)
    assert october.decoded("dtstart").utcoffset().total_seconds() == 2 * 3600  # summer time in Tirana
    assert "Plani vendor" in str(october["description"])
    assert str(events[f"meeting-{off}@kvsp-platform"]["status"]) == "CANCELLED"
    assert b"Mbledhja e Fierit" not in response.data
    # Signed-in people only (the public feed belongs to the public pages).
    assert client.get("/elbasan/meetings/calendar.ics").status_code == 302


def _people(make_user):
    return {"elbasan": make_user("technical_secretary", municipality="elbasan", email="sekretari@elbasan.example"),
            "chair": make_user("chair", municipality="elbasan", email="kryetari@elbasan.example"),
            "fier": make_user("technical_secretary", municipality="fier", email="sekretari@fier.example")}


def test_the_technical_secretary_is_reminded_once_when_the_deadline_is_near(
        app, in_tenant, make_user, outbox, municipality_id):
    _people(make_user)
    with in_tenant("elbasan") as session:
        near = make.meeting(session, starts_at=datetime(2025, 10, 17, 10), title="Mbledhja e tetorit", status="planned").id  # by 10 Oct
        far = make.meeting(session, starts_at=datetime(2025, 10, 31, 10), title="Mbledhja e fundit të tetorit", status="planned").id
        sent = make.meeting(session, starts_at=datetime(2025, 10, 16, 10), title="Tashmë e njoftuar", status="planned").id
        session.get(Meeting, sent).invitation_sent_at = datetime(2025, 10, 1, 10)
    with in_tenant("fier") as session:
        make.meeting(session, starts_at=datetime(2025, 11, 28, 10), title="Mbledhja e Fierit", status="planned")
    with app.app_context():
        # Wednesday 8 October 2025: the 10 October deadline is two working days away.
        assert invitations.send_deadline_reminders_job("2025-10-08") == 1
    assert [m["To"] for m in outbox] == ["sekretari@elbasan.example"]
    body = outbox[0].get_body(preferencelist=("plain",)).get_content()
    assert "Mbledhja e tetorit" in body and "Mbledhja e fundit" not in body and "Tashmë" not in body
    assert f"http://localhost/elbasan/meetings/{near}" in body
    with app.app_context(), tenant(municipality_id("elbasan")):
        assert db.session.get(Meeting, near).reminder_sent_at is not None
        assert db.session.get(Meeting, far).reminder_sent_at is None
    with app.app_context():
        assert invitations.send_deadline_reminders_job("2025-10-09") == 0  # once per meeting
        assert invitations.send_deadline_reminders_job("2025-10-01") == 0  # too early for the others
    assert len(outbox) == 1


def test_reminders_from_the_command_line(app, in_tenant, make_user, outbox):
    _people(make_user)
    with in_tenant("fier") as session:
        make.meeting(session, starts_at=datetime(2025, 11, 28, 10), title="Mbledhja e Fierit", status="planned")  # by 21 Nov
    runner = app.test_cli_runner()
    result = runner.invoke(args=["meetings", "send-reminders", "--date", "2025-11-19"])
    assert result.exit_code == 0, result.output
    assert "1" in result.output
    assert [m["To"] for m in outbox] == ["sekretari@fier.example"]
    again = runner.invoke(args=["meetings", "send-reminders", "--date", "2025-11-20"])
    assert again.exit_code == 0 and len(outbox) == 1
    bad = runner.invoke(args=["meetings", "send-reminders", "--date", "20.11.2025"])
    assert bad.exit_code != 0


def test_a_new_date_gets_a_new_reminder(app, in_tenant, make_user, outbox, municipality_id):
    from safetycouncil.meetings import services

    _people(make_user)
    with in_tenant("elbasan") as session:
        meeting_id = make.meeting(session, starts_at=datetime(2025, 10, 17, 10), status="planned").id
    with app.app_context():
        invitations.send_deadline_reminders_job("2025-10-09")
    with in_tenant("elbasan") as session:
        services.update_meeting(session.get(Meeting, meeting_id), starts_at=datetime(2025, 10, 24, 10),
                                ends_at=datetime(2025, 10, 24, 12))
        assert session.get(Meeting, meeting_id).reminder_sent_at is None
        assert session.get(Meeting, meeting_id).invitation_deadline == date(2025, 10, 17)
    with app.app_context():
        assert invitations.send_deadline_reminders_job("2025-10-15") == 1
    assert len(outbox) == 2
    with app.app_context(), tenant(municipality_id("elbasan")):
        assert db.session.execute(select(Meeting.reminder_sent_at)).scalar_one() is not None
