"""Storing and reading a municipality's documents. Runs inside the tenant scope."""
from __future__ import annotations

import hashlib

from flask_babel import gettext as _
from sqlalchemy import select

from ..errors import ValidationFailed
from ..extensions import db
from ..storage import object_key, safe_filename, storage
from ..tenancy.context import current_municipality_id
from ..uploads import DEFAULT_MAX_BYTES, check_upload
from .models import Document


def list_documents() -> list[Document]:
    return list(db.session.execute(select(Document).order_by(Document.uploaded_at.desc())).scalars())


def get_document(document_id: int) -> Document | None:
    return db.session.get(Document, document_id)


def store_document(title: str, filename: str, data: bytes, *, uploaded_by_id: int | None,
                   kind: str = "documents", max_bytes: int = DEFAULT_MAX_BYTES,
                   allowed: set[str] | None = None) -> Document:
    """Check, store and record a file. The caller commits; on failure nothing is kept."""
    title = (title or "").strip() or filename
    if len(title) > 200:
        raise ValidationFailed({"title": _("The title can have at most 200 characters.")})
    content_type = check_upload(filename, data, max_bytes=max_bytes, allowed=allowed)
    key = object_key(current_municipality_id(), kind, filename)
    document = Document(title=title, filename=safe_filename(filename), content_type=content_type,
                        size_bytes=len(data), sha256=hashlib.sha256(data).hexdigest(), storage_key=key,
                        uploaded_by_id=uploaded_by_id)
    db.session.add(document)
    db.session.flush()
    storage().put(key, data, content_type)
    return document


def read_content(document: Document) -> bytes:
    return storage().get(document.storage_key)
