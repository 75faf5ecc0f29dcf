"""Corrections: a later upload for a month is a revision; the current figures change, every revision
stays readable, and the public sees which months were revised and which are missing."""
import re

from .conftest import csv_bytes, month, upload


def _first_upload(police, m):
    data = csv_bytes([(m, "Bradashesh", "theft", 10), (m, "Bradashesh", "burglary", 4),
                      (m, "Lagjja Kala", "theft", 20)])
    response = upload(police.client, data)
    assert response.status_code == 302
    return response.headers["Location"]


def test_a_corrected_upload_is_a_revision_and_the_first_stays_readable(police, areas, stored, current):
    m = month(3)
    first_report = _first_upload(police, m)
    response = upload(police.client, csv_bytes([(m, "Bradashesh", "theft", 13), (m, "Shtëpëz", "fraud", 2)]),
                      filename="korrigjim.csv", note="Dy raste të regjistruara me vonesë")
    assert response.status_code == 302
    assert stored() == (2, 5)
    # current figures: the correction's lines replace, the others stay
    assert current(m, "Bradashesh", "theft") == 13
    assert current(m, "Bradashesh", "burglary") == 4
    assert current(m, "Lagjja Kala", "theft") == 20
    assert current(m, "Shtëpëz", "fraud") == 2

    revision = police.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "revision 2" in revision and "Dy raste të regjistruara me vonesë" in revision
    assert re.search(r"<td class=\"num\">13</td>\s*<td class=\"num\">10 <strong>", revision), revision
    old = police.client.get(first_report).get_data(as_text=True)
    assert "A later revision replaced some of these figures." in old
    assert old.count("Replaced by a later revision") == 1  # Bradashesh theft; the other two are current
    assert ">10</td>" in old

    index = police.client.get("/elbasan/crime-statistics/").get_data(as_text=True)
    assert "Revised (revision 2)" in index and "Revision 2" in index and "First upload" in index


def test_the_public_page_and_open_data_mark_the_revised_month(app, police, areas):
    m = month(2)
    _first_upload(police, m)
    assert upload(police.client, csv_bytes([(m, "Bradashesh", "theft", 11)])).status_code == 302
    public = app.test_client()
    page = public.get("/public/elbasan/crime-statistics").get_data(as_text=True)
    assert "This month was revised on" in page
    assert "Revised months" in page and 'class="crime-month-revised"' in page
    area_page = public.get(f"/public/elbasan/crime-statistics/{areas['Bradashesh']}").get_data(as_text=True)
    assert re.search(r'<tr data-category="theft"><th scope="row">[^<]*</th>\s*<td class="num">11</td>', area_page)
    data = public.get("/public/elbasan/crime-statistics.json").get_json()
    assert data["revised_months"] == [m]
    months = {s["month"]: s for s in data["months"]}
    assert months[m]["status"] == "revised" and months[m]["revision"] == 2 and months[m]["revised_at"]
    theft = [f for f in data["figures"] if f["month"] == m and f["area_id"] == areas["Bradashesh"]
             and f["category"] == "theft"]
    assert theft[0]["count"] == 11 and theft[0]["month_status"] == "revised"


def test_missing_months_are_flagged_for_staff_and_public(app, police, areas):
    # figures for 4 and 1 months ago: 3 and 2 months ago are missing
    assert upload(police.client, csv_bytes([(month(4), "Bradashesh", "theft", 5)])).status_code == 302
    assert upload(police.client, csv_bytes([(month(1), "Bradashesh", "theft", 6)])).status_code == 302
    from safetycouncil.crime_statistics.services import parse_month_key

    staff = police.client.get("/elbasan/crime-statistics/").get_data(as_text=True)
    assert "Months without figures" in staff and staff.count("<strong>Missing</strong>") == 2
    data = app.test_client().get("/public/elbasan/crime-statistics.json").get_json()
    assert data["missing_months"] == [month(3), month(2)]
    page = app.test_client().get("/public/elbasan/crime-statistics").get_data(as_text=True)
    assert "Months without figures" in page and page.count('class="crime-month-missing"') >= 2
    assert parse_month_key(month(3)) is not None


def test_this_month_is_not_missing_until_it_is_over(app, police, areas):
    assert upload(police.client, csv_bytes([(month(1), "Bradashesh", "theft", 5)])).status_code == 302
    data = app.test_client().get("/public/elbasan/crime-statistics.json").get_json()
    assert data["missing_months"] == []
    assert [s["month"] for s in data["months"]] == [month(1)]
