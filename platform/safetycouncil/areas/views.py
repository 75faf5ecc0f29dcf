"""Web pages: the municipality's areas."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..errors import ValidationFailed
from ..extensions import db
from ..tenancy.web import scope
from . import services

bp = Blueprint("areas", __name__, url_prefix="/<municipality>/areas", template_folder="templates")


def _parent_id(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


@bp.route("/", methods=["GET", "POST"])
@scope("tenant")
def index():
    errors, form = {}, {}
    if request.method == "POST":
        form = request.form
        try:
            services.create_area(form.get("name", ""), form.get("kind", ""), _parent_id(form.get("parent_id")))
            db.session.commit()
            flash(_("The area was added."), "success")
            return redirect(url_for(".index"))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    return render_template("areas/index.html", areas=services.list_areas(), kinds=services.KIND_LABELS,
                           errors=errors, form=form), (422 if errors else 200)


@bp.route("/<int:area_id>", methods=["GET", "POST"])
@scope("tenant")
def edit(area_id: int):
    area = services.get_area(area_id) or abort(404)
    errors, form = {}, {"name": area.name, "kind": area.kind, "parent_id": area.parent_id or ""}
    if request.method == "POST":
        form = request.form
        try:
            if form.get("action") == "delete":
                services.delete_area(area)
                db.session.commit()
                flash(_("The area was removed."), "success")
                return redirect(url_for(".index"))
            services.update_area(area, name=form.get("name", ""), kind=form.get("kind", ""),
                                 parent_id=_parent_id(form.get("parent_id")))
            db.session.commit()
            flash(_("The area was saved."), "success")
            return redirect(url_for(".index"))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    return render_template("areas/edit.html", area=area, areas=services.list_areas(),
                           kinds=services.KIND_LABELS, errors=errors, form=form), (422 if errors else 200)
