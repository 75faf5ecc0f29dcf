"""Art. 4.1.e: "Member of the Municipal Council who ensures the representation of each political party
in the Municipal Council". The parties represented in the Municipal Council are recorded per
municipality with the days they were (a Municipal Council mandate, or a change within one); each
category-(e) member names the party they represent (``CouncilMember.party_id``). The compliance rule
``composition`` names, for every day of the year so far, the parties without their councillor.
One marshmallow schema is the contract for the page and the API."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates
from sqlalchemy import select

from ..api.contract import UtcDateTime
from ..errors import ValidationFailed
from ..extensions import db
from ..schemas import length, load_form
from .models import CouncilMember, MunicipalCouncilParty

FIELDS = ("name", "represented_from", "represented_until", "seats", "notes")


class MunicipalCouncilPartySchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(
        min=1, max=120, error=_l("Enter the party's name (at most 120 characters).")),
        error_messages={"required": _l("Enter the party's name (at most 120 characters).")})
    represented_from = fields.Date(required=True, error_messages={
        "required": _l("Enter the day from which the party is represented in the Municipal Council."),
        "invalid": _l("Enter the date as YYYY-MM-DD.")})
    represented_until = fields.Date(load_default=None, allow_none=True, error_messages={
        "invalid": _l("Enter the date as YYYY-MM-DD.")},
        metadata={"description": "The last day it was represented; empty while it still is"})
    seats = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(
        min=1, max=200, error=_l("Enter a number of seats from 1 to 200.")))
    notes = fields.String(load_default=None, allow_none=True, validate=length(2000))
    members = fields.Method("_members", dump_only=True, metadata={
        "description": "The ids of the category-(e) members who represent it"})
    updated_at = UtcDateTime(dump_only=True, metadata={"description": "When it last changed (UTC)"})

    def _members(self, obj) -> list[int]:
        return list(db.session.execute(select(CouncilMember.id).where(CouncilMember.party_id == obj.id)).scalars())

    @validates("represented_from")
    def _from_year(self, value, **_kw):
        if value.year < 1990:
            raise ValidationError(_("Enter a date between 1990 and 2100."))


class MunicipalCouncilPartyPatchSchema(MunicipalCouncilPartySchema):
    class Meta:
        partial = True


SCHEMA = MunicipalCouncilPartySchema()


def clean(form) -> dict:
    return load_form(SCHEMA, form, FIELDS, optional=("represented_until", "seats", "notes"))


def list_parties() -> list[MunicipalCouncilParty]:
    return list(db.session.execute(select(MunicipalCouncilParty).order_by(
        MunicipalCouncilParty.represented_from.desc(), MunicipalCouncilParty.name)).scalars())


def get_party(party_id) -> MunicipalCouncilParty | None:
    return db.session.get(MunicipalCouncilParty, party_id)


def _check(values: dict) -> None:
    if not values.get("name"):
        raise ValidationFailed({"name": _("Enter the party's name (at most 120 characters).")})
    if values.get("represented_until") and values["represented_until"] < values["represented_from"]:
        raise ValidationFailed({"represented_until": _("The party cannot stop being represented before it started.")})


def create_party(data: dict) -> MunicipalCouncilParty:
    values = {key: data.get(key) for key in FIELDS}
    values["name"] = values["name"].strip()
    _check(values)
    party = MunicipalCouncilParty(**values)
    db.session.add(party)
    db.session.flush()
    return party


def update_party(party: MunicipalCouncilParty, data: dict) -> MunicipalCouncilParty:
    values = {key: getattr(party, key) for key in FIELDS}
    values.update({key: data[key] for key in FIELDS if key in data})
    values["name"] = (values["name"] or "").strip()
    _check(values)
    for key, value in values.items():
        setattr(party, key, value)
    db.session.flush()
    return party
