"""Who may upload and see: the police representative and the technical secretary upload; other roles
read; another municipality's staff neither see nor upload; the Ministry and Prefecture read only."""
import io

import pytest

from .conftest import csv_bytes, month, upload


def _rows():
    return csv_bytes([(month(1), "Bradashesh", "theft", 5)])


@pytest.mark.parametrize("role", ["secretariat_police", "technical_secretary"])
def test_the_police_representative_and_the_technical_secretary_upload(app, areas, make_user, login, stored, role):
    client = app.test_client()
    login(client, make_user(role, municipality="elbasan"))
    assert client.get("/elbasan/crime-statistics/upload").status_code == 200
    assert upload(client, _rows()).status_code == 302
    assert stored() == (1, 1)


@pytest.mark.parametrize("role", ["member", "secretariat_municipality", "secretariat_prosecution", "chair",
                                  "institution_officer"])
def test_other_roles_read_but_cannot_upload(app, areas, make_user, login, api_token, stored, role):
    user = make_user(role, municipality="elbasan")
    client = app.test_client()
    login(client, user)
    assert client.get("/elbasan/crime-statistics/").status_code == 200
    page = client.get("/elbasan/crime-statistics/upload")
    assert page.status_code == 200 and 'type="file"' not in page.get_data(as_text=True)
    assert upload(client, _rows()).status_code == 403
    headers = api_token(user)
    rows = [{"month": month(1), "area": "Bradashesh", "category": "theft", "count": 5}]
    api = app.test_client()
    assert api.post("/api/v1/municipalities/elbasan/crime-statistics/uploads", json=rows,
                    headers=headers).status_code == 403
    assert api.post("/api/v1/municipalities/elbasan/crime-statistics/uploads/file", headers=headers,
                    data={"file": (io.BytesIO(_rows()), "s.csv")}, content_type="multipart/form-data").status_code == 403
    assert api.get("/api/v1/municipalities/elbasan/crime-statistics/uploads", headers=headers).status_code == 200
    assert stored() == (0, 0)


def test_another_municipalitys_staff_can_neither_see_nor_upload(app, areas, police, make_user, login, api_token,
                                                                stored):
    response = upload(police.client, _rows())
    report_url = response.headers["Location"]
    upload_id = int(report_url.rstrip("/").rsplit("/", 1)[-1])
    fier = make_user("secretariat_police", municipality="fier")
    client = app.test_client()
    login(client, fier)
    assert client.get("/elbasan/crime-statistics/").status_code == 404
    assert client.get(f"/elbasan/crime-statistics/uploads/{upload_id}").status_code == 404
    assert client.get(f"/fier/crime-statistics/uploads/{upload_id}").status_code == 404
    assert upload(client, _rows(), slug="elbasan").status_code == 404
    # Fier's own upload cannot name Elbasan's areas
    assert upload(client, _rows(), slug="fier").status_code == 422
    headers = api_token(fier)
    api = app.test_client()
    assert api.get(f"/api/v1/municipalities/fier/crime-statistics/uploads/{upload_id}",
                   headers=headers).status_code == 404
    rows = [{"month": month(1), "area": "Bradashesh", "category": "theft", "count": 5}]
    assert api.post("/api/v1/municipalities/elbasan/crime-statistics/uploads", json=rows,
                    headers=headers).status_code == 404
    assert stored("elbasan") == (1, 1) and stored("fier") == (0, 0)


def test_the_prefecture_and_the_ministry_read_but_do_not_upload(app, areas, police, make_user, login):
    assert upload(police.client, _rows()).status_code == 302
    for user in (make_user("prefecture", county="elbasan"), make_user("ministry")):
        client = app.test_client()
        login(client, user)
        assert client.get("/elbasan/crime-statistics/").status_code == 200
        assert upload(client, _rows()).status_code == 403
    outsider = make_user("prefecture", county="fier")
    client = app.test_client()
    login(client, outsider)
    assert client.get("/elbasan/crime-statistics/").status_code == 404


def test_signed_out_people_are_sent_to_sign_in_but_read_the_public_pages(app, areas):
    client = app.test_client()
    assert client.get("/elbasan/crime-statistics/").status_code == 302
    assert upload(client, _rows()).status_code == 302
    assert client.get("/public/elbasan/crime-statistics").status_code == 200


def test_the_portal_links_to_the_statistics_and_the_template_lists_every_area(police, areas):
    home = police.client.get("/elbasan/").get_data(as_text=True)
    assert "/elbasan/crime-statistics/" in home
    template = police.client.get("/elbasan/crime-statistics/template.csv")
    assert template.status_code == 200
    text = template.get_data(as_text=True).lstrip("\ufeff")
    assert text.splitlines()[0] == "muaji,zona,kategoria,numri"
    assert len(text.splitlines()) == 1 + 3 * 13
    # the template itself is a valid upload
    assert upload(police.client, text.encode("utf-8")).status_code == 302
