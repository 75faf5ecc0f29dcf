"""Consultation tables: the Prefecture's pages (county scope), the Ministry's view of every county's
tables (national scope) and, in each municipality's portal, the recommendations addressed to it.

  /prefecture/<county>/consultation-tables                    list; the Prefecture adds a table (POST)
  /prefecture/<county>/consultation-tables/<table_id>         themes, recommendations, funding, participants
  /prefecture/<county>/consultation-tables/follow-up          the county's recommendations and their follow-up
  /national/consultation-tables                               every county's tables and their follow-up
  /national/consultation-tables/bodies                        the national bodies recommendations go to (POST)
  /<municipality>/recommendations                             recommendations addressed to the municipality
  /<municipality>/recommendations/<recommendation_id>         record the follow-up (POST)
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..accounts import access
from ..errors import ValidationFailed
from ..extensions import db
from ..municipalities.models import County
from ..tenancy.web import scope
from ..timeutil import local_today
from .. import jobs
from . import services
from .notify import notify_recommendation_job
from .models import FOLLOW_UP_STATUSES, FUNDING_ANSWERS

bp = Blueprint("consultation_tables", __name__, template_folder="templates")


def _may_write() -> bool:
    return g.county.id in access.prefecture_county_ids(current_user)


def _refuse_unless_prefect():
    if not _may_write():
        abort(403, description=_("Only the county's Prefecture records its consultation tables."))


def _locale() -> str:
    return str(get_locale() or "sq")


@bp.route("/prefecture/<county>/consultation-tables", methods=["GET", "POST"])
@scope("county")
def index():
    errors, form = {}, {}
    if request.method == "POST":
        _refuse_unless_prefect()
        try:
            data = services.load(services.TableSchema(), request.form)
            table = services.create_table(g.county.id, data, user_id=current_user.id)
            db.session.commit()
            flash(_("The consultation table was recorded."), "success")
            return redirect(url_for("consultation_tables.detail", table_id=table.id))
        except ValidationFailed as exc:
            db.session.rollback()
            errors, form = exc.errors, request.form
    today = local_today()
    overdue: dict[int, int] = {}  # each table's recommendations past their due date and still pending
    for row in services.follow_up_rows(g.county.id):
        if row.overdue(today):
            overdue[row.table.id] = overdue.get(row.table.id, 0) + 1
    return render_template("consultation_tables/index.html", county=g.county, tables=services.list_tables(g.county.id),
                           overdue=overdue, errors=errors, form=form, may_write=_may_write()), (422 if errors else 200)


_ACTIONS = {
    "participant": (services.ParticipantSchema, services.add_participant, ()),
    "theme": (services.ThemeSchema, services.add_theme, ()),
    "funding": (services.FundingRequestSchema, services.add_funding_request, ()),
}


@bp.route("/prefecture/<county>/consultation-tables/<int:table_id>", methods=["GET", "POST"])
@scope("county")
def detail(table_id: int):
    table = services.get_table(g.county.id, table_id) or abort(404)
    errors, form, action = {}, {}, None
    if request.method == "POST":
        _refuse_unless_prefect()
        action = request.form.get("action")
        addressed: list = []
        try:
            if action in _ACTIONS:
                schema, service, lists = _ACTIONS[action]
                service(table, services.load(schema(), request.form, lists=lists))
            elif action == "recommendation":
                data = services.load(services.RecommendationSchema(), request.form,
                                     lists=("municipality_ids", "body_ids"))
                services.add_recommendation(table, data, addressed)
            elif action == "national_follow_up":
                row = services.get_national_recommendation(table, request.form.get("recommendation_id")) or abort(404)
                services.record_national_follow_up(row, services.load(services.FollowUpSchema(), request.form),
                                                   user_id=current_user.id)
            elif action == "funding_answer":
                row = services.get_funding_request(table, request.form.get("request_id")) or abort(404)
                services.answer_funding_request(row, services.load(services.FundingAnswerSchema(), request.form))
            else:
                action = "update"
                services.update_table(table, services.load(services.TableSchema(), request.form, partial=True))
            db.session.commit()
            for municipality_id, recommendation_id in addressed:  # it reaches the clerk by e-mail
                jobs.enqueue(notify_recommendation_job, recommendation_id, municipality_id=municipality_id)
            flash(_("Saved."), "success")
            return redirect(url_for("consultation_tables.detail", table_id=table.id))
        except ValidationFailed as exc:
            db.session.rollback()
            errors, form = exc.errors, request.form
            table = services.get_table(g.county.id, table_id) or abort(404)
    municipalities = services.county_municipalities(g.county.id)
    recommendations = services.recommendations_of(table)
    national = table.national_recommendations
    return render_template(
        "consultation_tables/detail.html", county=g.county, table=table, errors=errors, form=form, action=action,
        recommendations=recommendations, national=national, may_write=_may_write(),
        municipalities=municipalities, names={m.id: m.name for m in municipalities},
        bodies=services.national_bodies(), locale=_locale(), today=local_today(),
        national_steps=services.national_follow_ups_of(r.id for r in national),
        themes={t.id: t for t in table.themes}, statuses=FOLLOW_UP_STATUSES, answers=FUNDING_ANSWERS,
        currencies=services.CURRENCIES, status_label=services.status_label,
        funding_label=services.funding_label), (422 if errors else 200)


def _overview(county):
    """The follow-up of every recommendation of the county's tables (every county's: the Ministry)."""
    today = local_today()
    chosen = county
    if county is None and request.args.get("county"):
        chosen = db.session.execute(select(County).where(County.slug == request.args["county"])).scalar_one_or_none()
    rows = services.follow_up_rows(chosen.id if chosen else None)
    only = request.args.get("show")
    listed = [r for r in rows if r.overdue(today)] if only == "overdue" else rows
    counties = list(db.session.execute(select(County).order_by(County.name)).scalars()) if county is None else []
    tables = services.list_tables(chosen.id if chosen else None)
    return render_template("consultation_tables/overview.html", county=county, chosen=chosen, rows=listed,
                           summary=services.summarise(rows, today), today=today, tables=tables, counties=counties,
                           show=only, bodies=services.national_bodies(active_only=False), locale=_locale(),
                           body_names={b.code: b.name(_locale()) for b in services.national_bodies(active_only=False)},
                           errors=getattr(g, "body_errors", {}), form=getattr(g, "body_form", {}),
                           status_label=services.status_label)


@bp.route("/prefecture/<county>/consultation-tables/follow-up")
@scope("county")
def county_overview():
    return _overview(g.county)


@bp.route("/national/consultation-tables")
@scope("national")
def national_overview():
    return _overview(None)


@bp.route("/national/consultation-tables/bodies", methods=["POST"])
@scope("national")
def national_bodies():
    """The Ministry extends the list of national bodies a recommendation may be addressed to."""
    try:
        services.add_national_body(services.load(services.NationalBodySchema(), request.form))
        db.session.commit()
        flash(_("The national body was added."), "success")
        return redirect(url_for("consultation_tables.national_overview") + "#bodies")
    except ValidationFailed as exc:
        db.session.rollback()
        g.body_errors, g.body_form = exc.errors, request.form
        return _overview(None), 422


@bp.route("/<municipality>/recommendations")
@scope("tenant")
def municipality_list():
    from ..risks.services import list_risks

    rows = services.municipality_recommendations()
    items, activities = services.agenda_items_and_activities()
    return render_template("consultation_tables/recommendations.html", municipality=g.municipality,
                           rows=rows, risks=list_risks(), steps=services.follow_ups_of(r.id for r in rows),
                           statuses=FOLLOW_UP_STATUSES, status_label=services.status_label, today=local_today(),
                           agenda_items={i.id: i for i in items}, activities={a.id: a for a in activities},
                           errors=getattr(g, "follow_up_errors", {}), form=getattr(g, "follow_up_form", {}),
                           failed_id=getattr(g, "follow_up_id", None))


@bp.app_template_global()
def recommendations_awaiting_follow_up():
    """For the municipality's home page (consultation_tables/_home_block.html)."""
    return services.awaiting_follow_up()


@bp.app_template_global()
def recommendation_status_label(status: str) -> str:
    return services.status_label(status)


@bp.app_template_global()
def recommendation_overdue(row) -> bool:
    """Past its due date, neither done nor not accepted (the home page's block)."""
    return services.is_overdue(row, local_today())


@bp.route("/<municipality>/recommendations/<int:recommendation_id>", methods=["POST"])
@scope("tenant")
def follow_up(recommendation_id: int):
    row = services.get_recommendation(recommendation_id) or abort(404)
    try:
        services.record_follow_up(row, services.load(services.CouncilFollowUpSchema(), request.form),
                                  user_id=current_user.id)
        db.session.commit()
        flash(_("The follow-up was saved."), "success")
    except ValidationFailed as exc:
        db.session.rollback()
        # shown again with what was entered and the messages: nothing lost
        g.follow_up_errors, g.follow_up_form, g.follow_up_id = exc.errors, request.form, recommendation_id
        response = municipality_list()
        return response, 422
    return redirect(url_for("consultation_tables.municipality_list") + f"#recommendation-{recommendation_id}")
