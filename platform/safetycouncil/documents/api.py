"""Documents through the API: /api/v1/municipalities/<slug>/documents."""
from flask import request
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields

from ..accounts.roles import Permission
from ..api.contract import UtcDateTime
from ..api.errors import validation_failed
from ..api.paging import listing
from ..errors import ValidationFailed
from ..extensions import db
from ..tenancy.web import scope
from . import services
from .download import send_document

blp = Blueprint("api_documents", __name__, url_prefix="/api/v1/municipalities/<municipality>/documents",
                description="A municipality's documents")


class DocumentSchema(Schema):
    updated_at = UtcDateTime(dump_only=True, metadata={"description": "When it last changed (UTC)"})
    id = fields.Integer()
    title = fields.String()
    filename = fields.String()
    content_type = fields.String()
    size_bytes = fields.Integer()
    sha256 = fields.String()
    uploaded_at = UtcDateTime()


UPLOAD_BODY = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"title": {"type": "string", "maxLength": 200}, "file": {"type": "string", "format": "binary"}},
}}}}


def _get(document_id: int):
    document = services.get_document(document_id)
    if document is None:
        abort(404, message=_("There is no such document in this municipality."))
    return document


@blp.route("")
@scope("tenant", write=Permission.UPLOAD)
class DocumentList(MethodView):
    @blp.response(200, DocumentSchema(many=True))
    @listing(blp)
    def get(self):
        """The municipality's documents"""
        return services.list_documents()

    @blp.doc(requestBody=UPLOAD_BODY)
    @blp.response(201, DocumentSchema)
    def post(self):
        """Upload a document (multipart: `file`, optional `title`)"""
        upload = request.files.get("file")
        try:
            document = services.store_document(request.form.get("title", ""), upload.filename if upload else "",
                                               upload.stream if upload else b"", uploaded_by_id=current_user.id)
            db.session.commit()
            return document
        except ValidationFailed as exc:
            db.session.rollback()
            validation_failed(exc.errors)


@blp.route("/<int:document_id>")
@scope("tenant", write=Permission.UPLOAD)
class DocumentDetail(MethodView):
    @blp.response(200, DocumentSchema)
    def get(self, document_id):
        """One document's description"""
        return _get(document_id)


@blp.route("/<int:document_id>/content")
@scope("tenant")
class DocumentContent(MethodView):
    @blp.response(200, description="The file, as an attachment")
    def get(self, document_id):
        """Download the file"""
        return send_document(_get(document_id))
