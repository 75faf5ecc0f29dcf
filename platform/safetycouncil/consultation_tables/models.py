"""The Prefect's consultation tables (tryeza konsultimi) and their recommendations.

A table belongs to a county, not to one municipality: ``ConsultationTable``, its participants,
its themes, its recommendations to national bodies and its funding requests are global (reviewed)
rows of the table's county, read only by that county's Prefecture and the Ministry. Each
recommendation to a municipality is tenant-owned: it arrives in that municipality's portal, which
records the follow-up (and links the agenda item or plan activity that takes it up); the Prefecture
reads the follow-up across its county's municipalities only.

Follow-up statuses, for both kinds of recommendation: open, in progress, done, not accepted. Every
change is a dated step (``*FollowUp``), kept; the rows are audited.
"""
from __future__ import annotations

from datetime import date, datetime

from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..audit.models import Audited
from ..extensions import db
from ..tenancy import TenantOwned
from ..timeutil import utcnow

FOLLOW_UP_STATUSES = ("open", "in_progress", "done", "not_accepted")
PENDING_STATUSES = ("open", "in_progress")  # still to act on: overdue after the due date
FUNDING_ANSWERS = ("pending", "granted", "partly_granted", "refused")


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

    county: Mapped["County"] = relationship(lazy="joined", viewonly=True)
    participants: Mapped[list["ConsultationParticipant"]] = relationship(
        order_by="ConsultationParticipant.id", lazy="selectin", viewonly=True)
    themes: Mapped[list["ConsultationTheme"]] = relationship(
        order_by="[ConsultationTheme.position, ConsultationTheme.id]", lazy="selectin", viewonly=True)
    national_recommendations: Mapped[list["NationalRecommendation"]] = relationship(
        order_by="NationalRecommendation.id", lazy="selectin", viewonly=True)
    funding_requests: Mapped[list["FundingRequest"]] = relationship(
        order_by="FundingRequest.id", lazy="selectin", viewonly=True)


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
    status: Mapped[str] = mapped_column(String(20), default="open")
    follow_up: Mapped[str | None] = mapped_column(Text)
    risk_id: Mapped[int | None] = mapped_column(ForeignKey("risks.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_on: Mapped[date | None]
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("consultation_themes.id", ondelete="SET NULL"))
    # What takes it up in the council: an item of a council meeting's agenda, an activity of the plan.
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="SET NULL"))
    plan_activity_id: Mapped[int | None] = mapped_column(ForeignKey("plan_activities.id", ondelete="SET NULL"))

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
    noted_on: Mapped[date | None]  # the day the note speaks of (a meeting, a letter), when not the day recorded


class NationalBody(Audited, db.Model):
    """Global (national list, extensible by the Ministry): a national body a table's recommendation
    may be addressed to (the Centre for the Prevention of Juvenile Crime, the State Agency for
    Children's Rights, the State Police, the Ministry of Education...)."""

    __tablename__ = "national_bodies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name_sq: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def name(self, locale: str | None = None) -> str:
        return self.name_en if (locale or "sq").startswith("en") else self.name_sq


class ConsultationTheme(Audited, db.Model):
    """Global (reviewed, county-scoped through its table): a theme discussed at the table."""

    __tablename__ = "consultation_themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("consultation_tables.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=1)
    title: Mapped[str] = mapped_column(String(300))
    presented_by: Mapped[str | None] = mapped_column(String(300))
    summary: Mapped[str | None] = mapped_column(Text)


class NationalRecommendation(Audited, db.Model):
    """Global (reviewed, county-scoped through its table): a recommendation addressed to a national
    body, with its due date and follow-up, which the county's Prefecture records."""

    __tablename__ = "consultation_national_recommendations"

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("consultation_tables.id", ondelete="RESTRICT"), index=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("national_bodies.id", ondelete="RESTRICT"), index=True)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("consultation_themes.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default="open")
    follow_up: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(default=utcnow)

    table: Mapped[ConsultationTable] = relationship(lazy="joined")
    body: Mapped[NationalBody] = relationship(lazy="joined")


class NationalRecommendationFollowUp(Audited, db.Model):
    """One dated step of a national body's follow-up, as the Prefecture records it (history kept)."""

    __tablename__ = "national_recommendation_follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_national_recommendations.id", ondelete="CASCADE",
                   name="fk_national_recommendation_follow_ups_recommendation"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    text: Mapped[str | None] = mapped_column(Text)
    noted_on: Mapped[date | None]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class FundingRequest(Audited, db.Model):
    """Global (reviewed, county-scoped through its table): funds a table asked for — how much, from
    whom (a national body or a donor named in words), for what — and the answer."""

    __tablename__ = "consultation_funding_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("consultation_tables.id", ondelete="RESTRICT"), index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    currency: Mapped[str] = mapped_column(String(3), default="ALL")
    body_id: Mapped[int | None] = mapped_column(ForeignKey("national_bodies.id", ondelete="RESTRICT"))
    requested_from: Mapped[str | None] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text)
    answer_status: Mapped[str] = mapped_column(String(20), default="pending")
    answer: Mapped[str | None] = mapped_column(Text)
    answered_on: Mapped[date | None]
    granted_amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(default=utcnow)

    body: Mapped[NationalBody | None] = relationship(lazy="joined")
