"""Minutes, a decision and the press release as PDF and Word, in Albanian or English."""
import io
from datetime import datetime

import pytest
from docx import Document as WordDocument
from flask_babel import force_locale, gettext

from safetycouncil.exports import DOCX_MIMETYPE, PDF_MIMETYPE, ExportDocument, Section, Table, build_docx, build_pdf
from safetycouncil.records.models import MinutesVersion, PressRelease

from tests import factories as make

TITLE = "Mbledhja e KVSP për sigurinë në shkolla"


def _word_text(data: bytes) -> str:
    document = WordDocument(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.fixture
def records(in_tenant):
    with in_tenant("elbasan") as session:
        member = make.member(session, "Gazment Bardhi", category="a", institution="Bashkia Elbasan").id
        meeting_id = make.meeting(session, title=TITLE, starts_at=datetime(2025, 10, 17, 10, 0),
                                  agenda=["Miratimi i planit vendor"], attendance=[member, {
                                      "guest_name": "Elira Dervishi", "guest_institution": "Qendra Rinore"}]).id
        session.add_all([MinutesVersion(meeting_id=meeting_id, version=1, text="Versioni i parë i procesverbalit."),
                         MinutesVersion(meeting_id=meeting_id, version=2,
                                        text="Kryetari çeli mbledhjen.\n\nU diskutua çështja e sigurisë.")])
        decision = make.decision(session, meeting_id, "2025/7", title="Për patrullimin pranë shkollave",
                                 text="Vendoset patrullimi i përbashkët.")
        session.add(PressRelease(meeting_id=meeting_id, title="Njoftim për shtyp", time_and_place="17 tetor 2025",
                                 participation="Kryetari", agenda_summary="1. Plani",
                                 discussion_essence="Thelbi i diskutimit."))
        return {"meeting": meeting_id, "decision": decision.id}


@pytest.mark.parametrize("path", ["{meeting}/minutes", "decisions/{decision}", "{meeting}/press-release"])
def test_each_record_downloads_as_pdf_and_word(app, client, make_user, login, records, path):
    login(client, make_user("member", municipality="elbasan"))
    base = "/elbasan/meetings/" + path.format(**records)
    pdf = client.get(f"{base}.pdf?lang=sq")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert pdf.headers["Content-Type"] == PDF_MIMETYPE
    assert pdf.headers["Content-Disposition"].startswith("attachment; filename=")
    assert pdf.headers["Content-Disposition"].endswith('.pdf"')
    word = client.get(f"{base}.docx?lang=en")
    assert word.status_code == 200 and word.headers["Content-Type"] == DOCX_MIMETYPE
    assert word.headers["Content-Disposition"].endswith('.docx"')
    assert _word_text(word.data)


def test_the_minutes_in_albanian_and_in_english(app, client, make_user, login, records):
    login(client, make_user("member", municipality="elbasan"))
    base = f"/elbasan/meetings/{records['meeting']}/minutes"
    with app.test_request_context(), force_locale("sq"):
        albanian_heading = gettext("Minutes of the meeting")
    albanian = _word_text(client.get(f"{base}.docx?lang=sq").data)
    assert albanian_heading in albanian and TITLE in albanian
    assert "17 tetor 2025" in albanian and "e premte" in albanian.lower()  # dates in Albanian
    assert "Elbasan" in albanian and "Gazment Bardhi (Bashkia Elbasan)" in albanian
    assert "Elira Dervishi (Qendra Rinore)" in albanian and "Miratimi i planit vendor" in albanian
    assert "U diskutua çështja e sigurisë." in albanian and "Versioni i parë" not in albanian
    english = _word_text(client.get(f"{base}.docx?lang=en").data)
    assert "Minutes of the meeting" in english and "Friday, 17 October 2025" in english and TITLE in english
    earlier = _word_text(client.get(f"{base}.docx?lang=en&version=1").data)
    assert "Versioni i parë i procesverbalit." in earlier and "version 1" in earlier
    assert client.get(f"{base}.pdf?version=9").status_code == 404
    disposition = client.get(f"{base}.pdf?lang=sq").headers["Content-Disposition"]
    assert f'filename="procesverbal-2025-10-17-{records["meeting"]}.pdf"' in disposition


def test_the_albanian_headings_once_translated(app, client, make_user, login, records):
    with app.test_request_context(), force_locale("sq"):
        heading = gettext("Minutes of the meeting")
    assert heading != "Minutes of the meeting"

    def gettext_sq(_text):
        return heading

    login(client, make_user("member", municipality="elbasan"))
    text = _word_text(client.get(f"/elbasan/meetings/{records['meeting']}/minutes.docx?lang=sq").data)
    assert gettext_sq("Minutes of the meeting") in text and "Minutes of the meeting" not in text


def test_the_decision_document(app, client, make_user, login, records):
    login(client, make_user("member", municipality="elbasan"))
    text = _word_text(client.get(f"/elbasan/meetings/decisions/{records['decision']}.docx?lang=en").data)
    assert "Decision no. 2025/7" in text and "Për patrullimin pranë shkollave" in text
    assert "Vendoset patrullimi i përbashkët." in text and "Not yet signed by the chair." in text
    assert TITLE in text


def test_the_generic_builders(app):
    document = ExportDocument(
        title="Raporti i monitorimit", subtitle=["Bashkia Elbasan", "Qershor 2025"],
        sections=[Section("Hyrje", paragraphs=["Paragrafi i parë me ë dhe ç.", "Rreshti 1\nRreshti 2"]),
                  Section("Tabela", table=Table(["Aktiviteti", "Afati"], [["Patrullim", "30.06.2025"]])),
                  Section("Bosh", empty="Asgjë për të raportuar.")],
        footer="Faqe", language="sq")
    assert build_pdf(document).startswith(b"%PDF")
    text = _word_text(build_docx(document))
    for expected in ("Raporti i monitorimit", "Bashkia Elbasan", "Paragrafi i parë me ë dhe ç.",
                     "Rreshti 1\nRreshti 2",
                     "Patrullim", "30.06.2025", "Asgjë për të raportuar.", "Faqe"):
        assert expected in text
