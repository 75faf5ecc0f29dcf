"""The whole grants process through the staff API: eligibility per criterion, the committee (add, new link,
remove), conflicts and scores read by staff, the ranking with its ties explained, the proposal, the council's
decision, the award with tranches, disbursements and report reviews; refusals (422 bad input, 409 state,
403 role, 404 another municipality)."""
import re
from datetime import datetime, timedelta

from safetycouncil.grants import services
from safetycouncil.grants.models import GrantApplication, GrantCall, GrantCommitteeMember, GrantReport
from safetycouncil.timeutil import local_today
from tests.grants.support import application, open_call
from tests.plans.support import decision

BASE = "/api/v1/municipalities/elbasan/grants"


def _score_link(outbox) -> str:
    body = outbox[-1].get_body(preferencelist=("plain",)).get_content()
    return re.search(r"http://localhost(/public/elbasan/grants/score/\S+)", body).group(1)


def _closed_call_with_two_applications(in_tenant) -> dict:
    with in_tenant("elbasan") as session:
        call = open_call(session)
        first, _t1 = application(session, call, organisation="Forumi i Gruas", amount_requested=300_000)
        second, _t2 = application(session, call, organisation="Shoqata Rinia", contact_email="rinia@example.org",
                                  amount_requested=250_000,
                                  budget_lines=[{"description": "Takime", "amount": 250_000, "cofinanced": 50_000}])
        services.close_call(call)
        council_decision = decision(session, datetime(2026, 11, 20, 10, 0), number="12/2026")
        return {"call_id": call.id, "first": first.id, "second": second.id, "decision_id": council_decision.id,
                "eligibility": [c.id for c in call.eligibility_criteria],
                "scoring": [c.id for c in call.scoring_criteria]}


def test_the_process_through_the_staff_api(app, client, make_user, api_token, in_tenant, outbox, run_jobs):
    ids = _closed_call_with_two_applications(in_tenant)
    call_id, first, second = ids["call_id"], ids["first"], ids["second"]
    headers = api_token(make_user("technical_secretary", municipality="elbasan"))
    reader = api_token(make_user("member", municipality="elbasan"))
    outsider = api_token(make_user("technical_secretary", municipality="fier"))

    # eligibility, per criterion
    checks = client.get(f"{BASE}/applications/{first}/eligibility", headers=headers)
    assert checks.status_code == 200 and "X-Pagination" in checks.headers
    assert [c["met"] for c in checks.get_json()] == [None, None]
    one_missing = {"results": [{"criterion_id": ids["eligibility"][0], "met": True}]}
    response = client.put(f"{BASE}/applications/{first}/eligibility", json=one_missing, headers=headers)
    assert response.status_code == 422
    no_note = {"results": [{"criterion_id": c, "met": False} for c in ids["eligibility"]]}
    assert client.put(f"{BASE}/applications/{first}/eligibility", json=no_note, headers=headers).status_code == 422
    all_met = {"results": [{"criterion_id": c, "met": True, "note": "Dokumentet në rregull"}
                           for c in ids["eligibility"]]}
    assert client.put(f"{BASE}/applications/{first}/eligibility", json=all_met, headers=reader).status_code == 403
    assert client.put(f"/api/v1/municipalities/fier/grants/applications/{first}/eligibility", json=all_met,
                      headers=outsider).status_code == 404
    for application_id in (first, second):
        response = client.put(f"{BASE}/applications/{application_id}/eligibility", json=all_met, headers=headers)
        assert response.status_code == 200 and response.get_json()["status"] == "eligible"
    checks = client.get(f"{BASE}/applications/{first}/eligibility", headers=reader).get_json()
    assert [c["met"] for c in checks] == [True, True] and checks[0]["checked_at"].endswith("Z")

    # the committee: two scorers, each e-mailed a private link by a job
    assert client.post(f"{BASE}/calls/{call_id}/committee", json={"name": "Arben Kola",
                                                                  "email": "arben@example.org"},
                       headers=reader).status_code == 403
    response = client.post(f"{BASE}/calls/{call_id}/committee", json={"name": "Arben Kola",
                                                                      "email": "arben@example.org"}, headers=headers)
    assert response.status_code == 201, response.get_json()
    arben = response.get_json()["id"]
    run_jobs()
    assert outbox[-1]["To"] == "arben@example.org" and " / " in outbox[-1]["Subject"]
    arben_link = _score_link(outbox)
    again = client.post(f"{BASE}/calls/{call_id}/committee", json={"name": "A", "email": "Arben@example.org"},
                        headers=headers)
    assert again.status_code == 422 and "email" in again.get_json()["errors"]
    mira = client.post(f"{BASE}/calls/{call_id}/committee", json={"name": "Mira Duka", "email": "mira@example.org"},
                       headers=headers).get_json()["id"]
    run_jobs()
    mira_link = _score_link(outbox)
    extra = client.post(f"{BASE}/calls/{call_id}/committee", json={"name": "Besa", "email": "besa@example.org"},
                        headers=headers).get_json()["id"]
    committee = client.get(f"{BASE}/calls/{call_id}/committee", headers=reader)
    assert committee.status_code == 200 and [m["name"] for m in committee.get_json()] == [
        "Arben Kola", "Mira Duka", "Besa"]
    # a lost link: staff send a new one, the old one stops working
    assert client.post(f"{BASE}/calls/{call_id}/committee/{mira}/link", headers=reader).status_code == 403
    assert client.post(f"{BASE}/calls/{call_id}/committee/{mira}/link", headers=headers).status_code == 202
    run_jobs()
    new_mira_link = _score_link(outbox)
    assert new_mira_link != mira_link and "mira@example.org" == outbox[-1]["To"]
    assert client.get(mira_link).status_code == 404 and client.get(new_mira_link).status_code == 200
    # remove a scorer who has not scored
    assert client.delete(f"{BASE}/calls/{call_id}/committee/{extra}", headers=reader).status_code == 403
    assert client.delete(f"{BASE}/calls/{call_id}/committee/{extra}", headers=headers).status_code == 204
    assert client.delete(f"{BASE}/calls/{call_id}/committee/{extra}", headers=headers).status_code == 404

    # the scorers act through their private links: declarations, a conflict, scores
    first_crit, second_crit = ids["scoring"]  # weights 60 and 40
    scorer = app.test_client()
    scorer.post(arben_link, data={"action": "declare", "no_conflict": "1"})
    # equal totals (8*6 + 5*4 = 6*6 + 8*4 = 68): ordered by the heaviest criterion, and said so
    assert scorer.post(arben_link, data={"action": "score", "application_id": first, f"score_{first_crit}": "8",
                                         f"score_{second_crit}": "5", f"comment_{first_crit}": "Lidhje e qartë"}
                       ).status_code == 302
    assert scorer.post(arben_link, data={"action": "score", "application_id": second, f"score_{first_crit}": "6",
                                         f"score_{second_crit}": "8"}).status_code == 302
    other = app.test_client()
    other.post(new_mira_link, data={"action": "declare", "no_conflict": "1"})
    assert other.post(new_mira_link, data={"action": "conflict", "application_id": first,
                                           "reason": "Jam anëtare e bordit"}).status_code == 302
    conflicts = client.get(f"{BASE}/calls/{call_id}/conflicts", headers=reader).get_json()
    assert [(c["member"], c["application_id"], c["reason"]) for c in conflicts] == [
        ("Mira Duka", first, "Jam anëtare e bordit")]
    scores = client.get(f"{BASE}/calls/{call_id}/scores", headers=reader)
    assert scores.status_code == 200 and "X-Pagination" in scores.headers
    rows = scores.get_json()
    assert {(s["member"], s["application_id"], s["criterion_id"], s["score"]) for s in rows} == {
        ("Arben Kola", first, first_crit, 8), ("Arben Kola", first, second_crit, 5),
        ("Arben Kola", second, first_crit, 6), ("Arben Kola", second, second_crit, 8)}
    assert any(s["comment"] == "Lidhje e qartë" for s in rows)
    ranking = client.get(f"{BASE}/calls/{call_id}/ranking", headers=reader).get_json()
    assert [r["application_id"] for r in ranking] == [first, second]
    assert ranking[0]["total"] == ranking[1]["total"] == 68.0
    assert "kriterin me peshën më të madhe" in ranking[0]["tie_note"]  # "the heaviest criterion" and ranking[0]["by_criterion"][str(first_crit)] == 8.0
    # a scorer who scored stays: their scores count
    response = client.delete(f"{BASE}/calls/{call_id}/committee/{arben}", headers=headers)
    assert response.status_code == 409

    # the proposal, then the council's decision
    assert client.post(f"{BASE}/calls/{call_id}/decision", json={"decision_id": ids["decision_id"]},
                       headers=headers).status_code == 422  # no proposal yet
    assert client.post(f"{BASE}/calls/{call_id}/proposal", headers=reader).status_code == 403
    response = client.post(f"{BASE}/calls/{call_id}/proposal", headers=headers)
    assert response.status_code == 200 and response.get_json()["status"] == "closed"
    applications = {a["id"]: a["status"] for a in client.get(f"{BASE}/calls/{call_id}/applications",
                                                             headers=headers).get_json()}
    assert applications == {first: "proposed", second: "proposed"}
    assert client.post(f"{BASE}/calls/{call_id}/decision", json={}, headers=headers).status_code == 422
    assert client.post(f"{BASE}/calls/{call_id}/decision", json={"decision_id": 99999},
                       headers=headers).status_code == 422
    response = client.post(f"{BASE}/calls/{call_id}/decision", json={"decision_id": ids["decision_id"]},
                           headers=headers)
    assert response.status_code == 200
    assert response.get_json()["status"] == "decided" and response.get_json()["decision_id"] == ids["decision_id"]
    assert client.post(f"{BASE}/calls/{call_id}/committee/{arben}/link", headers=headers).status_code == 202
    assert client.delete(f"{BASE}/calls/{call_id}/committee/{mira}", headers=headers).status_code == 409

    # the award: tranches add up to the amount
    today = local_today()
    body = {"contract_number": "GR-7/2026", "signed_on": today.isoformat(), "amount": 300000,
            "tranches": [{"amount": 200000, "due_on": today.isoformat()},
                         {"amount": 50000, "due_on": (today + timedelta(days=60)).isoformat(),
                          "condition": "Raporti narrativ i pranuar"}]}
    response = client.post(f"{BASE}/applications/{first}/award", json=body, headers=headers)
    assert response.status_code == 422 and "tranches" in response.get_json()["errors"]
    body["tranches"][1]["amount"] = 100000
    assert client.post(f"{BASE}/applications/{first}/award", json=body, headers=reader).status_code == 403
    response = client.post(f"{BASE}/applications/{first}/award", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    award = response.get_json()
    award_id, tranches = award["id"], [t["id"] for t in award["tranches"]]
    assert client.post(f"{BASE}/applications/{first}/award", json=body, headers=headers).status_code == 422

    # disbursement per tranche
    url = f"{BASE}/awards/{award_id}/tranches/{tranches[0]}/disbursement"
    future = {"disbursed_on": (today + timedelta(days=1)).isoformat()}
    assert client.post(url, json=future, headers=headers).status_code == 422
    assert client.post(url, json={"disbursed_on": today.isoformat(), "disbursed_amount": 250000},
                       headers=headers).status_code == 422
    assert client.post(url, json={"disbursed_on": today.isoformat()}, headers=reader).status_code == 403
    response = client.post(url, json={"disbursed_on": today.isoformat()}, headers=headers)
    assert response.status_code == 200 and response.get_json()["disbursed_amount"] == 200000
    assert client.post(url, json={"disbursed_on": today.isoformat()}, headers=headers).status_code == 422
    assert client.post(f"{BASE}/awards/{award_id}/tranches/99999/disbursement", json={
        "disbursed_on": today.isoformat()}, headers=headers).status_code == 404

    # report review: returned with comments, then the final report accepted completes the grant
    with in_tenant("elbasan") as session:
        row = services.get_award(award_id)
        narrative = services.submit_report(row, kind="narrative", text="Dy takime", spent=None).id
    review = f"{BASE}/awards/{award_id}/reports/{narrative}/review"
    assert client.post(review, json={"decision": "returned"}, headers=headers).status_code == 422
    assert client.post(review, json={"decision": "maybe"}, headers=headers).status_code == 422
    assert client.post(review, json={"decision": "accepted"}, headers=reader).status_code == 403
    response = client.post(review, json={"decision": "returned", "comment": "Shtoni listat e pjesëmarrësve"},
                           headers=headers)
    assert response.status_code == 200 and response.get_json()["status"] == "returned"
    assert client.post(review, json={"decision": "accepted"}, headers=headers).status_code == 422
    with in_tenant("elbasan") as session:
        final = services.submit_report(services.get_award(award_id), kind="final",
                                       text="U mbajtën 6 takime me 120 banorë", spent=300000).id
    response = client.post(f"{BASE}/awards/{award_id}/reports/{final}/review", json={"decision": "accepted"},
                           headers=headers)
    assert response.status_code == 200 and response.get_json()["status"] == "accepted"
    award = client.get(f"{BASE}/awards/{award_id}", headers=reader).get_json()
    assert award["status"] == "completed" and award["results"] == "U mbajtën 6 takime me 120 banorë"
    assert [r["status"] for r in award["reports"]] == ["returned", "accepted"]

    # another municipality: 404 for each id, on its own path and on Elbasan's
    for path in (f"/calls/{call_id}/committee", f"/calls/{call_id}/scores", f"/calls/{call_id}/conflicts",
                 f"/applications/{first}/eligibility"):
        assert client.get(f"{BASE}{path}", headers=outsider).status_code == 404
        assert client.get(f"/api/v1/municipalities/fier/grants{path}", headers=outsider).status_code == 404
    assert client.post(f"/api/v1/municipalities/fier/grants/awards/{award_id}/reports/{final}/review",
                       json={"decision": "accepted"}, headers=outsider).status_code == 404
    with in_tenant("elbasan") as session:
        assert session.get(GrantCall, call_id).status == "decided"
        assert session.get(GrantApplication, second).status == "proposed"
        assert session.get(GrantReport, narrative).review_comment == "Shtoni listat e pjesëmarrësve"
        assert session.get(GrantCommitteeMember, extra) is None


def test_a_tranche_or_report_of_another_award_is_404(app, client, make_user, api_token, in_tenant):
    from tests.grants.support import award_graph

    with in_tenant("elbasan") as session:
        one, two = award_graph(session, "one"), award_graph(session, "two")
        ids = (one["award"].id, two["award"].tranches[0].id, two["report"].id)
    headers = api_token(make_user("technical_secretary", municipality="elbasan"))
    assert client.post(f"{BASE}/awards/{ids[0]}/tranches/{ids[1]}/disbursement",
                       json={"disbursed_on": local_today().isoformat()}, headers=headers).status_code == 404
    assert client.post(f"{BASE}/awards/{ids[0]}/reports/{ids[2]}/review", json={"decision": "accepted"},
                       headers=headers).status_code == 404


def test_the_openapi_document_describes_the_process(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    prefix = "/api/v1/municipalities/{municipality}/grants"
    for path, method in (("/applications/{application_id}/eligibility", "put"),
                         ("/calls/{call_id}/committee", "post"),
                         ("/calls/{call_id}/committee/{scorer_id}", "delete"),
                         ("/calls/{call_id}/committee/{scorer_id}/link", "post"),
                         ("/calls/{call_id}/conflicts", "get"), ("/calls/{call_id}/scores", "get"),
                         ("/calls/{call_id}/proposal", "post"), ("/calls/{call_id}/decision", "post"),
                         ("/applications/{application_id}/award", "post"),
                         ("/awards/{award_id}/tranches/{tranche_id}/disbursement", "post"),
                         ("/awards/{award_id}/reports/{grant_report_id}/review", "post")):
        assert method in paths[prefix + path], path
