"""The invitation deadline (Art. 7.4): the fifth working day before the meeting, kept in step."""
from datetime import date, datetime, timedelta

from flask_babel import force_locale, format_date
from sqlalchemy import select

from safetycouncil import workdays
from safetycouncil.extensions import db
from safetycouncil.meetings import services
from safetycouncil.meetings.models import ExtraDayOff, Meeting
from safetycouncil.tenancy import tenant

from tests import factories as make

from .conftest import future


def _plan(client, starts_at: str, ends_at: str, **extra):
    data = {"kind": "council", "title": "Mbledhja e parë e KVSP", "starts_at": starts_at, "ends_at": ends_at,
            "location": "Salla e Këshillit Bashkiak", **extra}
    return client.post("/elbasan/meetings/new", data=data)


def test_a_meeting_on_friday_13_june_2025_must_be_announced_by_thursday_5_june(secretary_client, read_meeting):
    response = _plan(secretary_client.client, "2025-06-13T10:00", "2025-06-13T12:00")
    assert response.status_code == 302
    meeting_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[-1])
    assert read_meeting(meeting_id).invitation_deadline == date(2025, 6, 5)  # 6 June 2025 is Eid al-Adha


def test_a_meeting_on_17_october_2025_must_be_announced_by_10_october(secretary_client, read_meeting):
    response = _plan(secretary_client.client, "2025-10-17T10:00", "2025-10-17T12:00")
    meeting_id = int(response.headers["Location"].rsplit("/", 1)[-1])
    assert read_meeting(meeting_id).invitation_deadline == date(2025, 10, 10)


def test_the_scheduling_screen_shows_the_deadline_and_the_working_days_left(app, secretary_client):
    client = secretary_client.client
    response = _plan(client, "2025-06-13 10:00", "13.06.2025 12:00")  # forms are parsed robustly
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    with app.test_request_context(), force_locale("sq"):
        shown = format_date(date(2025, 6, 5), "full")
    assert shown in page.get_data(as_text=True)

    starts = future(days=60)
    response = _plan(client, starts.strftime("%Y-%m-%dT%H:%M"), starts.replace(hour=12).strftime("%Y-%m-%dT%H:%M"))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    deadline = workdays.invitation_deadline(starts.date())
    left = workdays.working_days_between(services.local_today(), deadline)
    assert f">{left} " in page or f" {left} " in page
    assert 'class="mtg-deadline-box"' in page


def test_an_extra_day_off_declared_by_the_ministry_moves_the_deadline_one_working_day(app, in_tenant):
    with app.app_context():
        assert services.deadline_for(date(2025, 10, 17)) == date(2025, 10, 10)
        db.session.add(ExtraDayOff(day=date(2025, 10, 13), reason="Vendim i Këshillit të Ministrave"))
        db.session.commit()
        assert services.deadline_for(date(2025, 10, 17)) == date(2025, 10, 9)
    with in_tenant("elbasan"):
        meeting = services.create_meeting("council", "Mbledhja", datetime(2025, 10, 17, 10), datetime(2025, 10, 17, 12))
        assert meeting.invitation_deadline == date(2025, 10, 9)


def test_the_ministry_declares_a_day_off_and_future_deadlines_everywhere_follow(
        app, make_user, login, in_tenant, municipality_id):
    starts = future(days=400)
    before = workdays.invitation_deadline(starts.date())
    day_off = workdays.add_working_days(before, 1)  # inside the notice window
    expected = workdays.add_working_days(before, -1)
    ids = {}
    for slug in ("elbasan", "fier"):
        with in_tenant(slug) as session:
            ids[slug] = make.meeting(session, starts_at=starts, status="planned").id
            past_id = make.meeting(session, starts_at=datetime(2025, 10, 17, 10), title="E kaluar", status="planned").id
    ministry = make_user("ministry")
    client = app.test_client()
    login(client, ministry)
    assert client.get("/national/days-off").status_code == 200
    response = client.post("/national/days-off", data={"day": day_off.isoformat(), "reason": "Ditë pushimi"})
    assert response.status_code == 302
    for slug in ("elbasan", "fier"):
        with app.app_context(), tenant(municipality_id(slug)):
            assert db.session.get(Meeting, ids[slug]).invitation_deadline == expected
    with app.app_context(), tenant(municipality_id("fier")):
        assert db.session.get(Meeting, past_id).invitation_deadline == date(2025, 10, 10)  # the past stays

    # The same day twice, a weekend day, no reason: refused clearly.
    again = client.post("/national/days-off", data={"day": day_off.isoformat(), "reason": "Përsëri"})
    assert again.status_code == 422 and 'id="day-error"' in again.get_data(as_text=True)
    saturday = day_off + timedelta(days=(5 - day_off.weekday()) % 7)
    assert client.post("/national/days-off", data={"day": saturday.isoformat(), "reason": "x"}).status_code == 422
    assert client.post("/national/days-off", data={"day": "31.02.2030", "reason": "x"}).status_code == 422
    assert client.post("/national/days-off", data={"day": "2031-03-04", "reason": " "}).status_code == 422

    # Removing it puts the deadlines back.
    with app.app_context():
        row_id = db.session.execute(select(ExtraDayOff.id)).scalar_one()
    assert client.post(f"/national/days-off/{row_id}/remove").status_code == 302
    with app.app_context(), tenant(municipality_id("elbasan")):
        assert db.session.get(Meeting, ids["elbasan"]).invitation_deadline == before


def test_only_the_ministry_and_administrators_keep_the_days_off(app, make_user, login):
    for role, kwargs, status in (("admin", {}, 200), ("technical_secretary", {"municipality": "elbasan"}, 403),
                                 ("prefecture", {"county": "elbasan"}, 403)):
        client = app.test_client()
        login(client, make_user(role, **kwargs))
        assert client.get("/national/days-off").status_code == status, role
        posted = client.post("/national/days-off", data={"day": "2031-03-04", "reason": "Ditë pushimi"})
        assert posted.status_code == (302 if status == 200 else 403), role
    assert app.test_client().get("/national/days-off").status_code == 302  # to the sign-in page


def test_a_new_start_moves_the_deadline_and_the_lateness(app, in_tenant):
    with in_tenant("elbasan"):
        meeting = services.create_meeting("council", "Mbledhja", datetime(2025, 10, 17, 10), datetime(2025, 10, 17, 12))
        services.set_invitation_sent(meeting, services.local_to_utc(datetime(2025, 10, 13, 12)))
        assert meeting.invitation_working_days_late == 1
        services.update_meeting(meeting, starts_at=datetime(2025, 10, 24, 10), ends_at=datetime(2025, 10, 24, 12))
        assert meeting.invitation_deadline == date(2025, 10, 17)
        assert meeting.invitation_working_days_late == 0
