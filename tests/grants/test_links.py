"""Grants e-mails as background jobs, and "send my link again": the private token never sits in the queue in
clear; a failing mail server does not fail the application; a new link replaces the old one; the public form
answers the same whether or not the address applied (no enumeration), is rate-limited and bilingual."""
import re
import time

from safetycouncil import jobs
from safetycouncil.grants import notifications
from safetycouncil.grants.models import GrantApplication, GrantCommitteeMember, token_hash
from tests.grants.support import application, open_call


def _link(outbox, kind: str) -> str:
    body = outbox[-1].get_body(preferencelist=("plain",)).get_content()
    return re.search(rf"http://localhost(/public/\S+/grants/{kind}/\S+)", body).group(1)


def _client(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _apply_form(**overrides):
    form = {"organisation": "Forumi i Gruas", "nipt": "L12345678A", "contact_name": "Drita Hoxha",
            "contact_email": "drita@example.org", "project_title": "Partneritet për siguri",
            "summary": "Takime me policinë", "amount_requested": "200000", "cofinancing": "30000",
            "line_description": ["Takime"], "line_amount": ["200000"], "line_cofinanced": ["30000"]}
    form.update(overrides)
    return form


def test_a_failing_mail_server_does_not_fail_the_application(app, in_tenant, monkeypatch):
    with in_tenant("elbasan") as session:
        call_id = open_call(session).id
    monkeypatch.setitem(app.config, "SMTP_PORT", 1)  # nothing listens there: the send fails at once
    public = _client(app, "127.0.1.1")
    response = public.post(f"/public/elbasan/grants/calls/{call_id}", data=_apply_form())
    assert response.status_code == 302
    assert public.get(response.headers["Location"]).status_code == 200  # the applicant's own private page
    with in_tenant("elbasan") as session:
        assert session.query(GrantApplication).filter_by(call_id=call_id).count() == 1


def test_the_confirmation_carries_the_link_the_applicant_holds_and_the_queue_never_the_token(
        app, in_tenant, outbox, run_jobs):
    with in_tenant("elbasan") as session:
        call_id = open_call(session).id
    public = _client(app, "127.0.1.2")
    response = public.post(f"/public/elbasan/grants/calls/{call_id}", data=_apply_form())
    held = response.headers["Location"].split("?")[0]
    token = held.rsplit("/", 1)[1]
    if not app.config["JOBS_IN_PROCESS"]:  # a real queue: what sits in Redis
        with app.app_context():
            queued = jobs.queue(app).jobs
            assert queued and all(token not in repr(job.args) + repr(job.kwargs) for job in queued)
    run_jobs()
    assert _link(outbox, "application") == held  # the same link: the page the applicant sees keeps working
    text = outbox[-1].get_body(preferencelist=("plain",)).get_content()
    assert "Morëm aplikimin" in text and "We received the application" in text  # Albanian, then English


def test_a_sealed_link_is_not_the_token_and_a_late_or_stale_one_is_replaced(app, in_tenant, outbox):
    with in_tenant("elbasan") as session:
        call = open_call(session)
        row, token = application(session, call)
        application_id, municipality_id = row.id, row.municipality_id
    path = f"{notifications.send_application_link_job.__module__}.send_application_link_job"
    with app.app_context():
        sealed = notifications.seal(token)
        assert token not in sealed and notifications.unseal(sealed) == token
        assert notifications.unseal(sealed[:-4] + "AAAA") is None
        late = notifications._fernet().encrypt_at_time(token.encode(), int(time.time()) - 2 * 3600).decode()
        assert notifications.unseal(late) is None
        # in time: the link the applicant holds
        jobs.run_job(path, municipality_id, None, [application_id], {"sealed": sealed})
    assert _link(outbox, "application").endswith(token)
    with app.app_context():
        # too late: a new link, and the old one stops working
        jobs.run_job(path, municipality_id, None, [application_id], {"sealed": late})
    fresh = _link(outbox, "application")
    assert not fresh.endswith(token)
    client = app.test_client()
    assert client.get(f"/public/elbasan/grants/application/{token}").status_code == 404
    assert client.get(fresh).status_code == 200


def test_send_my_link_again_answers_the_same_for_anyone_and_replaces_the_link(app, in_tenant, outbox, run_jobs):
    with in_tenant("elbasan") as session:
        call = open_call(session)
        _row, token = application(session, call, contact_email="drita@example.org")
        scorer = GrantCommitteeMember(call_id=call.id, name="Arben Kola", email="arben@example.org",
                                      token_hash=token_hash("old-scorer-link"))
        session.add(scorer)
        call_id = call.id
    public = _client(app, "127.0.1.3")
    url = f"/public/elbasan/grants/calls/{call_id}/link"
    page = public.get(f"/public/elbasan/grants/calls/{call_id}").get_data(as_text=True)
    assert "Humbët lidhjen tuaj private?" in page and url in page

    def ask(email: str) -> tuple[int, str, str]:
        response = public.post(url, data={"email": email})
        shown = public.get(response.headers["Location"]).get_data(as_text=True)
        notice = re.search(r"Nëse kjo adresë e-mail[^<]*", shown).group(0)
        return response.status_code, response.headers["Location"], notice

    outbox.clear()
    nobody = ask("nobody@example.org")
    run_jobs()
    assert outbox == []  # nothing sent, and nothing said about it
    applicant = ask("  Drita@Example.org ")
    assert applicant == nobody
    run_jobs()
    assert len(outbox) == 1 and outbox[-1]["To"] == "drita@example.org"
    text = outbox[-1].get_body(preferencelist=("plain",)).get_content()
    assert "Kërkuat një lidhje të re private" in text and "You asked for a new private link" in text
    fresh = _link(outbox, "application")
    assert public.get(f"/public/elbasan/grants/application/{token}").status_code == 404
    assert public.get(fresh).status_code == 200
    # a scorer who lost their link, likewise
    assert ask("arben@example.org") == nobody
    run_jobs()
    assert outbox[-1]["To"] == "arben@example.org"
    assert "earlier one no longer works" in outbox[-1].get_body(preferencelist=("plain",)).get_content()
    assert public.get("/public/elbasan/grants/score/old-scorer-link").status_code == 404
    assert public.get(_link(outbox, "score")).status_code == 200
    # another municipality's call: 404 (the call is Elbasan's)
    assert public.post(f"/public/fier/grants/calls/{call_id}/link", data={"email": "drita@example.org"}
                       ).status_code == 404


def test_send_my_link_again_is_rate_limited(app, in_tenant, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_GRANT_LINK_AGAIN_RATE_LIMIT", "3 per hour")
    with in_tenant("elbasan") as session:
        call_id = open_call(session).id
    client = _client(app, "127.0.1.4")
    url = f"/public/elbasan/grants/calls/{call_id}/link"
    for n in range(3):
        assert client.post(url, data={"email": f"x{n}@example.org"}).status_code == 302
    response = client.post(url, data={"email": "x9@example.org"})
    assert response.status_code == 429
    assert _client(app, "127.0.1.5").post(url, data={"email": "x9@example.org"}).status_code == 302


def test_one_address_cannot_have_its_link_replaced_again_and_again_from_many_clients(app, in_tenant, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_GRANT_LINK_AGAIN_ADDRESS_LIMIT", "2 per hour")
    with in_tenant("elbasan") as session:
        call_id = open_call(session).id
    url = f"/public/elbasan/grants/calls/{call_id}/link"
    for n in range(2):
        assert _client(app, f"127.0.2.{n}").post(url, data={"email": "victim@example.org"}).status_code == 302
    assert _client(app, "127.0.2.9").post(url, data={"email": "Victim@example.org"}).status_code == 429
    assert _client(app, "127.0.2.9").post(url, data={"email": "other@example.org"}).status_code == 302


def test_the_form_needs_its_csrf_token(base_config, app, in_tenant):
    from safetycouncil.app import create_app

    with in_tenant("elbasan") as session:
        call_id = open_call(session).id
    strict = create_app({**base_config, "WTF_CSRF_ENABLED": True})
    try:
        client = strict.test_client()
        response = client.post(f"/public/elbasan/grants/calls/{call_id}/link", data={"email": "drita@example.org"})
        assert response.status_code == 400
    finally:
        with strict.app_context():
            from safetycouncil.extensions import db

            db.session.remove()
            db.engine.dispose()


def test_staff_send_a_scorer_a_new_link_or_take_them_off_from_the_call_page(app, make_user, login, in_tenant,
                                                                           outbox, run_jobs):
    from safetycouncil.grants import services

    with in_tenant("elbasan") as session:
        call = open_call(session)
        arben = services.add_member(call, name="Arben Kola", email="arben@example.org", council_member_id=None)
        besa = services.add_member(call, name="Besa Hoxha", email="besa@example.org", council_member_id=None)
        call_id, arben_id, besa_id = call.id, arben.id, besa.id
    url = f"/elbasan/grants/calls/{call_id}"
    member = app.test_client()
    login(member, make_user("member", municipality="elbasan"))
    assert member.post(url, data={"action": "resend_member", "member_id": arben_id}).status_code == 403
    staff = app.test_client()
    login(staff, make_user("technical_secretary", municipality="elbasan"))
    page = staff.get(url).get_data(as_text=True)
    assert "Dërgo një lidhje të re" in page and "Hiqe nga komisioni" in page
    response = staff.post(url, data={"action": "resend_member", "member_id": arben_id})
    assert response.status_code == 302
    run_jobs()
    assert outbox[-1]["To"] == "arben@example.org"
    assert staff.get(_link(outbox, "score")).status_code == 200
    assert staff.post(url, data={"action": "remove_member", "member_id": 99999}).status_code == 404
    assert staff.post(url, data={"action": "remove_member", "member_id": besa_id}).status_code == 302
    with in_tenant("elbasan") as session:
        assert session.get(GrantCommitteeMember, besa_id) is None
        assert session.get(GrantCommitteeMember, arben_id) is not None
