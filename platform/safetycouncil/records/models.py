"""What a meeting leaves behind: minutes, decisions, the press release. Revisions keep history."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..audit.models import Audited
from ..council.models import CouncilMember
from ..extensions import db
from ..tenancy import TenantOwned
from ..timestamps import Timestamped
from ..timeutil import utcnow


class MinutesVersion(TenantOwned, Audited, db.Model):
    """Append-only: every save of a meeting's minutes is a new version; the latest is current."""

    __tablename__ = "minutes_versions"
    __table_args__ = (UniqueConstraint("meeting_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="RESTRICT"), index=True)
    version: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Decision(TenantOwned, Audited, Timestamped, db.Model):
    """A decision in the register (Art. 7.7-7.8): adopted by consensus, signed by the chair, distributed."""

    __tablename__ = "decisions"
    __table_args__ = (UniqueConstraint("municipality_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="RESTRICT"), index=True)
    number: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    adopted_by_consensus: Mapped[bool] = mapped_column(default=True)
    signed_by_chair_on: Mapped[date | None]
    # How the signature was recorded: "chair" (the chair signed in the platform) or "paper"
    # (the technical secretary recorded the date of the chair's signature on the paper original).
    signature_method: Mapped[str | None] = mapped_column(String(20))
    distributed_at: Mapped[datetime | None]
    # Art. 8.5: the meeting reviewed the plan after an open consultation by this decision (a review
    # that confirms the plan unchanged counts as much as a revision approved)
    reviews_plan: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    versions: Mapped[list["DecisionVersion"]] = relationship(order_by="DecisionVersion.version", lazy="selectin")

    @property
    def current_text(self) -> str:
        return self.versions[-1].text if self.versions else ""


class DecisionDistribution(TenantOwned, db.Model):
    """A copy of a signed decision sent to one member (Art. 7.8); never e-mailed twice."""

    __tablename__ = "decision_distributions"
    __table_args__ = (UniqueConstraint("decision_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("council_members.id", ondelete="RESTRICT"))
    email: Mapped[str | None] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(20))  # sent, no_email, failed
    sent_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(String(300))

    member: Mapped[CouncilMember] = relationship(lazy="joined")


class DecisionVersion(TenantOwned, Audited, db.Model):
    __tablename__ = "decision_versions"
    __table_args__ = (UniqueConstraint("decision_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="RESTRICT"), index=True)
    version: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PressRelease(TenantOwned, Audited, db.Model):
    """The press release after a meeting (Art. 11), with its four required contents,
    published within 24 hours of the meeting."""

    __tablename__ = "press_releases"
    __table_args__ = (UniqueConstraint("meeting_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(String(300))
    time_and_place: Mapped[str] = mapped_column(Text)  # the time of the meeting
    participation: Mapped[str] = mapped_column(Text)  # who took part
    agenda_summary: Mapped[str] = mapped_column(Text)  # the agenda items
    discussion_essence: Mapped[str] = mapped_column(Text)  # the essence of the discussion
    published_at: Mapped[datetime | None]
    hours_after_meeting: Mapped[float | None]
    published_late: Mapped[bool | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
