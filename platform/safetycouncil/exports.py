"""Downloadable documents: one generic shape, rendered as PDF (fpdf2) or Word (python-docx).

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

PDFs embed DejaVu Sans, so Albanian letters (ë, ç) render on every reader.
"""
from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from flask import Response

PDF_MIMETYPE = "application/pdf"
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = {"pdf": PDF_MIMETYPE, "docx": DOCX_MIMETYPE}

FONT_DIR = Path(__file__).resolve().parent / "static" / "fonts"
FONT_FAMILY = "DejaVu"


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

def build_pdf(document: ExportDocument) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    footer_text = document.footer

    class _PDF(FPDF):
        def footer(self):  # noqa: D401 - fpdf2's hook
            self.set_y(-14)
            self.set_font(FONT_FAMILY, "", 8)
            self.set_text_color(90, 90, 90)
            text = f"{footer_text}  ·  {self.page_no()}/{{nb}}" if footer_text else f"{self.page_no()}/{{nb}}"
            self.cell(0, 8, text, align="C")
            self.set_text_color(0, 0, 0)

    pdf = _PDF(orientation="L" if document.landscape else "P", format="A4")
    pdf.add_font(FONT_FAMILY, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT_FAMILY, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    # No italic face ships with the app: "I" falls back to the regular face.
    pdf.add_font(FONT_FAMILY, "I", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.set_title(document.title)
    pdf.set_lang(WORD_LANGUAGES.get((document.language or "sq")[:2], "sq-AL"))
    pdf.set_creator("KVSP platform")
    if document.author:
        pdf.set_author(document.author)
    pdf.add_page()

    def block(text: str, size: float, style: str = "", height: float = 6, after: float = 2) -> None:
        pdf.set_font(FONT_FAMILY, style, size)
        pdf.multi_cell(0, height, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if after:
            pdf.ln(after)

    block(document.title, 17, "B", height=8, after=1)
    for line in document.subtitle:
        if line:
            block(line, 10.5, height=5.5, after=0)
    pdf.ln(3)
    pdf.set_draw_color(180, 180, 180)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(4)
    for section in document.sections:
        if section.heading:
            if pdf.get_y() > pdf.h - 45:
                pdf.add_page()
            block(section.heading, 12.5, "B", height=7, after=1)
        for paragraph in section.paragraphs:
            block(paragraph, 10.5, height=5.5, after=2.5)
        if section.table is not None and section.table.rows:
            pdf.set_font(FONT_FAMILY, "", 9.5)
            widths = _column_widths(pdf, section.table)
            with pdf.table(col_widths=widths, text_align="LEFT", line_height=5.5,
                           headings_style=_heading_style()) as table:
                header = table.row()
                for cell in section.table.header:
                    header.cell(str(cell))
                for row in section.table.rows:
                    cells = table.row()
                    for cell in row:
                        cells.cell("" if cell is None else str(cell))
            pdf.ln(3)
        if not section.paragraphs and not (section.table and section.table.rows) and section.empty:
            block(section.empty, 10.5, "I", height=5.5, after=2.5)
    return bytes(pdf.output())


def _column_widths(pdf, table: Table) -> tuple[float, ...] | None:
    """Column widths (mm) in the table's proportions, each at least as wide as its longest word, so
    that no word is broken in the middle ("Priorit|eti"); the others give up the room."""
    columns = len(table.header)
    if not columns:
        return None
    shares = list(table.widths) if table.widths and len(table.widths) == columns else [1] * columns
    available = pdf.w - pdf.l_margin - pdf.r_margin
    padding = 2 * 1.5 + 1  # fpdf2's cell padding on both sides, and a little room
    longest = [0.0] * columns
    for row in [table.header, *table.rows]:
        for i, cell in enumerate(list(row)[:columns]):
            for word in str(cell or "").split():
                longest[i] = max(longest[i], pdf.get_string_width(word))
    minimum = [w + padding for w in longest]
    widths = [available * share / sum(shares) for share in shares]
    for _ in range(columns):  # give narrow columns their minimum, take it from the wide ones
        short = [i for i in range(columns) if widths[i] < minimum[i]]
        if not short:
            break
        for i in short:
            widths[i] = minimum[i]
        fixed = sum(widths[i] for i in range(columns) if widths[i] <= minimum[i])
        free = [i for i in range(columns) if widths[i] > minimum[i]]
        if not free or fixed >= available:
            break
        room = available - fixed
        total = sum(shares[i] for i in free)
        for i in free:
            widths[i] = room * shares[i] / total
    scale = available / sum(widths)
    return tuple(w * scale for w in widths) if scale < 1 else tuple(widths)


def _heading_style():
    from fpdf.fonts import FontFace

    return FontFace(family=FONT_FAMILY, emphasis="BOLD", fill_color=(235, 238, 241))


# --- Word ---------------------------------------------------------------------------------

WORD_LANGUAGES = {"sq": "sq-AL", "en": "en-GB"}


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
