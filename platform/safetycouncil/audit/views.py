"""The audit trail pages: a municipality's, for its chair, technical secretary and the Ministry;
the whole, for the Ministry. Personal data is masked for whoever may not see it; every unmasked
view is itself written to the trail."""
from flask import Blueprint, g, render_template, request

from ..accounts.roles import Permission
from ..errors import ValidationFailed
from ..extensions import db
from ..tenancy.web import scope
from . import presentation
from .presentation import PAGE_SIZE, Filters

bp = Blueprint("audit", __name__, template_folder="templates")


def _page(municipality_id: int | None, may_see_personal: bool, layout: str):
    errors = {}
    try:
        filters = presentation.parse_filters(request.args)
    except ValidationFailed as exc:
        errors, filters = exc.errors, Filters()
    rows = presentation.entries(municipality_id, filters)
    lines = presentation.present(rows, may_see_personal=may_see_personal)
    if may_see_personal:
        presentation.log_unmasked((line.entry, line.shown_personal) for line in lines)
        db.session.commit()
    return render_template("audit/list.html", lines=lines, page_size=PAGE_SIZE, layout=layout, filters=filters,
                           errors=errors, form=request.args, people=presentation.people(municipality_id),
                           types=presentation.record_types(municipality_id),
                           any_masked=any(line.masked for line in lines)), (422 if errors else 200)


@bp.route("/<municipality>/audit")
@scope("tenant", read=Permission.READ_AUDIT)
def municipality():
    return _page(g.municipality.id, Permission.READ_PERSONAL_DATA in g.permissions, "portal/layout.html")


@bp.route("/national/audit")
@scope("national")
def national():
    return _page(None, False, "base.html")
