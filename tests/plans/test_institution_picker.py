"""An institution picker with search instead of hundreds of checkboxes, working without JavaScript:
the chosen institutions first, a field to add one by typing (part of) its name, with or without ë
and ç (a datalist suggests), the whole list folded away."""
from datetime import date

from sqlalchemy import select

from safetycouncil.extensions import db
from safetycouncil.plans.models import PlanActivity
from safetycouncil.tenancy import tenant

from . import support

API = "/api/v1/municipalities/elbasan"


def test_an_institution_is_added_by_typing_its_name(app, client, make_user, api_token, login, in_tenant,
                                                    municipality_id):
    secretary = make_user("technical_secretary", municipality="elbasan")
    headers = api_token(secretary)
    from safetycouncil.municipalities.models import Municipality

    with in_tenant("elbasan") as session:
        county_id = session.get(Municipality, municipality_id("elbasan")).county_id
        made = [support.institution(session, name) for name in
                ["Drejtoria Vendore e Policisë Elbasan", "Shkolla 9-vjeçare Naim Frashëri",
                 *(f"Organizata {n:02d}" for n in range(30))]]
        for row in made:
            row.county_id = county_id  # the county's institutions are offered
        police, school = made[0].id, made[1].id
    created = client.post(f"{API}/plans", headers=headers, json={"year": date.today().year}).get_json()
    version_id = created["versions"][0]["id"]
    item = client.post(f"{API}/plans/versions/{version_id}/items", headers=headers,
                       json={"number": "1.1", "issue": "Pikat e nxehta", "intensity": "high"}).get_json()
    web = app.test_client()
    login(web, secretary)
    page = web.get(f"/elbasan/plans/items/{item['id']}").get_data(as_text=True)
    assert '<datalist id="institution-names">' in page and '<option value="Shkolla 9-vjeçare Naim Frashëri">' in page
    assert 'class="institution-picker-all"' in page  # the long list is folded away
    deadline = f"{date.today().year}-11-30"
    response = web.post(f"/elbasan/plans/items/{item['id']}", data={
        "action": "activity", "description": "Patrullime pranë shkollave", "timing_kind": "deadline",
        "timing_deadline": deadline, "institution_ids": [str(police)],
        "institution_names": "shkolla 9-vjecare naim frasheri"})  # without ë and ç, in lower case
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    refused = web.post(f"/elbasan/plans/items/{item['id']}", data={
        "action": "activity", "description": "Aktivitet tjetër", "timing_kind": "deadline",
        "timing_deadline": deadline, "institution_names": "Institucion që nuk ekziston"})
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert 'value="Institucion që nuk ekziston"' in text and "Aktivitet tjetër" in text  # nothing lost
    partial = web.post(f"/elbasan/plans/items/{item['id']}", data={
        "action": "activity", "description": "Kamera", "timing_kind": "deadline", "timing_deadline": deadline,
        "institution_names": "Policise"})  # part of one name only
    assert partial.status_code == 302
    with app.app_context(), tenant(municipality_id("elbasan")):
        activities = {a.description: sorted(link.institution_id for link in a.institution_links)
                      for a in db.session.execute(select(PlanActivity)).scalars()}
    assert activities == {"Patrullime pranë shkollave": sorted([police, school]), "Kamera": [police]}
