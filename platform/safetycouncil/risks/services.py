"""The risk register: concerns become risks, rated high, moderate or low with a reason (Art. 8.2).

Ratings are append-only; the risk carries its latest rating. Runs inside the tenant scope.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..areas.models import Area
from ..concerns.models import Concern, RiskCategory
from ..documents.models import Document
from ..errors import ValidationFailed
from ..extensions import db
from ..meetings.models import Meeting
from .models import EVIDENCE_KINDS, INTENSITIES, Risk, RiskConcern, RiskEvidence, RiskRating

INTENSITY_LABELS = {"high": _l("High"), "moderate": _l("Moderate"), "low": _l("Low")}
EVIDENCE_LABELS = {"statistics": _l("Statistics"), "survey": _l("Survey results"), "document": _l("Document")}
assert set(INTENSITY_LABELS) == set(INTENSITIES) and set(EVIDENCE_LABELS) == set(EVIDENCE_KINDS)


def intensity_label(value: str | None) -> str:
    return str(INTENSITY_LABELS.get(value, "—")) if value else "—"


def list_risks(*, intensity: str | None = None) -> list[Risk]:
    query = select(Risk).order_by(Risk.created_at.desc(), Risk.id.desc())
    if intensity:
        query = query.where(Risk.intensity == intensity)
    risks = list(db.session.execute(query).scalars())
    order = {"high": 0, "moderate": 1, "low": 2}
    return sorted(risks, key=lambda r: order.get(r.intensity, 3))


def get_risk(risk_id) -> Risk | None:
    try:
        return db.session.get(Risk, int(risk_id))
    except (TypeError, ValueError):
        return None


def risks_of_concern(concern_id: int) -> list[Risk]:
    return list(db.session.execute(select(Risk).join(RiskConcern, RiskConcern.risk_id == Risk.id)
                                   .where(RiskConcern.concern_id == concern_id).order_by(Risk.id)).scalars())


def _concern_ids(ids: list[int] | None, errors: dict) -> list[int]:
    ids = list(dict.fromkeys(ids or []))
    if ids:
        found = {c.id: c for c in db.session.execute(select(Concern).where(Concern.id.in_(ids))).scalars()}
        if len(found) != len(ids):
            errors["concern_ids"] = _("Choose concerns of this municipality.")
        elif any(c.status != "accepted" for c in found.values()):
            errors["concern_ids"] = _("Only accepted concerns can become risks: moderate the others first.")
    return ids


def _risk_values(data: dict, errors: dict) -> dict:
    values = {key: data.get(key) for key in ("title", "description", "category_id", "area_id")}
    if values["category_id"] is not None and db.session.get(RiskCategory, values["category_id"]) is None:
        errors["category_id"] = _("Choose a category from the national list.")
    if values["area_id"] is not None and db.session.get(Area, values["area_id"]) is None:
        errors["area_id"] = _("Choose an area of this municipality.")
    return values


def _rating_values(intensity: str, reason: str, meeting_id: int | None, errors: dict) -> dict:
    values = {"intensity": intensity, "reason": reason, "meeting_id": meeting_id}
    if meeting_id is not None:
        meeting = db.session.get(Meeting, values["meeting_id"])
        if meeting is None:
            errors["meeting_id"] = _("Choose a meeting of this municipality.")
    return values


def create_risk(data: dict, *, user_id: int | None) -> Risk:
    """A risk from one or more concerns (``concern_ids``), rated at once when ``intensity`` is given
    (``data``: the clean data of ``RiskSchema``)."""
    errors: dict[str, str] = {}
    values = _risk_values(data, errors)
    concern_ids = _concern_ids(data.get("concern_ids"), errors)
    rating = None
    if data.get("intensity"):
        rating = _rating_values(data["intensity"], data["reason"], data.get("meeting_id"), errors)
    if errors:
        raise ValidationFailed(errors)
    if values["category_id"] is None and concern_ids:
        first = db.session.get(Concern, concern_ids[0])
        values["category_id"] = first.category_id
    risk = Risk(**values, created_by_id=user_id)
    db.session.add(risk)
    db.session.flush()
    for concern_id in concern_ids:
        db.session.add(RiskConcern(risk_id=risk.id, concern_id=concern_id))
    if rating:
        _add_rating(risk, rating, user_id)
    db.session.flush()
    db.session.refresh(risk)
    return risk


def update_risk(risk: Risk, data: dict) -> Risk:
    """Change a risk with the clean data of ``RiskPatchSchema`` (the fields it gives)."""
    errors: dict[str, str] = {}
    current = {"title": risk.title, "description": risk.description, "category_id": risk.category_id,
               "area_id": risk.area_id}
    values = _risk_values({**current, **{k: v for k, v in data.items() if k in current}}, errors)
    concern_ids = _concern_ids(data["concern_ids"], errors) if "concern_ids" in data else None
    if errors:
        raise ValidationFailed(errors)
    for key, value in values.items():
        setattr(risk, key, value)
    if concern_ids is not None:
        set_concerns(risk, concern_ids)
    db.session.flush()
    return risk


def set_concerns(risk: Risk, concern_ids: list[int]) -> None:
    errors: dict[str, str] = {}
    ids = _concern_ids(concern_ids, errors)
    if errors:
        raise ValidationFailed(errors)
    # through the ORM, one by one, so that the trail says which concerns were removed
    have = set()
    for link in db.session.execute(select(RiskConcern).where(RiskConcern.risk_id == risk.id)).scalars():
        if link.concern_id in ids:
            have.add(link.concern_id)
        else:
            db.session.delete(link)
    for concern_id in ids:
        if concern_id not in have:
            db.session.add(RiskConcern(risk_id=risk.id, concern_id=concern_id))
    db.session.flush()
    db.session.expire(risk, ["concern_links"])


def _add_rating(risk: Risk, values: dict, user_id: int | None) -> RiskRating:
    rating = RiskRating(risk_id=risk.id, rated_by_id=user_id, **values)
    db.session.add(rating)
    risk.intensity, risk.intensity_reason = values["intensity"], values["reason"]
    db.session.flush()
    db.session.expire(risk, ["ratings"])
    return rating


def rate_risk(risk: Risk, intensity: str, reason: str, *, meeting_id: int | None = None,
              user_id: int | None) -> RiskRating:
    """A new rating (clean values, see ``RatingSchema``); earlier ones stay in the history."""
    errors: dict[str, str] = {}
    values = _rating_values(intensity, reason, meeting_id, errors)
    if errors:
        raise ValidationFailed(errors)
    return _add_rating(risk, values, user_id)


def add_evidence(risk: Risk, data: dict, *, user_id: int | None) -> RiskEvidence:
    """Statistics (text, optional link), survey results (text, optional link) or a document (the clean data
    of ``EvidenceSchema``)."""
    kind, body, url, document_id = data["kind"], data.get("text"), data.get("url"), data.get("document_id")
    if document_id is not None and db.session.get(Document, document_id) is None:
        raise ValidationFailed({"document_id": _("Choose a document of this municipality.")})
    evidence = RiskEvidence(risk_id=risk.id, kind=kind, text=body, url=url, document_id=document_id,
                            created_by_id=user_id)
    db.session.add(evidence)
    db.session.flush()
    db.session.expire(risk, ["evidence"])
    return evidence


def unlinked_accepted_concerns() -> list[Concern]:
    """Accepted concerns no risk cites yet: the secretariat's to-do list."""
    linked = select(RiskConcern.concern_id)
    return list(db.session.execute(select(Concern).where(Concern.status == "accepted", Concern.id.not_in(linked))
                                   .order_by(Concern.created_at.desc())).scalars())
