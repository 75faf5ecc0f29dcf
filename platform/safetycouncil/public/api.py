"""A council's published items as open data through the API (anyone, without a token).

GET /api/v1/public/municipalities/<slug>/press-releases|meetings|plan|reports

The same datasets as the CSV and JSON downloads of the public page (``public.opendata``), with the
licence. Crime statistics have their own (``crime_statistics.api``)."""
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from ..tenancy.web import scope
from . import opendata

blp = Blueprint("api_public_open_data", __name__, url_prefix="/api/v1/public",
                description="A council's published items as open data (CC BY 4.0)")


class OpenDataSchema(Schema):
    dataset = fields.String()
    municipality = fields.Dict(metadata={"description": "slug, name, county"})
    title = fields.String()
    source = fields.String()
    licence = fields.Dict(metadata={"description": "name and url of the open data licence (CC BY 4.0)"})
    generated_at = fields.String()
    columns = fields.List(fields.String())
    items = fields.List(fields.Dict(), metadata={"description": "one object per published item"})


def _resource(name: str, summary: str):
    class Resource(MethodView):
        @blp.doc(security=[], summary=summary)  # anyone, without a token
        @blp.response(200, OpenDataSchema)
        def get(self):
            return opendata.dataset(name)

    Resource.__name__ = "PublicOpenData" + "".join(part.title() for part in name.split("-"))
    scope("public")(Resource)
    blp.route(f"/municipalities/<municipality>/{name}", endpoint=Resource.__name__)(Resource)
    return Resource


PublicPressReleases = _resource("press-releases", "Published press releases")
PublicMeetings = _resource("meetings", "Council meetings and open consultations, planned or held")
PublicPlan = _resource("plan", "Every approved version of the plan, one row per activity")
PublicReports = _resource("reports", "Published monitoring reports with their download addresses")
