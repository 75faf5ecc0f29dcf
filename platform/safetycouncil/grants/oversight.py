"""The Ministry's view of community grants across councils: amounts awarded and paid, by county, by
municipality and by plan area (the national risk category of the plan item the funded activity serves)."""
from __future__ import annotations

from collections import defaultdict

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..municipalities.models import Municipality
from ..tenancy import read_across_tenants
from .models import GrantApplication, GrantAward, GrantCall, GrantTranche


def totals() -> dict:
    municipalities = {m.id: m for m in db.session.execute(select(Municipality)).scalars()}
    from ..concerns.models import RiskCategory
    from ..plans.models import PlanActivity, PlanItem
    from ..risks.models import Risk

    with read_across_tenants(None):
        awards = db.session.execute(
            select(GrantAward.municipality_id, GrantAward.id, GrantAward.amount, GrantApplication.activity_id)
            .join(GrantApplication, GrantAward.application_id == GrantApplication.id)).all()
        paid = dict(db.session.execute(select(GrantTranche.award_id, db.func.sum(GrantTranche.disbursed_amount))
                                       .where(GrantTranche.disbursed_on.is_not(None))
                                       .group_by(GrantTranche.award_id)).all())
        calls = db.session.execute(select(GrantCall.municipality_id, db.func.count())
                                   .where(GrantCall.status != "draft").group_by(GrantCall.municipality_id)).all()
        activity_ids = {a.activity_id for a in awards if a.activity_id}
        area_of = dict(db.session.execute(
            select(PlanActivity.id, Risk.category_id)
            .join(PlanItem, PlanActivity.item_id == PlanItem.id)
            .join(Risk, PlanItem.risk_id == Risk.id)
            .where(PlanActivity.id.in_(activity_ids))).all()) if activity_ids else {}
    categories = {c.id: c for c in db.session.execute(select(RiskCategory)).scalars()}
    by_county: dict = defaultdict(lambda: {"awards": 0, "amount": 0, "paid": 0, "calls": 0})
    by_municipality: dict = defaultdict(lambda: {"awards": 0, "amount": 0, "paid": 0, "calls": 0})
    by_area: dict = defaultdict(lambda: {"awards": 0, "amount": 0, "paid": 0})
    for mid, count in calls:
        m = municipalities[mid]
        by_county[m.county.name]["calls"] += count
        by_municipality[m.name]["calls"] += count
    for mid, award_id, amount, activity_id in awards:
        m = municipalities[mid]
        category = categories.get(area_of.get(activity_id))
        area = category.name(_locale()) if category else _("Not linked to a plan area")
        for bucket in (by_county[m.county.name], by_municipality[m.name], by_area[area]):
            bucket["awards"] += 1
            bucket["amount"] += amount
            bucket["paid"] += paid.get(award_id) or 0
    total = {"awards": len(awards), "amount": sum(a.amount for a in awards),
             "paid": sum(paid.get(a.id) or 0 for a in awards)}
    return {"by_county": sorted(by_county.items()), "by_municipality": sorted(by_municipality.items()),
            "by_area": sorted(by_area.items(), key=lambda kv: -kv[1]["amount"]), "total": total}


def _locale() -> str:
    from ..locales import language

    return language()
