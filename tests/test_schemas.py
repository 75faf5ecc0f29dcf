"""One contract per input (issue 23, "four validator kits"): each area's marshmallow schema is loaded by its
page and by the API alike, says "too long" in one way, and gives the pages their HTML limits."""
from __future__ import annotations

from datetime import datetime

import pytest
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from safetycouncil.errors import ValidationFailed
from safetycouncil.schemas import field_limits, load_form

from tests import factories as make

from .plans import support

API = "/api/v1/municipalities/elbasan"


def test_the_html_limits_come_from_the_schema(app):
    from safetycouncil.concerns.schemas import ConcernSchema, ModerationSchema

    limits = field_limits(ConcernSchema())
    assert limits["text"] == ' maxlength="4000" required'
    assert limits["contact"] == ' maxlength="200"' and limits["source_name"] == ' maxlength="200"'
    assert "updated_at" not in limits  # only what the schema loads
    assert field_limits("concerns.schemas.ModerationSchema") == field_limits(ModerationSchema())


def test_a_form_is_loaded_by_the_schema_with_the_platform_messages(app):
    from safetycouncil.surveys.schemas import WaveSchema

    with app.test_request_context(headers={"Accept-Language": "en"}):
        form = MultiDict([("title", "  Vala e parë  "), ("starts_on", "01.04.2025"), ("ends_on", "2025-05-15"),
                          ("target_respondents", ""), ("area_ids", "3"), ("area_ids", "5")])
        data = load_form(WaveSchema(), form)
        assert data["title"] == "Vala e parë" and data["area_ids"] == [3, 5]  # every checkbox
        assert data["starts_on"].isoformat() == "2025-04-01" and data["target_respondents"] is None
        with pytest.raises(ValidationFailed) as refused:
            load_form(WaveSchema(), MultiDict({"title": "x" * 201, "starts_on": "01.04.1999", "ends_on": ""}))
        assert refused.value.errors == {"title": _("At most %(n)d characters.", n=200),
                                        "starts_on": _("Enter a date as DD.MM.YYYY."),
                                        "ends_on": _("Enter the last day of the wave.")}
        assert refused.value.errors["title"] == "Deri në 200 karaktere."
        with pytest.raises(ValidationFailed) as refused:
            load_form(WaveSchema(), MultiDict({"title": "Vala", "starts_on": "01.05.2025", "ends_on": "01.04.2025"}))
        assert refused.value.errors == {"ends_on": _("The last day cannot be before the first.")}


@pytest.fixture
def world(app, in_tenant):
    from safetycouncil.concerns.services import ensure_default_categories
    from safetycouncil.extensions import db

    with app.app_context():
        ensure_default_categories()
        db.session.commit()
    with in_tenant("elbasan") as session:
        area = support.area(session)
        make.meeting(session, "open_consultation", datetime(2025, 3, 12, 17, 0))
        return {"area": area.id}


def test_too_long_is_said_the_same_way_on_the_page_and_in_the_api(app, client, world, make_user, login,
                                                                   api_token):
    """The page and the API load the same schema: the same limit, the same words (here in English)."""
    secretary = make_user("technical_secretary", municipality="elbasan", locale="en")
    body = {"text": "x" * 4001, "source_kind": "citizen", "area_id": world["area"], "category_id": 1}
    answer = client.post(f"{API}/concerns", headers={**api_token(secretary), "Accept-Language": "en"}, json=body)
    assert answer.status_code == 422 and answer.get_json()["errors"]["text"] == ["At most 4000 characters."]
    staff = app.test_client()
    login(staff, secretary)
    form = staff.get("/elbasan/concerns/").get_data(as_text=True)
    assert 'name="text" rows="4" maxlength="4000" required' in form
    page = staff.post("/elbasan/concerns/", data=body, headers={"Accept-Language": "en"})
    assert page.status_code == 422 and "At most 4000 characters." in page.get_data(as_text=True)


def test_evidence_rules_are_the_same_through_the_page_and_the_api(app, client, world, make_user, login, api_token,
                                                                   in_tenant):
    user = make_user("secretariat_police", municipality="elbasan", locale="en")
    headers = {**api_token(user), "Accept-Language": "en"}
    risk = client.post(f"{API}/risks", headers=headers, json={"title": "Drita në rrugë"}).get_json()
    answer = client.post(f"{API}/risks/{risk['id']}/evidence", headers=headers,
                         json={"kind": "document", "url": "ftp://example.al"})
    assert answer.status_code == 422
    assert answer.get_json()["errors"] == {"url": ["Enter a web address starting with http:// or https://."],
                                           "document_id": ["Choose the document."]}
    staff = app.test_client()
    login(staff, user)
    page = staff.post(f"/elbasan/risks/{risk['id']}", data={"action": "evidence", "kind": "statistics", "text": ""},
                      headers={"Accept-Language": "en"})
    assert page.status_code == 422 and "Describe the figures or the results." in page.get_data(as_text=True)
