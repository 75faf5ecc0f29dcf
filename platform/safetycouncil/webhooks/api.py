"""Webhooks through the API: a council's (its chair and technical secretary) and the Ministry's (every council).

  /api/v1/municipalities/<slug>/webhooks                        GET (paged), POST (answers the secret, once)
  /api/v1/municipalities/<slug>/webhooks/<id>                   GET, PATCH (url, event_types, description, active), DELETE
  /api/v1/municipalities/<slug>/webhooks/<id>/secret            POST: a new secret (the old one stops at once)
  /api/v1/municipalities/<slug>/webhooks/<id>/deliveries        GET (paged): the delivery log, with every attempt
  /api/v1/municipalities/<slug>/webhooks/<id>/deliveries/<id>/replay   POST: send again (the same event id)
  /api/v1/webhooks...                                           the same for the Ministry's subscriptions
"""
from __future__ import annotations

from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate

from ..accounts.roles import Permission, Role
from ..api.contract import UtcDateTime
from ..api.errors import commit_or_fail
from ..api.paging import listing
from ..extensions import db
from ..tenancy import tenant
from ..tenancy.context import read_across_tenants
from ..tenancy.web import scope
from . import services
from .models import EVENT_TYPES, NationalSubscription

blp = Blueprint("api_webhooks", __name__, url_prefix="/api/v1",
                description="Webhooks: events sent, signed, to a council's or the Ministry's HTTPS endpoint")



class SubscriptionSchema(Schema):
    id = fields.Integer(dump_only=True)
    url = fields.String(required=True, validate=validate.Length(min=1, max=services.MAX_URL),
                        metadata={"description": "https:// address of a public server"})
    description = fields.String(allow_none=True, validate=validate.Length(max=200))
    event_types = fields.List(fields.String(validate=validate.OneOf(EVENT_TYPES)), required=True,
                              validate=validate.Length(min=1),
                              metadata={"description": "the events sent: " + ", ".join(EVENT_TYPES)})
    active = fields.Boolean(metadata={"description": "false: disabled by a person or after repeated failures"})
    consecutive_failures = fields.Integer(dump_only=True)
    disabled_at = UtcDateTime(dump_only=True, allow_none=True)
    disabled_reason = fields.String(dump_only=True, allow_none=True)
    secret_rotated_at = UtcDateTime(dump_only=True, allow_none=True)
    last_delivery_at = UtcDateTime(dump_only=True, allow_none=True)
    created_at = UtcDateTime(dump_only=True)
    updated_at = UtcDateTime(dump_only=True)


class SubscriptionCreateSchema(Schema):
    url = fields.String(required=True, validate=validate.Length(min=1, max=services.MAX_URL),
                        metadata={"description": "https:// address of a public server"})
    description = fields.String(allow_none=True, validate=validate.Length(max=200))
    event_types = fields.List(fields.String(validate=validate.OneOf(EVENT_TYPES)), required=True,
                              validate=validate.Length(min=1),
                              metadata={"description": "the events sent: " + ", ".join(EVENT_TYPES)})


class SubscriptionPatchSchema(SubscriptionCreateSchema):
    active = fields.Boolean(metadata={"description": "true enables a disabled subscription (its failures reset)"})


class CreatedSchema(SubscriptionSchema):
    secret = fields.String(dump_only=True, metadata={
        "description": "signs every delivery (HMAC-SHA256 of `<timestamp>.<body>`); shown only now"})


class SecretSchema(Schema):
    secret = fields.String(metadata={"description": "the new secret; the old one no longer signs anything"})


class AttemptSchema(Schema):
    number = fields.Integer()
    manual = fields.Boolean(metadata={"description": "a replay asked for by a person"})
    started_at = UtcDateTime()
    duration_ms = fields.Integer()
    status_code = fields.Integer(allow_none=True)
    ok = fields.Boolean()
    error = fields.String(allow_none=True)


class DeliverySchema(Schema):
    id = fields.Integer()
    event_id = fields.String(metadata={"description": "the event's id, as in the body (`id`): deduplicate by it"})
    event_type = fields.String()
    occurred_at = UtcDateTime()
    municipality = fields.String(metadata={"description": "the municipality's slug"})
    status = fields.String(metadata={"description": "pending, sending, delivered, retrying, failed"})
    attempts = fields.Integer()
    next_attempt_at = UtcDateTime(allow_none=True)
    last_attempt_at = UtcDateTime(allow_none=True)
    delivered_at = UtcDateTime(allow_none=True)
    last_status_code = fields.Integer(allow_none=True)
    last_error = fields.String(allow_none=True)
    created_at = UtcDateTime()
    updated_at = UtcDateTime()
    attempt_log = fields.List(fields.Nested(AttemptSchema))


def _as_delivery(delivery, attempts, slugs) -> dict:
    return {"id": delivery.id, "event_id": delivery.event.uid, "event_type": delivery.event.event_type,
            "occurred_at": delivery.event.occurred_at, "municipality": slugs.get(delivery.municipality_id, ""),
            "status": delivery.status, "attempts": delivery.attempts, "next_attempt_at": delivery.next_attempt_at,
            "last_attempt_at": delivery.last_attempt_at, "delivered_at": delivery.delivered_at,
            "last_status_code": delivery.last_status_code, "last_error": delivery.last_error,
            "created_at": delivery.created_at, "updated_at": delivery.updated_at, "attempt_log": attempts}


def _slugs() -> dict[int, str]:
    from sqlalchemy import select

    from ..municipalities.models import Municipality

    return dict(db.session.execute(select(Municipality.id, Municipality.slug)).all())


def _delivery_log(subscription) -> list[dict]:
    deliveries = services.deliveries_of(subscription)
    attempts = services.attempts_of([d.id for d in deliveries])
    slugs = _slugs()
    return [_as_delivery(d, attempts[d.id], slugs) for d in deliveries]


NO_STORE = {"Cache-Control": "private, no-store"}  # answers that carry a secret


def _created(subscription, secret):
    out = {name: getattr(subscription, name) for name in SubscriptionSchema().fields}
    out["secret"] = secret
    return out, NO_STORE


# --- a council's ---------------------------------------------------------------------------------

def _get(subscription_id: int):
    subscription = services.get_subscription(subscription_id)
    if subscription is None:
        abort(404, message=_("There is no such webhook in this municipality."))
    return subscription


# Read like the audit trail (its chair and technical secretary, and the Ministry); changed by the chair and
# the technical secretary only.
_TENANT = dict(read=Permission.READ_AUDIT, write=Permission.MANAGE_WEBHOOKS)


@blp.route("/municipalities/<municipality>/webhooks")
@scope("tenant", **_TENANT)
class CouncilWebhooks(MethodView):
    @blp.response(200, SubscriptionSchema(many=True))
    @listing(blp)
    def get(self):
        """The council's webhook subscriptions (its chair and technical secretary)"""
        return services.list_subscriptions(national=False)

    @blp.arguments(SubscriptionCreateSchema)
    @blp.response(201, CreatedSchema)
    def post(self, data):
        """Subscribe an HTTPS endpoint to the council's events; the answer carries the secret, once"""
        subscription, secret = commit_or_fail(lambda: services.create_subscription(
            national=False, user_id=current_user.id, **data))
        return _created(subscription, secret)


@blp.route("/municipalities/<municipality>/webhooks/<int:subscription_id>")
@scope("tenant", **_TENANT)
class CouncilWebhook(MethodView):
    @blp.response(200, SubscriptionSchema)
    def get(self, subscription_id):
        """One subscription"""
        return _get(subscription_id)

    @blp.arguments(SubscriptionPatchSchema(partial=True))
    @blp.response(200, SubscriptionSchema)
    def patch(self, data, subscription_id):
        """Change the address, the events or the description; enable or disable it"""
        subscription = _get(subscription_id)
        return commit_or_fail(lambda: services.update_subscription(subscription, **data))

    @blp.response(204)
    def delete(self, subscription_id):
        """Delete the subscription and its delivery log"""
        subscription = _get(subscription_id)
        commit_or_fail(lambda: services.delete_subscription(subscription))


@blp.route("/municipalities/<municipality>/webhooks/<int:subscription_id>/secret")
@scope("tenant", **_TENANT)
class CouncilWebhookSecret(MethodView):
    @blp.response(201, SecretSchema)
    def post(self, subscription_id):
        """A new secret (shown once); deliveries are signed with it from now on"""
        subscription = _get(subscription_id)
        return {"secret": commit_or_fail(lambda: services.rotate_secret(subscription))}, NO_STORE


@blp.route("/municipalities/<municipality>/webhooks/<int:subscription_id>/deliveries")
@scope("tenant", **_TENANT)
class CouncilWebhookDeliveries(MethodView):
    @blp.response(200, DeliverySchema(many=True))
    @listing(blp)
    def get(self, subscription_id):
        """The delivery log, newest first: each attempt's time, duration, status code or error"""
        return _delivery_log(_get(subscription_id))


@blp.route("/municipalities/<municipality>/webhooks/<int:subscription_id>/deliveries/<int:delivery_id>/replay")
@scope("tenant", **_TENANT)
class CouncilWebhookReplay(MethodView):
    @blp.response(202, DeliverySchema)
    def post(self, subscription_id, delivery_id):
        """Send a delivery again (the same event id), whatever its state"""
        subscription = _get(subscription_id)
        delivery = services.get_delivery(delivery_id, subscription)
        if delivery is None:
            abort(404, message=_("There is no such delivery of this webhook."))
        commit_or_fail(lambda: services.replay(delivery))
        delivery = services.get_delivery(delivery_id, subscription)
        return _as_delivery(delivery, services.attempts_of([delivery.id])[delivery.id], _slugs())


# --- the Ministry's --------------------------------------------------------------------------------

def _ministry() -> None:
    if not any(r.role in (Role.MINISTRY, Role.ADMIN) for r in current_user.roles):
        abort(403, message=_("Only the Ministry of Interior subscribes to the events of every council."))


def _get_national(subscription_id: int) -> NationalSubscription:
    _ministry()
    subscription = db.session.get(NationalSubscription, subscription_id)
    if subscription is None:
        abort(404, message=_("There is no such webhook."))
    return subscription


@blp.route("/webhooks")
@scope("national")
class NationalWebhooks(MethodView):
    @blp.response(200, SubscriptionSchema(many=True))
    @listing(blp, sync=None)  # a national list (as municipalities, counties)
    def get(self):
        """The Ministry's webhook subscriptions: events of every council"""
        _ministry()
        return services.list_subscriptions(national=True)

    @blp.arguments(SubscriptionCreateSchema)
    @blp.response(201, CreatedSchema)
    def post(self, data):
        """Subscribe an HTTPS endpoint to every council's events; the answer carries the secret, once"""
        _ministry()
        subscription, secret = commit_or_fail(lambda: services.create_subscription(
            national=True, user_id=current_user.id, **data))
        return _created(subscription, secret)


@blp.route("/webhooks/<int:subscription_id>")
@scope("national")
class NationalWebhook(MethodView):
    @blp.response(200, SubscriptionSchema)
    def get(self, subscription_id):
        """One of the Ministry's subscriptions"""
        return _get_national(subscription_id)

    @blp.arguments(SubscriptionPatchSchema(partial=True))
    @blp.response(200, SubscriptionSchema)
    def patch(self, data, subscription_id):
        """Change the address, the events or the description; enable or disable it"""
        subscription = _get_national(subscription_id)
        return commit_or_fail(lambda: services.update_subscription(subscription, **data))

    @blp.response(204)
    def delete(self, subscription_id):
        """Delete the subscription and its delivery log"""
        subscription = _get_national(subscription_id)
        commit_or_fail(lambda: services.delete_subscription(subscription))


@blp.route("/webhooks/<int:subscription_id>/secret")
@scope("national")
class NationalWebhookSecret(MethodView):
    @blp.response(201, SecretSchema)
    def post(self, subscription_id):
        """A new secret (shown once); deliveries are signed with it from now on"""
        subscription = _get_national(subscription_id)
        return {"secret": commit_or_fail(lambda: services.rotate_secret(subscription))}, NO_STORE


@blp.route("/webhooks/<int:subscription_id>/deliveries")
@scope("national")
class NationalWebhookDeliveries(MethodView):
    @blp.response(200, DeliverySchema(many=True))
    @listing(blp, sync=None)  # a national list (as municipalities, counties)
    def get(self, subscription_id):
        """The delivery log of every council's events, newest first"""
        subscription = _get_national(subscription_id)
        with read_across_tenants():
            return _delivery_log(subscription)


@blp.route("/webhooks/<int:subscription_id>/deliveries/<int:delivery_id>/replay")
@scope("national")
class NationalWebhookReplay(MethodView):
    @blp.response(202, DeliverySchema)
    def post(self, subscription_id, delivery_id):
        """Send a delivery again (the same event id), whatever its state"""
        subscription = _get_national(subscription_id)
        with read_across_tenants():
            delivery = services.get_delivery(delivery_id, subscription)
            municipality_id = delivery.municipality_id if delivery is not None else None
        if delivery is None:
            abort(404, message=_("There is no such delivery of this webhook."))
        db.session.rollback()
        with tenant(municipality_id):
            delivery = services.get_delivery(delivery_id, subscription)
            commit_or_fail(lambda: services.replay(delivery))
            delivery = services.get_delivery(delivery_id, subscription)
            return _as_delivery(delivery, services.attempts_of([delivery.id])[delivery.id], _slugs())
