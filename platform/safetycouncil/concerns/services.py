"""The register of citizens' concerns, and the national list of risk categories.

Runs inside the municipality's tenant scope (the categories are global and kept by the Ministry).
"""
from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..areas.models import Area
from ..errors import ValidationFailed
from ..extensions import db
from ..locales import language as locale
from ..meetings.models import Meeting
from ..timeutil import utcnow
from ..wording import fold
from .models import CHANNELS, CONCERN_STATUSES, SOURCE_KINDS, Concern, RiskCategory

SOURCE_LABELS = {
    "school": _l("School"),
    "parent": _l("Parent"),
    "student_government": _l("Student government"),
    "village_head": _l("Village head or community liaison"),
    "business": _l("Business"),
    "civil_society": _l("Civil society"),
    "media": _l("Media"),
    "religious_community": _l("Religious community"),
    "citizen": _l("Citizen"),
}
STATUS_LABELS = {
    "pending_moderation": _l("Waiting for moderation"),
    "accepted": _l("Accepted"),
    "rejected": _l("Rejected"),
}
CHANNEL_LABELS = {"meeting": _l("Open consultation"), "online": _l("Sent online")}
assert set(SOURCE_LABELS) == set(SOURCE_KINDS) and set(STATUS_LABELS) == set(CONCERN_STATUSES)
assert set(CHANNEL_LABELS) == set(CHANNELS)


# --- the national list of categories ------------------------------------------------------------

# The list the migration seeds (0007), kept here for the demo loader and the tests.
DEFAULT_CATEGORIES = (
    ("domestic_violence", "Dhuna në familje", "Domestic violence"),
    ("youth_substances", "Narkotikët, alkooli dhe duhani te të rinjtë",
     "Narcotics, alcohol and tobacco among young people"),
    ("hotspots", "Pikat e nxehta të përdorimit të drogës ose të krimit", "Hotspots of drug use or crime"),
    ("road_safety", "Siguria rrugore", "Road safety"),
    ("property_crime", "Krimet kundër pronës", "Property crime"),
    ("school_safety", "Bullizmi dhe siguria në shkolla", "Bullying and safety in schools"),
    ("juvenile_delinquency", "Delikuenca e të miturve", "Juvenile delinquency"),
    ("violent_extremism", "Ekstremizmi i dhunshëm", "Violent extremism"),
    ("trafficking", "Trafikimi", "Trafficking"),
    ("public_order", "Rendi publik", "Public order"),
    ("civil_emergencies", "Emergjencat civile", "Civil emergencies"),
)


def ensure_default_categories() -> None:
    """Add any category of the seeded national list that is missing (idempotent; never renames)."""
    have = set(db.session.execute(select(RiskCategory.code)).scalars())
    for position, (code, name_sq, name_en) in enumerate(DEFAULT_CATEGORIES, start=1):
        if code not in have:
            db.session.add(RiskCategory(code=code, name_sq=name_sq, name_en=name_en, position=position, active=True))
    db.session.flush()


def category_name(category: RiskCategory | None) -> str:
    return category.name(locale()) if category is not None else ""


def list_categories(*, include_retired: bool = False) -> list[RiskCategory]:
    query = select(RiskCategory).order_by(RiskCategory.position, RiskCategory.id)
    if not include_retired:
        query = query.where(RiskCategory.active.is_(True))
    return list(db.session.execute(query).scalars())


def get_category(category_id) -> RiskCategory | None:
    try:
        return db.session.get(RiskCategory, int(category_id))
    except (TypeError, ValueError):
        return None


def _unique_names(values: dict, category: RiskCategory | None = None) -> dict:
    """The names (the schema's clean data), refused when another category has one of them."""
    errors: dict[str, str] = {}
    for field, column in (("name_sq", RiskCategory.name_sq), ("name_en", RiskCategory.name_en)):
        others = db.session.execute(select(RiskCategory.id, column)).all()
        if any(fold(name) == fold(values[field]) and (category is None or cid != category.id) for cid, name in others):
            errors[field] = _("A category with this name already exists.")
    if errors:
        raise ValidationFailed(errors)
    return {"name_sq": values["name_sq"], "name_en": values["name_en"]}


def create_category(names: dict) -> RiskCategory:
    """A category on the national list from the schema's clean names."""
    values = _unique_names(names)
    code = re.sub(r"\s+", "_", fold(values["name_en"]))[:32] or "category"
    taken = set(db.session.execute(select(RiskCategory.code)).scalars())
    base, n = code, 2
    while code in taken:
        code, n = f"{base}_{n}", n + 1
    position = (db.session.execute(select(func.max(RiskCategory.position))).scalar() or 0) + 1
    category = RiskCategory(code=code, position=position, active=True, **values)
    db.session.add(category)
    db.session.flush()
    return category


def update_category(category: RiskCategory, names: dict | None = None, *, active: bool | None = None) -> RiskCategory:
    """Rename a category (the schema's clean names), or retire or restore it."""
    if names is not None:
        for key, value in _unique_names(names, category).items():
            setattr(category, key, value)
    if active is not None:
        category.active = bool(active)
    db.session.flush()
    return category


# --- concerns ---------------------------------------------------------------------------------

def list_concerns(*, status: str | None = None, category_id: int | None = None, area_id: int | None = None,
                  meeting_id: int | None = None) -> list[Concern]:
    query = select(Concern).order_by(Concern.created_at.desc(), Concern.id.desc())
    if status:
        query = query.where(Concern.status == status)
    if category_id:
        query = query.where(Concern.category_id == category_id)
    if area_id:
        query = query.where(Concern.area_id == area_id)
    if meeting_id:
        query = query.where(Concern.meeting_id == meeting_id)
    return list(db.session.execute(query).scalars())


def get_concern(concern_id) -> Concern | None:
    try:
        return db.session.get(Concern, int(concern_id))
    except (TypeError, ValueError):
        return None


def consultation_meetings() -> list[Meeting]:
    """Open consultation meetings (not cancelled), the latest first: where concerns are recorded."""
    return list(db.session.execute(
        select(Meeting).where(Meeting.kind == "open_consultation", Meeting.status != "cancelled")
        .order_by(Meeting.starts_at.desc())).scalars())


def count_pending() -> int:
    return db.session.execute(select(func.count()).select_from(Concern)
                              .where(Concern.status == "pending_moderation")).scalar() or 0


def _checked(values: dict, *, current_category_id: int | None = None) -> dict:
    """The schema's clean data, refused when its area, category or meeting is not one that may be chosen
    here (another municipality's area or meeting, a retired category for a new concern)."""
    errors: dict[str, str] = {}
    if db.session.get(Area, values["area_id"]) is None:
        errors["area_id"] = _("Choose an area of this municipality.")
    category = db.session.get(RiskCategory, values["category_id"])
    if category is None or (not category.active and current_category_id != category.id):
        errors["category_id"] = _("Choose a category from the national list.")
    if values.get("meeting_id") is not None:
        meeting = db.session.get(Meeting, values["meeting_id"])
        if meeting is None or meeting.kind != "open_consultation":
            errors["meeting_id"] = _("Choose an open consultation meeting of this municipality.")
    if errors:
        raise ValidationFailed(errors)
    return values


def record_concern(data: dict, *, recorded_by_id: int | None) -> Concern:
    """A concern raised at an open consultation (or otherwise received by the secretariat): accepted.
    ``data`` is the schema's clean data."""
    concern = Concern(**_checked(dict(data)), channel="meeting", status="accepted", recorded_by_id=recorded_by_id)
    db.session.add(concern)
    db.session.flush()
    return concern


FIELDS = ("text", "source_kind", "source_name", "area_id", "category_id", "meeting_id", "contact")


def update_concern(concern: Concern, data: dict) -> Concern:
    """Correct a concern with the schema's clean data (the fields it gives)."""
    values = _checked({f: (data[f] if f in data else getattr(concern, f)) for f in FIELDS},
                      current_category_id=concern.category_id)
    if concern.channel == "online":
        values.pop("meeting_id", None)
    for key, value in values.items():
        setattr(concern, key, value)
    db.session.flush()
    return concern


def submit_public_concern(text_value: str, area_id: int, category_id: int, contact: str | None = None) -> Concern:
    """A concern sent from the public page (clean values, see ``PublicConcernSchema``): it waits for moderation
    before anyone acts on it.

    Runs inside a writable scope of the municipality (the public page opens one for this)."""
    values = _checked({"text": text_value, "area_id": area_id, "category_id": category_id, "contact": contact})
    concern = Concern(**values, channel="online", status="pending_moderation", source_kind="citizen")
    db.session.add(concern)
    db.session.flush()
    return concern


def moderate_many(concern_ids, decision: str, note: str | None, *, user_id: int | None) -> int:
    """Bulk moderation: the chosen concerns all accepted, or all rejected with the same note. All or
    nothing: one that cannot be moderated refuses the lot (the caller rolls back)."""
    ids = []
    for raw in concern_ids or []:
        try:
            ids.append(int(raw))
        except (TypeError, ValueError):
            continue
    if not ids:
        raise ValidationFailed({"concern_ids": _("Choose the concerns to moderate.")})
    for concern_id in dict.fromkeys(ids):
        concern = get_concern(concern_id)
        if concern is None:
            raise ValidationFailed({"concern_ids": _("Choose the concerns to moderate.")})
        moderate_concern(concern, decision, note, user_id=user_id)
    return len(dict.fromkeys(ids))


def moderate_concern(concern: Concern, decision: str, note: str | None, *, user_id: int | None) -> Concern:
    """Accept or reject a concern sent online (the clean ``ModerationSchema`` data; a rejection says why)."""
    if concern.status != "pending_moderation":
        raise ValidationFailed({"decision": _("This concern has already been moderated.")})
    concern.status = "accepted" if decision == "accept" else "rejected"
    concern.moderation_note = note
    concern.moderated_by_id = user_id
    concern.moderated_at = utcnow()
    db.session.flush()
    return concern
