"""What citizens see: the month, a year earlier, 24 months, as charts and tables; small counts in the
sensitive categories suppressed everywhere (pages, CSV, JSON, the public API); the licence."""
import csv
import io
import re

import pytest

from .conftest import csv_bytes, month, upload

LICENCE = "Creative Commons Attribution 4.0 (CC BY 4.0)"


@pytest.fixture
def published(police, areas):
    """Last month: domestic violence 3 in Bradashesh (sensitive, small), 7 in Lagjja Kala (sensitive,
    shown, but the municipality's total would reveal the 3), theft 3 in Bradashesh (not sensitive),
    a year earlier theft 8. Two months ago: sexual offences 6 in Shtëpëz (sensitive, shown)."""
    rows = {
        month(13): [(month(13), "Bradashesh", "theft", 8), (month(13), "Bradashesh", "domestic_violence", 9)],
        month(2): [(month(2), "Shtëpëz", "sexual_offences", 6), (month(2), "Bradashesh", "theft", 12)],
        month(1): [(month(1), "Bradashesh", "domestic_violence", 3), (month(1), "Lagjja Kala", "domestic_violence", 7),
                   (month(1), "Bradashesh", "theft", 3), (month(1), "Lagjja Kala", "theft", 16),
                   (month(1), "Shtëpëz", "offences_against_children", 1)],
    }
    for lines in rows.values():
        assert upload(police.client, csv_bytes(lines)).status_code == 302
    return areas


def _cells(page: str, table_id: str, code: str) -> list[str]:
    """The text of every cell of a category in one table of the page."""
    table = re.search(rf'<table class="crime-table" id="{table_id}">.*?</table>', page, re.S).group(0)
    if table_id == "month-table":
        row = re.search(rf'<tr data-category="{code}">(.*?)</tr>', table, re.S).group(1)
        return [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    return [c.strip() for c in re.findall(rf'<td class="num" data-category="{code}">(.*?)</td>', table, re.S)]


def _svg_texts(page: str) -> str:
    return " ".join(re.findall(r"<svg.*?</svg>", page, re.S))


def test_a_small_sensitive_count_never_appears_on_the_area_page(app, published):
    page = app.test_client().get(f"/public/elbasan/crime-statistics/{published['Bradashesh']}").get_data(as_text=True)
    month_cells = _cells(page, "month-table", "domestic_violence")
    assert month_cells[0] == "&lt; 5"  # this month: 3, suppressed
    assert month_cells[1] == "9"  # a year earlier: 9, shown
    assert month_cells[2] == "—"  # no change computed from a hidden figure
    assert "3" not in "".join(month_cells)
    trend = _cells(page, "trend-table", "domestic_violence")
    assert "&lt; 5" in trend and "3" not in trend
    # the chart: no bar, no label, no tooltip with the 3
    svg = _svg_texts(page)
    assert not re.search(r"Dhunë në familje[^<]*: 3<", svg)
    # a non-sensitive category shows its 3
    assert _cells(page, "month-table", "theft")[:3] == ["3", "8", "-5"]
    assert "3" in _cells(page, "trend-table", "theft")


def test_the_municipality_total_does_not_reveal_the_small_count_by_subtraction(app, published):
    page = app.test_client().get("/public/elbasan/crime-statistics").get_data(as_text=True)
    cells = _cells(page, "month-table", "domestic_violence")
    assert cells[0] == "not shown"  # 3 + 7 = 10 would reveal the 3 next to Lagjja Kala's 7
    assert "10" not in cells and "3" not in cells
    # 1 in Shtëpëz: a total labelled "< 5" would say that the hidden areas add up to 1 to 4, narrowing
    # each hidden area further than its own label: the total is not shown.
    assert _cells(page, "month-table", "offences_against_children")[0] == "not shown"
    assert _cells(page, "month-table", "theft")[0] == "19"
    assert "Shtëpëz" in page and "Lagjja Kala" in page  # the area picker


def _sensitive_values(figures, code):
    return [f["count"] for f in figures if f["category"] == code]


def test_the_json_download_and_the_public_api_suppress_the_same_way(app, published):
    client = app.test_client()
    for url in ("/public/elbasan/crime-statistics.json", "/api/v1/public/municipalities/elbasan/crime-statistics"):
        response = client.get(url)
        assert response.status_code == 200, url
        data = response.get_json()
        assert data["licence"]["name"] == LICENCE and "creativecommons.org" in data["licence"]["url"]
        assert data["disclosure_threshold"] == 5
        figures = data["figures"]
        last = [f for f in figures if f["month"] == month(1)]
        dv = {f["area_id"]: f for f in last if f["category"] == "domestic_violence"}
        assert dv[published["Bradashesh"]]["count"] is None and dv[published["Bradashesh"]]["suppressed"] is True
        assert dv[published["Bradashesh"]]["suppression"] == "small_count"
        assert dv[published["Lagjja Kala"]]["count"] == 7
        assert dv[None]["count"] is None and dv[None]["suppression"] == "complementary"
        assert 3 not in _sensitive_values(last, "domestic_violence")
        assert 1 not in _sensitive_values(figures, "offences_against_children")
        assert 6 in _sensitive_values(figures, "sexual_offences")
        theft = {f["area_id"]: f for f in last if f["category"] == "theft"}
        assert theft[published["Bradashesh"]]["count"] == 3 and theft[published["Bradashesh"]]["suppressed"] is False
        assert not any(f["count"] is not None and f["sensitive"] and 0 < f["count"] < 5 for f in figures)


def test_the_csv_download_suppresses_and_states_the_licence(app, published):
    response = app.test_client().get("/public/elbasan/crime-statistics.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'rel="license"' in response.headers["Link"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows and all(r["licence"] == LICENCE for r in rows)
    dv = [r for r in rows if r["month"] == month(1) and r["category"] == "domestic_violence"]
    assert {r["count"] for r in dv} == {"", "7", "0"}
    assert "3" not in {r["count"] for r in dv}
    small = [r for r in dv if r["area_id"] == str(published["Bradashesh"])][0]
    assert small["suppressed"] == "true" and small["display"] == "< 5"
    theft = [r for r in rows if r["month"] == month(1) and r["category"] == "theft"
             and r["area_id"] == str(published["Bradashesh"])][0]
    assert theft["count"] == "3" and theft["suppressed"] == "false"


def test_the_public_api_filters_by_area_and_category(app, published):
    client = app.test_client()
    url = "/api/v1/public/municipalities/elbasan/crime-statistics"
    data = client.get(f"{url}?area_id={published['Lagjja Kala']}&category=theft").get_json()
    assert {f["area_id"] for f in data["figures"]} == {published["Lagjja Kala"]}
    assert {f["category"] for f in data["figures"]} == {"theft"}
    assert client.get(f"{url}?area_id={published['Levan']}").status_code == 404  # Fier's area
    assert client.get(f"{url}?category=piracy").status_code == 404
    assert client.get("/api/v1/public/municipalities/atlantis/crime-statistics").status_code == 404


def test_charts_are_accessible_svg_with_a_table_next_to_them(app, published):
    page = app.test_client().get("/public/elbasan/crime-statistics").get_data(as_text=True)
    svgs = re.findall(r"<svg[^>]*>", page)
    assert len(svgs) == 2 + 13  # month, 24-month total, one per category
    for tag in svgs:
        assert 'role="img"' in tag and re.search(r'aria-label="[^"]{10,}"', tag)
    assert page.count("<title>") >= len(svgs)
    assert '<table class="crime-table" id="month-table">' in page and '<table class="crime-table" id="trend-table">' in page
    assert "<script" not in page and "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert LICENCE in page
    assert "/public/elbasan/crime-statistics.csv" in page and "/public/elbasan/crime-statistics.json" in page


def test_the_month_can_be_chosen_and_the_area_picker_works_without_javascript(app, published):
    client = app.test_client()
    page = client.get(f"/public/elbasan/crime-statistics?month={month(2)}").get_data(as_text=True)
    assert _cells(page, "month-table", "sexual_offences")[0] == "6"
    picked = client.get(f"/public/elbasan/crime-statistics?area={published['Shtëpëz']}")
    assert picked.status_code == 302 and picked.headers["Location"].endswith(f"/crime-statistics/{published['Shtëpëz']}")
    assert client.get(f"/public/elbasan/crime-statistics/{published['Levan']}").status_code == 404
    assert client.get(f"/public/fier/crime-statistics/{published['Bradashesh']}").status_code == 404


def test_a_municipality_without_figures_says_so(app, areas):
    client = app.test_client()
    page = client.get("/public/fier/crime-statistics")
    assert page.status_code == 200 and "No figures have been published yet." in page.get_data(as_text=True)
    assert client.get("/public/fier/crime-statistics.json").get_json()["figures"] == []
    assert "crime-statistics" in client.get("/public/fier/").get_data(as_text=True)


def test_the_ministry_sets_the_threshold_for_every_output(app, published, make_user, login):
    secretary = make_user("technical_secretary", municipality="elbasan")
    client = app.test_client()
    login(client, secretary)
    assert client.get("/national/crime-statistics/settings").status_code == 403
    assert client.post("/national/crime-statistics/settings", data={"disclosure_threshold": "1"}).status_code == 403
    ministry = make_user("ministry")
    client = app.test_client()
    login(client, ministry)
    assert client.get("/national/crime-statistics/settings").status_code == 200
    assert client.post("/national/crime-statistics/settings", data={"disclosure_threshold": "0"}).status_code == 422
    assert client.post("/national/crime-statistics/settings", data={"disclosure_threshold": "3"}).status_code == 302
    data = app.test_client().get("/public/elbasan/crime-statistics.json").get_json()
    assert data["disclosure_threshold"] == 3
    dv = {f["area_id"]: f["count"] for f in data["figures"] if f["month"] == month(1)
          and f["category"] == "domestic_violence"}
    assert dv[published["Bradashesh"]] == 3 and dv[None] == 10
    page = app.test_client().get("/public/elbasan/crime-statistics").get_data(as_text=True)
    assert "&lt; 3" in page


def test_monthly_counts_serves_other_areas_true_figures_and_public_ones_on_request(app, published, in_tenant):
    from safetycouncil.crime_statistics.services import monthly_counts

    with in_tenant("elbasan"):
        series = monthly_counts(published["Bradashesh"], "domestic_violence", 13)
        assert len(series) == 13 and series[-1] == {"month": month(1), "count": 3, "status": "published",
                                                    "revision": 1}
        assert series[0]["month"] == month(13) and series[0]["count"] == 9
        assert [s["status"] for s in series[1:11]] == ["missing"] * 10 and series[1]["count"] is None
        public = monthly_counts(published["Bradashesh"], "domestic_violence", 1, public=True)
        assert public[0]["count"] is None and public[0]["suppressed"] is True
        everything = monthly_counts(None, None, 1)
        assert everything[0]["count"] == 3 + 7 + 3 + 16 + 1
        assert monthly_counts(None, "theft", 2, public=True)[-1]["count"] == 19


def test_the_openapi_description_documents_the_statistics_endpoints_and_is_valid(app):
    from openapi_spec_validator import validate

    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    validate(spec)
    public = spec["paths"]["/api/v1/public/municipalities/{municipality}/crime-statistics"]["get"]
    assert public["security"] == []
    upload_file = spec["paths"]["/api/v1/municipalities/{municipality}/crime-statistics/uploads/file"]["post"]
    assert "multipart/form-data" in upload_file["requestBody"]["content"]


def test_category_names_follow_the_readers_language(app, published):
    client = app.test_client()
    client.post("/language/sq")
    assert "Dhunë në familje" in client.get("/public/elbasan/crime-statistics").get_data(as_text=True)
    client.post("/language/en", data={"next": "/public/elbasan/crime-statistics"})
    page = client.get("/public/elbasan/crime-statistics").get_data(as_text=True)
    assert "Domestic violence" in page and "Dhunë në familje" not in page
