"""The roll-out through the API and as a workbook (issue 19): the Ministry (every municipality, or one county's)
and each Prefecture (its own county's; another county's: 404), paged, moments in UTC; the same figures as the
page and the CSV (tests/compliance/test_rollout.py builds Peqin: the 2022 re-adoption published, January's crime
statistics on time, February's a day late).

Open Government commitment: "State police should make public information on crime statistics every month"; on
time is by the end of the model's ``crime_statistics_publication_day`` (15th) of the following month."""
from __future__ import annotations

import io
from datetime import datetime

import pytest

from tests.compliance.test_rollout import on, peqin  # noqa: F401


def _peqin(items) -> dict:
    return next(i for i in items if i["municipality"] == "peqin")


@pytest.mark.parametrize(("now", "march"), [
    (datetime(2026, 4, 15, 23, 30), "pending"),  # on the deadline's day
    (datetime(2026, 4, 16, 0, 30), "missing"),   # the day after
])
def test_the_ministry_reads_the_rollout_through_the_api(peqin, client, make_user, api_token, on, now, march):
    """The Ministry: every municipality, paged (X-Pagination), each month's due and publication in UTC."""
    on(now)
    headers = api_token(make_user("ministry"))
    r = client.get("/api/v1/rollout?year=2026&page_size=100", headers=headers)
    assert r.status_code == 200, r.get_json()
    assert r.headers.get("X-Pagination") and len(r.get_json()) == 61
    item = _peqin(r.get_json())
    assert item["adopted_on"] == "2022-05-06" and item["published_on"] == "2022-05-10"
    assert item["in_force_number"] == "12" and item["consultation_tables"] == 1 and item["county"] == "elbasan"
    months = {m["month"]: m for m in item["months"]}
    assert months["2026-01"]["state"] == "on_time" and months["2026-01"]["published"] == "2026-02-15T20:00:00Z"
    assert months["2026-02"]["state"] == "late" and months["2026-02"]["days_late"] == 1
    assert months["2026-03"]["state"] == march and months["2026-03"]["published"] is None
    assert months["2026-03"]["due"].endswith("Z")  # the end of 15 April in Tirana, in UTC
    assert item["crime_statistics"]["on_time"] == 1 and item["crime_statistics"]["late"] == 1
    paged = client.get("/api/v1/rollout?year=2026&page_size=10&page=2", headers=headers)
    assert paged.status_code == 200 and len(paged.get_json()) == 10
    one_county = client.get("/api/v1/rollout?year=2026&county=elbasan", headers=headers).get_json()
    assert len(one_county) == 7 and {i["county"] for i in one_county} == {"elbasan"}
    assert client.get("/api/v1/rollout?county=nowhere", headers=headers).status_code == 404
    assert client.get("/api/v1/rollout?year=1999", headers=headers).status_code == 422


def test_a_prefecture_reads_its_county_only_and_others_are_refused(peqin, client, make_user, api_token, on):
    """A Prefecture reads its own county's roll-out; another county's is not found; a council's secretary and
    a Prefecture asking for the national list are refused."""
    on(datetime(2026, 4, 20, 10, 0))
    prefecture = api_token(make_user("prefecture", county="elbasan"))
    r = client.get("/api/v1/prefectures/elbasan/rollout?year=2026", headers=prefecture)
    assert r.status_code == 200 and len(r.get_json()) == 7 and _peqin(r.get_json())["consultation_tables"] == 1
    assert client.get("/api/v1/prefectures/fier/rollout", headers=prefecture).status_code in (403, 404)
    assert client.get("/api/v1/rollout", headers=prefecture).status_code in (403, 404)
    secretary = api_token(make_user("technical_secretary", municipality="peqin"))
    assert client.get("/api/v1/rollout", headers=secretary).status_code in (403, 404)
    assert client.get("/api/v1/prefectures/elbasan/rollout", headers=secretary).status_code in (403, 404)


def test_the_rollout_as_a_workbook(peqin, client, make_user, login, on):
    """The page's XLSX: the CSV's columns, one row per municipality, a text cell never run as a formula."""
    from openpyxl import load_workbook

    on(datetime(2026, 4, 20, 10, 0))
    login(client, make_user("ministry", locale="en"))
    page = client.get("/national/compliance/rollout?year=2026").get_data(as_text=True)
    assert "rollout.xlsx" in page
    r = client.get("/national/compliance/rollout.xlsx?year=2026")
    assert r.status_code == 200 and "spreadsheetml" in r.headers["Content-Type"]
    sheet = load_workbook(io.BytesIO(r.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Municipality" and len(rows) == 62
    peqin_row = next(row for row in rows if row[0] == "Peqin")
    assert "2022-05-06" in peqin_row and "2022-05-10" in peqin_row
    assert list(peqin_row[6:]) == [1, 1, 1, 1]  # one table in Elbasan; 1 on time, 1 late, 1 missing
    client.post("/logout")
    login(client, make_user("prefecture", county="elbasan", locale="en"))
    r = client.get("/prefecture/elbasan/compliance/rollout.xlsx?year=2026")
    assert r.status_code == 200 and len(list(load_workbook(io.BytesIO(r.data)).active.iter_rows())) == 8
