from flask import Response

from .models import Document
from .services import read_content


def send_document(document: Document) -> Response:
    """Always as an attachment, with the stored (checked) content type."""

    response = Response(read_content(document), mimetype=document.content_type)
    response.headers["Content-Disposition"] = f"attachment; filename=\"{document.filename}\""
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
