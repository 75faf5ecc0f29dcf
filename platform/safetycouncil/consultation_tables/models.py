"""The Prefect's consultation tables (tryeza konsultimi) and their recommendations.

A table belongs to a county, not to one municipality: ``ConsultationTable`` and its
participants are global (reviewed) rows carrying ``county_id``, read only by that county's
Prefecture and the Ministry. Each recommendation is addressed to one municipality and is
tenant-owned: it arrives in that municipality's portal, which records the follow-up; the
Prefecture reads the follow-up across its county's municipalities only.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..audit.models import Audited
from ..extensions import db
from ..tenancy import TenantOwned
from ..timeutil import utcnow

FOLLOW_UP_STATUSES = ("received", "in_progress", "done", "not_applicable")


class ConsultationTable(Audited, db.Model):
    """Global (reviewed, county-scoped): a consultation table convened by a Prefect."""

    __tablename__ = "consultation_tables"

    id: Mapped[int] = mapped_column(primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    theme: Mapped[str | None] = mapped_column(Text)
    held_on: Mapped[date]
    location: Mapped[str | None] = mapped_column(String(200))
    chaired_by: Mapped[str | None] = mapped_column(String(200))
    agenda: Mapped[str | None] = mapped_column(Text)
    minutes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    participants: Mapped[list["ConsultationParticipant"]] = relationship(
        order_by="ConsultationParticipant.id", lazy="selectin", viewonly=True)


class ConsultationParticipant(Audited, db.Model):
    """Global (reviewed, county-scoped): someone at the table, from one of the county's
    municipalities (``municipality_id``) or from a national agency / the Prefecture (none)."""

    __tablename__ = "consultation_participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("consultation_tables.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str | None] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200))
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipalities.id", ondelete="RESTRICT"))


class ConsultationRecommendation(TenantOwned, Audited, db.Model):
    """A recommendation of a table addressed to one municipality, with its follow-up there."""

    __tablename__ = "consultation_recommendations"

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("consultation_tables.id", ondelete="RESTRICT"), index=True)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="received")
    follow_up: Mapped[str | None] = mapped_column(Text)
    risk_id: Mapped[int | None] = mapped_column(ForeignKey("risks.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    table: Mapped[ConsultationTable] = relationship(lazy="joined")


class RecommendationFollowUp(TenantOwned, Audited, db.Model):
    """One step of a recommendation's follow-up in the municipality, with its date: the history the
    Prefecture and the council read ("received on ..., in progress on ..., done on ...")."""

    __tablename__ = "recommendation_follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_recommendations.id", ondelete="CASCADE",
                   name="fk_recommendation_follow_ups_recommendation"), index=True)  # within 63 characters
    status: Mapped[str] = mapped_column(String(20))
    text: Mapped[str | None] = mapped_column(Text)
    risk_id: Mapped[int | None] = mapped_column(ForeignKey("risks.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
