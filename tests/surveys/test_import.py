"""CSV import: each bad line reported, nothing imported half-way."""
from sqlalchemy import func, select

from safetycouncil.extensions import db
from safetycouncil.surveys.models import SurveyImport, SurveyResponse
from safetycouncil.tenancy import tenant


def _post(client, wave_id, text):
    from io import BytesIO

    return client.post(f"/elbasan/surveys/{wave_id}/import", data={"file": (BytesIO(text.encode()), "pergjigje.csv")},
                       content_type="multipart/form-data")


def _columns(client, wave_id):
    return client.get(f"/elbasan/surveys/{wave_id}/template.csv").get_data(as_text=True).lstrip("\ufeff").strip()


def _stored(app, municipality_id):
    with app.app_context(), tenant(municipality_id("elbasan")):
        return (db.session.execute(select(func.count(SurveyResponse.id))).scalar(),
                db.session.execute(select(func.count(SurveyImport.id))).scalar())


def _line(header, **values):
    return ",".join(str(values.get(c, "")) for c in header.split(","))


def test_missing_columns_are_reported_and_nothing_is_imported(app, client, staff, make_wave, municipality_id):
    wave_id, _areas = make_wave("elbasan", {"Lagjja Kala": 0})
    header = _columns(client, wave_id)
    short = ",".join(c for c in header.split(",") if c not in ("safety_night", "trust_police"))
    response = _post(client, wave_id, short + "\r\n" + _line(short, zona="Lagjja Kala", safety_day=3) + "\r\n")
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "safety_night" in body and "trust_police" in body
    assert _stored(app, municipality_id) == (0, 0)


def test_out_of_range_answers_are_reported_line_by_line_and_nothing_is_imported(app, client, staff, make_wave,
                                                                                   municipality_id):
    wave_id, _areas = make_wave("elbasan", {"Lagjja Kala": 0})
    header = _columns(client, wave_id)
    lines = [header,
             _line(header, zona="Lagjja Kala", safety_day=3, safety_night=2),        # line 2: good
             _line(header, zona="Lagjja Kala", safety_day=5),                        # line 3: 5 is out of range
             _line(header, zona="Lagjja Kala", safety_day=2, problem_noise="shumë"),  # line 4: not a number
             _line(header, zona="Atlantis", safety_day=2),                           # line 5: not a wave area
             _line(header, zona="Lagjja Kala", trust_police=0)]                      # line 6: 0 is out of range
    response = _post(client, wave_id, "\r\n".join(lines) + "\r\n")
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    rows = body.split('class="upload-errors"')[1].split("</table>")[0].split("<tr>")[2:]
    reported = [(r.split("<td>")[1].split("</td>")[0], r.split("<td>")[2].split("</td>")[0]) for r in rows]
    assert reported == [("3", "safety_day"), ("4", "problem_noise"), ("5", "zona"), ("6", "trust_police")]
    assert _stored(app, municipality_id) == (0, 0)
    # corrected, the whole file goes in
    good = [lines[0], lines[1], _line(header, zona="Lagjja Kala", safety_day=4, victim=1, victim_reported=0)]
    assert _post(client, wave_id, "\r\n".join(good) + "\r\n").status_code == 302
    assert _stored(app, municipality_id) == (2, 1)
