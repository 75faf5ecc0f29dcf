"""What the rules read can be recorded through the pages and the API: a decision that reviews the plan
(Art. 8.5) and the plan's publication on the official website (roadmap)."""
from __future__ import annotations

from datetime import date, timedelta

from safetycouncil.plans.models import PlanVersion
from safetycouncil.records.models import Decision
from safetycouncil.timeutil import local_today

from .support import YEAR, exemplary


def test_a_decision_that_reviews_the_plan_through_the_page_and_the_api(app, client, make_user, login,
                                                                       api_token, in_tenant):
    with in_tenant("elbasan") as s:
        built = exemplary(s, "elb")
        d2 = built["decisions"][1].id
        s.get(Decision, d2).signed_by_chair_on = None
    secretary = make_user("technical_secretary", municipality="elbasan", locale="en")
    login(client, secretary)
    page = client.get(f"/elbasan/meetings/decisions/{d2}").get_data(as_text=True)
    assert 'name="reviews_plan"' in page
    saved = client.post(f"/elbasan/meetings/decisions/{d2}", data={
        "number": f"elb/10/{YEAR}", "title": "Rishikimi i planit", "text": "Plani u rishikua dhe mbetet i pandryshuar.",
        "adopted_by_consensus": "1", "reviews_plan": "1"})
    assert saved.status_code == 302
    token = api_token(secretary)
    body = client.get(f"/api/v1/municipalities/elbasan/decisions/{d2}", headers=token).get_json()
    assert body["reviews_plan"] is True
    off = client.patch(f"/api/v1/municipalities/elbasan/decisions/{d2}", headers=token, json={"reviews_plan": False})
    assert off.status_code == 200 and off.get_json()["reviews_plan"] is False


def test_recording_the_plans_publication(app, client, make_user, login, api_token, in_tenant):
    with in_tenant("elbasan") as s:
        built = exemplary(s, "elb", skip=("publication",))
        v1 = built["versions"][0].id
    secretary = make_user("technical_secretary", municipality="elbasan", locale="en")
    login(client, secretary)
    url = f"/elbasan/plans/versions/{v1}"
    refused = client.post(url, data={"action": "publication", "published_on": (local_today() + timedelta(days=2))
                                     .isoformat(), "published_url": "not an address"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "cannot be in the future" in body and "https://" in body
    early = client.post(url, data={"action": "publication", "published_on": f"{YEAR}-03-01",
                                   "published_url": "https://elbasan.gov.al/kvsp/plani"})
    assert early.status_code == 422 and "before it was approved" in early.get_data(as_text=True)
    saved = client.post(url, data={"action": "publication", "published_on": f"{YEAR}-03-20",
                                   "published_url": "https://elbasan.gov.al/kvsp/plani"})
    assert saved.status_code == 302
    with in_tenant("elbasan") as s:
        assert s.get(PlanVersion, v1).published_on == date(YEAR, 3, 20)
    token = api_token(make_user("chair", municipality="elbasan"))
    answer = client.post(f"/api/v1/municipalities/elbasan/plans/versions/{v1}/publication", headers=token,
                         json={"published_on": f"{YEAR}-03-21", "published_url": "https://elbasan.gov.al/p"})
    assert answer.status_code == 200 and answer.get_json()["published_on"] == f"{YEAR}-03-21"
    member = api_token(make_user("member", municipality="elbasan"))
    assert client.post(f"/api/v1/municipalities/elbasan/plans/versions/{v1}/publication", headers=member,
                       json={"published_on": f"{YEAR}-03-21", "published_url": "https://x.al"}).status_code == 403
    outsider = api_token(make_user("technical_secretary", municipality="fier"))
    assert client.post(f"/api/v1/municipalities/fier/plans/versions/{v1}/publication", headers=outsider,
                       json={"published_on": f"{YEAR}-03-21", "published_url": "https://x.al"}).status_code == 404
