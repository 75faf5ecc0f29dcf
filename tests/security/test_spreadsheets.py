"""Issue 22, findings 3 and 6: spreadsheets read with bounds, written without live formulas.

3. A decompression bomb: a workbook of a few dozen kilobytes whose shared strings unpack to tens
   of megabytes (openpyxl expands them all while opening, a gigabyte of memory for 400 KB) is
   refused with a clear, translated message before it is parsed, by the plan import and by the
   crime-statistics upload alike.
6. Formula injection: text starting with "=" written into an exported spreadsheet stays text."""
from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from safetycouncil import spreadsheets

BOMB_SQ = "Skedari Excel është shumë i madh"
BOMB_EN = "The workbook is too large once unpacked"


def workbook_bytes(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def bomb(unpacked_mb: int = 40) -> bytes:
    """A real workbook whose shared strings part unpacks to ``unpacked_mb`` MB (deflated: tiny)."""
    plain = workbook_bytes([["month", "area", "category", "count"]])
    count = unpacked_mb * 1024 * 1024 // 16
    strings = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
               b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
               % (count, count) + b"<si><t>aaaaa</t></si>" * count + b"</sst>")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != "xl/sharedStrings.xml":
                target.writestr(item, source.read(item.filename))
        target.writestr("xl/sharedStrings.xml", strings, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    data = out.getvalue()
    assert len(data) < 1024 * 1024, len(data)  # well under every upload limit
    return data


def test_the_bounded_opener_refuses_a_bomb_before_parsing_and_reads_a_normal_workbook(app):
    with app.test_request_context():
        with pytest.raises(spreadsheets.SpreadsheetTooLarge):
            spreadsheets.open_workbook(bomb())
        book = spreadsheets.open_workbook(workbook_bytes([["a", 1], ["b", 2]]))
        assert [list(r) for r in book.worksheets[0].iter_rows(values_only=True)] == [["a", 1], ["b", 2]]
        book.close()
        # Rows and cells are bounded too.
        book = spreadsheets.open_workbook(workbook_bytes([[i, i] for i in range(50)]), max_rows=10)
        with pytest.raises(spreadsheets.SpreadsheetTooLarge):
            list(book.worksheets[0].iter_rows(values_only=True))
        book.close()
        book = spreadsheets.open_workbook(workbook_bytes([list(range(40))] * 5), max_cells=100)
        with pytest.raises(spreadsheets.SpreadsheetTooLarge):
            list(book.worksheets[0].iter_rows(values_only=True))
        book.close()


def test_a_plan_import_refuses_a_bomb_with_a_clear_message(app, make_user, api_token):
    client = app.test_client()
    headers = api_token(make_user("technical_secretary", municipality="elbasan"))
    response = client.post("/api/v1/municipalities/elbasan/plans/import", headers=headers,
                           content_type="multipart/form-data",
                           data={"file": (io.BytesIO(bomb()), "plani.xlsx"), "year": "2022"})
    assert response.status_code == 422, response.get_json()
    assert BOMB_SQ in str(response.get_json())


def test_a_crime_statistics_upload_refuses_a_bomb_with_a_clear_message(app, make_user, login):
    client = app.test_client()
    login(client, make_user("secretariat_police", municipality="elbasan", locale="en"))
    client.post("/language/en")
    response = client.post("/elbasan/crime-statistics/upload", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(bomb()), "statistika.xlsx"), "note": ""})
    assert response.status_code == 422
    assert BOMB_EN in response.get_data(as_text=True)


# --- 6. formula injection ---------------------------------------------------------------------------

def test_neutralise_keeps_formulas_as_text():
    for text in ("=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"):
        assert spreadsheets.neutralise(text) == "'" + text
    assert spreadsheets.neutralise("Vjedhje") == "Vjedhje"
    assert spreadsheets.neutralise(5) == 5 and spreadsheets.neutralise(None) is None


def test_the_plan_export_writes_an_item_starting_with_equals_as_text(app, make_user, login, api_token, in_tenant):
    import csv

    from tests.plans.support import ELBASAN_ITEMS, ENGLISH_HEADER, known_institutions

    with in_tenant("elbasan") as session:
        known_institutions(session)  # an import matches known institutions, never creates them
    secretary = make_user("technical_secretary", municipality="elbasan")
    item = list(ELBASAN_ITEMS[0])
    item[1] = '=HYPERLINK("http://evil.example","Kliko")'
    sheet = io.StringIO()
    csv.writer(sheet).writerows([ENGLISH_HEADER, item])
    client = app.test_client()
    response = client.post("/api/v1/municipalities/elbasan/plans/import", headers=api_token(secretary),
                           content_type="multipart/form-data",
                           data={"file": (io.BytesIO(sheet.getvalue().encode()), "plani.csv"), "year": "2022"})
    assert response.status_code in (200, 201), response.get_json()
    version = response.get_json()["version_id"]
    login(client, secretary)
    response = client.get(f"/elbasan/plans/versions/{version}/plan.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(t.startswith("'=HYPERLINK") for t in texts), texts
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def test_the_oversight_exports_write_formulas_as_text(app):
    """The console's CSV and XLSX downloads (matrix, evidence) go through these two writers."""
    from safetycouncil.oversight.views import _csv, _xlsx

    header, body = ["Bashkia", "Evidence"], [["Elbasan", '=HYPERLINK("http://evil.example","x")'], ["Fier", 3]]
    with app.test_request_context():
        text = _csv(header, body, "matrix.csv").get_data(as_text=True)
        assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text
        sheet = load_workbook(io.BytesIO(_xlsx(header, body, "matrix.xlsx", "Matrix").get_data())).active
    assert sheet["B2"].value == "'=HYPERLINK(\"http://evil.example\",\"x\")" and sheet["B2"].data_type == "s"
    assert sheet["B3"].value == 3
