"""Keeping a municipality's list of areas. Runs inside the municipality's tenant scope."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..errors import ValidationFailed
from ..extensions import db
from .models import AREA_KINDS, Area

KIND_LABELS = {
    "administrative_unit": _l("Administrative unit"),
    "neighbourhood": _l("Neighbourhood"),
    "village": _l("Village"),
}


def list_areas() -> list[Area]:
    return list(db.session.execute(select(Area).order_by(Area.kind, Area.name)).scalars())


def get_area(area_id: int) -> Area | None:
    return db.session.get(Area, area_id)


def _validate(name: str, kind: str, parent_id: int | None, area: Area | None = None) -> dict:
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Enter the area's name.")
    elif len(name) > 120:
        errors["name"] = _("The name can have at most 120 characters.")
    if kind not in AREA_KINDS:
        errors["kind"] = _("Choose whether it is an administrative unit, a neighbourhood or a village.")
    if parent_id is not None:
        parent = db.session.get(Area, parent_id)  # scoped: another municipality's area is not found
        if parent is None:
            errors["parent_id"] = _("The parent area does not exist in this municipality.")
        elif area is not None and parent.id == area.id:
            errors["parent_id"] = _("An area cannot be inside itself.")
    if not errors:
        clash = select(func.count()).select_from(Area).where(
            func.lower(Area.name) == name.lower(), Area.kind == kind)
        if area is not None:
            clash = clash.where(Area.id != area.id)
        if db.session.execute(clash).scalar():
            errors["name"] = _("This municipality already has an area with this name.")
    if errors:
        raise ValidationFailed(errors)
    return {"name": name, "kind": kind, "parent_id": parent_id}


def create_area(name: str, kind: str, parent_id: int | None = None) -> Area:
    area = Area(**_validate(name, kind, parent_id))
    db.session.add(area)
    db.session.flush()
    return area


def update_area(area: Area, *, name: str | None = None, kind: str | None = None,
                parent_id: int | None | type(...) = ...) -> Area:
    values = _validate(area.name if name is None else name, area.kind if kind is None else kind,
                       area.parent_id if parent_id is ... else parent_id, area)
    for key, value in values.items():
        setattr(area, key, value)
    db.session.flush()
    return area


def delete_area(area: Area) -> None:
    has_children = db.session.execute(
        select(func.count()).select_from(Area).where(Area.parent_id == area.id)).scalar()
    if has_children:
        raise ValidationFailed({"area": _("This area contains other areas: move or remove them first.")})
    try:
        with db.session.begin_nested():  # a savepoint: a refusal leaves the session usable for the answer
            db.session.delete(area)
            db.session.flush()
    except IntegrityError:
        raise ValidationFailed({"area": _(
            "This area is used by other records (statistics, concerns, surveys) and cannot be removed.")}) from None
