"""Documents of a call (terms of reference, application forms).

Uploaded by the council's staff through the storage interface, checked by content (``uploads.check_upload``).
Public (listed and downloadable on the public call page) once the call is open, never before. Replacing a
document adds a new version and keeps the old one (``replaces_id``, ``replaced_at``)."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from ..errors import ValidationFailed
from ..extensions import db
from ..schemas import too_long
from ..timeutil import utcnow
from .models import GrantCall, GrantCallDocument
from .services import ATTACHMENT_MAX_BYTES, ATTACHMENT_TYPES

TITLE_MAX = 200


def is_public(call: GrantCall) -> bool:
    """A call's documents are public from the day the call is opened (a draft's are the council's own)."""
    return call.status != "draft"


def add_document(call: GrantCall, title: str | None, filename: str | None, stream, *, user_id: int | None,
                 replaces: GrantCallDocument | None = None) -> GrantCallDocument:
    from ..storage import object_key, safe_filename, storage
    from ..uploads import check_upload, size_of

    title = (title or "").strip() or (replaces.title if replaces else "")
    errors = {}
    if not title:
        errors["title"] = [_("Give the document a title.")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [str(too_long(TITLE_MAX))]
    if not filename or stream is None:
        errors["file"] = [_("Choose a file to upload.")]
    if replaces is not None and (replaces.call_id != call.id or replaces.replaced_at is not None):
        errors["replaces"] = [_("This document has already been replaced: replace its newest version.")]
    if errors:
        raise ValidationFailed(errors)
    content_type = check_upload(filename, stream, max_bytes=ATTACHMENT_MAX_BYTES, allowed=ATTACHMENT_TYPES,
                                field="file")
    key = object_key(call.municipality_id, "grant-calls", filename)
    size = size_of(stream)
    if isinstance(stream, bytes | bytearray):
        storage().put(key, bytes(stream), content_type)
    else:
        storage().put_stream(key, stream, content_type)
    document = GrantCallDocument(call_id=call.id, title=title, filename=safe_filename(filename),
                                 content_type=content_type, size=size, storage_key=key,
                                 replaces_id=replaces.id if replaces else None, created_by_id=user_id)
    if replaces is not None:
        replaces.replaced_at = utcnow()
    db.session.add(document)
    db.session.flush()
    return document


def replaced_by_form(call: GrantCall, raw_id: str | None) -> GrantCallDocument | None:
    """The document a new version replaces (``replaces_id`` as the form sends it), None when none is named;
    ``LookupError`` when the id is not a document of this call (the caller answers 404)."""
    raw_id = (raw_id or "").strip()
    if not raw_id:
        return None
    document = get_document(int(raw_id)) if raw_id.isdigit() and int(raw_id) < 2**31 else None
    if document is None or document.call_id != call.id:
        raise LookupError(raw_id)
    return document


def current_documents(call: GrantCall) -> list[GrantCallDocument]:
    return list(db.session.execute(
        select(GrantCallDocument).where(GrantCallDocument.call_id == call.id, GrantCallDocument.replaced_at.is_(None))
        .order_by(GrantCallDocument.id)).scalars())


def earlier_versions(call: GrantCall) -> list[GrantCallDocument]:
    return list(db.session.execute(
        select(GrantCallDocument).where(GrantCallDocument.call_id == call.id,
                                        GrantCallDocument.replaced_at.is_not(None))
        .order_by(GrantCallDocument.id.desc())).scalars())


def get_document(document_id: int) -> GrantCallDocument | None:
    return db.session.get(GrantCallDocument, document_id)


def public_document(call: GrantCall, document_id: int) -> GrantCallDocument | None:
    """The current version of a document of a public call, or None."""
    document = get_document(document_id)
    if document is None or document.call_id != call.id or document.replaced_at is not None or not is_public(call):
        return None
    return document
