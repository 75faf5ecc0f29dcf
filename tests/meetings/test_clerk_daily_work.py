"""A clerk's daily work on meetings: a month calendar of the council's meetings, "mark all present"
on the attendance list (Art. 10.2: the list of participants), and buttons only for what one's role
may do."""
import re
from datetime import datetime, timedelta

from sqlalchemy import select

from safetycouncil.extensions import db
from safetycouncil.meetings.models import Attendance
from safetycouncil.tenancy import tenant

from tests import factories as make

from .conftest import past


def test_the_month_calendar_shows_the_councils_meetings_by_day(app, secretary_client, in_tenant):
    with in_tenant("elbasan") as session:
        make.meeting(session, starts_at=datetime(2026, 12, 10, 10), title="Mbledhja e dhjetorit", status="planned")
        make.meeting(session, starts_at=datetime(2026, 12, 22, 14), title="Tryeza e hapur", kind="open_consultation", status="planned")
        make.meeting(session, starts_at=datetime(2027, 1, 5, 10), title="Mbledhja e janarit", status="planned")
    with in_tenant("fier") as session:
        make.meeting(session, starts_at=datetime(2026, 12, 11, 10), title="Mbledhja e Fierit", status="planned")
    client = secretary_client.client
    page = client.get("/elbasan/meetings/month?month=2026-12")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "dhjetor 2026" in text.lower()
    assert "10:00 <span class=\"mtg-month-title\">Mbledhja e dhjetorit</span>" in text
    assert "14:00 <span class=\"mtg-month-title\">Tryeza e hapur</span>" in text
    assert "Mbledhja e janarit" not in text and "Mbledhja e Fierit" not in text
    assert "month=2027-01" in text and "month=2026-11" in text
    # The week starts on Monday: 1 December 2026 is a Tuesday, so the first cell is 30 November.
    first_row = text.split("<tbody>")[1].split("</tr>")[0]
    assert "mtg-month-other" in first_row.split("<td")[1]
    bad = client.get("/elbasan/meetings/month?month=dhjetor")
    assert bad.status_code == 200 and "flash-error" in bad.get_data(as_text=True)
    assert "/elbasan/meetings/month" in client.get("/elbasan/meetings/").get_data(as_text=True)


def test_mark_all_present_records_everyone_not_yet_recorded(app, secretary_client, in_tenant, municipality_id):
    with in_tenant("elbasan") as session:
        ids = [make.member(session, f"Anëtari {n}", email=f"a{n}@elbasan.example").id for n in range(1, 6)]
        meeting_id = make.meeting(session, starts_at=past(1), agenda=["Plani"], status="planned").id
        session.add(Attendance(meeting_id=meeting_id, member_id=ids[0], status="excused"))
    client = secretary_client.client
    page = client.get(f"/elbasan/meetings/{meeting_id}/attendance").get_data(as_text=True)
    assert "Shënoni të gjithë të pranishëm" in page
    response = client.post(f"/elbasan/meetings/{meeting_id}/attendance", data={"action": "all_present"},
                           follow_redirects=True)
    assert response.status_code == 200
    assert "4 persona u shënuan të pranishëm" in response.get_data(as_text=True)
    with app.app_context(), tenant(municipality_id("elbasan")):
        statuses = {a.member_id: a.status for a in db.session.execute(select(Attendance)).scalars()}
    assert statuses == {ids[0]: "excused", **{i: "present" for i in ids[1:]}}
    # Again: nobody left to mark, nothing changes.
    again = client.post(f"/elbasan/meetings/{meeting_id}/attendance", data={"action": "all_present"},
                        follow_redirects=True)
    assert "0 persona u shënuan" in again.get_data(as_text=True)


def test_mark_all_present_waits_for_the_meeting_and_the_role(app, secretary_client, make_user, login, in_tenant):
    with in_tenant("elbasan") as session:
        make.member(session, "Anëtari", email="a@elbasan.example")
        future_id = make.meeting(session, starts_at=datetime.now() + timedelta(days=10), agenda=["Plani"], status="planned").id
        held_id = make.meeting(session, starts_at=past(1), agenda=["Plani"], status="planned").id
    refused = secretary_client.client.post(f"/elbasan/meetings/{future_id}/attendance",
                                           data={"action": "all_present"})
    assert refused.status_code == 422
    member = make_user("member", municipality="elbasan")
    reader = app.test_client()
    login(reader, member)
    page = reader.get(f"/elbasan/meetings/{held_id}/attendance").get_data(as_text=True)
    assert "all_present" not in page
    assert reader.post(f"/elbasan/meetings/{held_id}/attendance", data={"action": "all_present"}).status_code == 403


# --- buttons only for what one's role may do ------------------------------------------------------

FORM = re.compile(r"(<form\b[^>]*>)(.*?)</form>", re.S)
HARMLESS = ("/language/", "/logout", "/account/")  # the layout's own forms (language, signing out)


def _change_forms(html: str) -> list[str]:
    """The forms that would change something: posted, with a button to press."""
    forms = []
    for tag, inside in FORM.findall(html):
        if 'method="post"' not in tag.lower() or ("<button" not in inside and 'type="submit"' not in inside):
            continue
        action = re.search(r'action="([^"]*)"', tag)
        if action and any(part in action.group(1) for part in HARMLESS):
            continue
        forms.append(tag)
    return forms


def test_readers_see_no_button_for_a_change_they_cannot_make(app, make_user, login, in_tenant):
    """Council members, the Prefecture and institution officers read meetings, records and council
    pages; none of them sees a form that would change something (it would only be refused)."""
    from tests.records.sweep_factories import _make_decision

    from safetycouncil.records.models import MinutesVersion

    with in_tenant("elbasan") as session:
        member_id = make.member(session, "Anëtari Lexues", email="lexues@elbasan.example").id
        held = make.meeting(session, starts_at=past(2), agenda=["Plani"], status="held").id
        planned = make.meeting(session, starts_at=datetime.now() + timedelta(days=20), agenda=["Plani"], status="planned").id
        session.add(MinutesVersion(meeting_id=held, version=1, text="Procesverbali"))
        session.add(Attendance(meeting_id=held, member_id=member_id, status="present"))
        session.flush()
        decision_id = _make_decision(session, "77")
    pages = ["/elbasan/meetings/", f"/elbasan/meetings/{held}", f"/elbasan/meetings/{planned}",
             f"/elbasan/meetings/{held}/attendance", "/elbasan/meetings/month",
             f"/elbasan/meetings/{held}/minutes", f"/elbasan/meetings/{held}/press-release",
             "/elbasan/meetings/decisions/", f"/elbasan/meetings/decisions/{decision_id}",
             "/elbasan/council/", "/elbasan/council/seats", "/elbasan/council/institutions",
             f"/elbasan/council/members/{member_id}"]
    readers = [make_user("member", municipality="elbasan"), make_user("prefecture", county="elbasan"),
               make_user("institution_officer", municipality="elbasan")]
    for person in readers:
        client = app.test_client()
        login(client, person)
        for page in pages:
            response = client.get(page)
            if response.status_code == 404:  # a page this role does not see at all
                continue
            assert response.status_code == 200, (page, response.status_code)
            assert _change_forms(response.get_data(as_text=True)) == [], (person.email, page)
    # The secretary does see them (the test would catch nothing otherwise).
    secretary = make_user("technical_secretary", municipality="elbasan")
    client = app.test_client()
    login(client, secretary)
    assert _change_forms(client.get(f"/elbasan/meetings/{planned}").get_data(as_text=True))
    assert _change_forms(client.get(f"/elbasan/meetings/{held}/attendance").get_data(as_text=True))
