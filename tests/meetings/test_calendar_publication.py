"""The public calendar (meetings.ics) publishes what the public page publishes, and keeps cancellations
(issue 18, part 3): a meeting appears once the public page lists it as upcoming, never before; a change
raises its SEQUENCE; a cancelled meeting stays as STATUS:CANCELLED with a higher SEQUENCE (RFC 5545
3.8.1.11, 3.8.7.4)."""
from icalendar import Calendar

from .conftest import future, past


def _events(app):
    response = app.test_client().get("/public/elbasan/meetings.ics")
    assert response.status_code == 200
    return {str(e.get("summary")): e for e in Calendar.from_ical(response.get_data()).walk("VEVENT")}


def _new(client, title, starts_at, kind="council"):
    response = client.post("/elbasan/meetings/new", data={
        "kind": kind, "title": title, "starts_at": starts_at.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": starts_at.replace(hour=starts_at.hour + 2).strftime("%Y-%m-%dT%H:%M"),
        "location": "Salla e Këshillit Bashkiak"})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[-1])


def test_a_meeting_is_in_the_calendar_when_the_public_page_shows_it_and_not_before(app, secretary_client):
    client = secretary_client.client
    _new(client, "Mbledhja e ardhshme e KVSP", future(20))
    _new(client, "Mbledhja e regjistruar me vonesë", past(2))  # planned after its time: never on the page
    _new(client, "Takimi i Sekretariatit", future(10), kind="secretariat_monitoring")
    page = app.test_client().get("/public/elbasan/").get_data(as_text=True)
    events = _events(app)
    assert "Mbledhja e ardhshme e KVSP" in page and "Mbledhja e ardhshme e KVSP" in events
    assert str(events["Mbledhja e ardhshme e KVSP"].get("status")) == "CONFIRMED"
    assert "Mbledhja e regjistruar me vonesë" not in page and "Mbledhja e regjistruar me vonesë" not in events
    assert "Takimi i Sekretariatit" not in events
    opendata = app.test_client().get("/public/elbasan/open-data/meetings.csv").get_data(as_text=True)
    assert "Mbledhja e ardhshme e KVSP" in opendata and "Mbledhja e regjistruar me vonesë" not in opendata


def test_a_change_raises_the_sequence_and_a_cancellation_is_kept(app, secretary_client):
    client = secretary_client.client
    meeting_id = _new(client, "Mbledhja e KVSP për planin", future(25))
    first = _events(app)["Mbledhja e KVSP për planin"]
    assert int(first.get("sequence")) == 0
    moved = future(26)
    assert client.post(f"/elbasan/meetings/{meeting_id}/edit", data={
        "kind": "council", "title": "Mbledhja e KVSP për planin", "starts_at": moved.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": moved.replace(hour=moved.hour + 2).strftime("%Y-%m-%dT%H:%M"),
        "location": "Salla e Këshillit Bashkiak"}).status_code == 302
    second = _events(app)["Mbledhja e KVSP për planin"]
    assert int(second.get("sequence")) == 1 and second.decoded("dtstart").day == moved.day
    # an announced meeting is not deleted (it would vanish from calendars): cancelling is suggested
    assert client.post(f"/elbasan/meetings/{meeting_id}/delete").status_code == 302
    assert "Mbledhja e KVSP për planin" in _events(app)
    assert client.post(f"/elbasan/meetings/{meeting_id}/cancel", data={"reason": "Mungesë kuorumi"}).status_code == 302
    cancelled = _events(app)["Mbledhja e KVSP për planin"]
    assert str(cancelled.get("status")) == "CANCELLED" and int(cancelled.get("sequence")) == 2
    assert str(cancelled.get("uid")) == str(first.get("uid"))
    assert "Mbledhja e KVSP për planin" not in app.test_client().get("/public/elbasan/").get_data(as_text=True)
    # a meeting cancelled before the public ever saw it is not in the calendar
    hidden_id = _new(client, "Mbledhja e regjistruar gabim", past(1))
    assert client.post(f"/elbasan/meetings/{hidden_id}/cancel", data={"reason": "Gabim"}).status_code == 302
    assert "Mbledhja e regjistruar gabim" not in _events(app)
