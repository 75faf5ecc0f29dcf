"""Storing and reading a municipality's documents. Runs inside the tenant scope."""
from __future__ import annotations

import hashlib
from collections.abc import Iterator
from io import BytesIO
from typing import BinaryIO

from flask_babel import gettext as _
from sqlalchemy import select

from ..errors import ValidationFailed
from ..extensions import db
from ..storage import CHUNK_BYTES, object_key, safe_filename, storage
from ..tenancy.context import current_municipality_id
from ..uploads import DEFAULT_MAX_BYTES, check_upload
from .models import Document


def list_documents() -> list[Document]:
    return list(db.session.execute(select(Document).order_by(Document.uploaded_at.desc())).scalars())


def get_document(document_id: int) -> Document | None:
    return db.session.get(Document, document_id)


def store_document(title: str, filename: str, data: bytes | BinaryIO, *, uploaded_by_id: int | None,
                   kind: str = "documents", max_bytes: int = DEFAULT_MAX_BYTES,
                   allowed: set[str] | None = None) -> Document:
    """Check, store and record a file: ``data`` is its content or a seekable file (an upload, which
    Werkzeug spools to disk), copied to storage a chunk at a time. The caller commits; on failure nothing
    is kept."""
    title = (title or "").strip() or filename
    if len(title) > 200:
        raise ValidationFailed({"title": _("The title can have at most 200 characters.")})
    stream = BytesIO(data) if isinstance(data, bytes | bytearray | memoryview) else data
    content_type = check_upload(filename, stream, max_bytes=max_bytes, allowed=allowed)
    digest, size = hashlib.sha256(), 0
    while block := stream.read(CHUNK_BYTES):
        digest.update(block)
        size += len(block)
    stream.seek(0)
    key = object_key(current_municipality_id(), kind, filename)
    document = Document(title=title, filename=safe_filename(filename), content_type=content_type,
                        size_bytes=size, sha256=digest.hexdigest(), storage_key=key,
                        uploaded_by_id=uploaded_by_id)
    db.session.add(document)
    db.session.flush()
    storage().put_stream(key, stream, content_type)
    return document


class StoredFileDamaged(Exception):
    """A stored file no longer matches the checksum taken when it was uploaded."""

    def __init__(self, document: Document):
        super().__init__(f"document {document.id}: stored content does not match its SHA-256")
        self.document = document


def verify(document: Document) -> None:
    """Read the stored file through (a chunk at a time) and compare it with the checksum taken at upload;
    a damaged or truncated file raises ``StoredFileDamaged``."""
    digest, size = hashlib.sha256(), 0
    for block in storage().chunks(document.storage_key):
        digest.update(block)
        size += len(block)
    if size != document.size_bytes or digest.hexdigest() != document.sha256:
        raise StoredFileDamaged(document)


def stream_content(document: Document) -> Iterator[bytes]:
    """The checked content, a chunk at a time: verified first (one pass), then streamed (another), so
    that nobody receives a damaged file and no file is ever held whole in memory."""
    verify(document)
    return storage().chunks(document.storage_key)


def read_content(document: Document) -> bytes:
    """The whole checked content (for small files: reports, imports)."""
    data = storage().get(document.storage_key)
    if len(data) != document.size_bytes or hashlib.sha256(data).hexdigest() != document.sha256:
        raise StoredFileDamaged(document)
    return data


def report_damaged(document: Document) -> None:
    """Log and audit a damaged file (commits: the refusal that follows rolls nothing back)."""
    import logging

    from ..audit.trail import record

    logging.getLogger(__name__).error("stored file damaged: document %s, key %s", document.id, document.storage_key)
    record(db.session, "stored_file_damaged", "Document", document.id,
           details={"sha256_expected": document.sha256, "size_expected": document.size_bytes})
    db.session.commit()
