"""The records area through the API, under /api/v1/municipalities/<slug>/...

  GET  POST  /meetings/<meeting_id>/minutes             current minutes (?version=N) and every version; a new version
  GET        /meetings/<meeting_id>/decisions/next-number  the suggested next number
  GET  POST  /decisions                                 the register (?year=, ?meeting_id=); record a decision
  GET  PATCH /decisions/<decision_id>                   a decision; change it (a new text is a new version)
  POST       /decisions/<decision_id>/sign              record the chair's signature
  POST       /decisions/<decision_id>/distribute        e-mail a copy to each member (background, 202)
  GET  PUT   /meetings/<meeting_id>/press-release       the release (or its prefilled draft); save the draft
  POST       /meetings/<meeting_id>/press-release/publish  publish (optionally at a past `published_at`)

Every timestamp is UTC (RFC 3339 with ``Z``: ``api.contract.UtcDateTime``) except the meeting's own local times.
"""

from flask import g, url_for
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate

from .. import schemas
from ..accounts import access
from ..api.contract import UtcDateTime
from ..api.errors import commit_or_fail, validation_failed
from ..api.paging import listing
from ..tenancy.web import scope
from . import services
from .schemas import (DecisionCreateSchema, DecisionPatchSchema, DecisionSignSchema, MinutesInputSchema,
                      PressReleaseInputSchema, PressReleasePublishSchema)

blp = Blueprint("api_records", __name__, url_prefix="/api/v1/municipalities/<municipality>",
                description="What a meeting leaves behind: minutes, the decisions register, press releases")


# --- schemas ------------------------------------------------------------------------------------

class MinutesVersionSchema(Schema):
    version = fields.Integer()
    created_at = UtcDateTime()
    created_by_id = fields.Integer(allow_none=True)


class MinutesSchema(Schema):
    meeting_id = fields.Integer()
    latest_version = fields.Integer(allow_none=True, metadata={"description": "null: no minutes yet"})
    version = fields.Integer(allow_none=True, metadata={"description": "the version whose text is given"})
    text = fields.String(allow_none=True)
    created_at = UtcDateTime(allow_none=True)
    created_by_id = fields.Integer(allow_none=True)
    versions = fields.List(fields.Nested(MinutesVersionSchema),
                           metadata={"description": "every version, oldest first"})


class MinutesQuerySchema(Schema):
    version = fields.Integer(load_default=None, validate=validate.Range(min=1))


class DecisionVersionSchema(MinutesVersionSchema):
    text = fields.String()


class DecisionDistributionSchema(Schema):
    member_id = fields.Integer()
    member_name = fields.Function(lambda row: row.member.full_name)
    status = fields.String(metadata={"description": "sent, no_email, failed, pending"})
    sent_at = UtcDateTime(allow_none=True)


class DecisionSchema(Schema):
    updated_at = UtcDateTime(dump_only=True, metadata={"description": "When it last changed (UTC)"})
    id = fields.Integer()
    meeting_id = fields.Integer()
    number = fields.String()
    title = fields.String()
    text = fields.String(attribute="current_text")
    version = fields.Function(lambda d: d.versions[-1].version if d.versions else 0)
    adopted_by_consensus = fields.Boolean()
    reviews_plan = fields.Boolean(metadata={"description": "the meeting reviewed the local plan by this decision "
                                                           "after an open consultation (Art. 8.5)"})
    signed_by_chair_on = fields.Date(allow_none=True)
    signature_method = fields.String(allow_none=True, metadata={
        "description": "chair: signed by the chair in the platform; paper: recorded by the technical "
                       "secretary from the signed paper original"})
    distributed_at = UtcDateTime(allow_none=True)
    created_at = UtcDateTime()


class DecisionDetailSchema(DecisionSchema):
    versions = fields.List(fields.Nested(DecisionVersionSchema))
    distribution = fields.Function(
        lambda d: DecisionDistributionSchema(many=True).dump(services.distributions(d)))


class DecisionListQuerySchema(Schema):
    year = schemas.year(load_default=None)
    meeting_id = fields.Integer(load_default=None)


class DecisionNextNumberSchema(Schema):
    number = fields.String()


class PressClockSchema(Schema):
    state = fields.String(metadata={"description": "upcoming, open, overdue, on_time, late, cancelled"})
    deadline = fields.Function(lambda c: UtcDateTime()._serialize(services.to_utc(c.deadline), None, None))
    hours_limit = fields.Integer(attribute="hours")
    seconds_left = fields.Function(lambda c: int(c.remaining.total_seconds()) if c.remaining else None)
    seconds_late = fields.Function(lambda c: int(c.overdue_by.total_seconds()) if c.overdue_by else None)


class PressReleaseSchema(Schema):
    id = fields.Integer(allow_none=True,
                        metadata={"description": "null: nothing saved yet, this is the prefilled draft"})
    meeting_id = fields.Integer()
    title = fields.String()
    time_and_place = fields.String()
    participation = fields.String()
    agenda_summary = fields.String()
    discussion_essence = fields.String()
    published_at = UtcDateTime(allow_none=True)
    hours_after_meeting = fields.Float(allow_none=True)
    published_late = fields.Boolean(allow_none=True)
    missing = fields.List(fields.String(), metadata={"description": "required contents still empty"})
    clock = fields.Nested(PressClockSchema)
    public_url = fields.String(allow_none=True)


# --- helpers --------------------------------------------------------------------------------

def _meeting(meeting_id: int):
    meeting = services.get_meeting(meeting_id)
    if meeting is None:
        abort(404, message=_("There is no such meeting in this municipality."))
    return meeting


def _decision(decision_id: int):
    decision = services.get_decision(decision_id)
    if decision is None:
        abort(404, message=_("There is no such decision in this municipality."))
    return decision



def _minutes(meeting, version: int | None = None) -> dict:
    versions = services.minutes_versions(meeting)
    shown = versions[-1] if versions else None
    if version is not None:
        shown = next((v for v in versions if v.version == version), None)
        if shown is None:
            abort(404, message=_("There is no such version of these minutes."))
    return {"meeting_id": meeting.id, "latest_version": versions[-1].version if versions else None,
            "version": shown.version if shown else None, "text": shown.text if shown else None,
            "created_at": shown.created_at if shown else None,
            "created_by_id": shown.created_by_id if shown else None,
            "versions": versions}


def _release(meeting) -> dict:
    release = services.get_press_release(meeting)
    values = services.release_values(meeting, release)
    published = release is not None and release.published_at is not None
    return {
        "id": release.id if release else None, "meeting_id": meeting.id, **values,
        "published_at": release.published_at if release else None,
        "hours_after_meeting": release.hours_after_meeting if release else None,
        "published_late": release.published_late if release else None,
        "missing": services.missing_contents(values),
        "clock": services.press_clock(meeting, release),
        "public_url": url_for("public.press_release", municipality=g.municipality.slug, release_id=release.id,
                              _external=True) if published else None,
    }


# --- minutes ----------------------------------------------------------------------------------

@blp.route("/meetings/<int:meeting_id>/minutes")
@scope("tenant")
class Minutes(MethodView):
    @blp.arguments(MinutesQuerySchema, location="query")
    @blp.response(200, MinutesSchema)
    def get(self, query, meeting_id):
        """The meeting's minutes: the current text (or `?version=N`) and the list of every version"""
        return _minutes(_meeting(meeting_id), query["version"])

    @blp.arguments(MinutesInputSchema)
    @blp.response(201, MinutesSchema)
    def post(self, data, meeting_id):
        """Save a new version of the minutes (earlier versions are kept unchanged)"""
        meeting = _meeting(meeting_id)
        commit_or_fail(lambda: services.save_minutes(meeting, data["text"], user_id=current_user.id,
                                            based_on_version=data.get("based_on_version")))
        return _minutes(meeting)


# --- decisions ----------------------------------------------------------------------------------

@blp.route("/meetings/<int:meeting_id>/decisions/next-number")
@scope("tenant")
class NextNumber(MethodView):
    @blp.response(200, DecisionNextNumberSchema)
    def get(self, meeting_id):
        """The number suggested for the next decision of this meeting (e.g. 2025/3)"""
        return {"number": services.suggest_number(_meeting(meeting_id))}


@blp.route("/decisions")
@scope("tenant")
class DecisionList(MethodView):
    @blp.arguments(DecisionListQuerySchema, location="query")
    @blp.response(200, DecisionSchema(many=True))
    @listing(blp)
    def get(self, query):
        """The register of decisions, newest meeting first"""
        return services.list_decisions(meeting_id=query["meeting_id"], year=query["year"])

    @blp.arguments(DecisionCreateSchema)
    @blp.response(201, DecisionDetailSchema)
    def post(self, data):
        """Record a decision of a council meeting (its text is version 1)"""
        meeting = services.get_meeting(data.pop("meeting_id")) if data.get("meeting_id") else None
        if meeting is None:
            validation_failed({"meeting_id": _("Choose a meeting of this municipality.")})
        return commit_or_fail(lambda: services.create_decision(meeting, **data, user_id=current_user.id))


@blp.route("/decisions/<int:decision_id>")
@scope("tenant")
class DecisionDetail(MethodView):
    @blp.response(200, DecisionDetailSchema)
    def get(self, decision_id):
        """One decision, with every version of its text and the copies distributed"""
        return _decision(decision_id)

    @blp.arguments(DecisionPatchSchema(partial=True))
    @blp.response(200, DecisionDetailSchema)
    def patch(self, data, decision_id):
        """Change an unsigned decision; a new text is a new version. Refused once signed."""
        decision = _decision(decision_id)
        return commit_or_fail(lambda: services.update_decision(decision, **data, user_id=current_user.id))


@blp.route("/decisions/<int:decision_id>/sign")
@scope("tenant")
class DecisionSign(MethodView):
    @blp.arguments(DecisionSignSchema)
    @blp.response(200, DecisionDetailSchema)
    def post(self, data, decision_id):
        """Record the chair's signature: by the chair (date defaults to today), or by the technical
        secretary from the signed paper original (date required)"""
        decision = _decision(decision_id)
        roles = access.municipality_roles(current_user, g.municipality.id)
        return commit_or_fail(lambda: services.sign_decision(decision, roles=roles, signed_on=data.get("signed_by_chair_on")))


@blp.route("/decisions/<int:decision_id>/distribute")
@scope("tenant")
class DecisionDistribute(MethodView):
    @blp.response(202, DecisionDetailSchema)
    def post(self, decision_id):
        """E-mail the signed decision to each active member, in the background; nobody gets it twice"""
        decision = _decision(decision_id)
        commit_or_fail(lambda: services.start_distribution(decision))
        return _decision(decision_id)


# --- the press release ---------------------------------------------------------------------------

@blp.route("/meetings/<int:meeting_id>/press-release")
@scope("tenant")
class PressReleaseView(MethodView):
    @blp.response(200, PressReleaseSchema)
    def get(self, meeting_id):
        """The press release, or (id null) the draft prefilled from the meeting's record"""
        return _release(_meeting(meeting_id))

    @blp.arguments(PressReleaseInputSchema)
    @blp.response(200, PressReleaseSchema)
    def put(self, data, meeting_id):
        """Save the draft (fields left out keep their value). Refused once published."""
        meeting = _meeting(meeting_id)
        commit_or_fail(lambda: services.save_press_release(meeting, data))
        return _release(meeting)


@blp.route("/meetings/<int:meeting_id>/press-release/publish")
@scope("tenant")
class PressReleasePublish(MethodView):
    @blp.arguments(PressReleasePublishSchema)
    @blp.response(200, PressReleaseSchema)
    def post(self, data, meeting_id):
        """Publish on the public page; refused while a required content (Art. 11) is empty.
        Measures the hours from the meeting's end against the 24-hour rule."""
        meeting = _meeting(meeting_id)
        published_at = data.pop("published_at", None)
        commit_or_fail(lambda: services.publish_press_release(meeting, data, published_at=published_at))
        return _release(meeting)
