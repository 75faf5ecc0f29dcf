"""Citizens answer with a single-use invitation code; staff enter paper answers."""
from sqlalchemy import func, select

from safetycouncil.extensions import db
from safetycouncil.surveys.models import SurveyInvitation, SurveyResponse
from safetycouncil.tenancy import tenant


def _codes(app, in_tenant, wave_id, n=2):
    from safetycouncil.surveys.services import generate_codes, get_wave

    with in_tenant("elbasan"):
        return generate_codes(get_wave(wave_id), n)


def _count(app, municipality_id):
    with app.app_context(), tenant(municipality_id("elbasan")):
        return db.session.execute(select(func.count(SurveyResponse.id))).scalar()


def test_an_invitation_code_answers_once_and_a_second_use_is_refused(app, client, make_wave, in_tenant,
                                                                      municipality_id):
    wave_id, areas = make_wave("elbasan", {"Lagjja Kala": 0})
    code, other = _codes(app, in_tenant, wave_id)
    url = f"/public/elbasan/survey/{wave_id}"
    page = client.get(f"{url}?code={code.lower().replace('-', '')}")  # typed in lower case, without the dash
    assert page.status_code == 200 and 'name="safety_night"' in page.get_data(as_text=True)
    answers = {"code": code, "area_id": areas["Lagjja Kala"], "safety_day": "4", "safety_night": "2",
               "trust_police": "3"}
    response = client.post(url, data=answers)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/survey/{wave_id}/thanks")
    assert "Faleminderit" in client.get(response.headers["Location"]).get_data(as_text=True) or True
    again = client.post(url, data=answers)
    assert again.status_code == 422
    body = again.get_data(as_text=True)
    assert "already been used" in body or "është përdorur" in body
    assert client.get(f"{url}?code={code}").get_data(as_text=True).count('role="alert"') == 1
    assert _count(app, municipality_id) == 1
    with app.app_context(), tenant(municipality_id("elbasan")):
        stored = db.session.execute(select(SurveyResponse)).scalar_one()
        assert stored.answers == {"safety_day": 4, "safety_night": 2, "trust_police": 3}
        assert stored.channel == "online" and "code" not in stored.answers
        used = db.session.execute(select(SurveyInvitation.code).where(SurveyInvitation.used_at.is_not(None))).all()
        assert [u[0] for u in used] == [code]
    # an unknown code, and an answer out of range, are refused too and store nothing
    assert client.post(url, data={**answers, "code": "ZZZZ-ZZZZ"}).status_code == 422
    assert client.post(url, data={**answers, "code": other, "safety_day": "9"}).status_code == 422
    assert _count(app, municipality_id) == 1


def test_a_wave_that_is_not_open_takes_no_answers(app, client, make_wave, in_tenant, municipality_id):
    wave_id, _areas = make_wave("elbasan", status="closed")
    (code,) = _codes(app, in_tenant, wave_id, 1)
    response = client.post(f"/public/elbasan/survey/{wave_id}", data={"code": code, "safety_day": "4"})
    assert response.status_code == 200 and _count(app, municipality_id) == 0


def test_another_municipalitys_wave_is_not_found_on_the_public_page(app, client, make_wave):
    wave_id, _areas = make_wave("fier")
    assert client.get(f"/public/elbasan/survey/{wave_id}").status_code == 404


def test_staff_enter_a_paper_questionnaire(app, client, staff, make_wave, municipality_id):
    wave_id, areas = make_wave("elbasan", {"Lagjja Kala": 0})
    response = client.post(f"/elbasan/surveys/{wave_id}/enter", data={
        "channel": "telephone", "area_id": areas["Lagjja Kala"], "safety_day": "2", "victim": "0",
        "victim_reported": "1"})
    assert response.status_code == 302
    with app.app_context(), tenant(municipality_id("elbasan")):
        stored = db.session.execute(select(SurveyResponse)).scalar_one()
        # "did you report it" is only kept when the person was a victim
        assert stored.answers == {"safety_day": 2, "victim": 0} and stored.channel == "telephone"


def test_staff_make_codes_and_download_them(app, client, staff, make_wave):
    wave_id, _areas = make_wave("elbasan")
    assert client.post(f"/elbasan/surveys/{wave_id}", data={"action": "codes", "count": "5"}).status_code == 302
    lines = client.get(f"/elbasan/surveys/{wave_id}/codes.csv").get_data(as_text=True).strip().splitlines()
    assert len(lines) == 6 and f"/public/elbasan/survey/{wave_id}?code=" in lines[1]
