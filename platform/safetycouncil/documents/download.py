from flask import Response, abort
from flask_babel import gettext as _

from .models import Document
from .services import StoredFileDamaged, report_damaged, stream_content


def send_document(document: Document) -> Response:
    """Always as an attachment, with the stored (checked) content type; streamed a chunk at a time once
    its checksum is confirmed. A damaged file is refused with a clear message, logged and audited."""
    try:
        chunks = stream_content(document)
    except StoredFileDamaged:
        report_damaged(document)
        abort(409, description=_("This file is damaged in storage: its content no longer matches what was "
                                 "uploaded, so it is not sent. The incident was recorded; upload the file again "
                                 "or restore it from a backup."))
    response = Response(chunks, mimetype=document.content_type, direct_passthrough=True)
    response.headers["Content-Length"] = str(document.size_bytes)
    response.headers["Content-Disposition"] = f"attachment; filename=\"{document.filename}\""
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
