"""Areas through the API: /api/v1/municipalities/<slug>/areas."""
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate

from ..api.contract import UtcDateTime
from ..api.errors import commit_or_fail
from ..api.paging import listing
from ..tenancy.web import scope
from . import services
from .models import AREA_KINDS

blp = Blueprint("api_areas", __name__, url_prefix="/api/v1/municipalities/<municipality>/areas",
                description="A municipality's administrative units, neighbourhoods and villages")


class AreaSchema(Schema):
    updated_at = UtcDateTime(dump_only=True, metadata={"description": "When it last changed (UTC)"})
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    kind = fields.String(required=True, validate=validate.OneOf(AREA_KINDS))
    parent_id = fields.Integer(allow_none=True, load_default=None)


class AreaPatchSchema(AreaSchema):
    class Meta:
        partial = True


def _get(area_id: int):
    area = services.get_area(area_id)
    if area is None:
        abort(404, message=_("There is no such area in this municipality."))
    return area



@blp.route("")
@scope("tenant")
class AreaList(MethodView):
    @blp.response(200, AreaSchema(many=True))
    @listing(blp)
    def get(self):
        """The municipality's areas"""
        return services.list_areas()

    @blp.arguments(AreaSchema)
    @blp.response(201, AreaSchema)
    def post(self, data):
        """Add an area"""
        return commit_or_fail(lambda: services.create_area(data["name"], data["kind"], data.get("parent_id")))


@blp.route("/<int:area_id>")
@scope("tenant")
class AreaDetail(MethodView):
    @blp.response(200, AreaSchema)
    def get(self, area_id):
        """One area"""
        return _get(area_id)

    @blp.arguments(AreaPatchSchema(partial=True))
    @blp.response(200, AreaSchema)
    def patch(self, data, area_id):
        """Change an area"""
        area = _get(area_id)
        return commit_or_fail(lambda: services.update_area(area, name=data.get("name"), kind=data.get("kind"),
                                                  parent_id=data.get("parent_id", ...)))

    @blp.response(204)
    def delete(self, area_id):
        """Remove an area (refused while it contains others)"""
        area = _get(area_id)
        commit_or_fail(lambda: services.delete_area(area))
        return ""
