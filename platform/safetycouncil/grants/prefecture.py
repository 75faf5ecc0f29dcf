"""The Prefecture's view of community grants: the calls, awards and amounts of the municipalities of its county.

Totals and calls only: an applicant's name, contact or project stays with the council that runs the call
(data minimisation); the page reads across the county's municipalities and no others."""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..municipalities.models import County, Municipality
from ..tenancy import read_across_tenants
from .models import GrantApplication, GrantAward, GrantCall, GrantTranche


def county_totals(county: County) -> dict:
    """Per municipality of the county: calls (published), open calls, applications, awards, amount and paid;
    the published calls themselves (title, status, budget, dates, awards, amount awarded)."""
    municipalities = list(db.session.execute(
        select(Municipality).where(Municipality.county_id == county.id, Municipality.active.is_(True))
        .order_by(Municipality.name)).scalars())
    ids = [m.id for m in municipalities]
    with read_across_tenants(ids):
        calls = list(db.session.execute(
            select(GrantCall).where(GrantCall.municipality_id.in_(ids), GrantCall.status != "draft")
            .order_by(GrantCall.opens_on.desc(), GrantCall.id.desc())).scalars()) if ids else []
        applications = dict(db.session.execute(
            select(GrantApplication.call_id, db.func.count()).where(GrantApplication.municipality_id.in_(ids))
            .group_by(GrantApplication.call_id)).all()) if ids else {}
        awards = db.session.execute(
            select(GrantAward.call_id, GrantAward.id, GrantAward.amount)
            .where(GrantAward.municipality_id.in_(ids))).all() if ids else []
        paid = dict(db.session.execute(
            select(GrantTranche.award_id, db.func.sum(GrantTranche.disbursed_amount))
            .where(GrantTranche.municipality_id.in_(ids), GrantTranche.disbursed_on.is_not(None))
            .group_by(GrantTranche.award_id)).all()) if ids else {}
    by_call: dict[int, dict] = {c.id: {"awards": 0, "amount": 0, "paid": 0} for c in calls}
    for call_id, award_id, amount in awards:
        bucket = by_call.setdefault(call_id, {"awards": 0, "amount": 0, "paid": 0})
        bucket["awards"] += 1
        bucket["amount"] += amount
        bucket["paid"] += paid.get(award_id) or 0
    names = {m.id: m for m in municipalities}
    rows = {m.id: {"municipality": m, "calls": 0, "open": 0, "applications": 0, "awards": 0, "amount": 0, "paid": 0,
                   "budget": 0} for m in municipalities}
    call_rows = []
    for call in calls:
        row = rows[call.municipality_id]
        row["calls"] += 1
        row["open"] += call.status == "open"
        row["budget"] += call.budget
        row["applications"] += applications.get(call.id, 0)
        for key in ("awards", "amount", "paid"):
            row[key] += by_call[call.id][key]
        call_rows.append({"call": call, "municipality": names[call.municipality_id],
                          "applications": applications.get(call.id, 0), **by_call[call.id]})
    total = {key: sum(r[key] for r in rows.values())
             for key in ("calls", "open", "applications", "awards", "amount", "paid", "budget")}
    return {"county": county, "by_municipality": list(rows.values()), "calls": call_rows, "total": total}
