"""Local safety surveys through the API.

Public (anyone):   GET /api/v1/public/municipalities/<slug>/surveys            published waves only
                   GET /api/v1/public/municipalities/<slug>/surveys/<wave_id>  a published wave's results
Staff (tenant):    /api/v1/municipalities/<slug>/surveys/waves, /waves/<wave_id>/results, /waves/<wave_id>/responses
"""
from flask import g
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint, abort
from marshmallow import INCLUDE, Schema, fields

from ..api.errors import commit_or_fail
from ..api.paging import listing
from ..tenancy.web import require_ids, scope
from . import services
from .indices import MIN_RESPONDENTS
from .models import SurveyWave
from .schemas import WaveSchema

blp = Blueprint("api_surveys", __name__, url_prefix="/api/v1",
                description="Local safety measurement surveys: waves, answers, results with indices")
require_ids(blp, {"wave_id": SurveyWave})


class ResultsSchema(Schema):
    wave = fields.Dict()
    minimum_respondents = fields.Integer()
    method = fields.String()
    municipality = fields.Dict()
    areas = fields.List(fields.Dict())
    national = fields.Dict()
    previous_wave = fields.Dict(allow_none=True)


class ResponseInSchema(Schema):
    """The answers as {question code: value}, plus ``channel`` (paper or telephone) and ``area_id``."""

    class Meta:
        unknown = INCLUDE

    channel = fields.String(load_default="paper")
    area_id = fields.Integer(load_default=None, allow_none=True)


def _wave(wave: SurveyWave) -> dict:
    return {"id": wave.id, "title": wave.title, "starts_on": wave.starts_on, "ends_on": wave.ends_on,
            "target_respondents": wave.target_respondents, "status": wave.status,
            "published_at": wave.published_at, "questionnaire_version": wave.questionnaire.version,
            "area_ids": [link.area_id for link in wave.area_links], "updated_at": wave.updated_at}


def _group(group) -> dict:
    data = {"area_id": group.area_id, "label": group.label, "shown": not group.hidden}
    if group.hidden:
        return data  # not even the exact number of answers under the minimum
    data.update({"n": group.n, "indices": {k: v.as_dict() for k, v in group.indices.items()},
                 "previous": {k: v.as_dict() for k, v in group.previous.items()},
                 "questions": [d.as_dict() for d in group.distributions.values()]})
    return data


def results_dict(results) -> dict:
    wave = results.wave
    return {
        "wave": {"id": wave.id, "title": wave.title, "starts_on": wave.starts_on.isoformat(),
                 "ends_on": wave.ends_on.isoformat(), "questionnaire_version": wave.questionnaire.version,
                 "published": wave.published},
        "minimum_respondents": MIN_RESPONDENTS,
        "method": "index = mean of respondent scores; score = mean of the index's answers rescaled (v-1)/3*100; "
                  "95% CI = mean ± 1.96·s/√n",
        "municipality": _group(results.municipality), "areas": [_group(a) for a in results.areas],
        "national": {"waves": results.national_waves, "municipalities": results.national_places,
                     "excludes": g.municipality.slug,
                     "weighting": "each other municipality once, with its latest published wave that shows the "
                                  "index; the unweighted mean of their means; 95% CI = mean ± 1.96·s/√k over "
                                  "the k municipalities; shown when k >= 2; the compared municipality excluded",
                     **{k: v.as_dict() for k, v in results.national.items()}},
        "previous_wave": ({"id": results.previous.id, "title": results.previous.title}
                          if results.previous is not None else None),
    }


# --- public ---------------------------------------------------------------------------------------

@blp.route("/public/municipalities/<municipality>/surveys")
@scope("public")
class PublicSurveys(MethodView):
    @blp.doc(security=[])
    @blp.response(200, WaveSchema(many=True))
    @listing(blp)
    def get(self):
        """The municipality's published survey waves"""
        return [_wave(w) for w in services.list_waves(published_only=True)]


@blp.route("/public/municipalities/<municipality>/surveys/<int:wave_id>")
@scope("public")
class PublicSurveyResults(MethodView):
    @blp.doc(security=[])
    @blp.response(200, ResultsSchema)
    def get(self, wave_id):
        """A published wave's results (404 for a wave that is not published)"""
        wave = services.get_published_wave(wave_id)
        if wave is None:
            abort(404, message=_("There is no such record in this municipality."))
        return results_dict(services.wave_results(wave, public=True, municipality_name=g.municipality.name))


# --- staff ------------------------------------------------------------------------------------------


@blp.route("/municipalities/<municipality>/surveys/waves")
@scope("tenant")
class Waves(MethodView):
    @blp.response(200, WaveSchema(many=True))
    @listing(blp)
    def get(self):
        """Every wave, the latest first"""
        return [_wave(w) for w in services.list_waves()]

    @blp.arguments(WaveSchema)
    @blp.response(201, WaveSchema)
    def post(self, data):
        """A new wave of the current national questionnaire"""
        return _wave(commit_or_fail(lambda: services.create_wave(data, user_id=current_user.id)))


@blp.route("/municipalities/<municipality>/surveys/waves/<int:wave_id>/results")
@scope("tenant")
class WaveResults(MethodView):
    @blp.response(200, ResultsSchema)
    def get(self, wave_id):
        """The wave's results, published or not (areas under the minimum are not shown)"""
        wave = services.get_wave(wave_id)
        return results_dict(services.wave_results(wave, public=False, municipality_name=g.municipality.name))


@blp.route("/municipalities/<municipality>/surveys/waves/<int:wave_id>/responses")
@scope("tenant")
class WaveResponses(MethodView):
    @blp.arguments(ResponseInSchema)
    @blp.response(201, Schema.from_dict({"id": fields.Integer()}))
    def post(self, data, wave_id):
        """Enter one paper or telephone questionnaire"""
        wave = services.get_wave(wave_id)
        answers = {k: v for k, v in data.items() if k not in ("channel", "area_id")}
        response = commit_or_fail(lambda: services.enter_response(wave, answers, data.get("area_id"), data["channel"]))
        return {"id": response.id}
