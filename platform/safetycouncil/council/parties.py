"""Art. 4.1.e: "Member of the Municipal Council who ensures the representation of each political party
in the Municipal Council". The parties represented in the Municipal Council are recorded per
municipality with the days they were (a Municipal Council mandate, or a change within one); each
category-(e) member names the party they represent (``CouncilMember.party_id``). The compliance rule
``composition`` names, for every day of the year so far, the parties without their councillor.
Its input is ``schemas.MunicipalCouncilPartySchema``."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from ..errors import ValidationFailed
from ..extensions import db
from .models import MunicipalCouncilParty

FIELDS = ("name", "represented_from", "represented_until", "seats", "notes")


def list_parties() -> list[MunicipalCouncilParty]:
    return list(db.session.execute(select(MunicipalCouncilParty).order_by(
        MunicipalCouncilParty.represented_from.desc(), MunicipalCouncilParty.name)).scalars())


def get_party(party_id) -> MunicipalCouncilParty | None:
    return db.session.get(MunicipalCouncilParty, party_id)


def _check(values: dict) -> None:
    if values.get("represented_until") and values["represented_until"] < values["represented_from"]:
        raise ValidationFailed({"represented_until": _("The party cannot stop being represented before it started.")})


def create_party(data: dict) -> MunicipalCouncilParty:
    values = {key: data.get(key) for key in FIELDS}
    _check(values)
    party = MunicipalCouncilParty(**values)
    db.session.add(party)
    db.session.flush()
    return party


def update_party(party: MunicipalCouncilParty, data: dict) -> MunicipalCouncilParty:
    values = {key: getattr(party, key) for key in FIELDS}
    values.update({key: data[key] for key in FIELDS if key in data})
    _check(values)
    for key, value in values.items():
        setattr(party, key, value)
    db.session.flush()
    return party
