"""The council's contract: one marshmallow schema per input, loaded by the pages (``load_form``) and by the API
alike. What only the database knows (the institution, party or document exists and may be named, the member's
seats agree, a name is not taken in the county) the services check."""
from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, post_load, pre_load, validate, validates, validates_schema
from sqlalchemy import select

from ..api.contract import UtcDateTime
from ..extensions import db
from ..schemas import choice, day, integer, length, string
from ..timeutil import local_today
from .models import INSTITUTION_KINDS, INVITED, INVITED_KINDS, MEMBER_CATEGORIES, SEATS, CouncilMember

# People who hold a secretariat seat without being one of the members of Art. 4.1 (the Technical
# Secretariat is "an employee from the municipality", Art. 10.1; the Coordination Secretariat's
# members are "appointed by the heads" of the three institutions, Art. 9.3). They are members of the
# council's work (invited to its meetings) but fill none of the categories (a)-(o).
STAFF = "staff"
CATEGORIES = (*MEMBER_CATEGORIES, STAFF, INVITED)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_PHONE = re.compile(r"^\+?[0-9 ()./-]{5,40}$")


def _email() -> fields.String:
    return fields.String(allow_none=True, validate=[length(254), validate.Regexp(
        _EMAIL, error=_l("Enter a valid e-mail address."))])


def _phone() -> fields.String:
    return fields.String(allow_none=True, validate=[length(40), validate.Regexp(
        _PHONE, error=_l("Enter a phone number: digits, spaces and a leading +."))])


def _not_after_today(message) -> validate.Validator:
    def check(value) -> None:
        if value is not None and value > local_today():
            raise ValidationError(str(message))
    return check


class _Input(Schema):
    """Texts without their surrounding spaces (as a form's are); an empty optional one is None."""

    @pre_load
    def _strip(self, data, **_kw):
        if not isinstance(data, dict):
            return data
        clean = {}
        for key, value in data.items():
            if isinstance(value, str):
                value = value.strip()
                field = self.fields.get(key)
                if value == "" and field is not None and field.allow_none:
                    value = None
            clean[key] = value
        return clean


# --- members -----------------------------------------------------------------------------------------

class CouncilMemberSchema(_Input):
    updated_at = UtcDateTime(dump_only=True, metadata={"description": "When it last changed (UTC)"})
    id = fields.Integer(dump_only=True)
    full_name = string(200, _l("Enter the member's full name."))
    category = choice(CATEGORIES, _l("Choose one of the categories (a) to (o) of Art. 4, secretariat staff, or "
                                     "invited participant."), metadata={
        "description": "'a' to 'o' (Art. 4.1), 'staff' (secretariat staff) or 'invited' (Art. 4.2)"})
    invited_kind = choice(INVITED_KINDS, invalid=_l(
        "Say who is invited: the Prefect, the Chief Judge, or a guest on a topic."),
        metadata={"description": "prefect, chief_judge or topic_guest"})
    institution_id = integer(metadata={"description": "Any institution; it is linked to the council when chosen"})
    institution_name = fields.Function(lambda m: m.institution.name if m.institution else None, dump_only=True)
    position = string(200)
    email = _email()
    phone = _phone()
    mandate_start = day(_l("Enter the day the mandate starts."))
    mandate_end = day(metadata={"description": "Set to end the mandate"})
    substitute_name = string(200)
    substitute_email = _email()
    substitute_phone = _phone()
    active = fields.Function(lambda m: m.active_on(local_today()), dump_only=True)
    party_id = integer(metadata={
        "description": "Category (e): the party of the Municipal Council the member represents (Art. 4.1.e), "
                       "one of /council/parties"})

    @post_load
    def _lower_emails(self, data, **_kw):
        return {k: (v.lower() if k in ("email", "substitute_email") and v else v) for k, v in data.items()}


class CouncilMemberPatchSchema(CouncilMemberSchema):
    class Meta:
        partial = True


class EndMandateSchema(_Input):
    end_on = day(_l("Enter the last day of the mandate."))


# --- seats -------------------------------------------------------------------------------------------

class CouncilSeatSchema(_Input):
    updated_at = UtcDateTime(dump_only=True, metadata={"description": "When it last changed (UTC)"})
    id = fields.Integer(dump_only=True)
    seat = choice(SEATS, _l("Choose one of the council's seats."),
                  metadata={"description": "One of: " + ", ".join(SEATS)})
    member_id = integer(_l("Choose a member of this council."))
    member_name = fields.Function(lambda t: t.member.full_name, dump_only=True)
    started_on = day(metadata={"description": "Today when left out"})
    ended_on = fields.Date(dump_only=True, allow_none=True)
    current = fields.Function(lambda t: t.started_on <= local_today() and (
        t.ended_on is None or t.ended_on >= local_today()), dump_only=True)


class EndSeatSchema(_Input):
    seat = choice(SEATS, _l("Choose one of the council's seats."))
    ended_on = day(_l("Enter the last day of the term."))


# --- institutions ------------------------------------------------------------------------------------

class CouncilInstitutionSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    kind = fields.String(dump_only=True)
    county_id = fields.Integer(dump_only=True, allow_none=True)
    email = fields.String(dump_only=True, allow_none=True)
    phone = fields.String(dump_only=True, allow_none=True)
    address = fields.String(dump_only=True, allow_none=True)
    shared = fields.Boolean(dump_only=True)


class InstitutionIdSchema(_Input):
    institution_id = integer(invalid=_l("Choose an existing institution."),
                             metadata={"description": "Link this existing institution"})


class CouncilInstitutionLinkSchema(InstitutionIdSchema):
    """Link an existing institution (``institution_id``), or create one (``name``, ``kind``...) and link it."""
    name = string(200, metadata={"description": "Or create a new one in the municipality's county"})
    kind = choice(INSTITUTION_KINDS, invalid=_l("Choose what kind of institution it is."),
                  metadata={"description": "One of: " + ", ".join(INSTITUTION_KINDS)})
    email = _email()
    phone = _phone()
    address = string(300)

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def _a_new_one_has_a_name_and_a_kind(self, data, original, **_kw):
        given = original if isinstance(original, dict) else {}
        if data.get("institution_id") is not None or given.get("institution_id") not in (None, ""):
            return
        errors = {}
        if not data.get("name") and not str(given.get("name") or "").strip():
            errors["name"] = [_("Enter the institution's name.")]
        if not data.get("kind") and not str(given.get("kind") or "").strip():
            errors["kind"] = [_("Choose what kind of institution it is.")]
        if errors:
            raise ValidationError(errors)

    @post_load
    def _one_space(self, data, **_kw):
        if data.get("name"):
            data["name"] = re.sub(r"\s+", " ", data["name"])
        return data


# --- the establishment (the decision in force) --------------------------------------------------------

class CouncilEstablishmentSchema(_Input):
    recorded = fields.Function(lambda e: e is not None and e.id is not None, dump_only=True)
    decision_number = string(40, _l("Enter the number of the Municipal Council's decision."))
    decision_date = day(_l("Enter the date of the Municipal Council's decision."))
    regulation_adopted_on = day(load_default=None)
    decision_document_id = integer(load_default=None,
                                   metadata={"description": "A document uploaded through /documents"})
    regulation_document_id = integer(load_default=None)
    notes = string(5000, load_default=None)


# --- Art. 13: every establishment decision ------------------------------------------------------------

class CouncilEstablishmentDecisionSchema(_Input):
    id = fields.Integer(dump_only=True)
    decision_number = string(40, _l("Enter the number of the Municipal Council's decision."))
    decision_date = day(_l("Enter the date of the Municipal Council's decision."), validate=_not_after_today(
        _l("The decision cannot be dated in the future.")),
        metadata={"description": "The day of the Municipal Council's decision; not in the future"})
    regulation_adopted_on = day(load_default=None, validate=_not_after_today(
        _l("The regulation cannot be adopted in the future.")))
    adopts_unified_model = fields.Boolean(load_default=False, metadata={
        "description": "The regulation it adopts follows the unified model (the Ministry's roll-out)"})
    published_on = day(load_default=None, validate=_not_after_today(
        _l("The day of publication cannot be in the future.")), metadata={
        "description": "Art. 13: the day the regulation was published on the municipality's official website"})
    published_url = string(500, load_default=None, metadata={
        "format": "uri", "description": "Art. 13: the page on the official website (http or https)"})
    notes = string(5000, load_default=None)
    decision_document_id = integer(load_default=None,
                                   metadata={"description": "A document uploaded through /documents"})
    regulation_document_id = integer(load_default=None)
    in_force = fields.Method("_in_force", dump_only=True, metadata={
        "description": "The decision in force today (the latest dated on or before today)"})
    updated_at = UtcDateTime(dump_only=True, metadata={"description": "When it last changed (UTC)"})

    def _in_force(self, obj) -> bool:
        from .establishments import in_force

        current = in_force()
        return current is not None and current.id == obj.id

    @validates("published_url")
    def _an_address(self, value, **_kw):
        if value is None:
            return
        try:
            validate.URL(schemes={"https", "http"}, require_tld=True)(value)
        except ValidationError:
            raise ValidationError(_("Enter the address of the page (https://...).")) from None


class CouncilEstablishmentPatchSchema(CouncilEstablishmentDecisionSchema):
    class Meta:
        partial = True


# --- Art. 4.1.e: the parties represented in the Municipal Council ---------------------------------------

class MunicipalCouncilPartySchema(_Input):
    id = fields.Integer(dump_only=True)
    name = string(120, _l("Enter the party's name."))
    represented_from = day(_l("Enter the day from which the party is represented in the Municipal Council."))
    represented_until = day(load_default=None, metadata={
        "description": "The last day it was represented; empty while it still is"})
    seats = integer(load_default=None, validate=validate.Range(
        min=1, max=200, error=_l("Enter a number of seats from 1 to 200.")))
    notes = string(2000, load_default=None)
    members = fields.Method("_members", dump_only=True, metadata={
        "description": "The ids of the category-(e) members who represent it"})
    updated_at = UtcDateTime(dump_only=True, metadata={"description": "When it last changed (UTC)"})

    def _members(self, obj) -> list[int]:
        return list(db.session.execute(select(CouncilMember.id).where(CouncilMember.party_id == obj.id)).scalars())


class MunicipalCouncilPartyPatchSchema(MunicipalCouncilPartySchema):
    class Meta:
        partial = True


# --- Art. 5.2.d: the Municipal Council informed -----------------------------------------------------------

class MunicipalCouncilSessionSchema(_Input):
    id = fields.Integer(dump_only=True)
    held_on = day(_l("Enter the date of the session."), validate=_not_after_today(
        _l("The session cannot be in the future.")),
        metadata={"description": "The day of the Municipal Council's session (Albanian time); not in the future"})
    decision_number = string(60, _l("Enter the decision or minute number."))
    report_title = string(300, _l("Enter the report presented."))
    notes = string(2000, load_default=None)
    created_at = UtcDateTime(dump_only=True)
