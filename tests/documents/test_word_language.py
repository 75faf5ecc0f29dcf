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

