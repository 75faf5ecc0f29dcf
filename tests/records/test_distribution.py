"""A signed decision goes to each active member by e-mail (Art. 7.8), in the background, once."""
from datetime import date, timedelta

from sqlalchemy import select

from safetycouncil import jobs
from safetycouncil.extensions import db
from safetycouncil.records.distribution import distribute_decision
from safetycouncil.records.models import Decision, DecisionDistribution
from safetycouncil.tenancy import tenant

from safetycouncil.timeutil import local_now
from tests import factories as make

TEXT = "Miratohet plani vendor shumë-agjencior për sigurinë në shkolla."


def _signed_decision(session, *, signed=True):
    meeting_id = make.meeting(session, title="Mbledhja e parë e vitit").id
    return make.decision(session, meeting_id, "2025/4", title="Siguria në shkolla", text=TEXT,
                         signed_by_chair_on=local_now().date() if signed else None,
                         signature_method="chair" if signed else None).id


def _members(session):
    return {
        "mayor": make.member(session, "Gazment Bardhi", category="a", email="kryetari@elbasan.test").id,
        "police": make.member(session, "Drejtori i Policisë", category="c", email="policia@elbasan.test").id,
        "no_email": make.member(session, "Anëtar pa e-mail", category="k").id,
        "former": make.member(session, "Ish-anëtar", category="f", email="ish@elbasan.test",
                             mandate_end=date(2021, 1, 1)).id,
        "future": make.member(session, "Anëtar i ardhshëm", category="g", email="ardhshem@elbasan.test",
                             mandate_start=local_now().date() + timedelta(days=30)).id,
        "invited": make.member(session, "Prefekti", category="invited", email="prefekti@elbasan.test").id,
    }


def _state(app, municipality_id, decision_id):
    with app.app_context(), tenant(municipality_id("elbasan")):
        decision = db.session.get(Decision, decision_id)
        rows = db.session.execute(select(DecisionDistribution).where(
            DecisionDistribution.decision_id == decision_id)).scalars().all()
        return decision.distributed_at, {r.member.full_name: r.status for r in rows}


def test_each_active_member_receives_the_decision_once(app, client, make_user, login, in_tenant, outbox,
                                                       run_jobs, municipality_id):
    secretary = make_user("technical_secretary", municipality="elbasan", locale="en")
    login(client, secretary)
    with in_tenant("elbasan") as session:
        decision_id = _signed_decision(session)
        _members(session)
    response = client.post(f"/elbasan/meetings/decisions/{decision_id}/distribute")
    assert response.status_code == 302
    run_jobs()
    assert sorted(m["To"] for m in outbox) == ["kryetari@elbasan.test", "policia@elbasan.test"]
    message = outbox[0]
    assert "2025/4" in message["Subject"] and "Elbasan" in message["Subject"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert TEXT in body and "Siguria në shkolla" in body
    attachments = list(message.iter_attachments())
    assert len(attachments) == 1 and attachments[0].get_content_type() == "application/pdf"
    assert attachments[0].get_content().startswith(b"%PDF")

    distributed_at, statuses = _state(app, municipality_id, decision_id)
    assert distributed_at is not None
    assert statuses == {"Gazment Bardhi": "sent", "Drejtori i Policisë": "sent", "Anëtar pa e-mail": "no_email"}
    page = client.get(f"/elbasan/meetings/decisions/{decision_id}").get_data(as_text=True)
    assert "Distributed on" in page and "No e-mail address: hand over a paper copy" in page

    # Asking again is refused; the job run again sends nothing.
    outbox.clear()
    again = client.post(f"/elbasan/meetings/decisions/{decision_id}/distribute")
    assert again.status_code == 422 and "already distributed" in again.get_data(as_text=True)
    with app.test_request_context(), tenant(municipality_id("elbasan")):
        jobs.enqueue(distribute_decision, decision_id)
    run_jobs()
    assert outbox == []
    assert _state(app, municipality_id, decision_id)[0] == distributed_at


def test_a_run_that_stopped_half_way_does_not_send_twice(app, in_tenant, outbox, run_jobs, municipality_id):
    with in_tenant("elbasan") as session:
        decision_id = _signed_decision(session)
        members = _members(session)
        session.add(DecisionDistribution(decision_id=decision_id, member_id=members["mayor"],
                                         email="kryetari@elbasan.test", status="sent"))
    with app.test_request_context(), tenant(municipality_id("elbasan")):
        jobs.enqueue(distribute_decision, decision_id)
    run_jobs()
    assert [m["To"] for m in outbox] == ["policia@elbasan.test"]
    assert _state(app, municipality_id, decision_id)[0] is not None


def test_the_recipient_reads_it_in_their_language(app, in_tenant, make_user, outbox, run_jobs, municipality_id):
    english = make_user("member", municipality="elbasan", locale="en")
    with in_tenant("elbasan") as session:
        decision_id = _signed_decision(session)
        make.member(session, "Member in English", category="k", email="english@elbasan.test", user_id=english.id)
    with app.test_request_context(), tenant(municipality_id("elbasan")):
        jobs.enqueue(distribute_decision, decision_id)
    run_jobs()
    (message,) = outbox
    # The e-mail: Albanian first, English second; the copy (PDF) in the member's language.
    assert message["Subject"].startswith("Vendimi nr. 2025/4") and " / Decision no. 2025/4" in message["Subject"]
    pdfs = [p.get_filename() for p in message.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert pdfs == ["decision-2025-4.pdf"]


def test_an_unsigned_decision_is_not_distributed(app, make_user, api_token, in_tenant, outbox, run_jobs,
                                                 municipality_id):
    secretary = make_user("technical_secretary", municipality="elbasan", locale="en")
    with in_tenant("elbasan") as session:
        decision_id = _signed_decision(session, signed=False)
        _members(session)
    client = app.test_client()
    response = client.post(f"/api/v1/municipalities/elbasan/decisions/{decision_id}/distribute",
                           headers=api_token(secretary))
    assert response.status_code == 422
    assert "once the chair has signed it" in response.get_json()["errors"]["distribution"]
    run_jobs()
    assert outbox == []
    assert _state(app, municipality_id, decision_id) == (None, {})


def test_distribution_through_the_api(app, make_user, api_token, in_tenant, outbox, run_jobs, municipality_id):
    secretary = make_user("technical_secretary", municipality="elbasan", locale="en")
    headers = api_token(secretary)
    with in_tenant("elbasan") as session:
        decision_id = _signed_decision(session)
        _members(session)
    client = app.test_client()
    url = f"/api/v1/municipalities/elbasan/decisions/{decision_id}"
    assert client.post(f"{url}/distribute", headers=headers).status_code == 202
    run_jobs()
    assert len(outbox) == 2
    body = client.get(url, headers=headers).get_json()
    assert body["distributed_at"] is not None
    assert sorted((d["member_name"], d["status"]) for d in body["distribution"]) == [
        ("Anëtar pa e-mail", "no_email"), ("Drejtori i Policisë", "sent"), ("Gazment Bardhi", "sent")]
    assert "email" not in body["distribution"][0]
    assert client.post(f"{url}/distribute", headers=headers).status_code == 422


def test_a_council_without_members_is_told_so(app, make_user, api_token, in_tenant, outbox, run_jobs,
                                              municipality_id):
    secretary = make_user("technical_secretary", municipality="elbasan", locale="en")
    with in_tenant("elbasan") as session:
        decision_id = _signed_decision(session)
    response = app.test_client().post(f"/api/v1/municipalities/elbasan/decisions/{decision_id}/distribute",
                                      headers=api_token(secretary))
    assert response.status_code == 422
    assert "no active members" in response.get_json()["errors"]["distribution"]
    run_jobs()
    assert outbox == [] and _state(app, municipality_id, decision_id) == (None, {})
