"""Reading a PDF the way an accessibility checker and a screen reader would (pypdf): is it tagged, in which
language, with which structure; and its text, to check the right words are there (issue 14)."""
from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject


def _structure_types(node, found: set[str], depth: int = 0) -> None:
    if depth > 60:
        return
    if isinstance(node, IndirectObject):
        node = node.get_object()
    if isinstance(node, ArrayObject):
        for child in node:
            _structure_types(child, found, depth + 1)
    elif isinstance(node, DictionaryObject):
        if "/S" in node:
            found.add(str(node["/S"]).lstrip("/"))
        if "/K" in node:
            _structure_types(node["/K"], found, depth + 1)


def read_tagged_pdf(data: bytes, lang: str, *, table: bool = False) -> tuple[PdfReader, str]:
    """Assert ``data`` is a tagged PDF (PDF/UA: MarkInfo Marked, a structure tree with a title heading
    and, when ``table``, a table with header cells), declaring ``lang`` and its title; return the
    reader and the text of every page."""
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"]) is True
    assert str(catalog["/Lang"]) == lang
    assert "/StructTreeRoot" in catalog
    assert reader.metadata.title, "the document's title is in its metadata"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]  # a reader shows the title, not the file name
    assert b"pdfuaid:part" in catalog["/Metadata"].get_object().get_data()  # PDF/UA identification (XMP)
    types: set[str] = set()
    _structure_types(catalog["/StructTreeRoot"], types)
    assert "H1" in types, types
    if table:
        assert {"Table", "TR", "TH", "TD"} <= types, types
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return reader, text


def is_landscape(reader: PdfReader) -> bool:
    return all(float(page.mediabox.width) > float(page.mediabox.height) for page in reader.pages)
