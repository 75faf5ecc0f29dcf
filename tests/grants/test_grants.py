"""Community grants, through the pages: a call, a public application with its private link, eligibility,
the scoring committee (declarations, conflicts), the ranking with ties, the council's decision, the award,
its tranches and the grantee's reports; the public register and open data; isolation."""
import re
from datetime import timedelta

from sqlalchemy import select

from safetycouncil.extensions import db
from safetycouncil.grants import services
from safetycouncil.grants.models import GrantApplication, GrantCall, GrantCommitteeMember
from safetycouncil.timeutil import local_today
from tests.grants.support import PDF, application, award_graph, call_data, open_call
from tests.plans.support import decision, plan_graph


def _link(outbox, kind: str) -> str:
    body = outbox[-1].get_body(preferencelist=("plain",)).get_content()
    return re.search(rf"http://localhost(/public/\S+/grants/{kind}/\S+)", body).group(1)


def _call_form(**overrides):
    today = local_today()
    form = {"title": "Grante për siguri në komunitet 2026", "objectives": "Aktivitete të planit",
            "budget": "600 000", "max_per_grant": "300000", "cofinancing_percent": "10",
            "opens_on": (today - timedelta(days=1)).isoformat(), "closes_on": (today + timedelta(days=10)).isoformat(),
            "decision_on": "", "eligibility": "Organizatë e regjistruar në Shqipëri\nPërvojë me komunitetin",
            "scoring": "Lidhja me planin | 60\nKosto e arsyeshme | 40"}
    form.update(overrides)
    return form


def _apply_form(**overrides):
    form = {"organisation": "Forumi i Gruas", "nipt": "l 1234 5678 a", "contact_name": "Drita Hoxha",
            "contact_email": "drita@example.org", "project_title": "Partneritet për siguri",
            "summary": "Takime me policinë", "amount_requested": "200 000", "cofinancing": "30000",
            "line_description": ["Takime", ""], "line_amount": ["200000", ""], "line_cofinanced": ["30000", ""]}
    form.update(overrides)
    return form


def test_the_whole_journey_from_a_call_to_an_accepted_final_report(app, client, make_user, login, in_tenant,
                                                                   outbox, run_jobs):
    with in_tenant("elbasan") as session:
        graph = plan_graph(session, "elbasan")
        activity_id = graph["activity_id"]
        council_decision = decision(session, __import__("datetime").datetime(2026, 11, 20, 10, 0), number="9/2026")
        decision_id = council_decision.id
    secretary = make_user("technical_secretary", municipality="elbasan")
    login(client, secretary)
    # a draft with weights that do not add up is refused, nothing lost
    response = client.post("/elbasan/grants/", data=_call_form(scoring="Lidhja me planin | 60\nKosto | 30"))
    assert response.status_code == 422
    assert "100" in response.get_data(as_text=True) and "Grante për siguri" in response.get_data(as_text=True)
    form = _call_form()
    if activity_id:
        form["activity_ids"] = [str(activity_id)]
    response = client.post("/elbasan/grants/", data=form)
    assert response.status_code == 302
    call_url = response.headers["Location"]
    call_id = int(call_url.rsplit("/", 1)[1])
    # not public while a draft
    public = app.test_client()
    assert public.get(f"/public/elbasan/grants/calls/{call_id}").status_code == 404
    assert client.post(call_url, data={"action": "open"}).status_code == 302
    page = public.get("/public/elbasan/grants/").get_data(as_text=True)
    assert "Grante për siguri në komunitet 2026" in page

    # a public application, no account; NIPT checked (letter + 8 digits + letter)
    response = public.post(f"/public/elbasan/grants/calls/{call_id}", data=_apply_form(nipt="123"))
    assert response.status_code == 422 and "NIPT" in response.get_data(as_text=True)
    form = _apply_form()
    if activity_id:
        form["activity_id"] = str(activity_id)
    form["attachments"] = (__import__("io").BytesIO(PDF), "projekti.pdf")
    response = public.post(f"/public/elbasan/grants/calls/{call_id}", data=form, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    run_jobs()  # the e-mails are jobs
    mail = outbox[-1]
    assert mail["To"] == "drita@example.org" and " / " in mail["Subject"]
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "Aplikimi" in text or "aplikimin" in text
    assert "English" in text
    own = _link(outbox, "application")
    page = public.get(own)
    assert page.status_code == 200 and "L12345678A" in page.get_data(as_text=True)
    # a second organisation applies too
    public.post(f"/public/elbasan/grants/calls/{call_id}", data=_apply_form(
        organisation="Shoqata Rinia", nipt="K98765432B", contact_email="rinia@example.org",
        project_title="Rinia dhe policia", amount_requested="250000",
        line_amount=["250000", ""]))
    run_jobs()
    second = _link(outbox, "application")
    assert public.get(second).status_code == 200
    assert public.get(own.replace(own.rsplit("/", 1)[1], "not-a-token")).status_code == 404
    # the applicant completes the application through the link
    response = public.post(own, data=_apply_form(project_title="Partneritet për siguri (i plotësuar)",
                                                  activity_id=str(activity_id)))
    assert response.status_code == 302

    # close; a late application is refused with a clear message, what was written is kept
    assert client.post(call_url, data={"action": "close"}).status_code == 302
    response = public.post(f"/public/elbasan/grants/calls/{call_id}", data=_apply_form(organisation="Vonë"))
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "Vonë" in body
    assert "mbyll" in body  # "Kjo thirrje u mbyll më ..."
    assert public.post(own, data=_apply_form()).status_code == 422

    with in_tenant("elbasan") as session:
        apps = session.execute(select(GrantApplication).order_by(GrantApplication.id)).scalars().all()
        first_id, second_id = apps[0].id, apps[1].id
        assert apps[0].project_title.endswith("(i plotësuar)")
        call = session.get(GrantCall, call_id)
        criteria = [c.id for c in call.eligibility_criteria]
        scoring = [c.id for c in call.scoring_criteria]

    # eligibility per criterion
    for app_id in (first_id, second_id):
        data = {"action": "eligibility"}
        data.update({f"criterion_{c}": "yes" for c in criteria})
        assert client.post(f"/elbasan/grants/applications/{app_id}", data=data).status_code == 302
    # the committee: two scorers by e-mail
    client.post(call_url, data={"action": "add_member", "name": "Arben Kola", "email": "arben@example.org"})
    run_jobs()
    scorer_one = _link(outbox, "score")
    client.post(call_url, data={"action": "add_member", "name": "Mira Duka", "email": "mira@example.org"})
    run_jobs()
    scorer_two = _link(outbox, "score")
    scorer = app.test_client()
    page = scorer.get(scorer_one).get_data(as_text=True)
    assert "Forumi i Gruas" not in page  # nothing before the declaration
    assert scorer.post(scorer_one, data={"action": "declare"}).status_code == 422
    assert scorer.post(scorer_one, data={"action": "declare", "no_conflict": "1"}).status_code == 302
    assert "Forumi i Gruas" in scorer.get(scorer_one).get_data(as_text=True)
    scores = {"action": "score", "application_id": first_id, f"score_{scoring[0]}": "8", f"score_{scoring[1]}": "6",
              f"comment_{scoring[0]}": "Lidhje e qartë"}
    assert scorer.post(scorer_one, data=scores).status_code == 302
    scores.update({"application_id": second_id, f"score_{scoring[0]}": "8", f"score_{scoring[1]}": "6"})
    assert scorer.post(scorer_one, data=scores).status_code == 302
    # the second scorer declares a conflict with the first application: excluded from it
    other = app.test_client()
    other.post(scorer_two, data={"action": "declare", "no_conflict": "1"})
    assert other.post(scorer_two, data={"action": "conflict", "application_id": first_id,
                                        "reason": "Jam anëtare e bordit"}).status_code == 302
    page = other.get(scorer_two).get_data(as_text=True)
    assert "Forumi i Gruas" not in page and "Shoqata Rinia" in page
    refused = other.post(scorer_two, data={**scores, "application_id": first_id})
    assert refused.status_code == 422
    # ranking: equal totals, ordered by the smaller amount requested, and said so
    page = client.get(call_url).get_data(as_text=True)
    assert "72,00" in page
    assert "I njëjti total si" in page and "renditur sipas shumës më të vogël të kërkuar" in page
    assert client.post(call_url, data={"action": "approve", "decision_id": decision_id}).status_code == 422
    assert client.post(call_url, data={"action": "propose"}).status_code == 302
    assert client.post(call_url, data={"action": "approve", "decision_id": decision_id}).status_code == 302
    with in_tenant("elbasan") as session:
        assert session.get(GrantCall, call_id).decision_id == decision_id
        statuses = {a.id: a.status for a in session.execute(select(GrantApplication)).scalars()}
    assert statuses[first_id] == "proposed" and statuses[second_id] == "proposed"

    # the award: tranches add up to the amount
    response = client.post(f"/elbasan/grants/applications/{first_id}", data={
        "action": "award", "contract_number": "GR-1/2026", "signed_on": local_today().isoformat(),
        "amount": "200000", "tranche_amount": ["100000", "50000"],
        "tranche_due_on": [local_today().isoformat(), (local_today() + timedelta(days=60)).isoformat()],
        "tranche_condition": ["", "Raporti narrativ"]})
    assert response.status_code == 422
    response = client.post(f"/elbasan/grants/applications/{first_id}", data={
        "action": "award", "contract_number": "GR-1/2026", "signed_on": local_today().isoformat(),
        "amount": "200000", "tranche_amount": ["100000", "100000"],
        "tranche_due_on": [local_today().isoformat(), (local_today() + timedelta(days=60)).isoformat()],
        "tranche_condition": ["", "Raporti narrativ i pranuar"]})
    assert response.status_code == 302
    award_url = response.headers["Location"]
    award_id = int(award_url.rsplit("/", 1)[1])
    with in_tenant("elbasan") as session:
        from safetycouncil.grants.models import GrantTranche

        tranche_ids = [t.id for t in session.execute(select(GrantTranche).order_by(GrantTranche.position)).scalars()]
    assert client.post(award_url, data={"action": "disburse", "tranche_id": tranche_ids[0],
                                        "disbursed_on": local_today().isoformat(),
                                        "disbursed_amount": "100000"}).status_code == 302
    # the grantee reports through the same private link
    assert public.post(own, data={"action": "report", "kind": "final", "text": "", "spent": ""}).status_code == 422
    assert public.post(own, data={"action": "report", "kind": "final", "text": "U mbajtën 6 takime",
                                  "spent": "90000"}).status_code == 302
    with in_tenant("elbasan") as session:
        from safetycouncil.grants.models import GrantReport

        report_id = session.execute(select(GrantReport.id)).scalar_one()
    assert client.post(award_url, data={"action": "review", "report_id": report_id, "decision": "returned",
                                        "comment": ""}).status_code == 422
    assert client.post(award_url, data={"action": "review", "report_id": report_id, "decision": "returned",
                                        "comment": "Shtoni listat e pjesëmarrësve"}).status_code == 302
    assert "Shtoni listat" in public.get(own).get_data(as_text=True)
    public.post(own, data={"action": "report", "kind": "final", "text": "U mbajtën 6 takime me 120 banorë",
                           "spent": "100000"})
    with in_tenant("elbasan") as session:
        report_id = session.execute(select(GrantReport.id).where(GrantReport.status == "submitted")).scalar_one()
    assert client.post(award_url, data={"action": "review", "report_id": report_id,
                                        "decision": "accepted"}).status_code == 302
    # the public register and its open data
    page = public.get("/public/elbasan/grants/").get_data(as_text=True)
    assert "Forumi i Gruas" in page and "120 banorë" in page
    data = public.get("/public/elbasan/grants/awards.json").get_json()
    assert data["licence"]["name"] and data["items"][0]["organisation"] == "Forumi i Gruas"
    assert data["items"][0]["amount"] == 200000 and data["items"][0]["disbursed"] == 100000
    csv_text = public.get("/public/elbasan/grants/awards.csv").get_data(as_text=True)
    assert "Forumi i Gruas" in csv_text and "licence" in csv_text
    assert "drita@example.org" not in page + csv_text  # contacts are never public
    assert client.get(award_url).status_code == 200
    # the funded activity's monitoring shows the grant's progress
    from flask import url_for

    with app.test_request_context():
        progress_url = url_for("plans.progress", municipality="elbasan", activity_id=activity_id)
    page = client.get(progress_url).get_data(as_text=True)
    assert "Grantet komunitare për këtë aktivitet" in page and "Forumi i Gruas" in page
    assert "1 nga 2 raporte të pranuara" in page


def test_a_staff_member_of_another_municipality_gets_404_and_a_member_cannot_write(app, make_user, login,
                                                                                  in_tenant):
    with in_tenant("fier") as session:
        graph = award_graph(session, "fier")
        ids = (graph["call"].id, graph["application"].id, graph["award"].id)
    other = make_user("technical_secretary", municipality="elbasan")
    client = app.test_client()
    login(client, other)
    for url in (f"/elbasan/grants/calls/{ids[0]}", f"/fier/grants/calls/{ids[0]}",
                f"/elbasan/grants/applications/{ids[1]}", f"/elbasan/grants/awards/{ids[2]}"):
        assert client.get(url).status_code == 404
    member = make_user("member", municipality="fier")
    reader = app.test_client()
    login(reader, member)
    assert reader.get(f"/fier/grants/calls/{ids[0]}").status_code == 200
    assert reader.post(f"/fier/grants/calls/{ids[0]}", data={"action": "close"}).status_code == 403


def test_a_private_link_opens_only_its_own_application_and_only_in_its_municipality(app, in_tenant):
    with in_tenant("elbasan") as session:
        call = open_call(session)
        _row, token = application(session, call)
        _other, other_token = application(session, call, organisation="Tjetër", contact_email="t@example.org")
    client = app.test_client()
    page = client.get(f"/public/elbasan/grants/application/{token}").get_data(as_text=True)
    assert "Forumi i Gruas Elbasan" in page and "Tjetër" not in page
    assert client.get(f"/public/fier/grants/application/{token}").status_code == 404
    assert client.get(f"/public/elbasan/grants/score/{token}").status_code == 404


def test_the_ministry_sees_amounts_by_county_and_plan_area(app, make_user, login, in_tenant):
    with in_tenant("elbasan") as session:
        award_graph(session, "elbasan")
    with in_tenant("fier") as session:
        award_graph(session, "fier")
    ministry = make_user("ministry")
    client = app.test_client()
    login(client, ministry)
    page = client.get("/national/grants").get_data(as_text=True)
    assert "Elbasan" in page and "Fier" in page


def test_the_prefecture_sees_its_countys_calls_and_amounts_and_nothing_of_another_county(
        app, make_user, login, in_tenant):
    # Elbasan and Cërrik are in the county of Elbasan, Fier in the county of Fier.
    with in_tenant("elbasan") as session:
        award_graph(session, "elbasan")
        services.create_call(call_data(title="Thirrje ende draft"), user_id=None)
    with in_tenant("cerrik") as session:
        open_call(session, title="Thirrje Cërrik e hapur", budget=700_000)
    with in_tenant("fier") as session:
        award_graph(session, "fier")
    client = app.test_client()
    login(client, make_user("prefecture", county="elbasan"))
    page = client.get("/prefecture/elbasan/grants").get_data(as_text=True)
    assert "Thirrje elbasan" in page and "Thirrje Cërrik e hapur" in page
    assert "Thirrje ende draft" not in page  # a draft is the council's own, not yet published
    assert "Thirrje fier" not in page and "Fier" not in page
    # totals, never the applicant's organisation or contact
    assert "Shoqata elbasan" not in page and "drita@example.org" not in page
    assert "300" in page and "700" in page
    assert client.get("/prefecture/fier/grants").status_code == 404

    other = app.test_client()
    login(other, make_user("prefecture", county="fier"))
    page = other.get("/prefecture/fier/grants").get_data(as_text=True)
    assert "Thirrje fier" in page and "Thirrje elbasan" not in page and "Cërrik" not in page
    assert other.get("/prefecture/elbasan/grants").status_code == 404

    member = app.test_client()
    login(member, make_user("member", municipality="elbasan"))
    assert member.get("/prefecture/elbasan/grants").status_code == 404
