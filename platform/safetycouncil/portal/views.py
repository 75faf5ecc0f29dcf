"""A municipality's portal: its home page, and the people who hold roles in it."""
from flask import Blueprint, g, render_template
from sqlalchemy import func, select

from ..accounts.models import RoleAssignment, User
from ..accounts.roles import Permission
from ..areas.models import Area
from ..data_protection.services import log_contacts_shown
from ..documents.models import Document
from ..extensions import db
from ..tenancy.web import scope

bp = Blueprint("portal", __name__, url_prefix="/<municipality>", template_folder="templates")


def people_of(municipality_id: int) -> list[tuple[User, list[str]]]:
    """Everyone holding a role in the municipality, with their roles there."""
    rows = db.session.execute(
        select(User, RoleAssignment.role).join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(RoleAssignment.municipality_id == municipality_id).order_by(User.name)
    ).all()
    people: dict[int, tuple[User, list[str]]] = {}
    for user, role in rows:
        people.setdefault(user.id, (user, []))[1].append(role)
    return list(people.values())


@bp.route("/")
@scope("tenant")
def home():
    counts = {
        "areas": db.session.execute(select(func.count()).select_from(Area)).scalar(),
        "documents": db.session.execute(select(func.count()).select_from(Document)).scalar(),
    }
    work = {}
    if Permission.MANAGE_RECORDS in g.permissions:  # the secretary's and the chair's work queue
        from ..obligations.views import work_queue_context

        work = work_queue_context(g.municipality)
    return render_template("portal/home.html", counts=counts, people=people_of(g.municipality.id), **work)


@bp.route("/people")
@scope("tenant")
def people():
    rows = people_of(g.municipality.id)
    log_contacts_shown("User", [user for user, _roles in rows], ["email"])  # the list shows e-mail addresses
    return render_template("portal/people.html", people=rows)
