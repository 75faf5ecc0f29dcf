"""Art. 9.4, second half: "The Coordination Secretariat reports to the heads of the institutions and they present
the findings". Per report sent, which head presented its findings and where (a regular council meeting of the
municipality, or a day); the rule `secretariat-reports` gains a second due per report: the findings presented at
the first regular council meeting held after the report was sent, due at the end of that meeting's day, nothing
due while no such meeting has been held. Recorded through the API in a fresh municipality (Kuçovë) and read back
as the Ministry reads it, on the day before, on and after the deadline."""
from __future__ import annotations

from datetime import date, timedelta

from tests.compliance.test_agenda_reports import BASE, _meeting, _rule, _verdict, api, council, on  # noqa: F401

EVERYONE = ["municipality", "police", "prosecution"]
FINDINGS = "Ndriçimi pranë shkollës 'Naim Frashëri' mungon; patrullimi i mbrëmjes u shtua."


def _reported(client, api) -> dict:
    """A Coordination Secretariat meeting of 7 July 2026, its report sent to the three heads on 8 July."""
    meeting = _meeting(client, api["secretary"], "secretariat_monitoring", "2026-07-07T09:00", held=True)
    r = client.put(f"{BASE}/meetings/{meeting['id']}/secretariat-report", headers=api["secretary"],
                   json={"sent_on": "2026-07-08", "findings": FINDINGS, "recipients": EVERYONE})
    assert r.status_code == 200, r.get_json()
    return meeting


def _present(client, api, meeting, **body):
    return client.put(f"{BASE}/meetings/{meeting['id']}/findings-presentation", headers=api["secretary"], json=body)


def _findings_item(client, api) -> dict:
    evidence = _rule(client, api["ministry"], "secretariat-reports")["evidence"]
    return next(e for e in evidence if e.get("findings"))


def test_the_findings_are_presented_at_the_first_council_meeting_after_the_report(app, client, api, council, on):
    """Art. 9.4: "... and they present the findings": due at the end of the day of the first regular council
    meeting held after the report was sent (17 July 2026); the evidence names the report not presented."""
    report = _reported(client, api)
    council_meeting = _meeting(client, api["secretary"], "council", "2026-07-17T10:00", held=True)
    day = date(2026, 7, 17)
    # the report itself went out on time: before the council meeting nothing more is due
    assert _verdict(client, api, on, day - timedelta(days=1), "secretariat-reports") == "pass"
    assert not any(e.get("findings") for e in _rule(client, api["ministry"], "secretariat-reports")["evidence"])
    assert _verdict(client, api, on, day, "secretariat-reports") == "pass"
    assert _findings_item(client, api)["kind"] == "period_pending"
    assert _verdict(client, api, on, day + timedelta(days=1), "secretariat-reports") == "fail"
    item = _findings_item(client, api)
    assert item["kind"] == "period_missing" and item["not_presented"] and item["meeting_id"] == report["id"]
    assert item["council_meeting_id"] == council_meeting["id"] and item["message"]

    r = _present(client, api, report, presented_by="police", meeting_id=council_meeting["id"])
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["findings_presented_by"] == "police" and body["findings_presented_meeting_id"] == council_meeting["id"]
    assert body["findings_presented_on"] == "2026-07-17"
    assert _verdict(client, api, on, day - timedelta(days=1), "secretariat-reports") == "pass"
    assert _verdict(client, api, on, day, "secretariat-reports") == "pass"
    assert _verdict(client, api, on, day + timedelta(days=1), "secretariat-reports") == "pass"
    item = _findings_item(client, api)
    assert item["kind"] == "period_met" and item["presented_by"] == "police"


def test_findings_presented_later_or_elsewhere(app, client, api, council, on):
    """Art. 9.4: presented on a day before the first council meeting (elsewhere) is on time; presented at a later
    council meeting is late and the rule fails."""
    report = _reported(client, api)
    first = _meeting(client, api["secretary"], "council", "2026-07-17T10:00", held=True)
    later = _meeting(client, api["secretary"], "council", "2026-09-18T10:00", held=True)
    r = _present(client, api, report, presented_by="municipality", meeting_id=later["id"])
    assert r.status_code == 200, r.get_json()
    assert _verdict(client, api, on, date(2026, 7, 17), "secretariat-reports") == "pass"
    assert _verdict(client, api, on, date(2026, 9, 18), "secretariat-reports") == "fail"
    item = _findings_item(client, api)
    assert item["kind"] == "period_late" and item["presented_on"] == "2026-09-18"
    assert item["council_meeting_id"] == first["id"]
    r = _present(client, api, report, presented_by="prosecution", presented_on="2026-07-15")
    assert r.status_code == 200 and r.get_json()["findings_presented_meeting_id"] is None
    assert r.get_json()["findings_presented_on"] == "2026-07-15"
    assert _verdict(client, api, on, date(2026, 7, 18), "secretariat-reports") == "pass"
    assert _findings_item(client, api)["kind"] == "period_met"


def test_nothing_is_due_while_no_regular_council_meeting_was_held(app, client, api, council, on):
    """Art. 9.4: the findings are presented at a regular council meeting: while none has been held after the
    report (an ad hoc meeting with a smaller membership does not count, nor a meeting held before it), the
    presentation is not due and the rule judges the report alone."""
    _meeting(client, api["secretary"], "council", "2026-07-03T10:00", held=True)
    _reported(client, api)
    _meeting(client, api["secretary"], "council_ad_hoc", "2026-07-20T10:00", held=True)
    _meeting(client, api["secretary"], "council", "2026-11-20T10:00")  # planned, never recorded as held
    assert _verdict(client, api, on, date(2026, 12, 31), "secretariat-reports") == "pass"
    assert not any(e.get("findings") for e in _rule(client, api["ministry"], "secretariat-reports")["evidence"])


def test_a_presentation_is_refused_with_a_clear_message(app, client, api, council, make_user, api_token):
    """Art. 9.4: the heads present the findings of a report that was sent; at a regular council meeting of this
    municipality held on or after that day, or on a day; by one of the three heads."""
    planned = _meeting(client, api["secretary"], "secretariat_monitoring", "2026-07-07T09:00", held=True)
    r = _present(client, api, planned, presented_by="police", presented_on="2026-07-10")
    assert r.status_code == 422 and "presented_by" in r.get_json()["errors"]  # no report yet
    report = _reported(client, api)
    before = _meeting(client, api["secretary"], "council", "2026-07-03T10:00", held=True)
    consultation = _meeting(client, api["secretary"], "open_consultation", "2026-07-10T17:00", held=True)
    first = _meeting(client, api["secretary"], "council", "2026-07-17T10:00", held=True)
    for body, field in (({"presented_by": "police", "meeting_id": before["id"]}, "meeting_id"),
                        ({"presented_by": "police", "meeting_id": consultation["id"]}, "meeting_id"),
                        ({"presented_by": "police", "presented_on": "2026-07-01"}, "presented_on"),
                        ({"presented_by": "police", "presented_on": "2099-07-01"}, "presented_on"),
                        ({"presented_by": "police", "meeting_id": first["id"], "presented_on": "2026-07-17"},
                         "presented_on"),
                        ({"presented_by": "police"}, "meeting_id"),
                        ({"presented_by": "mayor", "meeting_id": first["id"]}, "presented_by")):
        r = _present(client, api, report, **body)
        assert r.status_code == 422 and field in r.get_json()["errors"], (body, r.get_json())
    # another municipality's council meeting is not one of this council's
    other = api_token(make_user("technical_secretary", municipality="peqin"))
    r = client.post("/api/v1/municipalities/peqin/meetings", headers=other, json={
        "kind": "council", "title": "Peqin", "starts_at": "2026-07-17T10:00", "ends_at": "2026-07-17T12:00"})
    assert r.status_code == 201
    r = _present(client, api, report, presented_by="police", meeting_id=r.get_json()["id"])
    assert r.status_code == 422 and "meeting_id" in r.get_json()["errors"]
    shown = client.get(f"{BASE}/meetings/{report['id']}", headers=api["secretary"]).get_json()
    assert shown["findings_presented_by"] is None and shown["findings_presented_on"] is None


def test_the_presentation_on_the_meeting_page(app, client, make_user, login, council, api):
    """Art. 9.4 on the secretariat meeting's page: the presentation is recorded with a form and shown."""
    report = _reported(client, api)
    council_meeting = _meeting(client, api["secretary"], "council", "2026-07-17T10:00", held=True)
    login(client, make_user("secretariat_police", municipality="kucove"))
    page = f"/kucove/meetings/{report['id']}"
    html = client.get(page).get_data(as_text=True)
    assert 'id="findings-presentation"' in html and f'value="{council_meeting["id"]}"' in html
    r = client.post(f"{page}/findings-presentation", data={"presented_by": "police",
                                                           "meeting_id": str(council_meeting["id"])})
    assert r.status_code == 302
    html = client.get(page).get_data(as_text=True)
    assert "2026" in html and council_meeting["title"] in html
    shown = client.get(f"{BASE}/meetings/{report['id']}", headers=api["secretary"]).get_json()
    assert shown["findings_presented_by"] == "police"


def test_a_document_with_the_findings_is_attached_to_the_report(app, client, api, council, make_user, login,
                                                                 api_token):
    """Art. 9.4: the findings the heads present may come as a document (the report itself, a scanned letter):
    stored through the documents with its content checked, linked on the report, refused before the report."""
    import io

    from tests.meetings.conftest import PDF

    meeting = _meeting(client, api["secretary"], "secretariat_monitoring", "2026-07-07T09:00", held=True)
    url = f"{BASE}/meetings/{meeting['id']}/secretariat-report/document"
    early = client.post(url, headers=api["secretary"], data={"file": (io.BytesIO(PDF), "gjetjet.pdf")},
                        content_type="multipart/form-data")
    assert early.status_code == 422 and "file" in early.get_json()["errors"]  # no report yet
    report = client.put(f"{BASE}/meetings/{meeting['id']}/secretariat-report", headers=api["secretary"],
                                 json={"sent_on": "2026-07-08", "findings": FINDINGS, "recipients": EVERYONE})
    assert report.status_code == 200
    fake = client.post(url, headers=api["secretary"], data={"file": (io.BytesIO(b"MZ\x90\x00 not a pdf"),
                                                                     "gjetjet.pdf")},
                       content_type="multipart/form-data")
    assert fake.status_code == 422 and "file" in fake.get_json()["errors"]
    audio = client.post(url, headers=api["secretary"], data={"file": (io.BytesIO(b"ID3\x03"), "gjetjet.mp3")},
                        content_type="multipart/form-data")
    assert audio.status_code == 422
    r = client.post(url, headers=api["secretary"], data={"file": (io.BytesIO(PDF), "gjetjet.pdf")},
                    content_type="multipart/form-data")
    assert r.status_code == 201, r.get_json()
    document_id = r.get_json()["findings_document_id"]
    assert document_id
    content = client.get(f"{BASE}/documents/{document_id}/content", headers=api["secretary"])
    assert content.status_code == 200 and content.data == PDF
    # another municipality does not see it
    other = api_token(make_user("technical_secretary", municipality="peqin"))
    assert client.get(f"/api/v1/municipalities/peqin/documents/{document_id}/content", headers=other).status_code \
        == 404
    login(client, make_user("secretariat_police", municipality="kucove"))
    html = client.get(f"/kucove/meetings/{meeting['id']}").get_data(as_text=True)
    assert f"/documents/{document_id}/download" in html and "findings-file" in html

