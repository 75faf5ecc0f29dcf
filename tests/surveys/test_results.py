"""Results: hidden under the minimum, public only once published, compared nationally; exports; the
risk register."""
from datetime import date

from sqlalchemy import select

from safetycouncil.extensions import db
from safetycouncil.tenancy import tenant


def test_answers_of_an_unpublished_wave_never_appear_publicly(app, client, make_wave, in_tenant):
    wave_id, _areas = make_wave("elbasan", {"Lagjja Kala": 15}, title="Vala e fshehtë")
    public = [f"/public/elbasan/surveys/{wave_id}", f"/public/elbasan/surveys/{wave_id}.pdf",
              f"/public/elbasan/surveys/{wave_id}.xlsx", f"/api/v1/public/municipalities/elbasan/surveys/{wave_id}"]
    for url in public:
        assert client.get(url).status_code == 404, url
    assert client.get("/api/v1/public/municipalities/elbasan/surveys").get_json() == []
    page = client.get("/public/elbasan/").get_data(as_text=True)
    assert "Vala e fshehtë" not in page and 'id="survey-summary"' not in page
    # Nor does it count in the national average another municipality's public page shows.
    make_wave("fier", {"Mbrostar": 12}, published=True, answers={"safety_day": 1, "safety_night": 1})
    fier = client.get("/api/v1/public/municipalities/fier/surveys").get_json()
    data = client.get(f"/api/v1/public/municipalities/fier/surveys/{fier[0]['id']}").get_json()
    # Fier is compared with the other municipalities only: none has published a wave yet (issue 18)
    assert data["national"]["waves"] == 0 and data["national"]["excludes"] == "fier"
    assert data["national"]["safety"]["value"] is None

    from safetycouncil.surveys.services import get_wave, publish

    with in_tenant("elbasan"):
        publish(get_wave(wave_id))
    for url in public:
        assert client.get(url).status_code == 200, url
    assert client.get(f"/public/elbasan/surveys/{wave_id}.pdf").data.startswith(b"%PDF")
    page = client.get("/public/elbasan/").get_data(as_text=True)
    assert "Vala e fshehtë" in page and 'id="survey-summary"' in page
    make_wave("cerrik", {"Cërrik": 12}, published=True, answers={"safety_day": 1, "safety_night": 1})
    data = client.get(f"/api/v1/public/municipalities/fier/surveys/{fier[0]['id']}").get_json()
    # national for Fier: Elbasan (15 at (100 + 66.7) / 2 = 83.3) and Cërrik (0), each municipality once,
    # the unweighted mean of their means: 41.7; Fier itself is not in it
    assert data["national"]["waves"] == 2 and data["national"]["municipalities"] == 2
    assert data["national"]["safety"]["value"] == 41.7


def test_an_area_under_the_minimum_shows_no_figures(app, client, make_wave):
    wave_id, areas = make_wave("elbasan", {"Lagjja Kala": 12, "Lagjja Brari": 9}, published=True)
    data = client.get(f"/api/v1/public/municipalities/elbasan/surveys/{wave_id}").get_json()
    by_area = {a["label"]: a for a in data["areas"]}
    assert by_area["Lagjja Kala"]["shown"] and by_area["Lagjja Kala"]["n"] == 12
    assert by_area["Lagjja Kala"]["indices"]["safety"]["value"] == 83.3
    assert by_area["Lagjja Brari"] == {"area_id": areas["Lagjja Brari"], "label": "Lagjja Brari", "shown": False}
    assert data["municipality"]["n"] == 21
    page = client.get(f"/public/elbasan/surveys/{wave_id}?area={areas['Lagjja Brari']}").get_data(as_text=True)
    assert "survey-hidden" in page
    assert 'class="survey-dist"' not in page  # no distribution for the hidden area
    row = page.split(f'data-area="{areas["Lagjja Brari"]}"')[1].split("</tr>")[0]
    assert "83" not in row and "9" not in row.replace("fewer than", "")  # neither an index nor the exact count
    xlsx = client.get(f"/public/elbasan/surveys/{wave_id}.xlsx")
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(xlsx.data))
    answers = [row for row in book.worksheets[1].iter_rows(values_only=True) if row[0] == "Lagjja Brari"]
    assert len(answers) == 1 and answers[0][3] is None


def test_staff_see_results_before_publishing_and_compare_with_the_previous_wave(app, client, staff, make_wave,
                                                                                  api_token):
    make_wave("elbasan", {"Lagjja Kala": 10}, starts=date(2024, 4, 1), title="Vala 2024",
              answers={"safety_day": 2, "safety_night": 2})
    wave_id, _areas = make_wave("elbasan", {"Lagjja Kala": 10}, title="Vala 2025")
    headers = api_token(staff)
    page = client.get(f"/elbasan/surveys/{wave_id}/results")
    assert page.status_code == 200 and "Vala 2024" in page.get_data(as_text=True)
    data = client.get(f"/api/v1/municipalities/elbasan/surveys/waves/{wave_id}/results", headers=headers).get_json()
    assert data["previous_wave"]["title"] == "Vala 2024"
    # safety 83.3 now against 33.3 before
    assert data["municipality"]["indices"]["safety"]["value"] == 83.3
    assert data["municipality"]["previous"]["safety"]["value"] == 33.3
    assert client.get(f"/elbasan/surveys/{wave_id}/results.pdf").data.startswith(b"%PDF")
    assert client.get(f"/elbasan/surveys/{wave_id}/results.xlsx").data.startswith(b"PK")


def test_a_high_problem_goes_to_the_risk_register_as_evidence(app, client, staff, make_wave, municipality_id):
    from safetycouncil.risks.models import Risk, RiskEvidence

    wave_id, areas = make_wave("elbasan", {"Lagjja Kala": 12})
    response = client.post(f"/elbasan/surveys/{wave_id}/send-to-risks",
                           data={"area_id": areas["Lagjja Kala"], "code": "problem_lighting", "risk_id": ""})
    assert response.status_code == 302 and "/elbasan/risks/" in response.headers["Location"]
    with app.app_context(), tenant(municipality_id("elbasan")):
        risk = db.session.execute(select(Risk)).scalar_one()
        assert risk.area_id == areas["Lagjja Kala"]
        evidence = db.session.execute(select(RiskEvidence)).scalar_one()
        assert evidence.kind == "survey" and "100" in evidence.text and evidence.risk_id == risk.id
        risk_id = risk.id
    # and to an existing risk
    client.post(f"/elbasan/surveys/{wave_id}/send-to-risks",
                data={"area_id": areas["Lagjja Kala"], "code": "problem_noise", "risk_id": risk_id})
    with app.app_context(), tenant(municipality_id("elbasan")):
        assert len(db.session.execute(select(RiskEvidence).where(RiskEvidence.risk_id == risk_id)).all()) == 2
        assert len(db.session.execute(select(Risk)).all()) == 1


def test_the_ministry_keeps_the_questionnaire_in_versions(app, client, make_user, login):
    ministry = make_user("ministry")
    login(client, ministry)
    page = client.get("/national/surveys/questionnaire")
    assert page.status_code == 200 and "How safe do you feel walking alone in your area after dark?" in \
        page.get_data(as_text=True)
    response = client.post("/national/surveys/questionnaire", data={
        "safety_day-sq": "Sa i sigurt ndiheni ditën?", "safety_day-en": "How safe do you feel by day?",
        "note": "Më e shkurtër"})
    assert response.status_code == 302
    page = client.get("/national/surveys/questionnaire").get_data(as_text=True)
    assert "How safe do you feel by day?" in page and ("Version 2" in page or "Versioni 2" in page)
