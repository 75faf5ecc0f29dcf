"""Obligations: the Ministry's reminder settings, waivers, the sent log of reminders, calendar feeds.

The obligations themselves are not stored: they are the unified model's dated dues
(``compliance.periods.dues_for``), read from the records each time. What is stored here is what
people decide about them (a waiver, the lead times) and what was sent (so nothing is sent twice).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..audit.models import Audited
from ..extensions import db
from ..tenancy import TenantOwned
from ..timeutil import utcnow

DEFAULT_REMINDER_DAYS = (5, 1)   # working days before the due date
DEFAULT_ESCALATION_DAYS = 5      # working days overdue before the Prefecture and the Ministry see it
MAX_LEAD_DAYS = 60


class ObligationSettings(Audited, db.Model):
    """Global (reviewed): one row, set by the Ministry for every council. Empty values fall back to
    the defaults above."""

    __tablename__ = "obligation_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    reminder_days: Mapped[list | None] = mapped_column(JSON)   # e.g. [5, 1]
    remind_day_after: Mapped[bool] = mapped_column(default=True)
    escalation_days: Mapped[int | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Waiver(TenantOwned, Audited, db.Model):
    """The chair's decision that one obligation (rule + key) is not to be pursued, with the reason.

    A waiver changes the work queue and the reminders, never the verdicts: the evidence of a
    waived obligation says it was waived. Withdrawing keeps the row (``withdrawn_at``); the audit
    trail keeps every change."""

    __tablename__ = "obligation_waivers"
    __table_args__ = (UniqueConstraint("municipality_id", "rule", "key", name="uq_obligation_waivers_rule_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rule: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str] = mapped_column(Text)
    waived_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    waived_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class ReminderSent(db.Model):
    """Global (reviewed) sent log: one row per person, kind of digest and day (or week). The unique
    key makes a retried, doubled or killed job send nothing twice: a row is claimed ('sending')
    before the mail goes, marked 'sent' after; a claim left by a killed worker is taken up again
    only once it is old enough."""

    __tablename__ = "obligation_reminders_sent"
    __table_args__ = (UniqueConstraint("user_id", "kind", "day", name="uq_obligation_reminders_sent_user_kind_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))        # daily, weekly
    day: Mapped[date]
    status: Mapped[str] = mapped_column(String(20), default="sending")  # sending, sent
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    items: Mapped[int] = mapped_column(default=0)


class CalendarFeed(TenantOwned, Audited, db.Model):
    """A person's private iCalendar address for a council's obligations: only the token's hash is
    kept; revoking it makes the address answer 404."""

    __tablename__ = "obligation_calendar_feeds"
    __audit_exclude__ = {"token_hash"}

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
