"""The Ministry's console, the Prefecture's county console, exports, the API, the model page, snapshots."""
from __future__ import annotations

import csv
import io
from openpyxl import load_workbook
from sqlalchemy import func, select

from safetycouncil.compliance.models import ComplianceModelVersion, ComplianceSnapshot
from safetycouncil.compliance.rules import RULE_IDS
from safetycouncil.extensions import db
from safetycouncil.tenancy import read_across_tenants

from ..documents.pdfcheck import read_tagged_pdf
from .support import exemplary


def _world(in_tenant):
    with in_tenant("elbasan") as s:
        exemplary(s, "elb")
    with in_tenant("fier") as s:
        exemplary(s, "fie", skip=("secretariat_police",))


def _signed_in(app, make_user, login, *args, **kwargs):
    user = make_user(*args, **kwargs)
    client = app.test_client()
    login(client, user)
    return client, user


def test_the_ministry_sees_the_national_picture_matrix_and_evidence(app, in_tenant, make_user, login):
    _world(in_tenant)
    client, _ = _signed_in(app, make_user, login, "ministry", locale="en")
    page = client.get("/national/?year=2024").get_data(as_text=True)
    assert "1 of 61 councils comply fully" in page
    assert "Coordination Secretariat: municipality, police, prosecution" in page
    filtered = client.get("/national/?year=2024&county=fier&rule=coordination-secretariat").get_data(as_text=True)
    assert "Fier" in filtered and ">Elbasan</a>" not in filtered
    matrix = client.get("/national/compliance/matrix?year=2024&county=fier").get_data(as_text=True)
    assert 'href="/national/compliance/fier/coordination-secretariat?year=2024"' in matrix
    assert 'data-verdict="fail"' in matrix and "table-scroll" in matrix
    evidence = client.get("/national/compliance/fier/coordination-secretariat?year=2024")
    text = evidence.get_data(as_text=True)
    assert evidence.status_code == 200 and "Does not comply" in text and "Art. 9.3" in text
    assert "Coordination Secretariat: police: vacant from" in text
    council = client.get("/national/compliance/elbasan?year=2024").get_data(as_text=True)
    assert "Invitations sent on time" in council and "/elbasan/meetings/" in council
    assert client.get("/national/compliance/elbasan/no-such-rule").status_code == 404
    assert client.get("/national/compliance/atlantis/chair").status_code == 404


def test_exports(app, in_tenant, make_user, login):
    _world(in_tenant)
    client, _ = _signed_in(app, make_user, login, "ministry", locale="en")
    response = client.get("/national/compliance/matrix.xlsx?year=2024&county=fier")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    header, fier = rows[0], next(r for r in rows if r[1] == "Fier")
    assert fier[header.index("coordination-secretariat")] == "fail" and fier[header.index("chair")] == "pass"
    assert {r[0] for r in rows[1:]} == {"Fier"}
    body = client.get("/national/compliance/evidence.csv?year=2024&rule=coordination-secretariat").data.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(body)))
    assert any(line[1] == "Fier" and line[6] == "seat_gap" for line in lines)
    xlsx = client.get("/national/compliance/evidence.xlsx?year=2024")
    assert xlsx.status_code == 200 and xlsx.mimetype.endswith("sheet")
    pdf = client.get("/national/compliance/report.pdf?year=2024")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    _, pdf_text = read_tagged_pdf(pdf.data, "en-GB", table=True)  # tagged (PDF/UA) (issue 14)
    assert "Fier" in pdf_text and "2024" in pdf_text


def test_a_prefecture_sees_only_its_county_pages_exports_api_and_aggregates(app, in_tenant, make_user, login,
                                                                               api_token):
    _world(in_tenant)
    client, prefect = _signed_in(app, make_user, login, "prefecture", county="fier", locale="en")
    page = client.get("/prefecture/fier/?year=2024").get_data(as_text=True)
    assert "0 of 6 councils comply fully" in page
    assert "Elbasan" not in page
    assert client.get("/prefecture/fier/compliance/matrix?year=2024").status_code == 200
    assert client.get("/prefecture/fier/compliance/fier/chair?year=2024").status_code == 200
    assert client.get("/prefecture/fier/compliance/elbasan/chair?year=2024").status_code == 404
    assert client.get("/prefecture/fier/compliance/elbasan?year=2024").status_code == 404
    assert client.get("/prefecture/elbasan/compliance/matrix").status_code == 404
    assert client.get("/national/compliance/matrix").status_code == 403
    assert client.get("/national/compliance/model").status_code == 403
    # ?county= cannot widen a county page
    widened = client.get("/prefecture/fier/?year=2024&county=elbasan").get_data(as_text=True)
    assert "Elbasan" not in widened
    sheet = load_workbook(io.BytesIO(client.get("/prefecture/fier/compliance/matrix.xlsx?year=2024").data)).active
    assert {r[0] for r in list(sheet.iter_rows(values_only=True))[1:]} == {"Fier"}
    assert "Elbasan" not in client.get("/prefecture/fier/compliance/evidence.csv?year=2024").data.decode()
    assert "Elbasan" not in client.get("/prefecture/fier/compliance/trends").get_data(as_text=True)
    headers = api_token(prefect)
    listed = client.get("/api/v1/compliance?year=2024", headers=headers).get_json()
    assert {c["county"] for c in listed["items"]} == {"fier"} and listed["councils"] == 6
    assert client.get("/api/v1/compliance?county=elbasan", headers=headers).status_code == 404
    assert client.get("/api/v1/compliance/elbasan", headers=headers).status_code == 404
    one = client.get("/api/v1/compliance/fier?year=2024", headers=headers).get_json()
    assert one["rules"]["coordination-secretariat"]["verdict"] == "fail"
    assert any(e["kind"] == "seat_gap" and e["message"] for e in one["rules"]["coordination-secretariat"]["evidence"])


def test_the_api_for_the_ministry_and_refused_to_others(app, in_tenant, make_user, login, api_token):
    _world(in_tenant)
    ministry = make_user("ministry")
    client = app.test_client()
    headers = api_token(ministry)
    listed = client.get("/api/v1/compliance?year=2024&rule=coordination-secretariat", headers=headers).get_json()
    assert [c["municipality"] for c in listed["items"] if c["municipality"] in ("fier", "elbasan")] == ["fier"]
    assert client.get("/api/v1/compliance?year=2024&county=elbasan", headers=headers).get_json()["councils"] == 7
    assert client.get("/api/v1/compliance/elbasan?year=2024", headers=headers).get_json()["complies"] is True
    secretary = make_user("technical_secretary", municipality="elbasan")
    other = api_token(secretary)
    assert client.get("/api/v1/compliance", headers=other).status_code == 403
    assert client.get("/api/v1/compliance/elbasan", headers=other).status_code == 403


def test_a_municipality_user_cannot_reach_the_console(app, make_user, login):
    client, _ = _signed_in(app, make_user, login, "chair", municipality="fier")
    for url in ("/national/", "/national/compliance/matrix", "/national/compliance/fier/chair",
                "/national/compliance/matrix.xlsx", "/national/compliance/report.pdf", "/national/compliance/model",
                "/national/institutions", "/national/compliance/trends", "/national/compliance/risks"):
        assert client.get(url).status_code == 403, url
    assert client.get("/prefecture/fier/").status_code == 404
    assert client.get("/prefecture/fier/compliance/matrix").status_code == 404


def test_snapshots_trends_and_the_model_versions(app, in_tenant, make_user, login, municipality_id):
    from click.testing import CliRunner  # noqa: F401

    _world(in_tenant)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["compliance", "snapshot", "--year", "2024"])
    assert result.exit_code == 0, result.output
    assert f"{61 * len(RULE_IDS)} snapshot rows written" in result.output  # 61 councils x every rule
    with app.app_context(), read_across_tenants([municipality_id("fier")]):
        rows = dict(db.session.execute(select(ComplianceSnapshot.rule, ComplianceSnapshot.verdict)).all())
        assert rows["coordination-secretariat"] == "fail" and rows["chair"] == "pass"
    client, _ = _signed_in(app, make_user, login, "ministry", locale="en")
    trends = client.get("/national/compliance/trends").get_data(as_text=True)
    assert "<svg" in trends and "<title" in trends and "<table" in trends and "2024" in trends
    # the version used by the snapshots is locked; a later year makes a new version
    page = client.get("/national/compliance/model").get_data(as_text=True)
    assert "Yes: locked" in page
    with app.app_context():
        used = db.session.execute(select(ComplianceModelVersion)).scalars().first()
        used_from = used.valid_from
    form = {"valid_from": str(used_from), "param_council_meetings_per_year": "3", "note": "x",
            **{f"rule_{r}": "1" for r in ("chair", "composition")}}
    refused = client.post("/national/compliance/model", data=form).get_data(as_text=True)
    assert "cannot be changed" in refused
    form["valid_from"] = "2027"
    assert client.post("/national/compliance/model", data=form).status_code == 302
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(ComplianceModelVersion)).scalar() == 2


def test_the_nightly_job_runs_through_the_queue(app, run_jobs):
    from safetycouncil.compliance.tasks import enqueue_nightly

    with app.app_context():
        enqueue_nightly()
    run_jobs()
    with app.app_context(), read_across_tenants():
        assert db.session.execute(select(func.count()).select_from(ComplianceSnapshot)).scalar() == 61 * len(RULE_IDS)


def test_shared_institutions_page(app, make_user, login):
    from safetycouncil.council.models import Institution

    with app.app_context():
        row = Institution(name="Drejtoria Vendore e Policisë Elbasan", kind="police", shared=True)
        db.session.add(row)
        db.session.commit()
        row_id = row.id
    client, _ = _signed_in(app, make_user, login, "ministry", locale="en")
    assert "Drejtoria Vendore e Policisë Elbasan" in client.get("/national/institutions").get_data(as_text=True)
    client.post(f"/national/institutions/{row_id}", data={"name": "DVP Elbasan", "email": "dvp@asp.gov.al",
                                                          "shared": "0"})
    with app.app_context():
        row = db.session.get(Institution, row_id)
        assert (row.name, row.email, row.shared) == ("DVP Elbasan", "dvp@asp.gov.al", False)


def test_the_risk_picture(app, in_tenant, make_user, login):
    from safetycouncil.concerns.models import RiskCategory
    from safetycouncil.risks.models import Risk

    with app.app_context():
        category = RiskCategory(code="x_dv", name_sq="Dhuna në familje X", name_en="Domestic violence X")
        db.session.add(category)
        db.session.commit()
        cid = category.id
    for slug in ("elbasan", "fier"):
        with in_tenant(slug) as s:
            s.add(Risk(title="Dhunë", category_id=cid, intensity="high"))
    client, _ = _signed_in(app, make_user, login, "prefecture", county="fier", locale="en")
    page = client.get("/prefecture/fier/compliance/risks").get_data(as_text=True)
    assert "Domestic violence X" in page and "Fier" in page and "Elbasan" not in page


def test_the_console_map_county_comparison_and_drill_down(app, in_tenant, make_user, login):
    """Issue 14: a map coloured by score or by a chosen rule, counties compared, and one path
    national -> county -> council -> rule -> evidence."""
    import re

    _world(in_tenant)
    client, _ = _signed_in(app, make_user, login, "ministry", locale="en")
    page = client.get("/national/?year=2024").get_data(as_text=True)
    svg = page.split('id="console-map"', 1)[1].split("</svg>", 1)[0]
    tiles = re.findall(r'<a href="(/national/compliance/[a-z-]+\?year=2024)" aria-label="[^"]+" class="tile tile-(\w+)"', svg)
    assert len(tiles) == 61 and ("/national/compliance/elbasan?year=2024", "ok") in tiles
    comparison = page.split('id="county-comparison-caption"', 1)[1].split("</table>", 1)[0]
    assert comparison.count("<tr>") == 13 and 'href="/national/?year=2024&amp;county=elbasan"' in comparison
    by_rule = client.get("/national/?year=2024&rule=coordination-secretariat").get_data(as_text=True)
    svg = by_rule.split('id="console-map"', 1)[1].split("</svg>", 1)[0]
    assert 'href="/national/compliance/fier?year=2024" aria-label="FIE ✗: Fier, Does not comply" class="tile tile-fail"' in svg
    council = client.get("/national/compliance/fier?year=2024").get_data(as_text=True)
    drill = council.split('class="drill-path"', 1)[1].split("</ol>", 1)[0]
    assert 'href="/national/?year=2024&amp;county=fier"' in drill
    evidence = client.get("/national/compliance/fier/coordination-secretariat?year=2024").get_data(as_text=True)
    assert 'href="/national/compliance/fier?year=2024">Fier</a>' in evidence.split('class="drill-path"', 1)[1]
