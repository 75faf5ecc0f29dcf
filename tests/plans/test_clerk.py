"""Issue 20, "A clerk's daily work": the plan items. A round trip through the spreadsheet loses nothing;
an import that changes what is recorded shows the changes and asks, and keeps the draft it replaces;
approvals take only decisions that can be the one (Art. 8.4, 8.5) and the chair can correct a mistake;
amounts as people type them; lateness as of the report's date (Art. 8.6); references across
municipalities; what a role cannot do is not offered, and refused with 403."""
from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from safetycouncil.audit.models import AuditEntry
from safetycouncil.council.models import Institution
from safetycouncil.extensions import db
from safetycouncil.municipalities.models import Municipality
from safetycouncil.plans.models import PlanVersion
from safetycouncil.risks.models import Risk

from ..documents.pdfcheck import is_landscape, read_tagged_pdf
from tests import factories as make

from . import support

API = "/api/v1/municipalities/elbasan/plans"


@pytest.fixture
def secretary(make_user):
    return make_user("technical_secretary", municipality="elbasan")


@pytest.fixture
def headers(secretary, api_token):
    return api_token(secretary)


@pytest.fixture
def web(app, secretary, login):
    client = app.test_client()
    login(client, secretary)
    return client


def _county_id(session, slug):
    return session.execute(select(Municipality.county_id).where(Municipality.slug == slug)).scalar_one()


def upload(client, headers, data: bytes, year: str, confirm: str | None = None, filename="plani.xlsx"):
    body = {"file": (io.BytesIO(data), filename), "year": year}
    if confirm:
        body["confirm"] = confirm
    return client.post(f"{API}/import", headers=headers, content_type="multipart/form-data", data=body)


# --- 1. the round trip ----------------------------------------------------------------------------

def _rich_plan(client, headers, in_tenant) -> dict:
    """A plan with every kind of content: two items linked to risks, activities with several institutions
    (one shared by the Ministry from another county), partners, each kind of timing, three funding rows
    (budget, donor with a decimal amount, a community grant with every field), indicators with decimal
    baselines and targets and their source."""
    with in_tenant("elbasan") as session:
        county = _county_id(session, "elbasan")
        police = Institution(name="Drejtoria Vendore e Policisë Elbasan", kind="police", county_id=county)
        school = Institution(name="Zyra Vendore Arsimore Elbasan", kind="education", county_id=county)
        shared = Institution(name="Agjencia Shtetërore për të Drejtat e Fëmijëve", kind="national_agency",
                             county_id=_county_id(session, "tirane"), shared=True)
        session.add_all([police, school, shared])
        session.flush()
        risks = [Risk(title="Dhuna në familje në rritje", intensity="high"),
                 Risk(title="Siguria rrugore pranë shkollave", intensity="moderate")]
        session.add_all(risks)
        session.flush()
        ids = {"police": police.id, "school": school.id, "shared": shared.id, "risks": [r.id for r in risks]}
    plan = client.post(API, headers=headers, json={"year": 2026}).get_json()
    version_id = plan["versions"][0]["id"]

    def post(url, body):
        response = client.post(url, headers=headers, json=body)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    first = post(f"{API}/versions/{version_id}/items", {"number": "1.5", "issue": "Dhuna në familje",
                                                        "intensity": "high", "risk_id": ids["risks"][0]})
    a1 = post(f"{API}/items/{first['id']}/activities", {
        "description": "Linjë telefonike falas për viktimat", "partners": "Qendra Sociale Murialdo; OJF Tjetër",
        "timing_kind": "deadline", "timing_value": "2026-06-30",
        "institution_ids": [ids["police"], ids["shared"]]})
    post(f"{API}/items/{first['id']}/activities", {
        "description": "Takime me komunitetin", "timing_kind": "recurrence", "timing_value": "every_two_months",
        "institution_ids": [ids["school"]]})
    post(f"{API}/activities/{a1['id']}/funding", {"source": "municipal_budget", "amount": "1.500.000"})
    post(f"{API}/activities/{a1['id']}/funding", {"source": "donor", "donor": "OSBE", "amount": "1 250 000,75",
                                                  "currency": "EUR", "period": "2026", "results": "12 trajnime"})
    post(f"{API}/items/{first['id']}/indicators", {"name": "Raste të raportuara", "unit": "raste",
                                                   "baseline": 56, "target": 45.5, "source": "DVP Elbasan"})
    post(f"{API}/items/{first['id']}/indicators", {"name": "Thirrje në linjë", "baseline": "1.234.567,25"})
    second = post(f"{API}/versions/{version_id}/items", {"number": "2", "issue": "Siguria rrugore",
                                                         "intensity": "moderate", "risk_id": ids["risks"][1]})
    a3 = post(f"{API}/items/{second['id']}/activities", {
        "description": "Sinjalistikë pranë shkollave", "timing_kind": "period", "timing_value": "second_half",
        "institution_ids": [ids["school"], ids["police"]]})
    post(f"{API}/activities/{a3['id']}/funding", {
        "source": "community_grant", "grantee": "Shoqata Rinia", "title": "Rruga e sigurt", "amount": 300000,
        "objective": "Vullnetarë në kryqëzime", "period": "shtator–dhjetor", "results": "4 shkolla"})
    third = post(f"{API}/versions/{version_id}/items", {"number": "3", "issue": "Bullizmi", "intensity": "low"})
    post(f"{API}/items/{third['id']}/activities", {"description": "Orë mësimi", "timing_kind": "period",
                                                   "timing_value": "q3", "institution_ids": [ids["school"]]})
    # A draft is often incomplete: an activity without institutions or timing, an item without activities.
    post(f"{API}/items/{third['id']}/activities", {"description": "Ende pa afat"})
    post(f"{API}/versions/{version_id}/items", {"number": "4", "issue": "Grabitjet", "intensity": "low"})
    return {**ids, "plan_id": plan["id"], "version_id": version_id}


ITEM_FIELDS = ("number", "issue", "intensity", "risk_id")
ACTIVITY_FIELDS = ("description", "partners", "timing_kind", "timing_value")
INDICATOR_FIELDS = ("name", "unit", "baseline", "target", "source")
FUNDING_FIELDS = ("source", "amount", "currency", "donor", "grantee", "title", "objective", "period", "results")


def everything(version: dict) -> list[dict]:
    """Every field of every item, activity (institutions by id, in order), indicator and funding row, in
    order, without ids, keys and positions (a new plan has its own; the order is compared)."""
    return [{**{f: i[f] for f in ITEM_FIELDS},
             "activities": [{**{f: a[f] for f in ACTIVITY_FIELDS},
                             "institutions": [x["id"] for x in a["institutions"]],
                             "funding": [{f: x[f] for f in FUNDING_FIELDS} for x in a["funding"]]}
                            for a in i["activities"]],
             "indicators": [{f: x[f] for f in INDICATOR_FIELDS} for x in i["indicators"]]}
            for i in version["items"]]


@pytest.mark.parametrize("lang", ["sq", "en"])
def test_an_exported_plan_imported_for_another_year_keeps_every_field(client, headers, web, in_tenant, lang):
    rich = _rich_plan(client, headers, in_tenant)
    original = client.get(f"{API}/versions/{rich['version_id']}", headers=headers).get_json()
    before = everything(original)
    assert len(before) == 4 and sum(len(a["funding"]) for i in before for a in i["activities"]) == 3
    assert before[0]["activities"][0]["funding"][0]["amount"] == 1500000
    assert before[0]["activities"][0]["funding"][1]["amount"] == 1250000.75
    assert before[0]["indicators"][1]["baseline"] == 1234567.25
    sheet = web.get(f"/elbasan/plans/versions/{rich['version_id']}/plan.xlsx?lang={lang}")
    assert sheet.status_code == 200
    imported = upload(client, headers, sheet.data, year="2027")
    assert imported.status_code == 201, imported.get_json()
    report = imported.get_json()
    assert report["imported"] and report["plan_id"] != rich["plan_id"]
    again = client.get(f"{API}/versions/{report['version_id']}", headers=headers).get_json()
    assert everything(again) == before
    # The 2026 deadline in a 2027 plan is accepted, with a warning.
    assert any("2027" in w for w in report["warnings"])


@pytest.mark.parametrize("lang, tag", [("sq", "sq-AL"), ("en", "en-GB")])
def test_the_plan_pdf_is_tagged_landscape_and_breaks_no_word(client, headers, web, in_tenant, lang, tag):
    """Issue 14: the plan as a tagged PDF (PDF/UA) on A4 landscape, every word of its table whole."""
    rich = _rich_plan(client, headers, in_tenant)
    pdf = web.get(f"/elbasan/plans/versions/{rich['version_id']}/plan.pdf?lang={lang}")
    assert pdf.status_code == 200
    reader, text = read_tagged_pdf(pdf.data, tag, table=True)
    assert is_landscape(reader)
    lines, flowing = text.split("\n"), " ".join(text.split())
    for words in ("Dhuna në familje", "Linjë telefonike falas për viktimat", "Drejtoria Vendore e Policisë Elbasan",
                  "Sinjalistikë pranë shkollave", "Raste të raportuara", "OSBE"):
        assert words in flowing, words
    for word in ("Agjencia", "Shtetërore", "Drejtoria", "Sinjalistikë", "komunitetin", "Prokuroria"):
        # a word broken mid-word would leave a line ending in its beginning ("Drejto" / "ria")
        assert not any(line.rstrip().endswith(word[:-2]) for line in lines), word


def test_reimporting_the_export_into_the_same_draft_changes_nothing(client, headers, web, in_tenant):
    rich = _rich_plan(client, headers, in_tenant)
    before = everything(client.get(f"{API}/versions/{rich['version_id']}", headers=headers).get_json())
    sheet = web.get(f"/elbasan/plans/versions/{rich['version_id']}/plan.xlsx").data
    response = upload(client, headers, sheet, year="2026")
    assert response.status_code == 201, response.get_json()  # nothing changes: no question asked
    after = client.get(f"{API}/versions/{response.get_json()['version_id']}", headers=headers).get_json()
    assert everything(after) == before


# --- 1 and 2. an import that changes what is recorded asks first; the replaced draft is kept -------

def test_an_import_over_an_edited_draft_shows_the_changes_asks_and_keeps_the_draft(client, headers, web,
                                                                                 in_tenant):
    rich = _rich_plan(client, headers, in_tenant)
    before = everything(client.get(f"{API}/versions/{rich['version_id']}", headers=headers).get_json())
    with in_tenant("elbasan") as session:
        support.known_institutions(session, names=("Bashkia Elbasan",))
    rows = [support.ALBANIAN_HEADER,
            ["1.5", "Dhuna në familje", "i lartë", "Linjë telefonike falas për viktimat", "Bashkia Elbasan",
             "30.06.2026"],
            ["9", "Vjedhjet", "i ulët", "Patrullime", "Bashkia Elbasan", "Gjatë gjithë vitit"]]
    sheet = support.xlsx(rows, title=None)
    asked = upload(client, headers, sheet, year="2026")
    assert asked.status_code == 409, asked.get_json()
    payload = asked.get_json()["errors"]
    changes = {row["number"]: row["change"] for row in payload["preview"]["items"]}
    assert changes == {"1.5": "changed", "9": "added", "2": "removed", "3": "removed", "4": "removed"}
    removed_activity = [a for row in payload["preview"]["items"] if row["number"] == "1.5"
                        for a in row["activities"] if a["change"] == "removed"]
    assert [a["label"] for a in removed_activity] == ["Takime me komunitetin"]
    # Nothing was changed by asking.
    assert everything(client.get(f"{API}/versions/{rich['version_id']}", headers=headers).get_json()) == before
    wrong = upload(client, headers, sheet, year="2026", confirm="not-the-token")
    assert wrong.status_code == 409
    done = upload(client, headers, sheet, year="2026", confirm=payload["confirm"])
    assert done.status_code == 201, done.get_json()
    report = done.get_json()
    assert report["replaced_version_id"] == rich["version_id"] and report["version_id"] != rich["version_id"]
    new = client.get(f"{API}/versions/{report['version_id']}", headers=headers).get_json()
    assert [i["number"] for i in new["items"]] == ["1.5", "9"]
    # The item it continues keeps its risk link and its activity its funding (the sheet says nothing of them).
    assert new["items"][0]["risk_id"] == rich["risks"][0]
    assert len(new["items"][0]["activities"][0]["funding"]) == 2
    kept = client.get(f"{API}/versions/{rich['version_id']}", headers=headers).get_json()
    assert kept["status"] == "replaced" and everything(kept) == before
    # The page says so and restores it; the imported draft is kept in its place.
    page = web.get(f"/elbasan/plans/versions/{rich['version_id']}").get_data(as_text=True)
    assert 'value="restore"' in page
    assert web.post(f"/elbasan/plans/versions/{rich['version_id']}", data={"action": "restore"}).status_code == 302
    versions = {v["id"]: v["status"] for v in client.get(f"{API}/{rich['plan_id']}/versions",
                                                          headers=headers).get_json()}
    assert versions == {rich["version_id"]: "draft", report["version_id"]: "replaced"}


def test_the_import_page_previews_and_confirms(client, headers, web, in_tenant):
    rich = _rich_plan(client, headers, in_tenant)
    rows = [support.ALBANIAN_HEADER, ["1", "Vjedhjet", "i ulët", "Patrullime",
                                      "Drejtoria Vendore e Policisë Elbasan", "Gjatë gjithë vitit"]]
    page = web.post("/elbasan/plans/import", content_type="multipart/form-data",
                    data={"year": "2026", "file": (io.BytesIO(support.xlsx(rows, title=None)), "plani.xlsx")})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="confirm"' in html and "Dhuna në familje" in html and "Siguria rrugore" in html
    pending = re.search(r'name="pending" value="([^"]+)"', html)[1]
    token = re.search(r'name="confirm" value="([^"]+)"', html)[1]
    assert client.get(f"{API}/versions/{rich['version_id']}", headers=headers).get_json()["status"] == "draft"
    # Another municipality's stored file cannot be named.
    forged = web.post("/elbasan/plans/import", data={"year": "2026", "pending": "municipality-9/plan-imports/x",
                                                     "confirm": token})
    assert forged.status_code == 422
    done = web.post("/elbasan/plans/import", data={"year": "2026", "pending": pending, "confirm": token})
    assert done.status_code == 302
    assert client.get(f"{API}/versions/{rich['version_id']}", headers=headers).get_json()["status"] == "replaced"


# --- 4. approvals that make sense (Art. 8.4, 8.5) ------------------------------------------------

@pytest.fixture
def draft(client, headers, in_tenant):
    with in_tenant("elbasan") as session:
        police = Institution(name="DVP Elbasan", kind="police", county_id=_county_id(session, "elbasan"))
        session.add(police)
        session.flush()
        police_id = police.id
    plan = client.post(API, headers=headers, json={"year": 2027}).get_json()
    version_id = plan["versions"][0]["id"]
    item = client.post(f"{API}/versions/{version_id}/items", headers=headers,
                       json={"number": "1", "issue": "Dhuna në familje", "intensity": "high"}).get_json()
    client.post(f"{API}/items/{item['id']}/activities", headers=headers, json={
        "description": "Takime", "institution_ids": [police_id], "timing_kind": "period", "timing_value": "q1"})
    return {"plan_id": plan["id"], "version_id": version_id}


def test_only_signed_decisions_of_later_council_meetings_not_used_before_approve_a_plan(client, headers, web,
                                                                                       draft, in_tenant):
    """Art. 8.4: the plan is approved at a council meeting held after the draft exists, by its decision,
    signed by the chair (Art. 7.8); one decision approves one version."""
    with in_tenant("elbasan") as session:
        old = support.decision(session, datetime.now() - timedelta(days=365), "6/2025").id
        unsigned = support.decision(session, support.after_today(1), "2/2027", signed=False).id
        good = support.decision(session, support.after_today(2), "3/2027").id
        planned = support.decision(session, support.after_today(3), "4/2027")
        session.get(type(planned).__mro__[0], planned.id)
        from safetycouncil.meetings.models import Meeting

        session.get(Meeting, planned.meeting_id).status = "planned"
        planned = planned.id
    offered = client.get(f"{API}/versions/{draft['version_id']}/approval/decisions", headers=headers).get_json()
    assert [d["id"] for d in offered] == [good]
    page = web.get(f"/elbasan/plans/versions/{draft['version_id']}").get_data(as_text=True)
    assert "3/2027" in page and "6/2025" not in page and "2/2027" not in page
    for decision_id, words in ((old, "6/2025"), (unsigned, "2/2027"), (planned, "")):
        refused = client.post(f"{API}/versions/{draft['version_id']}/approval", headers=headers,
                              json={"decision_id": decision_id})
        assert refused.status_code == 422, refused.get_json()
        assert words in refused.get_json()["errors"]["decision_id"]
    assert client.post(f"{API}/versions/{draft['version_id']}/approval", headers=headers,
                       json={"decision_id": good}).status_code == 200
    # The same decision cannot approve another plan.
    other = client.post(API, headers=headers, json={"year": 2028}).get_json()
    other_version = other["versions"][0]["id"]
    client.post(f"{API}/versions/{other_version}/items", headers=headers, json={"issue": "Vjedhjet"})
    reused = client.post(f"{API}/versions/{other_version}/approval", headers=headers, json={"decision_id": good})
    assert reused.status_code == 422 and "3/2027" in reused.get_json()["errors"]["decision_id"]


def test_a_revision_is_approved_only_after_the_consultation_that_asked_for_it(client, headers, draft, in_tenant):
    """Art. 8.5: the council approves the revision at a meeting after the open consultation."""
    with in_tenant("elbasan") as session:
        first = support.decision(session, support.after_today(1), "1/2027").id
        consultation = make.meeting(session, "open_consultation", support.after_today(20, 17)).id
        too_early = support.decision(session, support.after_today(10), "5/2027").id
        after = support.decision(session, support.after_today(30), "9/2027").id
    client.post(f"{API}/versions/{draft['version_id']}/approval", headers=headers, json={"decision_id": first})
    revision = client.post(f"{API}/{draft['plan_id']}/versions", headers=headers,
                           json={"consultation_meeting_id": consultation}).get_json()
    refused = client.post(f"{API}/versions/{revision['id']}/approval", headers=headers,
                          json={"decision_id": too_early})
    assert refused.status_code == 422 and "5/2027" in refused.get_json()["errors"]["decision_id"]
    offered = client.get(f"{API}/versions/{revision['id']}/approval/decisions", headers=headers).get_json()
    assert [d["id"] for d in offered] == [after]
    assert client.post(f"{API}/versions/{revision['id']}/approval", headers=headers,
                       json={"decision_id": after}).status_code == 200


def test_the_chair_corrects_a_mistaken_approval_with_a_reason(app, client, headers, draft, in_tenant, make_user,
                                                             api_token, login):
    with in_tenant("elbasan") as session:
        first = support.decision(session, support.after_today(1), "1/2027").id
        wrong = support.decision(session, support.after_today(5), "8/2027").id
    client.post(f"{API}/versions/{draft['version_id']}/approval", headers=headers, json={"decision_id": first})
    revision = client.post(f"{API}/{draft['plan_id']}/versions", headers=headers, json={}).get_json()
    assert client.post(f"{API}/versions/{revision['id']}/approval", headers=headers,
                       json={"decision_id": wrong}).status_code == 200
    # The secretary is not offered the correction and is refused with 403.
    secretary_web = app.test_client()
    login(secretary_web, make_user("technical_secretary", municipality="elbasan"))
    assert 'value="withdraw"' not in secretary_web.get(f"/elbasan/plans/versions/{revision['id']}").get_data(
        as_text=True)
    refused = client.post(f"{API}/versions/{revision['id']}/approval/withdrawal", headers=headers,
                          json={"reason": "Gabim"})
    assert refused.status_code == 403
    chair = make_user("chair", municipality="elbasan")
    chair_web = app.test_client()
    login(chair_web, chair)
    assert 'value="withdraw"' in chair_web.get(f"/elbasan/plans/versions/{revision['id']}").get_data(as_text=True)
    no_reason = chair_web.post(f"/elbasan/plans/versions/{revision['id']}", data={"action": "withdraw"})
    assert no_reason.status_code == 422
    done = client.post(f"{API}/versions/{revision['id']}/approval/withdrawal", headers=api_token(chair),
                       json={"reason": "U zgjodh vendimi i mbledhjes së gabuar."})
    assert done.status_code == 200, done.get_json()
    corrected = done.get_json()
    assert corrected["status"] == "draft" and corrected["approved_decision_id"] is None
    assert "U zgjodh vendimi i mbledhjes së gabuar." in corrected["note"]
    statuses = {v["id"]: v["status"] for v in client.get(f"{API}/{draft['plan_id']}/versions",
                                                         headers=headers).get_json()}
    assert statuses == {draft["version_id"]: "approved", revision["id"]: "draft"}  # the previous one restored
    with in_tenant("elbasan") as session:
        entry = session.execute(select(AuditEntry).where(AuditEntry.action == "plan_approval_withdrawn")).scalar_one()
        assert entry.user_id == chair.id and entry.changes["reason"] == "U zgjodh vendimi i mbledhjes së gabuar."
        assert entry.changes["decision_id"] == wrong
    # The decision is free again: the right one can be chosen now.
    offered = client.get(f"{API}/versions/{revision['id']}/approval/decisions", headers=headers).get_json()
    assert wrong in [d["id"] for d in offered]


# --- 5. amounts as people type them; deadlines outside the plan's year ----------------------------

@pytest.mark.parametrize("typed, expected", [("1.500.000", 1500000), ("1 500 000,50", 1500000.5),
                                             ("1500000", 1500000), ("250,75", 250.75), ("1\u00a0500", 1500)])
def test_amounts_in_albanian_formats_are_accepted(client, headers, draft, web, typed, expected):
    version = client.get(f"{API}/versions/{draft['version_id']}", headers=headers).get_json()
    activity_id = version["items"][0]["activities"][0]["id"]
    response = client.post(f"{API}/activities/{activity_id}/funding", headers=headers,
                           json={"source": "municipal_budget", "amount": typed})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["amount"] == expected
    page = web.post(f"/elbasan/plans/activities/{activity_id}", data={"action": "funding",
                                                                      "source": "municipal_budget", "amount": typed})
    assert page.status_code == 302
    amounts = [f["amount"] for f in client.get(f"{API}/activities/{activity_id}", headers=headers).get_json()["funding"]]
    assert amounts == [expected, expected]


def test_a_text_that_is_not_an_amount_is_refused_clearly(client, headers, draft):
    version = client.get(f"{API}/versions/{draft['version_id']}", headers=headers).get_json()
    activity_id = version["items"][0]["activities"][0]["id"]
    refused = client.post(f"{API}/activities/{activity_id}/funding", headers=headers,
                          json={"source": "municipal_budget", "amount": "një milion"})
    assert refused.status_code == 422 and "1.500.000" in refused.get_json()["errors"]["amount"]


def test_a_deadline_outside_the_plans_year_is_accepted_with_a_warning(client, headers, draft, web):
    item_id = client.get(f"{API}/versions/{draft['version_id']}", headers=headers).get_json()["items"][0]["id"]
    outside = client.post(f"{API}/items/{item_id}/activities", headers=headers, json={
        "description": "Fushatë", "timing_kind": "deadline", "timing_value": "2026-11-30"})
    assert outside.status_code == 201
    assert outside.get_json()["warnings"] and "2027" in outside.get_json()["warnings"][0]
    inside = client.post(f"{API}/items/{item_id}/activities", headers=headers, json={
        "description": "Fushatë 2", "timing_kind": "deadline", "timing_value": "2027-11-30"})
    assert inside.get_json()["warnings"] == []
    page = web.post(f"/elbasan/plans/items/{item_id}", data={
        "action": "activity", "description": "Fushatë 3", "timing_kind": "deadline",
        "timing_deadline": "30.11.2026"}, follow_redirects=True)
    assert page.status_code == 200 and "flash-warning" in page.get_data(as_text=True)


# --- 6. lateness as of the report's date ---------------------------------------------------------

def test_the_report_counts_lateness_as_of_its_date_like_the_monitoring_page(app, client, headers, in_tenant,
                                                                           run_jobs):
    """Art. 8.6: a report generated during its period counts an activity due later in the period as not
    late, and as many late activities as the monitoring page."""
    from safetycouncil.plans import monitoring, reports
    from safetycouncil.plans.rendering import report_document
    from safetycouncil.timeutil import local_today

    today = local_today()
    year = today.year
    with in_tenant("elbasan") as session:
        police = Institution(name="DVP Elbasan", kind="police", county_id=_county_id(session, "elbasan"))
        session.add(police)
        session.flush()
        police_id = police.id
        decision = support.decision(session, support.after_today(0, 0)).id
    plan = client.post(API, headers=headers, json={"year": year}).get_json()
    version_id = plan["versions"][0]["id"]
    item = client.post(f"{API}/versions/{version_id}/items", headers=headers,
                       json={"number": "1", "issue": "Pikat e nxehta", "intensity": "high"}).get_json()
    for description, due in (("E vonuar", today - timedelta(days=3)), ("Ende në kohë", today + timedelta(days=6)),
                             ("Sot", today)):
        client.post(f"{API}/items/{item['id']}/activities", headers=headers, json={
            "description": description, "institution_ids": [police_id], "timing_kind": "deadline",
            "timing_value": due.isoformat()})
    assert client.post(f"{API}/versions/{version_id}/approval", headers=headers,
                       json={"decision_id": decision}).status_code == 200
    start = date(year, 1, 1) if today.month <= 6 else date(year, 7, 1)
    end = date(year, 6, 30) if today.month <= 6 else date(year, 12, 31)
    board = client.get(f"{API}/monitoring", headers=headers).get_json()
    assert board["overdue"] == 1
    with in_tenant("elbasan"):
        version = db.session.get(PlanVersion, version_id)
        page_count = sum(a["overdue"] for row in monitoring.board(version) for a in row["activities"])
        report = reports.request_report({"period_start": start, "period_end": end},  # the schema's clean data
                                        user_id=None)
        document = report_document(report)
        text = "\n".join(p for s in document.sections for p in (s.paragraphs or []))
        rows = [r for s in document.sections if s.table for r in s.table.rows]
        db.session.rollback()
    assert page_count == 1
    assert "1 aktivitete janë me vonesë" in text or "1 activities are overdue" in text or re.search(r"\b1\b", text)
    delays = {r[0]: r[4] for r in rows if len(r) == 6 and r[0] in ("E vonuar", "Ende në kohë", "Sot")}
    assert delays["Ende në kohë"] == "" and delays["Sot"] == "" and "3" in delays["E vonuar"]


# --- 3. references across municipalities ---------------------------------------------------------

@pytest.fixture
def fier(in_tenant):
    """Fier's own records and institutions: an Elbasan record may name none of them, except what the
    Ministry shares."""
    from safetycouncil.documents.models import Document

    with in_tenant("fier") as session:
        county = _county_id(session, "fier")
        own = Institution(name="Shoqata e Gruas Fier", kind="civil_society", county_id=county, shared=False)
        shared = Institution(name="Qendra Kombëtare e Fier", kind="national_agency", county_id=county, shared=True)
        session.add_all([own, shared])
        session.flush()
        risk = Risk(title="Rrezik i Fierit")
        session.add(risk)
        consultation = make.meeting(session, "open_consultation", datetime(2026, 3, 3, 17))
        monthly = make.meeting(session, "secretariat_monitoring", datetime(2026, 3, 5, 9))
        decision = support.decision(session, support.after_today(2))
        concern = support.concern(session)
        document = Document(title="Fier", filename="f.pdf", content_type="application/pdf", size_bytes=1,
                            sha256="0" * 64, storage_key="municipality-x/f.pdf")
        session.add(document)
        from safetycouncil.council.models import CouncilMember

        member = CouncilMember(full_name="Anëtar i Fierit", category="k", mandate_start=date(2025, 1, 1))
        session.add(member)
        session.flush()
        return {"member": member.id, "institution": own.id, "shared": shared.id, "risk": risk.id, "consultation": consultation.id,
                "monthly": monthly.id, "decision": decision.id, "concern": concern.id, "document": document.id,
                "area": support.area(session).id}


def test_a_record_refers_only_to_its_own_its_countys_or_shared_objects(client, headers, draft, fier, web,
                                                                      make_user, in_tenant):
    """Every field of the plans, risks and council that carries the id of another record refuses Fier's
    (an institution of another county that is not shared, or any of Fier's own records), through the API
    and the pages; an institution the Ministry shares is accepted."""
    version = client.get(f"{API}/versions/{draft['version_id']}", headers=headers).get_json()
    item_id, activity_id = version["items"][0]["id"], version["items"][0]["activities"][0]["id"]
    officer = make_user("institution_officer", municipality="elbasan")
    base = "/api/v1/municipalities/elbasan"
    refused = [
        ("post", f"{API}/items/{item_id}/activities", {"description": "X", "institution_ids": [fier["institution"]]},
         "institution_ids"),
        ("patch", f"{API}/activities/{activity_id}", {"institution_ids": [fier["institution"]]}, "institution_ids"),
        ("post", f"{API}/institution-officers", {"user_id": officer.id, "institution_id": fier["institution"]},
         "institution_id"),
        ("post", f"{base}/council/institutions", {"institution_id": fier["institution"]}, "institution_id"),
        ("post", f"{base}/council/members", {"full_name": "A B", "category": "k", "mandate_start": "2026-01-01",
                                             "institution_id": fier["institution"]}, "institution_id"),
        ("patch", f"{API}/items/{item_id}", {"risk_id": fier["risk"]}, "risk_id"),
        ("post", f"{API}/{draft['plan_id']}/versions", {"consultation_meeting_id": fier["consultation"]},
         "consultation_meeting_id"),
        ("post", f"{API}/versions/{draft['version_id']}/approval", {"decision_id": fier["decision"]}, "decision_id"),
        ("post", f"{base}/risks", {"title": "X", "concern_ids": [fier["concern"]]}, "concern_ids"),
        ("post", f"{base}/risks", {"title": "X", "area_id": fier["area"]}, "area_id"),
    ]
    for method, url, body, field in refused:
        response = getattr(client, method)(url, headers=headers, json=body)
        assert response.status_code == 422, (url, body, response.get_json())
        assert field in response.get_json()["errors"], (url, response.get_json())
    message = client.post(f"{API}/items/{item_id}/activities", headers=headers,
                          json={"description": "X", "institution_ids": [fier["institution"]]}).get_json()
    assert "Shoqata e Gruas Fier" in message["errors"]["institution_ids"]
    # The same check behind the page.
    page = web.post(f"/elbasan/plans/items/{item_id}", data={"action": "activity", "description": "X",
                                                             "institution_ids": [str(fier["institution"])]})
    assert page.status_code == 422 and "Shoqata e Gruas Fier" in page.get_data(as_text=True)
    # Shared by the Ministry: accepted.
    shared = client.post(f"{API}/items/{item_id}/activities", headers=headers,
                         json={"description": "Y", "institution_ids": [fier["shared"]]})
    assert shared.status_code == 201, shared.get_json()
    risk = client.post(f"{base}/risks", headers=headers, json={"title": "Rrezik"}).get_json()
    evidence = client.post(f"{base}/risks/{risk['id']}/evidence", headers=headers,
                           json={"kind": "document", "document_id": fier["document"]})
    assert evidence.status_code == 422 and "document_id" in evidence.get_json()["errors"]
    # Concerns and meetings: Fier's area, consultation and council member are unknown here.
    for body, field in (({"area_id": fier["area"]}, "area_id"), ({"meeting_id": fier["consultation"]}, "meeting_id")):
        with in_tenant("elbasan") as session:
            area = support.area(session).id
            category = support.category(session).id
        concern = {"text": "Ndriçimi mungon", "source_kind": "citizen", "area_id": area, "category_id": category,
                   **body}
        response = client.post(f"{base}/concerns", headers=headers, json=concern)
        assert response.status_code == 422 and field in response.get_json()["errors"], response.get_json()
    with in_tenant("elbasan") as session:
        ad_hoc = make.meeting(session, "council_ad_hoc", support.after_today(5), status="planned").id
    invitees = client.put(f"{base}/meetings/{ad_hoc}/invitees", headers=headers,
                          json={"member_ids": [fier["member"]]})
    assert invitees.status_code == 422, invitees.get_json()


# --- 7. buttons for actions a role cannot take ---------------------------------------------------

def test_the_secretary_is_not_offered_the_chairs_approval_of_a_report(app, client, headers, web, in_tenant,
                                                                     make_user, login):
    from safetycouncil.plans.models import MonitoringReport

    with in_tenant("elbasan") as session:
        report = MonitoringReport(kind="monitoring", period_start=date(2026, 1, 1), period_end=date(2026, 6, 30),
                                  status="generated")
        session.add(report)
        session.flush()
        report_id = report.id
    page = web.get(f"/elbasan/plans/reports/{report_id}").get_data(as_text=True)
    assert 'value="approve"' not in page
    refused = web.post(f"/elbasan/plans/reports/{report_id}", data={"action": "approve"})
    assert refused.status_code == 403
    chair = app.test_client()
    login(chair, make_user("chair", municipality="elbasan"))
    assert 'value="approve"' in chair.get(f"/elbasan/plans/reports/{report_id}").get_data(as_text=True)


def test_an_institution_officer_is_refused_with_403_in_risks_and_concerns(app, client, make_user, api_token,
                                                                          login, in_tenant):
    """What an institution's officer may not do in the risks and concerns areas is a permission matter
    (403), like another institution's activity in the plan, not a validation error (422)."""
    officer = make_user("institution_officer", municipality="elbasan")
    headers = api_token(officer)
    with in_tenant("elbasan") as session:
        concern = support.concern(session, status="pending").id
        risk = Risk(title="Rrezik")
        session.add(risk)
        session.flush()
        risk = risk.id
    base = "/api/v1/municipalities/elbasan"
    assert client.post(f"{base}/risks", headers=headers, json={"title": "X"}).status_code == 403
    assert client.post(f"{base}/risks/{risk}/ratings", headers=headers,
                       json={"intensity": "high", "reason": "x"}).status_code == 403
    assert client.post(f"{base}/concerns/{concern}/moderation", headers=headers,
                       json={"decision": "accepted"}).status_code == 403
    web = app.test_client()
    login(web, officer)
    assert web.post("/elbasan/risks/", data={"title": "X"}).status_code == 403
