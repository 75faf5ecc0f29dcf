"""Word documents declare their language (issue 14): sq-AL for Albanian, en-GB for English, so that
Word spell-checks an Albanian document as Albanian (python-docx's template says en-US)."""
from __future__ import annotations

import io
import zipfile

import pytest

from safetycouncil.exports import ExportDocument, Section, build_docx


@pytest.mark.parametrize("language, tag", [("sq", "sq-AL"), ("en", "en-GB")])
def test_a_word_document_declares_its_language(language, tag):
    content = build_docx(ExportDocument(title="Procesverbali", subtitle=["Bashkia Elbasan"],
                                        sections=[Section(heading="Rendi i ditës", paragraphs=["Çështja e parë"])],
                                        language=language))
    with zipfile.ZipFile(io.BytesIO(content)) as docx:
        styles = docx.read("word/styles.xml").decode()
        core = docx.read("docProps/core.xml").decode()
    defaults = styles.split("<w:docDefaults>", 1)[1].split("</w:docDefaults>", 1)[0]
    assert f'w:val="{tag}"' in defaults  # (w:eastAsia and w:bidi name the scripts' languages, left as they are)
    assert 'w:val="en-US"' not in styles
    assert f"<dc:language>{tag}</dc:language>" in core


def test_the_plan_pdf_is_landscape_and_no_column_is_narrower_than_its_longest_word():
    """The plan's 7 columns on A4 landscape; a narrow column still holds "Prioriteti" whole."""
    from fpdf import FPDF

    from safetycouncil.exports import FONT_DIR, FONT_FAMILY, Table, _column_widths, build_pdf

    header = ["Nr.", "Çështja", "Prioriteti", "Aktivitetet", "Përgjegjës", "Afati", "Treguesit"]
    rows = [["1.1", "Ndriçimi i rrugëve", "I lartë", "Vendosja e kamerave", "Bashkia, Policia", "Mars 2026",
             "Numri i pikave të ndriçuara"]]
    table = Table(header, rows, widths=(2, 6, 3, 10, 6, 3, 5))
    document = ExportDocument(title="Plani", sections=[Section(None, table=table)], landscape=True)
    content = build_pdf(document)
    assert b"/MediaBox [0 0 841.89 595.28]" in content or b"841.89 595.28" in content  # A4 landscape
    pdf = FPDF(orientation="L", format="A4")
    pdf.add_font(FONT_FAMILY, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.set_font(FONT_FAMILY, "", 9.5)
    widths = _column_widths(pdf, table)
    assert abs(sum(widths) - (pdf.w - pdf.l_margin - pdf.r_margin)) < 0.01
    for i, word in ((2, "Prioriteti"), (4, "Përgjegjës"), (6, "Treguesit")):
        assert widths[i] > pdf.get_string_width(word) + 3, (word, widths[i])
