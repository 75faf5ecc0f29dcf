"""Risks: what the Coordination Secretariat makes of citizens' concerns (Art. 8.2).

Several concerns may become one risk. Its intensity (high, moderate, low) is rated with a
reason; every rating is kept (append-only), the latest one is the risk's current intensity.
A risk cites its evidence: statistics, survey results, documents, and the concerns behind it.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..areas.models import Area
from ..audit.models import Audited, AuditedLink
from ..concerns.models import Concern, RiskCategory
from ..documents.models import Document
from ..extensions import db
from ..tenancy import TenantOwned
from ..timestamps import Timestamped
from ..timeutil import utcnow

INTENSITIES = ("high", "moderate", "low")
EVIDENCE_KINDS = ("statistics", "survey", "document")


class Risk(TenantOwned, Audited, Timestamped, db.Model):
    __tablename__ = "risks"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("risk_categories.id", ondelete="RESTRICT"),
                                                    index=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id", ondelete="RESTRICT"))
    # The current rating, kept in step with the latest RiskRating row.
    intensity: Mapped[str | None] = mapped_column(String(20))
    intensity_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    category: Mapped[RiskCategory | None] = relationship(lazy="joined")
    area: Mapped[Area | None] = relationship(lazy="joined")
    ratings: Mapped[list[RiskRating]] = relationship(order_by="RiskRating.id", lazy="selectin",
                                                       viewonly=True)
    concern_links: Mapped[list[RiskConcern]] = relationship(order_by="RiskConcern.id", lazy="selectin",
                                                              viewonly=True)
    evidence: Mapped[list[RiskEvidence]] = relationship(order_by="RiskEvidence.id", lazy="selectin",
                                                          viewonly=True)


class RiskRating(TenantOwned, Audited, Timestamped, db.Model):
    """Append-only: one rating of a risk's intensity, with its reason."""

    __tablename__ = "risk_ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risks.id", ondelete="RESTRICT"), index=True)
    intensity: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="RESTRICT"))
    rated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    rated_at: Mapped[datetime] = mapped_column(default=utcnow)


class RiskConcern(TenantOwned, AuditedLink, db.Model):
    """A concern behind a risk."""

    __audit_link__ = ("risk_id", "Risk", "concerns", "concern")

    __tablename__ = "risk_concerns"
    __table_args__ = (UniqueConstraint("risk_id", "concern_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risks.id", ondelete="CASCADE"), index=True)
    concern_id: Mapped[int] = mapped_column(ForeignKey("concerns.id", ondelete="RESTRICT"), index=True)

    concern: Mapped[Concern] = relationship(lazy="joined")


class RiskEvidence(TenantOwned, Audited, Timestamped, db.Model):
    """Statistics (text and an optional link), survey results, or a document behind a risk."""

    __tablename__ = "risk_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risks.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(500))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="RESTRICT"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    document: Mapped[Document | None] = relationship(lazy="joined")


@event.listens_for(RiskRating, "before_update")
@event.listens_for(RiskRating, "before_delete")
def _ratings_are_append_only(mapper, connection, target) -> None:
    raise ValueError("A risk's ratings are append-only: rate it again instead of changing a rating.")
