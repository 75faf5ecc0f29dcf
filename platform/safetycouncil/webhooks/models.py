"""Webhooks: subscriptions (a municipality's, and the Ministry's for every municipality), the events
emitted (an outbox, one row per event), one delivery per event and subscription, and each attempt.

A subscription's secret signs every delivery (HMAC-SHA256): it is shown once, at creation or rotation,
and kept encrypted with a key derived from the platform's ``SECRET_KEY`` (a signature needs the secret
itself, so it cannot be hashed)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from ..audit.models import Audited
from ..extensions import db
from ..tenancy import TenantOwned
from ..timeutil import utcnow

EVENT_TYPES = ("meeting.scheduled", "meeting.changed", "invitations.sent", "press_release.published",
               "plan_version.approved", "monitoring_report.published", "obligation.overdue")
DELIVERY_STATES = ("pending", "sending", "delivered", "retrying", "failed")


class SubscriptionFields:
    """What both kinds of subscription hold."""

    # The counters change with every delivery: bookkeeping, not a person's change (the trail keeps
    # who created, changed, rotated, disabled or enabled a subscription).
    __audit_exclude__ = {"secret_encrypted", "consecutive_failures", "last_delivery_at"}

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(String(200))
    event_types: Mapped[list] = mapped_column(JSON)
    secret_encrypted: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    disabled_at: Mapped[datetime | None]
    disabled_reason: Mapped[str | None] = mapped_column(String(300))
    secret_rotated_at: Mapped[datetime | None]
    last_delivery_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @declared_attr
    def created_by_id(cls) -> Mapped[int | None]:  # noqa: N805
        return mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    national = False

    def wants(self, event_type: str) -> bool:
        return self.active and event_type in (self.event_types or [])


class Subscription(SubscriptionFields, TenantOwned, Audited, db.Model):
    """A municipality's subscription: its events only."""

    __tablename__ = "webhook_subscriptions"


class NationalSubscription(SubscriptionFields, Audited, db.Model):
    """Global (reviewed): the Ministry's subscription, to the events of every municipality. It holds
    no municipality's data; its deliveries (tenant-owned) are each a municipality's."""

    __tablename__ = "webhook_national_subscriptions"
    national = True


class Event(TenantOwned, db.Model):
    """One event, as emitted (the outbox): ``uid`` is the id receivers deduplicate by. ``dedup_key``
    makes an event that is found again (an obligation still overdue tomorrow) emitted once."""

    __tablename__ = "webhook_events"
    __table_args__ = (UniqueConstraint("municipality_id", "event_type", "dedup_key",
                                       name="uq_webhook_events_type_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    event_type: Mapped[str] = mapped_column(String(40))
    dedup_key: Mapped[str | None] = mapped_column(String(120))
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    data: Mapped[dict] = mapped_column(JSON)


class Delivery(TenantOwned, db.Model):
    """One event to one subscription: its state and the next attempt's time."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("webhook_events.id", ondelete="CASCADE"), index=True)
    subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"), index=True)
    national_subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("webhook_national_subscriptions.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    last_attempt_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    last_status_code: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship(lazy="joined")


class Attempt(TenantOwned, db.Model):
    """One try at a delivery: when, how long, the answer's status code or the error."""

    __tablename__ = "webhook_delivery_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    manual: Mapped[bool] = mapped_column(default=False)   # a replay asked for by a person
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    duration_ms: Mapped[int] = mapped_column(default=0)
    status_code: Mapped[int | None]
    ok: Mapped[bool] = mapped_column(default=False)
    error: Mapped[str | None] = mapped_column(String(300))
