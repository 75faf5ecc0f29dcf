"""Every PDF the platform writes is a tagged, accessible PDF (issue 14): WeasyPrint from one HTML template
(templates/exports/document.html) writes PDF/UA-1 with the structure tree, the document's language and
title, headings and table header cells; the plan is on A4 landscape and no word is broken in the middle."""
from __future__ import annotations

import re

import pytest

from safetycouncil.exports import ExportDocument, Section, Table, build_pdf, document_html

from .pdfcheck import is_landscape, read_tagged_pdf

PLAN_HEADER = ["Nr.", "Çështja", "Prioriteti", "Aktivitetet", "Përgjegjës", "Afati", "Treguesit"]
PLAN_ROW = ["1.1", "Ndriçimi i rrugëve", "I lartë", "Vendosja e kamerave", "Bashkia, Policia, Prokuroria",
            "Mars 2026", "Numri i pikave të ndriçuara"]


@pytest.mark.parametrize("language, tag", [("sq", "sq-AL"), ("en", "en-GB")])
def test_a_document_is_tagged_in_its_language_with_headings_and_table_headers(language, tag):
    document = ExportDocument(title="Procesverbali i mbledhjes", subtitle=["Bashkia Elbasan"], language=language,
                              author="Sekretariati Teknik", footer="Faqe e KVSP",
                              sections=[Section("Rendi i ditës", paragraphs=["Çështja e parë\nrreshti i dytë"]),
                                        Section("Pjesëmarrësit", table=Table(["Emri", "Institucioni"],
                                                                             [["Arta Hoxha", "Bashkia"]])),
                                        Section("Vendimet", empty="Asnjë vendim")])
    reader, text = read_tagged_pdf(build_pdf(document), tag, table=True)
    assert reader.metadata.title == "Procesverbali i mbledhjes"
    assert reader.metadata.author == "Sekretariati Teknik"
    assert not is_landscape(reader)  # A4 portrait unless the document asks for landscape
    for words in ("Procesverbali i mbledhjes", "Bashkia Elbasan", "Rendi i ditës", "Çështja e parë",
                  "Arta Hoxha", "Asnjë vendim", "Faqe e KVSP"):
        assert words in text, words


def test_the_plan_is_landscape_and_no_word_is_broken_in_the_middle():
    """7 columns on A4 landscape; a narrow column ("Prioriteti", "Përgjegjës") still holds its words whole."""
    rows = [[f"1.{n}", *PLAN_ROW[1:]] for n in range(1, 40)]
    document = ExportDocument(title="Plani vendor shumë-agjencior 2026", sections=[
        Section("Rreziqet dhe aktivitetet", table=Table(PLAN_HEADER, rows, widths=(1, 6, 2, 10, 4, 2, 5)))],
        landscape=True)
    reader, text = read_tagged_pdf(build_pdf(document), "sq-AL", table=True)
    assert is_landscape(reader) and len(reader.pages) > 1
    assert [round(float(v)) for v in reader.pages[0].mediabox[2:]] == [842, 595]  # A4 landscape, in points
    words = {w for cell in PLAN_HEADER + PLAN_ROW + [document.title, document.sections[0].heading] for w in cell.split()}
    words |= {f"1.{n}" for n in range(1, 40)} | {f"{p}/{len(reader.pages)}" for p in range(1, len(reader.pages) + 1)}
    pieces = set(text.split()) - words - {"·"}
    assert not pieces, f"words broken or invented: {sorted(pieces)[:10]}"
    assert text.count("Prioriteti") == len(reader.pages)  # the header row repeats on every page


def test_what_people_typed_cannot_break_out_of_the_template():
    document = ExportDocument(title='<script>alert(1)</script> & "Plani"', footer='"; } body { display: none } </style>',
                              sections=[Section("<b>x</b>", paragraphs=["<img src=x>"])])
    html = document_html(document)
    assert "<script>" not in html and "<b>x</b>" not in html and "<img" not in html
    assert re.search(r"</style>", html).start() > html.index("@bottom-center")  # one closing tag: the template's
    assert html.count("</style>") == 1
    _, text = read_tagged_pdf(build_pdf(document), "sq-AL")
    assert '<script>alert(1)</script> & "Plani"' in text and "<img src=x>" in text
    assert '"; } body { display: none } </style>' in text
