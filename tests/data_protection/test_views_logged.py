"""Contact details shown to staff (council members, invitees, accounts) are written to the audit trail."""
from datetime import date

from sqlalchemy import select

from safetycouncil.audit.models import AuditEntry
from safetycouncil.council.models import CouncilMember
from safetycouncil.extensions import db
from safetycouncil.meetings.models import Invitation
from tests import factories as make


def _viewed(app, entity_type):
    with app.app_context():
        return db.session.execute(select(AuditEntry).where(
            AuditEntry.action == "personal_data_viewed", AuditEntry.entity_type == entity_type)
            .order_by(AuditEntry.id)).scalars().all()


def _members(in_tenant):
    with in_tenant("elbasan") as s:
        with_contacts = CouncilMember(full_name="Arta Hoxha", category="k", mandate_start=date(2024, 1, 1),
                                      email="arta@example.al", substitute_phone="+355 69 111 2222")
        without = CouncilMember(full_name="Besnik Dervishi", category="f", mandate_start=date(2024, 1, 1))
        s.add_all([with_contacts, without])
        s.flush()
        return with_contacts.id, without.id


def test_a_council_members_contacts_on_the_page_and_in_the_api_are_logged(
        app, client, login, api_token, make_user, in_tenant, municipality_id):
    with_contacts, without = _members(in_tenant)
    member = make_user("member", municipality="elbasan")
    login(client, member)
    page = client.get(f"/elbasan/council/members/{with_contacts}").get_data(as_text=True)
    assert "arta@example.al" in page
    client.get(f"/elbasan/council/members/{without}")
    viewed = _viewed(app, "CouncilMember")
    assert len(viewed) == 1 and viewed[0].user_id == member.id
    assert viewed[0].changes == {"ids": [with_contacts], "fields": ["email", "substitute_phone"]}
    assert viewed[0].municipality_id == municipality_id("elbasan")

    headers = api_token(member)
    listed = client.get("/api/v1/municipalities/elbasan/council/members", headers=headers).get_json()
    assert {m["email"] for m in listed} == {"arta@example.al", None}
    client.get(f"/api/v1/municipalities/elbasan/council/members/{with_contacts}", headers=headers)
    viewed = _viewed(app, "CouncilMember")
    assert len(viewed) == 3 and all(e.changes["ids"] == [with_contacts] for e in viewed)

    ministry = app.test_client()
    ministry_user = make_user("ministry")
    login(ministry, ministry_user)
    assert ministry.get(f"/elbasan/council/members/{with_contacts}").status_code == 200
    assert _viewed(app, "CouncilMember")[-1].user_id == ministry_user.id


def test_invitees_e_mail_addresses_on_the_meeting_page_and_in_the_api_are_logged(
        app, client, login, api_token, make_user, in_tenant):
    with_contacts, without = _members(in_tenant)
    with in_tenant("elbasan") as s:
        meeting = make.meeting(s, starts_at=make.day(30), status="planned")
        s.add_all([Invitation(meeting_id=meeting.id, member_id=with_contacts, email="arta@example.al", status="sent"),
                   Invitation(meeting_id=meeting.id, member_id=without, email=None, status="no_email")])
        s.flush()
        meeting_id = meeting.id
        invited = s.execute(select(Invitation.id).where(Invitation.email.is_not(None))).scalar_one()
    secretary = make_user("technical_secretary", municipality="elbasan")
    login(client, secretary)
    assert "arta@example.al" in client.get(f"/elbasan/meetings/{meeting_id}").get_data(as_text=True)
    client.get(f"/api/v1/municipalities/elbasan/meetings/{meeting_id}/invitations", headers=api_token(secretary))
    viewed = _viewed(app, "Invitation")
    assert [e.changes["ids"] for e in viewed] == [[invited], [invited]]
    assert all(e.user_id == secretary.id and e.changes["fields"] == ["email"] for e in viewed)


def test_accounts_e_mail_addresses_in_lists_are_logged(app, client, login, make_user):
    secretary = make_user("technical_secretary", municipality="elbasan")
    admin = make_user("admin")
    login(client, secretary)
    assert secretary.email in client.get("/elbasan/people").get_data(as_text=True)
    viewed = _viewed(app, "User")
    assert len(viewed) == 1 and viewed[0].changes["ids"] == [secretary.id] and viewed[0].user_id == secretary.id

    admin_client = app.test_client()
    login(admin_client, admin)
    assert secretary.email in admin_client.get("/admin/users").get_data(as_text=True)
    admin_client.get(f"/admin/users/{secretary.id}")
    viewed = _viewed(app, "User")[1:]
    assert [e.user_id for e in viewed] == [admin.id, admin.id]
    assert set(viewed[0].changes["ids"]) == {secretary.id, admin.id} and viewed[1].changes["ids"] == [secretary.id]


def test_officer_candidates_e_mail_addresses_on_the_officers_page_are_logged(app, client, login, make_user):
    officer = make_user("institution_officer", municipality="elbasan")
    secretary = make_user("technical_secretary", municipality="elbasan")
    login(client, secretary)
    page = client.get("/elbasan/plans/officers").get_data(as_text=True)
    assert officer.email in page
    viewed = _viewed(app, "User")
    assert viewed and viewed[-1].user_id == secretary.id and officer.id in viewed[-1].changes["ids"]
    assert viewed[-1].changes["fields"] == ["email"]
