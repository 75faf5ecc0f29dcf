"""The audit trail pages: a municipality's, for its administrators and the Ministry; the whole, for the Ministry."""
from flask import Blueprint, g, render_template, request
from sqlalchemy import select

from ..accounts.models import User
from ..accounts.roles import Permission
from ..extensions import db
from ..tenancy.web import scope
from .models import AuditEntry

bp = Blueprint("audit", __name__, template_folder="templates")
PAGE_SIZE = 100


def entries(municipality_id: int | None, before_id: int | None = None):
    query = (select(AuditEntry, User.name).outerjoin(User, User.id == AuditEntry.user_id)
             .order_by(AuditEntry.id.desc()).limit(PAGE_SIZE))
    if municipality_id is not None:
        query = query.where(AuditEntry.municipality_id == municipality_id)
    if before_id:
        query = query.where(AuditEntry.id < before_id)
    return db.session.execute(query).all()


@bp.route("/<municipality>/audit")
@scope("tenant", read=Permission.READ_AUDIT)
def municipality():
    rows = entries(g.municipality.id, request.args.get("before", type=int))
    return render_template("audit/list.html", rows=rows, page_size=PAGE_SIZE, layout="portal/layout.html")


@bp.route("/national/audit")
@scope("national")
def national():
    rows = entries(None, request.args.get("before", type=int))
    return render_template("audit/list.html", rows=rows, page_size=PAGE_SIZE, layout="base.html")
