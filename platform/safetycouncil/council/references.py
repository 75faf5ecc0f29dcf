"""References across municipalities: which institutions a municipality's records may name.

Records of a municipality (a plan's activities, an officer's institution, a council member, a council's
linked institutions) may refer to: the institutions of its own county, those the Ministry marks as
shared (they serve several counties), national ones (no county), and the ones its council already works
with. Never to another county's own institution (an Elbasan activity does not take "Shoqata e Gruas Fier").

Tenant-owned records (risks, meetings, decisions, concerns, documents...) need no such check: the
tenancy layer makes another municipality's rows invisible, so their ids are refused as unknown. This is
the one check for the global institutions, used by the services behind the pages and the API alike.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import or_, select

from ..extensions import db
from ..municipalities.models import Municipality
from ..tenancy.context import current_municipality_id
from .models import CouncilInstitution, Institution


def _county_id() -> int | None:
    municipality = db.session.get(Municipality, current_municipality_id())
    return municipality.county_id if municipality else None


def usable_clause(*, linked: bool = True):
    """A WHERE clause: the institutions the current municipality's records may refer to."""
    clauses = [Institution.county_id == _county_id(), Institution.shared.is_(True), Institution.county_id.is_(None)]
    if linked:
        clauses.append(Institution.id.in_(select(CouncilInstitution.institution_id)))
    return or_(*clauses)


def usable(institution: Institution | None, *, linked: bool = True) -> bool:
    if institution is None:
        return False
    if institution.county_id is None or institution.shared or institution.county_id == _county_id():
        return True
    return linked and db.session.execute(select(CouncilInstitution.id).where(
        CouncilInstitution.institution_id == institution.id)).first() is not None


def check_institution_ids(ids: list[int], field: str, errors: dict, *, linked: bool = True) -> list[int]:
    """Refuse (in ``errors[field]``) ids that are unknown or another county's own institutions."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return ids
    found = {i.id: i for i in db.session.execute(select(Institution).where(Institution.id.in_(ids))).scalars()}
    unknown = [i for i in ids if i not in found]
    if unknown:
        errors[field] = _("Choose existing institutions.")
        return ids
    foreign = [found[i] for i in ids if not usable(found[i], linked=linked)]
    if foreign:
        errors[field] = _("%(names)s belongs to another county and is not shared: choose an institution of this "
                          "county, a shared one, or one the council works with.",
                          names="; ".join(f"\"{i.name}\"" for i in foreign))
    return ids


def check_institution_id(institution_id: int | None, field: str, errors: dict, *, linked: bool = True) -> None:
    if institution_id is not None:
        check_institution_ids([institution_id], field, errors, linked=linked)
