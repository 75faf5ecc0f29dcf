"""Web pages of the webhooks: a council's (its chair and technical secretary) and the Ministry's.

  /<municipality>/webhooks/                                  the subscriptions; subscribe (POST)
  /<municipality>/webhooks/<id>                              one: settings (POST), the delivery log
  /<municipality>/webhooks/<id>/secret                       POST: a new secret, shown once
  /<municipality>/webhooks/<id>/state                        POST: enable or disable
  /<municipality>/webhooks/<id>/delete                       POST
  /<municipality>/webhooks/<id>/deliveries/<id>/replay       POST: send again
  /national/webhooks/...                                     the same for the Ministry (every council's events)
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..accounts.roles import Permission, Role
from ..errors import ValidationFailed
from ..extensions import db
from ..tenancy import tenant
from ..tenancy.context import read_across_tenants
from ..tenancy.web import scope
from . import services
from .models import EVENT_TYPES, NationalSubscription

bp = Blueprint("webhooks", __name__, template_folder="templates")
T = "/<municipality>/webhooks"
N = "/national/webhooks"
# Read like the audit trail (its chair and technical secretary, and the Ministry); changed by the chair and
# the technical secretary only.
_TENANT = dict(read=Permission.READ_AUDIT, write=Permission.MANAGE_WEBHOOKS)

EVENT_LABELS = {
    "meeting.scheduled": _l("A meeting is scheduled"),
    "meeting.changed": _l("A meeting is changed or cancelled"),
    "invitations.sent": _l("Invitations are sent"),
    "press_release.published": _l("A press release is published"),
    "plan_version.approved": _l("A version of the plan is approved"),
    "monitoring_report.published": _l("A monitoring report is published"),
    "obligation.overdue": _l("An obligation is overdue"),
}
STATE_LABELS = {
    "pending": _l("Waiting"), "sending": _l("Sending"), "delivered": _l("Delivered"),
    "retrying": _l("Will be retried"), "failed": _l("Failed"),
}


def _helpers(national: bool) -> dict:
    return {"event_labels": EVENT_LABELS, "event_types": EVENT_TYPES, "state_labels": STATE_LABELS,
            "national": national, "ep": (lambda name: f"webhooks.{'national_' if national else ''}{name}"),
            "can_manage": national or Permission.MANAGE_WEBHOOKS in g.get("permissions", ())}


def _ministry() -> None:
    if not any(r.role in (Role.MINISTRY, Role.ADMIN) for r in current_user.roles):
        abort(403)


def _subscription(subscription_id: int, national: bool):
    subscription = db.session.get(NationalSubscription, subscription_id) if national \
        else services.get_subscription(subscription_id)
    if subscription is None:
        abort(404)
    return subscription


def _index(national: bool):
    errors, form = {}, {}
    if request.method == "POST":
        form = request.form
        try:
            subscription, secret = services.create_subscription(
                national=national, url=form.get("url"), event_types=form.getlist("event_types"),
                description=form.get("description"), user_id=current_user.id)
            db.session.commit()
            return _secret_page(subscription, secret, created=True, national=national)
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    return render_template("webhooks/index.html", subscriptions=services.list_subscriptions(national=national),
                           errors=errors, form=form, **_helpers(national)), (422 if errors else 200)


def _detail(subscription_id: int, national: bool):
    subscription = _subscription(subscription_id, national)
    errors, form = {}, {}
    if request.method == "POST":
        form = request.form
        try:
            services.update_subscription(subscription, url=form.get("url"), event_types=form.getlist("event_types"),
                                         description=form.get("description"))
            db.session.commit()
            flash(_("The webhook is saved."), "success")
            return redirect(url_for(_helpers(national)["ep"]("detail"), subscription_id=subscription.id))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
            subscription = _subscription(subscription_id, national)
    if national:
        with read_across_tenants():
            deliveries = services.deliveries_of(subscription, limit=200)
            attempts = services.attempts_of([d.id for d in deliveries])
            slugs = _names()
    else:
        deliveries = services.deliveries_of(subscription, limit=200)
        attempts = services.attempts_of([d.id for d in deliveries])
        slugs = {}
    return render_template("webhooks/detail.html", subscription=subscription, deliveries=deliveries,
                           attempts=attempts, names=slugs, errors=errors, form=form,
                           **_helpers(national)), (422 if errors else 200)


def _names() -> dict[int, str]:
    from sqlalchemy import select

    from ..municipalities.models import Municipality

    return dict(db.session.execute(select(Municipality.id, Municipality.name)).all())


def _rotate(subscription_id: int, national: bool):
    subscription = _subscription(subscription_id, national)
    secret = services.rotate_secret(subscription)
    db.session.commit()
    return _secret_page(subscription, secret, created=False, national=national)


def _secret_page(subscription, secret: str, *, created: bool, national: bool):
    """The secret, shown once: never kept by a browser's or a proxy's cache."""
    response = make_response(render_template("webhooks/secret.html", subscription=subscription, secret=secret,
                                             created=created, **_helpers(national)))
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _state(subscription_id: int, national: bool):
    subscription = _subscription(subscription_id, national)
    active = request.form.get("active") == "1"
    try:
        services.update_subscription(subscription, active=active)
    except ValidationFailed as exc:
        db.session.rollback()
        for message in exc.errors.values():
            flash(message, "error")
        return redirect(url_for(_helpers(national)["ep"]("detail"), subscription_id=subscription_id))
    db.session.commit()
    flash(_("The webhook is enabled.") if active else _("The webhook is disabled: nothing is sent to it."),
          "success")
    return redirect(url_for(_helpers(national)["ep"]("detail"), subscription_id=subscription_id))


def _delete(subscription_id: int, national: bool):
    services.delete_subscription(_subscription(subscription_id, national))
    db.session.commit()
    flash(_("The webhook is deleted, with its delivery log."), "success")
    return redirect(url_for(_helpers(national)["ep"]("index")))


def _replay(subscription_id: int, delivery_id: int, national: bool):
    subscription = _subscription(subscription_id, national)
    if national:
        with read_across_tenants():
            delivery = services.get_delivery(delivery_id, subscription)
            municipality_id = delivery.municipality_id if delivery is not None else None
        db.session.rollback()
        if municipality_id is None:
            abort(404)
        with tenant(municipality_id):
            services.replay(services.get_delivery(delivery_id, subscription))
            db.session.commit()
    else:
        delivery = services.get_delivery(delivery_id, subscription)
        if delivery is None:
            abort(404)
        services.replay(delivery)
        db.session.commit()
    flash(_("The delivery is sent again, with the same event id."), "success")
    return redirect(url_for(_helpers(national)["ep"]("detail"), subscription_id=subscription_id))


# --- a council's ---------------------------------------------------------------------------------

@bp.route(f"{T}/", methods=["GET", "POST"])
@scope("tenant", **_TENANT)
def index():
    return _index(False)


@bp.route(f"{T}/<int:subscription_id>", methods=["GET", "POST"])
@scope("tenant", **_TENANT)
def detail(subscription_id):
    return _detail(subscription_id, False)


@bp.route(f"{T}/<int:subscription_id>/secret", methods=["POST"])
@scope("tenant", **_TENANT)
def secret(subscription_id):
    return _rotate(subscription_id, False)


@bp.route(f"{T}/<int:subscription_id>/state", methods=["POST"])
@scope("tenant", **_TENANT)
def state(subscription_id):
    return _state(subscription_id, False)


@bp.route(f"{T}/<int:subscription_id>/delete", methods=["POST"])
@scope("tenant", **_TENANT)
def delete(subscription_id):
    return _delete(subscription_id, False)


@bp.route(f"{T}/<int:subscription_id>/deliveries/<int:delivery_id>/replay", methods=["POST"])
@scope("tenant", **_TENANT)
def replay(subscription_id, delivery_id):
    return _replay(subscription_id, delivery_id, False)


# --- the Ministry's --------------------------------------------------------------------------------

@bp.route(f"{N}/", methods=["GET", "POST"])
@scope("national")
def national_index():
    _ministry()
    return _index(True)


@bp.route(f"{N}/<int:subscription_id>", methods=["GET", "POST"])
@scope("national")
def national_detail(subscription_id):
    _ministry()
    return _detail(subscription_id, True)


@bp.route(f"{N}/<int:subscription_id>/secret", methods=["POST"])
@scope("national")
def national_secret(subscription_id):
    _ministry()
    return _rotate(subscription_id, True)


@bp.route(f"{N}/<int:subscription_id>/state", methods=["POST"])
@scope("national")
def national_state(subscription_id):
    _ministry()
    return _state(subscription_id, True)


@bp.route(f"{N}/<int:subscription_id>/delete", methods=["POST"])
@scope("national")
def national_delete(subscription_id):
    _ministry()
    return _delete(subscription_id, True)


@bp.route(f"{N}/<int:subscription_id>/deliveries/<int:delivery_id>/replay", methods=["POST"])
@scope("national")
def national_replay(subscription_id, delivery_id):
    _ministry()
    return _replay(subscription_id, delivery_id, True)
