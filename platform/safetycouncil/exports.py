"""Downloadable documents: one generic shape, rendered as PDF (WeasyPrint, tagged PDF/UA-1) or Word (python-docx).

A document is a title, a few lines under it (the municipality, the meeting, the date...)
and a list of sections, each a heading with paragraphs and/or a table. The callers
(minutes, decisions, press releases; later the plan and the monitoring reports) build
the sections in the reader's language and pass plain strings here; nothing here
translates or queries.

    doc = ExportDocument(title="Minutes of the meeting", subtitle=["Municipality of Elbasan"],
                         sections=[Section("Agenda", paragraphs=["1. ..."]),
                                   Section("Participants", table=Table(["Name", "Institution"], rows))])
    pdf_bytes = build_pdf(doc)
    docx_bytes = build_docx(doc)
    return send_export(doc, "docx", "minutes-2025-10-17")

PDFs embed DejaVu Sans, so Albanian letters (ë, ç) render on every reader; they are tagged (PDF/UA-1)
so that screen readers find the headings, the tables' header cells and the document's language.
"""
from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask import Response

PDF_MIMETYPE = "application/pdf"
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = {"pdf": PDF_MIMETYPE, "docx": DOCX_MIMETYPE}
# The language a document declares (PDF /Lang, Word w:lang): Albanian as spoken in Albania, British English.
PDF_LANGUAGES = {"sq": "sq-AL", "en": "en-GB"}

FONT_DIR = Path(__file__).resolve().parent / "static" / "fonts"


@dataclass
class Table:
    """A table: the header row and the body rows (strings). ``widths`` are relative column widths."""

    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    widths: Sequence[int] | None = None


@dataclass
class Section:
    """A heading (optional) followed by paragraphs and, optionally, a table.

    A paragraph may hold single line breaks (kept); separate paragraphs are separate strings.
    ``empty`` is shown in italics when there are neither paragraphs nor table rows.
    """

    heading: str | None = None
    paragraphs: Sequence[str] = ()
    table: Table | None = None
    empty: str | None = None


@dataclass
class ExportDocument:
    title: str
    sections: Sequence[Section]
    subtitle: Sequence[str] = ()
    footer: str | None = None  # printed at the foot of every PDF page (and at the end of the Word file)
    language: str = "sq"
    author: str | None = None
    landscape: bool = False  # wide tables (the plan): A4 landscape


def _paragraphs(text: str | None) -> list[str]:
    """Split free text into paragraphs at blank lines, keeping single line breaks."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return []
    return [p.strip("\n") for p in re.split(r"\n\s*\n", text) if p.strip()]


def paragraphs(text: str | None) -> list[str]:
    """Public helper for callers: free text (as typed in a textarea) to a list of paragraphs."""
    return _paragraphs(text)


# --- PDF ---------------------------------------------------------------------------------

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "exports"


def _css_string(value: str):
    """``value`` inside a CSS double-quoted string (the page footer's ``content``, in a <style> element,
    where HTML escaping does not apply): quotes, backslashes and markup characters as CSS escapes."""
    from markupsafe import Markup

    escaped = "".join(f"\\{ord(c):X} " if c in '\\"<>&' else (" " if c in "\r\n" else c) for c in str(value))
    return Markup(escaped)  # noqa: S704 - every character that could end the string or the element is escaped


@lru_cache(maxsize=1)
def _templates():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    environment = Environment(loader=FileSystemLoader(str(TEMPLATE_DIR)), autoescape=select_autoescape(["html"]),
                              trim_blocks=False, lstrip_blocks=False)
    environment.filters["css_string"] = _css_string
    return environment


def document_html(document: ExportDocument) -> str:
    """The document as the HTML WeasyPrint renders (one template for every PDF the platform writes)."""
    return _templates().get_template("document.html").render(
        document=document, lang=PDF_LANGUAGES.get((document.language or "sq")[:2], "sq-AL"),
        font_dir=FONT_DIR.as_uri())


def build_pdf(document: ExportDocument) -> bytes:
    """A tagged, accessible PDF (PDF/UA-1: structure tree, document language and title, headings, table
    headers), rendered by WeasyPrint from ``templates/exports/document.html``; the plan on A4 landscape."""
    from weasyprint import HTML

    html = HTML(string=document_html(document), base_url=str(TEMPLATE_DIR))
    return html.write_pdf(pdf_variant="pdf/ua-1")


# --- Word ---------------------------------------------------------------------------------

WORD_LANGUAGES = PDF_LANGUAGES


def _declare_language(word, language: str) -> str:
    """Declare the text's language in the document's default run properties and in every style that
    names one (python-docx's template says en-US), so Word spell-checks Albanian as Albanian."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tag = WORD_LANGUAGES.get((language or "sq")[:2], "sq-AL")
    styles = word.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    if run_defaults.find(qn("w:lang")) is None:
        run_defaults.append(OxmlElement("w:lang"))
    for lang in styles.iter(qn("w:lang")):
        lang.set(qn("w:val"), tag)
    return tag


def build_docx(document: ExportDocument) -> bytes:
    from docx import Document as WordDocument
    from docx.shared import Pt

    word = WordDocument()
    props = word.core_properties
    props.title = document.title
    props.language = _declare_language(word, document.language)
    if document.author:
        props.author = document.author
    word.add_heading(document.title, level=0)
    for line in document.subtitle:
        if line:
            paragraph = word.add_paragraph()
            run = paragraph.add_run(line)
            run.font.size = Pt(11)
    for section in document.sections:
        if section.heading:
            word.add_heading(section.heading, level=1)
        for text in section.paragraphs:
            _add_paragraph(word, text)
        if section.table is not None and section.table.rows:
            table = word.add_table(rows=1, cols=len(section.table.header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, section.table.header, strict=True):
                cell.text = ""
                cell.paragraphs[0].add_run(str(text)).bold = True
            for row in section.table.rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=False):
                    cell.text = "" if text is None else str(text)
        if not section.paragraphs and not (section.table and section.table.rows) and section.empty:
            word.add_paragraph().add_run(section.empty).italic = True
    if document.footer:
        word.add_paragraph()
        run = word.add_paragraph().add_run(document.footer)
        run.font.size = Pt(8)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _add_paragraph(word, text: str) -> None:
    paragraph = word.add_paragraph()
    lines = text.split("\n")
    for i, line in enumerate(lines):
        run = paragraph.add_run(line)
        if i < len(lines) - 1:
            run.add_break()


# --- serving --------------------------------------------------------------------------------

def build(document: ExportDocument, fmt: str) -> tuple[bytes, str]:
    """(content, content type) for ``fmt`` "pdf" or "docx"."""
    if fmt == "pdf":
        return build_pdf(document), PDF_MIMETYPE
    if fmt == "docx":
        return build_docx(document), DOCX_MIMETYPE
    raise ValueError(f"unknown export format {fmt!r}")


def safe_filename(name: str) -> str:
    """An ASCII file name (ë -> e, spaces -> dashes) that every browser and mail client accepts."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_name).strip("-._").lower()
    return ascii_name[:120] or "document"


def send_export(document: ExportDocument, fmt: str, basename: str) -> Response:
    """The document as a download (attachment), never cached by shared caches."""
    content, mimetype = build(document, fmt)
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{safe_filename(basename)}.{fmt}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
