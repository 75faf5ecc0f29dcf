"""Uploading a month's figures: CSV and XLSX, Albanian and English headers, the line-by-line report,
all or nothing."""
import io

import pytest

from .conftest import csv_bytes, month, upload, xlsx_bytes


def test_a_csv_with_albanian_headers_is_stored_and_the_report_shows_what_was_understood(
        police, areas, stored, current):
    m = month(1)
    data = csv_bytes([(m, "Bradashesh", "theft", 12), (m, "lagjja kala", "Dhune ne familje", 7),
                      (m, "SHTEPEZ", "Road traffic offences with injury", 0)])
    response = upload(police.client, data, filename="statistika-elbasan.csv")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert stored() == (1, 3)
    assert current(m, "Bradashesh", "theft") == 12
    assert current(m, "Lagjja Kala", "domestic_violence") == 7
    assert current(m, "Shtëpëz", "road_traffic_injury") == 0
    report = police.client.get(response.headers["Location"])
    assert report.status_code == 200
    page = report.get_data(as_text=True)
    assert "statistika-elbasan.csv" in page
    # as written -> as understood
    assert "lagjja kala" in page and "Lagjja Kala" in page and "Dhune ne familje" in page
    assert "Shtëpëz" in page and "SHTEPEZ" in page


def test_a_semicolon_csv_with_english_headers_in_another_order_and_an_extra_column(police, areas, current):
    m = month(2)
    data = csv_bytes([("Bradashesh", "Burglary", 4, m, "shënim")], header=("area", "category", "count", "month",
                                                                              "comment"), delimiter=";")
    response = upload(police.client, data)
    assert response.status_code == 302
    assert current(m, "Bradashesh", "burglary") == 4
    report = police.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "comment" in report  # the ignored column is reported


@pytest.mark.parametrize("header", [("month", "area", "category", "count"), ("muaji", "zona", "kategoria", "numri")])
def test_an_xlsx_with_english_or_albanian_headers_is_stored(police, areas, stored, current, header):
    m = month(3)
    data = xlsx_bytes([(m, "Bradashesh", "robbery", 2), (m, "Lagjja Kala", "Vjedhje", 15.0)], header=header)
    response = upload(police.client, data, filename="statistika.xlsx")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert stored() == (1, 2)
    assert current(m, "Bradashesh", "robbery") == 2
    assert current(m, "Lagjja Kala", "theft") == 15


def test_an_xlsx_month_cell_that_excel_turned_into_a_date_is_understood(police, areas, current):
    from datetime import datetime

    from safetycouncil.crime_statistics.services import parse_month_key

    m = month(1)
    data = xlsx_bytes([(datetime.combine(parse_month_key(m), datetime.min.time()), "Bradashesh", "fraud", 3)])
    assert upload(police.client, data, filename="s.xlsx").status_code == 302
    assert current(m, "Bradashesh", "fraud") == 3


BAD_LINES = {
    # kind: (rows, line number reported, words the message contains)
    "wrong month": ([("2025-3", "Bradashesh", "theft", 1)], 2, "YYYY-MM"),
    "month not a month": ([("mars 2025", "Bradashesh", "theft", 1)], 2, "YYYY-MM"),
    "future month": ([(month(-1), "Bradashesh", "theft", 1)], 2, "future"),
    "unknown area": ([(month(1), "Atlantis", "theft", 1)], 2, "Atlantis"),
    "another municipality's area": ([(month(1), "Levan", "theft", 1)], 2, "Levan"),
    "unknown category": ([(month(1), "Bradashesh", "piracy", 1)], 2, "piracy"),
    "negative count": ([(month(1), "Bradashesh", "theft", -2)], 2, "negative"),
    "non-integer count": ([(month(1), "Bradashesh", "theft", "2.5")], 2, "whole number"),
    "missing count": ([(month(1), "Bradashesh", "theft", "")], 2, "missing"),
}


@pytest.mark.parametrize("kind", list(BAD_LINES))
def test_each_bad_line_is_reported_with_its_line_number_and_nothing_is_stored(police, areas, stored, kind):
    rows, line, words = BAD_LINES[kind]
    good = [(month(1), "Lagjja Kala", "theft", 9), (month(1), "Shtëpëz", "theft", 1)]
    # the bad line comes third, after two good ones: line 4 of the file (1 is the header)
    response = upload(police.client, csv_bytes(good + rows))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f"<tr><td>{line + 2}</td>" in page, page[:3000]
    assert words in page
    assert "Nothing was stored" in page
    assert stored() == (0, 0)


def test_a_duplicate_line_is_reported_with_the_line_it_repeats(police, areas, stored):
    m = month(1)
    data = csv_bytes([(m, "Bradashesh", "theft", 3), (m, "Lagjja Kala", "theft", 4), (m, "bradashesh", "Vjedhje", 5)])
    response = upload(police.client, data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "<tr><td>4</td>" in page and "repeats line 2" in page
    assert stored() == (0, 0)


def test_a_missing_column_is_reported_on_the_header_line(police, areas, stored):
    data = csv_bytes([(month(1), "Bradashesh", 3)], header=("muaji", "zona", "numri"))
    response = upload(police.client, data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "<tr><td>1</td><td>category</td>" in page and "kategoria" in page
    assert stored() == (0, 0)


def test_every_problem_of_a_file_is_listed_at_once_and_a_second_month_is_refused(police, areas, stored):
    data = csv_bytes([(month(1), "Bradashesh", "theft", 3), (month(2), "Bradashesh", "theft", 3),
                      ("2025-13", "Nowhere", "piracy", -1)])
    response = upload(police.client, data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "one month per file" in page
    for column in ("muaji", "zona", "kategoria", "numri"):  # as the file names them
        assert f"<tr><td>4</td><td>{column}</td>" in page
    assert stored() == (0, 0)


def test_a_file_that_is_not_csv_or_xlsx_is_refused(police, areas, stored):
    response = upload(police.client, b"%PDF-1.4\n", filename="statistika.pdf")
    assert response.status_code == 422
    assert stored() == (0, 0)
    response = upload(police.client, b"not a spreadsheet", filename="statistika.xlsx")
    assert response.status_code == 422


def test_the_report_is_in_the_users_language(app, areas, make_user, login):
    user = make_user("technical_secretary", municipality="elbasan", locale="en")
    client = app.test_client()
    login(client, user)
    response = upload(client, csv_bytes([(month(1), "Bradashesh", "theft", -1)]))
    assert response.status_code == 422
    assert "The count cannot be negative" in response.get_data(as_text=True)


# --- the API -------------------------------------------------------------------------------------

def test_the_api_takes_a_json_list_of_rows(app, areas, make_user, api_token, stored, current):
    client = app.test_client()
    headers = api_token(make_user("secretariat_police", municipality="elbasan"))
    m = month(1)
    rows = [{"month": m, "area": "Bradashesh", "category": "theft", "count": 6},
            {"muaji": m, "zona": "Lagjja Kala", "kategoria": "drugs", "numri": 2}]
    response = client.post("/api/v1/municipalities/elbasan/crime-statistics/uploads?note=First", json=rows,
                           headers=headers)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["month"] == m and body["revision"] == 1 and body["is_revision"] is False
    assert body["source"] == "json" and body["note"] == "First" and body["line_count"] == 2
    assert [line["area"] for line in body["lines"]] == ["Bradashesh", "Lagjja Kala"]
    assert current(m, "Lagjja Kala", "drugs") == 2
    listed = client.get("/api/v1/municipalities/elbasan/crime-statistics/uploads", headers=headers).get_json()
    assert [u["id"] for u in listed] == [body["id"]] and "lines" not in listed[0]
    detail = client.get(f"/api/v1/municipalities/elbasan/crime-statistics/uploads/{body['id']}", headers=headers)
    assert detail.get_json()["lines"][1]["count"] == 2


def test_the_api_reports_bad_rows_line_by_line_and_stores_nothing(app, areas, make_user, api_token, stored):
    client = app.test_client()
    headers = api_token(make_user("secretariat_police", municipality="elbasan", locale="en"))
    rows = [{"month": month(1), "area": "Bradashesh", "category": "theft", "count": 6},
            {"month": month(1), "area": "Bradashesh", "category": "theft", "count": 7},
            {"month": month(1), "area": "Nowhere", "category": "theft", "count": "x"}]
    response = client.post("/api/v1/municipalities/elbasan/crime-statistics/uploads", json=rows, headers=headers)
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == 422 and "Nothing was stored" in body["message"]
    problems = {(e["line"], e["column"]) for e in body["errors"]["lines"]}
    assert problems == {(2, None), (3, "area"), (3, "count")}
    assert stored() == (0, 0)
    not_a_list = client.post("/api/v1/municipalities/elbasan/crime-statistics/uploads", json={"rows": 1},
                             headers=headers)
    assert not_a_list.status_code == 422


def test_the_api_takes_a_multipart_file(app, areas, make_user, api_token, current):
    client = app.test_client()
    headers = api_token(make_user("technical_secretary", municipality="elbasan"))
    m = month(1)
    response = client.post("/api/v1/municipalities/elbasan/crime-statistics/uploads/file", headers=headers,
                           data={"file": (io.BytesIO(xlsx_bytes([(m, "Shtëpëz", "weapons", 1)],
                                                                header=("muaji", "zona", "kategoria", "numri"))),
                                          "s.xlsx"), "note": "nga Excel"},
                           content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["source"] == "xlsx" and response.get_json()["filename"] == "s.xlsx"
    assert current(m, "Shtëpëz", "weapons") == 1
    bad = client.post("/api/v1/municipalities/elbasan/crime-statistics/uploads/file", headers=headers,
                      data={"file": (io.BytesIO(csv_bytes([(m, "Shtëpëz", "weapons", -1)])), "s.csv")},
                      content_type="multipart/form-data")
    assert bad.status_code == 422 and bad.get_json()["errors"]["lines"][0]["line"] == 2


def test_the_api_file_upload_without_a_file_is_a_clear_422(app, areas, make_user, api_token, stored):
    headers = api_token(make_user("secretariat_police", municipality="elbasan", locale="en"))
    response = app.test_client().post("/api/v1/municipalities/elbasan/crime-statistics/uploads/file",
                                      headers=headers, data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and response.get_json()["errors"]["file"] == "Choose a file to upload."
    assert stored() == (0, 0)
