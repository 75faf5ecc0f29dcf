"""The Elbasan plan (roadmap, Table 1: items 1.2, 1.4, 1.5, 1.7) imported from a spreadsheet, exported
to XLSX, PDF and Word, and imported again unchanged; bad sheets are refused line by line."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from safetycouncil.council.models import CouncilInstitution, Institution
from safetycouncil.extensions import db
from safetycouncil.plans import services, spreadsheet
from safetycouncil.plans.models import Plan, PlanVersion
from safetycouncil.plans.vocabulary import parse_priority, parse_timing

from . import support
from .support import (
    ALBANIAN_HEADER,
    MUNICIPALITY,
    POLICE,
    PROSECUTION,
    elbasan_sheet,
    plan_shape,
    xlsx,
)

API = "/api/v1/municipalities/elbasan/plans"


@pytest.fixture
def secretary(make_user, api_token, in_tenant):
    with in_tenant("elbasan") as session:
        support.known_institutions(session)
    user = make_user("technical_secretary", municipality="elbasan")
    return api_token(user)


def upload(client, headers, data: bytes, filename="plani.xlsx", year="2022"):
    return client.post(f"{API}/import", headers=headers, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), filename), "year": year})


def test_the_four_elbasan_items_are_imported_with_priorities_activities_institutions_and_timings(
        app, client, secretary, in_tenant):
    before = _institutions(app)
    response = upload(client, secretary, elbasan_sheet())
    assert response.status_code == 201, response.get_json()
    report = response.get_json()
    assert report["imported"] and report["items"] == 4 and report["activities"] == 14
    assert [line["status"] for line in report["lines"] if line["line"] and line["line"] > 3] == ["ok"] * 4
    assert "1.4" in report["lines"][-3]["messages"][0] and "high" in report["lines"][-3]["messages"][0]

    version = client.get(f"{API}/versions/{report['version_id']}", headers=secretary).get_json()
    assert version["status"] == "draft" and version["number"] == 1
    items = {i["number"]: i for i in version["items"]}
    assert list(items) == ["1.2", "1.4", "1.5", "1.7"]
    assert {n: i["intensity"] for n, i in items.items()} == {"1.2": "moderate", "1.4": "high", "1.5": "high",
                                                             "1.7": "high"}
    assert items["1.5"]["issue"].startswith("Domestic violence (For year 2021, 56 cases")
    assert [len(i["activities"]) for i in items.values()] == [3, 3, 4, 4]
    assert items["1.2"]["activities"][1]["description"] == (
        "Hold regular meetings with NGOs and other interest groups on the part of the “triangle” institutions")
    assert items["1.7"]["activities"][3]["description"] == (
        "Continuously monitor the dynamics of movement and change of hotspots.")
    timings = {n: {(a["timing_kind"], a["timing_value"]) for a in i["activities"]} for n, i in items.items()}
    assert timings == {"1.2": {("recurrence", "every_two_months")}, "1.4": {("period", "first_half")},
                       "1.5": {("recurrence", "all_year")}, "1.7": {("period", "first_half")}}
    names = {n: [x["name"] for x in i["activities"][0]["institutions"]] for n, i in items.items()}
    assert names["1.2"] == [POLICE, PROSECUTION, MUNICIPALITY]
    assert names["1.4"][-1] == "Department of Education"
    assert names["1.5"][-1] == "NGOs"
    assert names["1.7"][-2:] == ["Community representatives", "NGOs"]
    assert _institutions(app) == before  # matched to known institutions, none created


def test_institution_names_are_matched_ignoring_case_and_diacritics_and_never_created(app, client, secretary,
                                                                                     in_tenant):
    """Issue 20: an import matches names to known institutions (case and diacritics ignored), suggests
    the closest for an unknown name and refuses it; it never creates an institution."""
    with in_tenant("elbasan") as session:
        support.known_institutions(session, names=("Drejtoria Vendore e Policisë Elbasan",))
    before = _institutions(app)
    rows = [ALBANIAN_HEADER,
            ["1", "Dhuna në familje", "e lartë", "Takime", "DREJTORIA VENDORE E POLICISE ELBASAN", "Çdo muaj"]]
    response = upload(client, secretary, xlsx(rows, title=None))
    assert response.status_code == 201, response.get_json()
    with in_tenant("elbasan"):
        version = db.session.get(PlanVersion, response.get_json()["version_id"])
        assert [i.name for i in version.items[0].activities[0].institutions] == [
            "Drejtoria Vendore e Policisë Elbasan"]
    rows[1][4] = "Drejtoria Vendore e Policise Elbsan; Institucion që nuk ekziston"
    lines = _refused(upload(client, secretary, xlsx(rows, title=None), year="2023"),
                     "Drejtoria Vendore e Policise Elbsan", "Drejtoria Vendore e Policisë Elbasan",
                     "Institucion që nuk ekziston")
    assert [line["line"] for line in lines if line["status"] == "error"] == [2]
    assert _institutions(app) == before
    with in_tenant("elbasan") as session:
        assert session.execute(select(func.count()).select_from(Plan)).scalar() == 1


def test_albanian_headers_and_priority_words_are_understood(app, client, secretary, in_tenant):
    with in_tenant("elbasan") as session:
        support.known_institutions(session, names=("Drejtoria Vendore e Policisë Elbasan", "Bashkia Elbasan",
                                                    "Zyra Arsimore Vendore"))
    rows = [ALBANIAN_HEADER,
            ["1", "Dhuna në familje", "e lartë", "1. Takime me OJF-të\n2. Linjë telefonike falas",
             "Drejtoria Vendore e Policisë Elbasan; Bashkia Elbasan", "Gjatë gjithë vitit"],
            ["2", "Siguria rrugore pranë shkollave", "mesatar", "Sinjalistikë e re", "Bashkia Elbasan",
             "31.10.2022"],
            ["3", "Vjedhjet në lagje", "i ulët", "Patrullime", "Drejtoria Vendore e Policisë Elbasan",
             "Tremujori i tretë"],
            ["4", "Bullizmi në shkolla", "E Mesme", "Orë mësimi", "Zyra Arsimore Vendore", "çdo dy muaj"],
            ["5", "Alkooli te të rinjtë", "lartë", "Fushata", "Bashkia Elbasan", "gjashtëmujori i dytë"]]
    response = upload(client, secretary, xlsx(rows, title=None))
    assert response.status_code == 201, response.get_json()
    with in_tenant("elbasan"):
        version = db.session.get(PlanVersion, response.get_json()["version_id"])
        got = [(i.number, i.intensity, [(a.timing_kind, a.timing_value) for a in i.activities])
               for i in version.items]
    assert got == [("1", "high", [("recurrence", "all_year")] * 2), ("2", "moderate", [("deadline", "2022-10-31")]),
                   ("3", "low", [("period", "q3")]), ("4", "moderate", [("recurrence", "every_two_months")]),
                   ("5", "high", [("period", "second_half")])]


@pytest.mark.parametrize("word, expected", [
    ("i lartë", "high"), ("e lartë", "high"), ("lartë", "high"), ("I LARTË", "high"), ("larte", "high"),
    ("High Priority", "high"), ("mesatar", "moderate"), ("e mesme", "moderate"), ("i moderuar", "moderate"),
    ("Moderate", "moderate"), ("i ulët", "low"), ("e ulët", "low"), ("ulët", "low"), ("low", "low"),
    ("shumë i lartë", None), ("urgent", None)])
def test_priority_words(word, expected):
    assert parse_priority(word) == expected


@pytest.mark.parametrize("text, expected", [
    ("Every two months", ("recurrence", "every_two_months")), ("First 6-month period", ("period", "first_half")),
    ("All year round", ("recurrence", "all_year")), ("Çdo dy muaj", ("recurrence", "every_two_months")),
    ("31.12.2022", ("deadline", "2022-12-31")), ("deri më 30.06.2023", ("deadline", "2023-06-30")),
    ("Gjashtëmujori i parë", ("period", "first_half")), ("sometime", None), ("31.02.2022", None)])
def test_timing_words(text, expected):
    assert parse_timing(text) == expected


def _export(client, headers, version_id, fmt, lang="sq"):
    response = client.get(f"/elbasan/plans/versions/{version_id}/plan.{fmt}?lang={lang}")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.data


def test_exporting_and_importing_again_gives_the_same_plan(app, client, secretary, make_user, login, in_tenant):
    web = app.test_client()
    login(web, make_user("technical_secretary", municipality="elbasan"))
    first = upload(client, secretary, elbasan_sheet()).get_json()
    # Indicators, partners and an activity with its own institutions and timing survive the round trip.
    item_id = client.get(f"{API}/versions/{first['version_id']}", headers=secretary).get_json()["items"][2]["id"]
    assert client.post(f"{API}/items/{item_id}/indicators", headers=secretary, json={
        "name": "Raste të dhunës në familje", "unit": "raste", "baseline": 56, "target": 45.5,
        "source": "DVP Elbasan"}).status_code == 201
    institutions = client.get(f"{API}/items/{item_id}", headers=secretary).get_json()["activities"][0]["institutions"]
    assert client.post(f"{API}/items/{item_id}/activities", headers=secretary, json={
        "description": "Fushatë ndërgjegjësimi në shkolla", "partners": "Qendra Sociale Murialdo",
        "timing_kind": "deadline", "timing_value": "2022-11-25",
        "institution_ids": [institutions[2]["id"]]}).status_code == 201
    with in_tenant("elbasan"):
        original = plan_shape(db.session.get(PlanVersion, first["version_id"]))
    for lang in ("sq", "en"):
        sheet = _export(web, secretary, first["version_id"], "xlsx", lang)
        again = upload(client, secretary, sheet, filename=f"plan-{lang}.xlsx",
                       year="2030" if lang == "sq" else "2031")
        assert again.status_code == 201, again.get_json()
        with in_tenant("elbasan"):
            assert plan_shape(db.session.get(PlanVersion, again.get_json()["version_id"])) == original
    # As a CSV too.
    with in_tenant("elbasan"):
        header, rows, _ = spreadsheet.table_rows(db.session.get(PlanVersion, first["version_id"]), "sq")
    import csv

    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows([header, *rows])
    again = upload(client, secretary, buffer.getvalue().encode("utf-8"), filename="plani.csv", year="2032")
    assert again.status_code == 201, again.get_json()
    with in_tenant("elbasan"):
        assert plan_shape(db.session.get(PlanVersion, again.get_json()["version_id"])) == original


def test_the_plan_exports_to_pdf_and_word_in_the_elbasan_layout(app, client, secretary, make_user, login):
    from docx import Document as Word

    web = app.test_client()
    login(web, make_user("technical_secretary", municipality="elbasan"))
    version_id = upload(client, secretary, elbasan_sheet()).get_json()["version_id"]
    assert _export(web, secretary, version_id, "pdf").startswith(b"%PDF")
    word = Word(io.BytesIO(_export(web, secretary, version_id, "docx", "sq")))
    header = [c.text for c in word.tables[0].rows[0].cells]
    assert header == ALBANIAN_HEADER
    first = [c.text for c in word.tables[0].rows[1].cells]
    assert first[0] == "1.2" and first[2] == "Mesatar" and first[5] == "Çdo dy muaj"
    assert first[3].startswith("1. Enhance communication")


def test_reimporting_the_approved_plan_makes_a_revision_with_no_changes(app, client, secretary, make_user, login,
                                                                         in_tenant):
    web = app.test_client()
    login(web, make_user("technical_secretary", municipality="elbasan"))
    first = upload(client, secretary, elbasan_sheet()).get_json()
    with in_tenant("elbasan") as session:
        decision_id = support.decision(session, support.after_today()).id
    assert client.post(f"{API}/versions/{first['version_id']}/approval", headers=secretary,
                       json={"decision_id": decision_id}).status_code == 200
    sheet = _export(web, secretary, first["version_id"], "xlsx")
    again = upload(client, secretary, sheet).get_json()
    assert again["plan_id"] == first["plan_id"] and again["version_number"] == 2
    comparison = client.get(f"{API}/{first['plan_id']}/comparison", headers=secretary).get_json()
    assert comparison["summary"] == {"added": 0, "removed": 0, "changed": 0, "unchanged": 4}


def _refused(response, *fragments):
    assert response.status_code == 422, response.get_json()
    payload = response.get_json()
    assert payload["message"]
    lines = payload["errors"]["lines"]
    text = " ".join(m for line in lines if line["status"] == "error" for m in line["messages"])
    for fragment in fragments:
        assert fragment in text, text
    return lines


def _nothing_imported(app, in_tenant, institutions_before):
    with in_tenant("elbasan") as session:
        assert session.execute(select(func.count()).select_from(Plan)).scalar() == 0
        assert session.execute(select(func.count()).select_from(PlanVersion)).scalar() == 0
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(Institution)).scalar() == institutions_before


def _institutions(app):
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(Institution)).scalar()


def test_a_missing_column_is_refused_and_nothing_is_imported(app, client, secretary, in_tenant, make_user,
                                                             api_token):
    before = _institutions(app)
    rows = [[c for i, c in enumerate(r) if i != 2] for r in [support.ENGLISH_HEADER, *support.ELBASAN_ITEMS]]
    lines = _refused(upload(client, secretary, xlsx(rows)), "Prioriteti", "Priority")
    assert lines[0]["line"] == 3 and len([line for line in lines if line["status"] == "error"]) == 1
    english = api_token(make_user("technical_secretary", municipality="elbasan", locale="en"))
    _refused(upload(client, english, xlsx(rows)), 'The column "Prioriteti" (Priority) is missing.')
    _nothing_imported(app, in_tenant, before)


def test_an_unknown_priority_word_is_refused_line_by_line(app, client, secretary, in_tenant):
    before = _institutions(app)
    items = [list(i) for i in support.ELBASAN_ITEMS]
    items[2][2] = "Very urgent"
    lines = _refused(upload(client, secretary, elbasan_sheet(items=items)), "Very urgent")
    by_line = {line["line"]: line["status"] for line in lines}
    assert by_line[6] == "error" and by_line[4] == by_line[5] == by_line[7] == "ok"
    _nothing_imported(app, in_tenant, before)


def test_an_empty_activity_is_refused(app, client, secretary, in_tenant):
    before = _institutions(app)
    items = [list(i) for i in support.ELBASAN_ITEMS]
    items[0][3] = "1. Enhance communication;\n2. \n3. Enhance police communication."
    items[3][3] = ""
    lines = _refused(upload(client, secretary, elbasan_sheet(items=items)))
    errors = {line["line"]: line["messages"] for line in lines if line["status"] == "error"}
    assert set(errors) == {4, 7}
    assert errors[4] and errors[7]
    _nothing_imported(app, in_tenant, before)


@pytest.mark.parametrize("filename, data", [
    ("plani.xlsx", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
    ("plani.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
    ("plani.xlsx", b"PK\x03\x04 not really a zip"),
    ("plani.csv", b"\x00\x01\x02\x03binary"),
    ("plani.csv", "Kjo është thjesht një letër, jo një tabelë.".encode()),
])
def test_a_file_that_is_not_a_spreadsheet_is_refused(app, client, secretary, in_tenant, filename, data):
    before = _institutions(app)
    lines = _refused(upload(client, secretary, data, filename=filename))
    assert lines[0]["line"] is None
    _nothing_imported(app, in_tenant, before)


def test_the_import_page_shows_the_report(app, make_user, login, in_tenant):
    with in_tenant("elbasan") as session:
        support.known_institutions(session)
    web = app.test_client()
    login(web, make_user("technical_secretary", municipality="elbasan"))
    items = [list(i) for i in support.ELBASAN_ITEMS]
    items[1][5] = "kur të mundemi"
    page = web.post("/elbasan/plans/import", content_type="multipart/form-data",
                    data={"year": "2022", "file": (io.BytesIO(elbasan_sheet(items=items)), "plani.xlsx")})
    assert page.status_code == 422
    assert "kur të mundemi" in page.get_data(as_text=True)
    ok = web.post("/elbasan/plans/import", content_type="multipart/form-data",
                  data={"year": "2022", "file": (io.BytesIO(elbasan_sheet()), "plani.xlsx")})
    assert ok.status_code == 302
    with in_tenant("elbasan") as session:
        plan = session.execute(select(Plan)).scalar_one()
        assert plan.year == 2022 and len(services.draft_of(plan).items) == 4
