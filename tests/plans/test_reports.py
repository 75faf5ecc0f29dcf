"""The standard monitoring report: generated in the background (a real RQ worker in the PostgreSQL pass) as
PDF and Word, in Albanian or English, with each item's indicators; approved by the chair; published once."""
from __future__ import annotations

import re

import io
from datetime import datetime

import pytest
from docx import Document as Word
from sqlalchemy import func, select

from safetycouncil.documents.models import Document
from safetycouncil.plans.models import MonitoringReport

from ..documents.pdfcheck import read_tagged_pdf
from tests import factories as make

from . import support
from .support import elbasan_sheet

API = "/api/v1/municipalities/elbasan"


def word_text(data: bytes) -> str:
    document = Word(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


@pytest.fixture
def elbasan(client, make_user, api_token, in_tenant):
    """The Elbasan plan of 2022 (Table 1), approved, with an indicator per item and progress in March."""
    secretary = make_user("technical_secretary", municipality="elbasan")
    headers = api_token(secretary)
    with in_tenant("elbasan") as session:
        support.known_institutions(session)
    report = client.post(f"{API}/plans/import", headers=headers, content_type="multipart/form-data",
                         data={"file": (io.BytesIO(elbasan_sheet()), "plani.xlsx"), "year": "2022"}).get_json()
    version = client.get(f"{API}/plans/versions/{report['version_id']}", headers=headers).get_json()
    indicators = {}
    for n, (item, (name, baseline, target)) in enumerate(zip(version["items"], [
            ("Takime me OJF-të", 0, 6), ("Orë mësimi për ligjin", 2, 20), ("Raste të raportuara", 56, 45),
            ("Kamera funksionale", 12, 40)], strict=True)):
        indicators[item["number"]] = client.post(f"{API}/plans/items/{item['id']}/indicators", headers=headers,
                                                 json={"name": name, "unit": "numër", "baseline": baseline,
                                                       "target": target, "source": "DVP Elbasan"}).get_json()
    with in_tenant("elbasan") as session:
        decision = support.decision(session, support.after_today(), "3/2022").id
        monthly = make.meeting(session, "secretariat_monitoring", datetime(2022, 3, 9, 9)).id
    client.post(f"{API}/plans/versions/{report['version_id']}/approval", headers=headers,
                json={"decision_id": decision})
    items = {i["number"]: i for i in version["items"]}
    for number, value, status in (("1.2", 3, "in_progress"), ("1.5", 51.5, "done"), ("1.7", 19, "delayed")):
        activity = items[number]["activities"][0]["id"]
        response = client.post(f"{API}/plans/activities/{activity}/progress", headers=headers, json={
            "status": status, "meeting_id": monthly, "next_steps": f"Hapi tjetër për {number}",
            "indicator_values": [{"indicator_id": indicators[number]["id"], "value": value}]})
        assert response.status_code == 201, response.get_json()
    return {"headers": headers, "plan_id": report["plan_id"]}


def _generated(client, headers, run_jobs, **body):
    requested = client.post(f"{API}/reports", headers=headers, json={
        "period_start": "2022-01-01", "period_end": "2022-06-30", **body})
    assert requested.status_code == 202, requested.get_json()
    run_jobs()
    report = client.get(f"{API}/reports/{requested.get_json()['id']}", headers=headers).get_json()
    assert report["status"] == "generated", report
    return report


def test_the_monitoring_report_is_a_valid_pdf_and_word_file_with_every_indicator(client, elbasan, run_jobs):
    headers = elbasan["headers"]
    report = _generated(client, headers, run_jobs, language="en", summary="Six months of the 2022 plan.")
    pdf = client.get(f"{API}/reports/{report['id']}/pdf", headers=headers)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    _, pdf_text = read_tagged_pdf(pdf.data, "en-GB", table=True)  # tagged (PDF/UA), in English (issue 14)
    for words in ("Monitoring report", "Kamera funksionale", "Raste të raportuara", "Six months of the 2022 plan."):
        assert words in pdf_text, words
    docx = client.get(f"{API}/reports/{report['id']}/docx", headers=headers)
    assert docx.status_code == 200
    text = word_text(docx.data)
    assert "Monitoring report on the implementation of the multi-agency local plan" in text
    period = re.search(r"Period: ([^\n]+)", text).group(1)
    assert period == "1 Jan 2022 – 30 Jun 2022", period  # Babel's medium style, British (en_GB, issue 14)
    for name, baseline, target, current in (("Takime me OJF-të", "0", "6", "3"),
                                            ("Orë mësimi për ligjin", "2", "20", "not reported"),
                                            ("Raste të raportuara", "56", "45", "51.5"),
                                            ("Kamera funksionale", "12", "40", "19")):
        document = Word(io.BytesIO(docx.data))
        rows = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
        assert [name, "numër", baseline, target, current, "DVP Elbasan"] in rows, name
    for fragment in ("1.2 Dealing with the phenomenon", "1.7 Hotspots", "Delays", "Next steps",
                     "Hapi tjetër për 1.7", "Elbasan Police Directorate/ Police Station", "Every two months"):
        assert fragment in text, fragment
    assert "Done" in text and "Delayed" in text


def test_the_report_in_albanian_uses_the_albanian_table_words(client, elbasan, run_jobs):
    headers = elbasan["headers"]
    report = _generated(client, headers, run_jobs, language="sq")
    text = word_text(client.get(f"{API}/reports/{report['id']}/docx", headers=headers).data)
    assert "Çdo dy muaj" in text and "Gjashtëmujori i parë" in text
    assert "Prioriteti" in text or "Priority" in text


def test_the_chair_approves_and_the_report_is_published_once(app, client, elbasan, run_jobs, make_user, api_token,
                                                             in_tenant):
    headers = elbasan["headers"]
    report = _generated(client, headers, run_jobs, language="sq")
    public = app.test_client()
    assert public.get(f"/public/elbasan/reports/{report['id']}/report.pdf").status_code == 404
    assert client.post(f"{API}/reports/{report['id']}/publication", headers=headers).status_code == 422
    refused = client.post(f"{API}/reports/{report['id']}/approval", headers=headers)
    assert refused.status_code == 403  # the technical secretary is not the chair (a permission matter)
    before = word_text(client.get(f"{API}/reports/{report['id']}/docx", headers=headers).data)
    assert "Në pritje të miratimit nga kryetari." in before
    chair_user = make_user("chair", municipality="elbasan", name="Gledian Llatja")
    chair = api_token(chair_user)
    approved = client.post(f"{API}/reports/{report['id']}/approval", headers=chair)
    assert approved.status_code == 200 and approved.get_json()["status"] == "approved"
    run_jobs()
    # Issue 20: the approval section names the chair and the date of approval (Art. 8.6).
    after = word_text(client.get(f"{API}/reports/{report['id']}/docx", headers=headers).data)
    from babel.dates import format_date

    from safetycouncil.timeutil import local_today

    assert "Gledian Llatja" in after and format_date(local_today(), "long", locale="sq") in after
    first = client.post(f"{API}/reports/{report['id']}/publication", headers=headers).get_json()
    assert first["published_now"] is True and first["report"]["status"] == "published"
    second = client.post(f"{API}/reports/{report['id']}/publication", headers=chair).get_json()
    assert second["published_now"] is False
    assert second["report"]["published_at"] == first["report"]["published_at"]
    pdf = public.get(f"/public/elbasan/reports/{report['id']}/report.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert "report.pdf" in public.get("/public/elbasan/plan").get_data(as_text=True)
    with in_tenant("elbasan") as session:
        # Generated once, stamped with the approval once; publishing stores nothing more.
        assert session.execute(select(func.count()).select_from(Document)).scalar() == 4


def test_the_yearly_report_to_the_municipal_council(client, elbasan, run_jobs):
    headers = elbasan["headers"]
    report = _generated(client, headers, run_jobs, kind="yearly", language="en", period_start="2022-01-01",
                        period_end="2022-12-31")
    assert report["kind"] == "yearly"
    text = word_text(client.get(f"{API}/reports/{report['id']}/docx", headers=headers).data)
    assert "Report to the Municipal Council" in text and "Meetings held" in text
    assert "Kamera funksionale" in text


def test_bad_report_requests_and_the_report_pages(app, client, elbasan, run_jobs, make_user, login):
    headers = elbasan["headers"]
    bad = client.post(f"{API}/reports", headers=headers, json={"period_start": "2022-06-30",
                                                              "period_end": "2022-01-01"})
    assert bad.status_code == 422 and "period_end" in bad.get_json()["errors"]
    web = app.test_client()
    login(web, make_user("technical_secretary", municipality="elbasan"))
    created = web.post("/elbasan/plans/reports", data={"kind": "monitoring", "language": "sq",
                                                      "period_start": "01.01.2022", "period_end": "30.06.2022"})
    assert created.status_code == 302
    run_jobs()
    page = web.get(created.headers["Location"])
    assert page.status_code == 200
    with app.app_context():
        from safetycouncil.extensions import db
        from safetycouncil.tenancy import read_across_tenants

        with read_across_tenants():
            report = db.session.execute(select(MonitoringReport)).scalar_one()
    assert web.get(f"/elbasan/plans/reports/{report.id}/report.pdf").data.startswith(b"%PDF")
