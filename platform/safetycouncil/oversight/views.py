"""Oversight across municipalities: the Ministry's national view and each Prefecture's county view.

These are the only pages that read several municipalities' data, always through
``read_across_tenants`` (read-only, limited to the municipalities the person may see).
"""
from flask import Blueprint, g, render_template
from sqlalchemy import func, select

from ..accounts.models import RoleAssignment
from ..areas.models import Area
from ..extensions import db
from ..municipalities.models import County, Municipality
from ..tenancy import read_across_tenants
from ..tenancy.web import scope

bp = Blueprint("oversight", __name__, template_folder="templates")


def municipality_overview(county_id: int | None = None) -> list[dict]:
    """One row per municipality with the figures oversight needs, in a fixed number of queries."""
    query = select(Municipality).join(County).order_by(County.name, Municipality.name)
    if county_id is not None:
        query = query.where(Municipality.county_id == county_id)
    municipalities = list(db.session.execute(query).scalars())
    ids = [m.id for m in municipalities]
    people = dict(db.session.execute(
        select(RoleAssignment.municipality_id, func.count(func.distinct(RoleAssignment.user_id)))
        .where(RoleAssignment.municipality_id.in_(ids)).group_by(RoleAssignment.municipality_id)).all())
    with read_across_tenants(ids):
        areas = dict(db.session.execute(
            select(Area.municipality_id, func.count()).group_by(Area.municipality_id)).all())
    return [{"municipality": m, "people": people.get(m.id, 0), "areas": areas.get(m.id, 0)}
            for m in municipalities]


@bp.route("/national/")
@scope("national")
def national():
    rows = municipality_overview()
    counties = db.session.execute(select(County).order_by(County.name)).scalars().all()
    return render_template("oversight/overview.html", rows=rows, counties=counties, county=None)


@bp.route("/prefecture/<county>/")
@scope("county")
def county():
    rows = municipality_overview(g.county.id)
    return render_template("oversight/overview.html", rows=rows, counties=[g.county], county=g.county)
