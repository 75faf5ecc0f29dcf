"""The council area through the API, under /api/v1/municipalities/<slug>/council/..."""
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields

from ..api.errors import commit_or_fail
from ..api.paging import listing
from ..data_protection.services import log_contacts_shown
from ..tenancy.web import scope
from . import services
from .schemas import (
    CouncilEstablishmentDecisionSchema,
    CouncilEstablishmentPatchSchema,
    CouncilEstablishmentSchema,
    CouncilInstitutionLinkSchema,
    CouncilInstitutionSchema,
    CouncilMemberPatchSchema,
    CouncilMemberSchema,
    CouncilSeatSchema,
    MunicipalCouncilPartyPatchSchema,
    MunicipalCouncilPartySchema,
    MunicipalCouncilSessionSchema,
)

blp = Blueprint("api_council", __name__, url_prefix="/api/v1/municipalities/<municipality>",
                description="The council: its establishment, members by the categories of Art. 4, seats and "
                            "institutions")

class CouncilInstitutionSearchArgs(Schema):
    q = fields.String(load_default="", metadata={"description": "Part of the name"})


class CouncilSearchResultSchema(CouncilInstitutionSchema):
    linked = fields.Boolean(dump_only=True)


class CouncilCategorySchema(Schema):
    code = fields.String()
    label = fields.String()
    always_required = fields.Boolean()
    empty = fields.Boolean()
    member_ids = fields.Function(lambda row: [m.id for m in row.members])


class CouncilCompositionArgs(Schema):
    on = fields.Date(load_default=None, metadata={"description": "The day to look at; today when left out"})


class CouncilCompositionSchema(Schema):
    on = fields.Date()
    gaps = fields.List(fields.String())
    categories = fields.List(fields.Nested(CouncilCategorySchema))


class _NotRecorded:
    """What GET /council/establishment describes before the decision is recorded."""

    id = None
    decision_number = decision_date = regulation_adopted_on = None
    decision_document_id = regulation_document_id = notes = None



def _member(member_id: int):
    member = services.get_member(member_id)
    if member is None:
        abort(404, message=_("There is no such member in this council."))
    return member


def _shown(members):
    """Members whose contact details go out in a response: the display is logged."""
    log_contacts_shown("CouncilMember", members, services.CONTACT_FIELDS)
    return members


@blp.route("/council/composition")
@scope("tenant")
class Composition(MethodView):
    @blp.arguments(CouncilCompositionArgs, location="query")
    @blp.response(200, CouncilCompositionSchema)
    def get(self, args):
        """The categories of Art. 4 with the members active on a day, and the mandatory ones left empty"""
        on = args["on"] or services.today()
        return {"on": on, "gaps": services.composition_gaps(on), "categories": services.composition(on)}


@blp.route("/council/members")
@scope("tenant")
class MemberList(MethodView):
    @blp.response(200, CouncilMemberSchema(many=True))
    @listing(blp)
    def get(self):
        """Every member and invited participant, past and present"""
        return _shown(services.list_members())

    @blp.arguments(CouncilMemberSchema)
    @blp.response(201, CouncilMemberSchema)
    def post(self, data):
        """Add a member or an invited participant"""
        return commit_or_fail(lambda: services.create_member(data))


@blp.route("/council/members/<int:member_id>")
@scope("tenant")
class MemberDetail(MethodView):
    @blp.response(200, CouncilMemberSchema)
    def get(self, member_id):
        """One member"""
        return _shown([_member(member_id)])[0]

    @blp.arguments(CouncilMemberPatchSchema(partial=True))
    @blp.response(200, CouncilMemberSchema)
    def patch(self, data, member_id):
        """Change a member; set `mandate_end` to end the mandate (and the seats held)"""
        member = _member(member_id)
        return commit_or_fail(lambda: services.update_member(member, data))

    @blp.response(204)
    def delete(self, member_id):
        """Delete a member recorded by mistake (refused once they hold a seat or have meeting records)"""
        member = _member(member_id)
        commit_or_fail(lambda: services.delete_member(member))
        return ""


@blp.route("/council/seats")
@scope("tenant")
class SeatList(MethodView):
    @blp.response(200, CouncilSeatSchema(many=True))
    @listing(blp)
    def get(self):
        """Every term of every seat, current and past"""
        return services.seat_history()

    @blp.arguments(CouncilSeatSchema)
    @blp.response(201, CouncilSeatSchema)
    def post(self, data):
        """Give a seat to a member; the current holder's term ends the day before"""
        return commit_or_fail(lambda: services.assign_seat(data["seat"], data["member_id"],
                                                  data.get("started_on") or services.today()))


@blp.route("/council/establishment")
@scope("tenant")
class Establishment(MethodView):
    @blp.response(200, CouncilEstablishmentSchema)
    def get(self):
        """The Municipal Council decision that established the council (`recorded` false until it is)"""
        return services.get_establishment() or _NotRecorded()

    @blp.arguments(CouncilEstablishmentSchema)
    @blp.response(200, CouncilEstablishmentSchema)
    def put(self, data):
        """Record or correct the establishment"""
        return commit_or_fail(lambda: services.save_establishment(data))


@blp.route("/council/institutions")
@scope("tenant")
class InstitutionList(MethodView):
    @blp.response(200, CouncilInstitutionSchema(many=True))
    @listing(blp, sync=None)  # the institutions are national records
    def get(self):
        """The institutions linked to the council"""
        return services.linked_institutions()

    @blp.arguments(CouncilInstitutionLinkSchema)
    @blp.response(201, CouncilInstitutionSchema)
    def post(self, data):
        """Link an existing institution (`institution_id`) or create one (`name`, `kind`...) and link it"""
        if data.get("institution_id") is not None:
            return commit_or_fail(lambda: services.link_institution(data["institution_id"]).institution)
        return commit_or_fail(lambda: services.create_institution(data))


@blp.route("/council/institutions/search")
@scope("tenant")
class InstitutionSearch(MethodView):
    @blp.arguments(CouncilInstitutionSearchArgs, location="query")
    @blp.response(200, CouncilSearchResultSchema(many=True))
    @listing(blp, sync=None)
    def get(self, args):
        """Institutions to link, by name; the shared ones of the municipality's county first"""
        linked = services.linked_institution_ids()
        return [{**CouncilSearchResultSchema().dump(i), "linked": i.id in linked}
                for i in services.search_institutions(args["q"])]


@blp.route("/council/institutions/<int:institution_id>")
@scope("tenant")
class InstitutionDetail(MethodView):
    @blp.response(200, CouncilInstitutionSchema)
    def get(self, institution_id):
        """One institution linked to the council"""
        institution = services.get_linked_institution(institution_id)
        if institution is None:
            abort(404, message=_("This institution is not linked to the council."))
        return institution

    @blp.response(204)
    def delete(self, institution_id):
        """Unlink an institution (refused while members of the council belong to it)"""
        if services.get_linked_institution(institution_id) is None:
            abort(404, message=_("This institution is not linked to the council."))
        commit_or_fail(lambda: services.unlink_institution(institution_id))
        return ""


# --- Art. 5.2.d: the Municipal Council informed ------------------------------------------------------

from . import sessions as _sessions  # noqa: E402


@blp.route("/council/municipal-council-sessions")
@scope("tenant")
class MunicipalCouncilSessions(MethodView):
    @blp.response(200, MunicipalCouncilSessionSchema(many=True))
    @listing(blp, sync=None)
    def get(self):
        """The sessions at which the chair informed the Municipal Council (Art. 5.2.d)"""
        return _sessions.list_sessions()

    @blp.arguments(MunicipalCouncilSessionSchema)
    @blp.response(201, MunicipalCouncilSessionSchema)
    def post(self, data):
        """Record a session of the Municipal Council (may be a past one; audited)"""
        from flask_login import current_user

        return commit_or_fail(lambda: _sessions.record_session(data, user_id=current_user.id))


# --- Art. 13: the establishment decisions, a history ------------------------------------------------

from . import establishments as _establishments  # noqa: E402


def _decision(establishment_id: int):
    decision = _establishments.get_decision(establishment_id)
    if decision is None:
        abort(404, message=_("There is no such decision in this municipality."))
    return decision


@blp.route("/council/establishments")
@scope("tenant")
class EstablishmentDecisions(MethodView):
    @blp.response(200, CouncilEstablishmentDecisionSchema(many=True))
    @listing(blp)
    def get(self):
        """Every Municipal Council decision that established the council or re-adopted its regulation, the
        latest first; `in_force` marks the one in force today"""
        return _establishments.list_decisions()

    @blp.arguments(CouncilEstablishmentDecisionSchema)
    @blp.response(201, CouncilEstablishmentDecisionSchema)
    def post(self, data):
        """Record another decision (a re-adoption or an amendment of the regulation; may be a past one; audited)"""
        return commit_or_fail(lambda: _establishments.create_decision(data))


@blp.route("/council/establishments/<int:establishment_id>")
@scope("tenant")
class EstablishmentDecision(MethodView):
    @blp.response(200, CouncilEstablishmentDecisionSchema)
    def get(self, establishment_id):
        """One decision"""
        return _decision(establishment_id)

    @blp.arguments(CouncilEstablishmentPatchSchema(partial=True))
    @blp.response(200, CouncilEstablishmentDecisionSchema)
    def patch(self, data, establishment_id):
        """Correct a decision, or record the regulation's publication on the official website (Art. 13:
        `published_on`, `published_url`; back-datable, audited)"""
        decision = _decision(establishment_id)
        return commit_or_fail(lambda: _establishments.update_decision(decision, data))


# --- Art. 4.1.e: the parties represented in the Municipal Council -----------------------------------------

from . import parties as _parties  # noqa: E402


def _party(party_id: int):
    party = _parties.get_party(party_id)
    if party is None:
        abort(404, message=_("There is no such party among those recorded in the Municipal Council."))
    return party


@blp.route("/council/parties")
@scope("tenant")
class Parties(MethodView):
    @blp.response(200, MunicipalCouncilPartySchema(many=True))
    @listing(blp)
    def get(self):
        """The political parties represented in the Municipal Council, with the days they were (Art. 4.1.e)"""
        return _parties.list_parties()

    @blp.arguments(MunicipalCouncilPartySchema)
    @blp.response(201, MunicipalCouncilPartySchema)
    def post(self, data):
        """Record a party represented in the Municipal Council (from a day; may be a past one; audited)"""
        return commit_or_fail(lambda: _parties.create_party(data))


@blp.route("/council/parties/<int:party_id>")
@scope("tenant")
class Party(MethodView):
    @blp.response(200, MunicipalCouncilPartySchema)
    def get(self, party_id):
        """One party"""
        return _party(party_id)

    @blp.arguments(MunicipalCouncilPartyPatchSchema(partial=True))
    @blp.response(200, MunicipalCouncilPartySchema)
    def patch(self, data, party_id):
        """Correct a party, or set `represented_until` when it leaves the Municipal Council"""
        party = _party(party_id)
        return commit_or_fail(lambda: _parties.update_party(party, data))
