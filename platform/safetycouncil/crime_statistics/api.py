"""Crime statistics through the API.

Public (anyone):   GET /api/v1/public/municipalities/<slug>/crime-statistics
Staff (tenant):    /api/v1/municipalities/<slug>/crime-statistics/uploads[/file|/<id>], /monthly
"""
from flask import request
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint, abort
from marshmallow import INCLUDE, Schema, fields

from ..accounts.roles import Permission
from ..api.contract import UtcDateTime
from ..api.errors import validation_failed
from ..api.paging import listing
from ..areas.services import get_area
from ..errors import ValidationFailed
from ..extensions import db
from ..tenancy.web import scope
from . import services
from .parsing import read_file, read_rows
from .publication import open_data

blp = Blueprint("api_crime_statistics", __name__, url_prefix="/api/v1",
                description="Monthly crime statistics per area and offence category")


# --- public -------------------------------------------------------------------------------------------

class CrimePublicQuerySchema(Schema):
    area_id = fields.Integer(load_default=None)
    category = fields.String(load_default=None)


class CrimePublicFigureSchema(Schema):
    month = fields.String(metadata={"description": "YYYY-MM"})
    area_id = fields.Integer(allow_none=True, metadata={"description": "null: every area of the municipality"})
    area = fields.String()
    area_kind = fields.String(allow_none=True)
    category = fields.String()
    category_name_sq = fields.String()
    category_name_en = fields.String()
    sensitive = fields.Boolean()
    count = fields.Integer(allow_none=True, metadata={"description": "null when suppressed"})
    suppressed = fields.Boolean()
    suppression = fields.String(metadata={"description": "small_count or complementary, when suppressed"})
    display = fields.String(metadata={"description": "the figure as shown on the public page, e.g. \"< 5\""})
    month_status = fields.String(metadata={"description": "published or revised"})
    revision = fields.Integer(allow_none=True)


class CrimePublicStatisticsSchema(Schema):
    municipality = fields.Dict()
    title = fields.String()
    source = fields.String()
    licence = fields.Dict(metadata={"description": "name and url of the open data licence (CC BY 4.0)"})
    disclosure_threshold = fields.Integer()
    protection_width = fields.Integer(metadata={"description": "no hidden count can be placed, from everything "
                                                               "published, in an interval narrower than "
                                                               "min(protection_width, disclosure_threshold - 2)"})
    suppression_note = fields.String()
    generated_at = fields.String()
    months = fields.List(fields.Dict(), metadata={"description": "each month from the first with figures: "
                                                                  "published, revised or missing"})
    revised_months = fields.List(fields.String())
    missing_months = fields.List(fields.String())
    categories = fields.List(fields.Dict())
    areas = fields.List(fields.Dict())
    figures = fields.List(fields.Nested(CrimePublicFigureSchema))


@blp.route("/public/municipalities/<municipality>/crime-statistics")
@scope("public")
class PublicCrimeStatistics(MethodView):
    @blp.doc(security=[])  # anyone, without a token
    @blp.arguments(CrimePublicQuerySchema, location="query")
    @blp.response(200, CrimePublicStatisticsSchema)
    def get(self, args):
        """Monthly counts per area and category, small sensitive counts suppressed (CC BY 4.0)"""
        if args["area_id"] is not None and get_area(args["area_id"]) is None:
            abort(404, message=_("There is no such area in this municipality."))
        data = open_data(args["area_id"], args["category"])
        if args["category"] is not None and not data["categories"]:
            abort(404, message=_("There is no offence category “%(value)s”: use a code or a name from the "
                                 "national list.", value=args["category"]))
        return data


# --- staff ----------------------------------------------------------------------------------------------

class CrimeUploadSummarySchema(Schema):
    updated_at = UtcDateTime(dump_only=True, metadata={"description": "When it last changed (UTC)"})
    id = fields.Integer()
    month = fields.Method("_month", metadata={"description": "YYYY-MM"})
    revision = fields.Integer()
    is_revision = fields.Boolean()
    filename = fields.String()
    source = fields.String()
    note = fields.String(allow_none=True)
    line_count = fields.Integer()
    uploaded_at = UtcDateTime()
    uploaded_by_id = fields.Integer(allow_none=True)

    def _month(self, upload):
        return services.month_key(upload.month)


class CrimeUploadSchema(CrimeUploadSummarySchema):
    lines = fields.Method("_lines", metadata={"description": "each line as written and as understood"})

    def _lines(self, upload):
        return services.report_lines(upload)


class CrimeUploadRowSchema(Schema):
    """One line: English or Albanian names (month/muaji, area/zona, category/kategoria, count/numri).
    The values are checked line by line by the service, so that every problem is reported."""

    class Meta:
        unknown = INCLUDE

    month = fields.Raw(load_default=None, metadata={"description": "YYYY-MM"})
    area = fields.Raw(load_default=None, metadata={"description": "the area's name"})
    category = fields.Raw(load_default=None, metadata={"description": "code or name of the category"})
    count = fields.Raw(load_default=None, metadata={"description": "a whole number, 0 or more"})


class CrimeNoteSchema(Schema):
    note = fields.String(load_default=None)


UPLOAD_FILE_BODY = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary", "description": "CSV or XLSX"},
                   "note": {"type": "string", "maxLength": 500}},
}}}}


class CrimeMonthlyQuerySchema(Schema):
    area_id = fields.Integer(load_default=None)
    category = fields.String(load_default=None)
    months = fields.Integer(load_default=12)


class CrimeMonthlyCountSchema(Schema):
    month = fields.String()
    count = fields.Integer(allow_none=True)
    status = fields.String()
    revision = fields.Integer(allow_none=True)


def _store(table, filename: str, note: str | None):
    try:
        upload = services.store_upload(table, filename=filename, note=note, uploaded_by_id=current_user.id)
        db.session.commit()
        return upload
    except services.UploadRejected as exc:
        db.session.rollback()
        abort(422, message=exc.errors["file"], errors={"lines": exc.errors["lines"]})
    except ValidationFailed as exc:
        db.session.rollback()
        validation_failed(exc.errors)


_REJECTED = "A line is wrong: nothing was stored; `errors.lines` lists each problem with its line number"


@blp.route("/municipalities/<municipality>/crime-statistics/uploads")
@scope("tenant", write=Permission.UPLOAD_CRIME_STATISTICS)
class UploadList(MethodView):
    @blp.response(200, CrimeUploadSummarySchema(many=True))
    @listing(blp)
    def get(self):
        """Every upload, latest month and revision first"""
        return services.list_uploads()

    @blp.arguments(CrimeUploadRowSchema(many=True))
    @blp.arguments(CrimeNoteSchema, location="query")
    @blp.response(201, CrimeUploadSchema)
    @blp.alt_response(422, description=_REJECTED)
    def post(self, rows, query):
        """Upload one month's figures as a JSON list of rows (lines are numbered from 1)"""
        return _store(read_rows(rows), "", query["note"])


@blp.route("/municipalities/<municipality>/crime-statistics/uploads/file")
@scope("tenant", write=Permission.UPLOAD_CRIME_STATISTICS)
class UploadFile(MethodView):
    @blp.doc(requestBody=UPLOAD_FILE_BODY)
    @blp.response(201, CrimeUploadSchema)
    @blp.alt_response(422, description=_REJECTED)
    def post(self):
        """Upload one month's figures as a CSV or XLSX file (multipart: `file`, optional `note`)"""
        upload = request.files.get("file")
        filename = (upload.filename or "") if upload else ""
        try:
            table = read_file(filename, upload.read() if upload else b"")
        except ValidationFailed as exc:
            validation_failed(exc.errors)
        return _store(table, filename, request.form.get("note"))


@blp.route("/municipalities/<municipality>/crime-statistics/uploads/<int:upload_id>")
@scope("tenant")
class UploadDetail(MethodView):
    @blp.response(200, CrimeUploadSchema)
    def get(self, upload_id):
        """One upload with its line report"""
        upload = services.get_upload(upload_id)
        if upload is None:
            abort(404, message=_("There is no such upload in this municipality."))
        return upload


@blp.route("/municipalities/<municipality>/crime-statistics/monthly")
@scope("tenant")
class MonthlySeries(MethodView):
    @blp.arguments(CrimeMonthlyQuerySchema, location="query")
    @blp.response(200, CrimeMonthlyCountSchema(many=True))
    @listing(blp, sync=None)
    def get(self, args):
        """The true monthly counts (not suppressed: staff only) for an area and a category, or all"""
        try:
            return services.monthly_counts(args["area_id"], args["category"], args["months"])
        except ValidationFailed as exc:
            validation_failed(exc.errors)
