"""Consultation tables: the Prefecture's pages (county scope) and, in each municipality's portal,
the recommendations addressed to it.

  /prefecture/<county>/consultation-tables                    list; the Prefecture adds a table (POST)
  /prefecture/<county>/consultation-tables/<table_id>         agenda, participants, minutes, recommendations
  /<municipality>/recommendations                             recommendations addressed to the municipality
  /<municipality>/recommendations/<recommendation_id>         record the follow-up (POST)
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts import access
from ..errors import ValidationFailed
from ..extensions import db
from ..tenancy.web import scope
from .. import jobs
from . import services
from .notify import notify_recommendation_job
from .models import FOLLOW_UP_STATUSES

bp = Blueprint("consultation_tables", __name__, template_folder="templates")


def _may_write() -> bool:
    return g.county.id in access.prefecture_county_ids(current_user)


def _refuse_unless_prefect():
    if not _may_write():
        abort(403, description=_("Only the county's Prefecture records its consultation tables."))


@bp.route("/prefecture/<county>/consultation-tables", methods=["GET", "POST"])
@scope("county")
def index():
    errors = {}
    if request.method == "POST":
        _refuse_unless_prefect()
        try:
            table = services.create_table(g.county.id, request.form, user_id=current_user.id)
            db.session.commit()
            flash(_("The consultation table was recorded."), "success")
            return redirect(url_for("consultation_tables.detail", table_id=table.id))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    return render_template("consultation_tables/index.html", county=g.county, tables=services.list_tables(g.county.id),
                           errors=errors, may_write=_may_write())


@bp.route("/prefecture/<county>/consultation-tables/<int:table_id>", methods=["GET", "POST"])
@scope("county")
def detail(table_id: int):
    table = services.get_table(g.county.id, table_id) or abort(404)
    errors = {}
    if request.method == "POST":
        _refuse_unless_prefect()
        action = request.form.get("action")
        addressed: list = []
        try:
            if action == "participant":
                services.add_participant(table, request.form)
            elif action == "recommendation":
                services.add_recommendation(table, request.form.get("text"), request.form.getlist("municipality_ids"),
                                            addressed)
            else:
                services.update_table(table, request.form)
            db.session.commit()
            for municipality_id, recommendation_id in addressed:  # it reaches the clerk by e-mail
                jobs.enqueue(notify_recommendation_job, recommendation_id, municipality_id=municipality_id)
            flash(_("Saved."), "success")
            return redirect(url_for("consultation_tables.detail", table_id=table.id))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    municipalities = services.county_municipalities(g.county.id)
    return render_template("consultation_tables/detail.html", county=g.county, table=table, errors=errors,
                           recommendations=services.recommendations_of(table), may_write=_may_write(),
                           municipalities=municipalities, names={m.id: m.name for m in municipalities},
                           status_label=services.status_label)


@bp.route("/<municipality>/recommendations")
@scope("tenant")
def municipality_list():
    from ..risks.services import list_risks

    rows = services.municipality_recommendations()
    return render_template("consultation_tables/recommendations.html", municipality=g.municipality,
                           rows=rows, risks=list_risks(), steps=services.follow_ups_of(r.id for r in rows),
                           statuses=FOLLOW_UP_STATUSES, status_label=services.status_label)


@bp.app_template_global()
def recommendations_awaiting_follow_up():
    """For the municipality's home page (consultation_tables/_home_block.html)."""
    return services.awaiting_follow_up()


@bp.app_template_global()
def recommendation_status_label(status: str) -> str:
    return services.status_label(status)


@bp.route("/<municipality>/recommendations/<int:recommendation_id>", methods=["POST"])
@scope("tenant")
def follow_up(recommendation_id: int):
    row = services.get_recommendation(recommendation_id) or abort(404)
    try:
        services.record_follow_up(row, request.form, user_id=current_user.id)
        db.session.commit()
        flash(_("The follow-up was saved."), "success")
    except ValidationFailed as exc:
        db.session.rollback()
        flash(" ".join(str(v) for v in exc.errors.values()), "error")
    return redirect(url_for("consultation_tables.municipality_list"))
