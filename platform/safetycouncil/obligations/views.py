"""Web pages of the obligations.

  /<municipality>/obligations/                     tenant: every obligation of the council (?state=), waivers
  /<municipality>/obligations/waive                tenant (POST, the chair): waive one open obligation
  /<municipality>/obligations/waivers/<id>/withdraw  tenant (POST, the chair): withdraw a waiver
  /<municipality>/obligations/calendar             tenant: the person's private calendar address (create, revoke)
  /<municipality>/obligations/feed/<raw>.ics       public, with the secret token: the council's obligations
  /national/obligations, /prefecture/<county>/obligations   needs attention, at risk this year
  /national/obligations/settings                   national: reminder lead times, escalation (the Ministry)

The secretary's and the chair's home page (portal) shows the work queue (``_queue.html``).
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..accounts import access
from ..accounts.roles import Permission, Role
from ..errors import ValidationFailed
from ..extensions import db
from ..municipalities.models import County, Municipality
from ..tenancy.web import scope
from . import calendar, services
from .models import Waiver

bp = Blueprint("obligations", __name__, template_folder="templates")
T = "/<municipality>/obligations"

def state_label(state: str) -> str:
    return {"overdue": _("Overdue"), "due_soon": _("Due soon"), "upcoming": _("Upcoming"), "done": _("Done"),
            "waived": _("Waived")}.get(state, state)


def _is_chair() -> bool:
    return Permission.CHAIR_DECISIONS in g.permissions


def _helpers() -> dict:
    return {"sentence": services.sentence, "link": services.link, "state_label": state_label,
            "rule_label": services.rule_label, "role_label": services.role_label}


def work_queue_context(municipality) -> dict:
    """For the portal's home page: the council's open obligations, grouped."""
    obligations = services.obligations_of(municipality.id)
    return {"queue": services.queue(obligations), "queue_slug": municipality.slug, **_helpers()}


@bp.route(f"{T}/")
@scope("tenant")
def index():
    state = request.args.get("state") or ""
    states = (state,) if state in services.STATES else None
    obligations = services.obligations_of(g.municipality.id, states=states)
    return render_template("obligations/index.html", obligations=obligations, state=state,
                           states=services.STATES, is_chair=_is_chair(), **_helpers())


@bp.route(f"{T}/waive", methods=["POST"])
@scope("tenant", write=Permission.CHAIR_DECISIONS)
def waive():
    open_keys = {(o.rule, o.due.key) for o in services.obligations_of(g.municipality.id)
                 if o.state in services.OPEN_STATES}
    try:
        services.waive(g.municipality.id, request.form.get("rule", ""), request.form.get("key", ""),
                       request.form.get("reason"), user_id=current_user.id, open_keys=open_keys)
        db.session.commit()
        flash(_("The obligation is waived: it leaves the work queue and the reminders. The compliance "
                "verdict does not change."), "success")
    except ValidationFailed as exc:
        db.session.rollback()
        for message in exc.errors.values():
            flash(message, "error")
    return redirect(url_for("obligations.index", state=request.form.get("back_state") or None))


@bp.route(f"{T}/waivers/<int:waiver_id>/withdraw", methods=["POST"])
@scope("tenant", write=Permission.CHAIR_DECISIONS, ids={"waiver_id": Waiver})
def withdraw(waiver_id: int):
    services.withdraw_waiver(waiver_id, user_id=current_user.id)
    db.session.commit()
    flash(_("The waiver is withdrawn: the obligation is back in the work queue."), "success")
    return redirect(url_for("obligations.index"))


@bp.route(f"{T}/calendar", methods=["GET", "POST"])
@scope("tenant", write=Permission.READ)
def calendar_page():
    new_url = None
    own_role = bool(access.municipality_roles(current_user, g.municipality.id))
    if request.method == "POST":
        if not own_role:
            abort(403, description=_("Only people with a role in this council have a calendar address."))
        if request.form.get("action") == "revoke":
            calendar.revoke(current_user.id)
            db.session.commit()
            flash(_("Your calendar address is revoked: it no longer answers."), "success")
            return redirect(url_for("obligations.calendar_page"))
        token = calendar.create(current_user.id)
        db.session.commit()
        new_url = url_for("obligations.feed", raw=token, _external=True)
    feed = calendar.active_feed(current_user.id)
    return render_template("obligations/calendar.html", feed=feed, new_url=new_url, own_role=own_role)


@bp.route(f"{T}/feed/<raw>.ics")
@scope("public")
def feed(raw: str):
    """The council's obligations as iCalendar, for the holder of the secret address."""
    row = calendar.feed_for_token(raw)
    if row is None or not calendar.still_allowed(row.user_id, g.municipality.id):
        abort(404)
    obligations = services.obligations_of(g.municipality.id)
    body = calendar.calendar_bytes(obligations, g.municipality)
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": f'inline; filename="kvsp-{g.municipality.slug}-obligations.ics"',
                             "Cache-Control": "private, no-store"})


# --- oversight: needs attention, at risk this year, settings -----------------------------------------

def _oversight_municipalities(county: County | None) -> list[Municipality]:
    query = select(Municipality).where(Municipality.active.is_(True)).join(County).order_by(County.name,
                                                                                           Municipality.name)
    if county is not None:
        query = query.where(Municipality.county_id == county.id)
    return list(db.session.execute(query).scalars())


def oversight_context(county: County | None) -> dict:
    municipalities = _oversight_municipalities(county)
    by_id = services.obligations_for([m.id for m in municipalities])
    attention, at_risk = [], []
    for m in municipalities:
        for ob in by_id[m.id]:
            if ob.state == services.OVERDUE and ob.escalated:
                attention.append(ob)
            if ob.at_risk and ob.due.due.year == services.now_in_albania().year:
                at_risk.append(ob)
    attention.sort(key=lambda o: (o.due.due, o.municipality.name))
    at_risk.sort(key=lambda o: (o.municipality.name, o.rule))
    return {"attention": attention, "at_risk": at_risk, "county": county, "conf": services.settings(),
            "councils": len(municipalities), **_helpers()}


@bp.route("/national/obligations")
@scope("national")
def national():
    return render_template("obligations/oversight.html", **oversight_context(None))


@bp.route("/prefecture/<county>/obligations")
@scope("county")
def county():
    return render_template("obligations/oversight.html", **oversight_context(g.county))


@bp.route("/national/obligations/settings", methods=["GET", "POST"])
@scope("national")
def settings():
    errors, form = {}, {}
    if request.method == "POST":
        form = request.form
        if not any(r.role == Role.MINISTRY or r.role == Role.ADMIN for r in current_user.roles):
            abort(403)
        try:
            services.save_settings(form.get("reminder_days"), form.get("escalation_days"),
                                   form.get("remind_day_after") == "1", updated_by_id=current_user.id)
            db.session.commit()
            flash(_("The reminder settings are saved for every council."), "success")
            return redirect(url_for("obligations.settings"))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    return render_template("obligations/settings.html", conf=services.settings(), row=services.settings_row(),
                           errors=errors, form=form)
