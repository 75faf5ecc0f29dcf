"""The plan's activities, revisions, approvals, progress and officers are each one schema (issue 23, "four
validator kits"): the page and the API load it alike, say the same words, and the page's limits come from it."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from safetycouncil.errors import ValidationFailed
from safetycouncil.schemas import field_limits, load_form

from . import support

API = "/api/v1/municipalities/elbasan/plans"
EN = {"Accept-Language": "en"}


@pytest.fixture
def draft(client, make_user, api_token, in_tenant):
    secretary = make_user("technical_secretary", municipality="elbasan", locale="en")
    headers = {**api_token(secretary), **EN}
    with in_tenant("elbasan") as session:
        police = support.institution(session, "Drejtoria Vendore e Policisë Elbasan", "police").id
    plan = client.post(API, headers=headers, json={"year": date.today().year}).get_json()
    version_id = plan["versions"][0]["id"]
    item = client.post(f"{API}/versions/{version_id}/items", headers=headers,
                       json={"number": "1", "issue": "Pikat e nxehta", "intensity": "high"}).get_json()
    return {"secretary": secretary, "headers": headers, "police": police, "item": item["id"],
            "version": version_id, "plan": plan["id"]}


def test_an_activity_is_refused_in_the_same_words_on_the_page_and_in_the_api(app, client, draft, login):
    too_long = {"description": "x" * 4001, "institution_ids": [draft["police"]]}
    answer = client.post(f"{API}/items/{draft['item']}/activities", headers=draft["headers"], json=too_long)
    assert answer.status_code == 422 and answer.get_json()["errors"] == {"description": ["At most 4000 characters."]}
    unknown = client.post(f"{API}/items/{draft['item']}/activities", headers=draft["headers"],
                          json={"description": "Patrullim", "institution_ids": ["the police"]})
    assert unknown.get_json()["errors"] == {"institution_ids": "Choose existing institutions."}
    staff = app.test_client()
    login(staff, draft["secretary"])
    page = staff.get(f"/elbasan/plans/items/{draft['item']}", headers=EN).get_data(as_text=True)
    assert 'name="description" rows="2" maxlength="4000" required' in page
    assert 'name="partners" maxlength="2000"' in page
    refused = staff.post(f"/elbasan/plans/items/{draft['item']}", headers=EN, data={
        "action": "activity", "description": "x" * 4001, "institution_ids": str(draft["police"])})
    assert refused.status_code == 422 and "At most 4000 characters." in refused.get_data(as_text=True)
    # A deadline as people write it is stored as a day; an unknown day is refused, nothing is half-saved.
    added = staff.post(f"/elbasan/plans/items/{draft['item']}", headers=EN, data={
        "action": "activity", "description": "Patrullim", "institution_ids": str(draft["police"]),
        "timing_kind": "deadline", "timing_deadline": f"30.06.{date.today().year}"})
    assert added.status_code == 302
    activity = client.get(f"{API}/items/{draft['item']}/activities", headers=draft["headers"]).get_json()[0]
    assert activity["timing_value"] == f"{date.today().year}-06-30"
    assert [i["id"] for i in activity["institutions"]] == [draft["police"]]
    wrong_day = client.patch(f"{API}/activities/{activity['id']}", headers=draft["headers"],
                             json={"timing_value": "31.02.2026"})
    assert wrong_day.status_code == 422 and wrong_day.get_json()["errors"] == {
        "timing_value": "Enter a date as DD.MM.YYYY."}
    cleared = client.patch(f"{API}/activities/{activity['id']}", headers=draft["headers"],
                           json={"timing_kind": None, "partners": "  "})
    assert cleared.status_code == 200
    assert (cleared.get_json()["timing_value"], cleared.get_json()["partners"]) == (None, None)


def test_the_forms_of_revision_approval_withdrawal_progress_and_officers_take_their_limits_from_the_schemas(app):
    assert field_limits("plans.schemas.RevisionSchema")["note"] == ' maxlength="4000"'
    assert field_limits("plans.schemas.WithdrawalSchema")["reason"] == ' maxlength="2000" required'
    assert field_limits("plans.schemas.ApprovalSchema")["decision_id"] == " required"
    assert field_limits("plans.schemas.ProgressInputSchema")["comment"] == ' maxlength="4000"'
    assert field_limits("plans.publication.PlanPublicationSchema")["published_url"] == ' maxlength="500" required'
    from safetycouncil.plans.schemas import ActivityInputSchema, OfficerInputSchema, ProgressInputSchema

    with app.test_request_context(headers=EN):
        data = load_form(ActivityInputSchema(), MultiDict([("description", " Patrullim "), ("institution_ids", "3"),
                                                           ("institution_ids", ""), ("institution_ids", "5")]))
        assert data == {"description": "Patrullim", "institution_ids": [3, 5]}
        with pytest.raises(ValidationFailed) as refused:
            load_form(OfficerInputSchema(), MultiDict({"user_id": "", "institution_id": "x"}))
        assert refused.value.errors == {"user_id": _("Choose the person."), "institution_id": _("Choose the institution.")}
        with pytest.raises(ValidationFailed) as refused:
            load_form(ProgressInputSchema(), {"status": "finished", "progress": "140", "reported_on": "32.01.2026",
                                              "indicator_values": [{"indicator_id": "1", "value": "shumë"}]})
        assert refused.value.errors == {
            "status": _("Choose the status: not started, in progress, done, delayed or cancelled."),
            "progress": _("Enter the progress as a percentage from 0 to 100."),
            "reported_on": _("Enter a date as DD.MM.YYYY."),
            "indicator_values": _("Enter each indicator's current value as a number.")}
        values = load_form(ProgressInputSchema(), {"status": "done", "indicator_values": [
            {"indicator_id": "1", "value": "1 500,5"}, {"indicator_id": "2", "value": ""}]})["indicator_values"]
        assert values == [{"indicator_id": 1, "value": 1500.5}]
        from safetycouncil.plans import publication

        with pytest.raises(ValidationFailed) as refused:  # the one "too long"
            publication.clean({"published_on": "2025-01-10", "published_url": "https://bashkia.al/" + "a" * 500})
        assert refused.value.errors == {"published_url": _("At most %(n)d characters.", n=500)}


def test_approval_and_revision_read_their_schemas_on_the_page_and_in_the_api(app, client, draft, login, in_tenant):
    staff = app.test_client()
    login(staff, draft["secretary"])
    page = staff.post(f"/elbasan/plans/versions/{draft['version']}", headers=EN,
                      data={"action": "approve", "decision_id": ""})
    assert page.status_code == 422 and "Choose the council&#39;s decision that approves the plan." in page.get_data(
        as_text=True)
    answer = client.post(f"{API}/versions/{draft['version']}/approval", headers=draft["headers"], json={})
    assert answer.get_json()["errors"] == {"decision_id": "Choose the council's decision that approves the plan."}
    with in_tenant("elbasan") as session:
        decision = support.decision(session, datetime.combine(date.today(), datetime.min.time())
                                    + timedelta(hours=23)).id
    assert client.post(f"{API}/versions/{draft['version']}/approval", headers=draft["headers"],
                       json={"decision_id": decision}).status_code == 200
    long_note = staff.post(f"/elbasan/plans/{draft['plan']}", headers=EN, data={"meeting_id": "", "note": "x" * 4001})
    assert long_note.status_code == 422 and "At most 4000 characters." in long_note.get_data(as_text=True)
    revision = client.post(f"{API}/{draft['plan']}/versions", headers=draft["headers"], json={"note": "  Pas dëgjesës "})
    assert revision.status_code == 201 and revision.get_json()["note"] == "Pas dëgjesës"
