"""The multi-agency local plan (Art. 6.7, 8), its versions, its monthly monitoring (Art. 9.2) and
the standard monitoring report (Art. 8.6).

One plan a year per municipality. Its content lives in versions: a draft is edited, then
approved at a council meeting (linked to that meeting's decision) and never changed again;
a revision is a new draft copied from the approved version. Items and activities keep a
``key`` across versions, so any two versions can be compared item by item.

Progress is recorded per activity and carries the activity's key (and the plan), so the
history of an activity continues from one approved version to the next.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..audit.models import Audited, AuditedLink
from ..council.models import Institution
from ..documents.models import Document
from ..extensions import db
from ..tenancy import TenantOwned
from ..timestamps import Timestamped
from ..timeutil import utcnow

INTENSITIES = ("high", "moderate", "low")
VERSION_STATUSES = ("draft", "approved", "superseded", "replaced")  # replaced: a draft an import set aside
TIMING_KINDS = ("deadline", "period", "recurrence")
PERIODS = ("first_half", "second_half", "q1", "q2", "q3", "q4")
RECURRENCES = ("weekly", "monthly", "every_two_months", "quarterly", "every_six_months", "yearly", "all_year")
FUNDING_SOURCES = ("municipal_budget", "donor", "community_grant")
PROGRESS_STATUSES = ("not_started", "in_progress", "done", "delayed", "cancelled")
REPORT_KINDS = ("monitoring", "yearly")
REPORT_STATUSES = ("queued", "generated", "failed", "approved", "published")


class Plan(TenantOwned, Audited, Timestamped, db.Model):
    __tablename__ = "plans"
    __table_args__ = (UniqueConstraint("municipality_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # Loaded when asked for (a list of plans needs no versions, a version page no siblings' items);
    # below a version the tree loads set-wise (selectin) once its items are asked for.
    versions: Mapped[list[PlanVersion]] = relationship(order_by="PlanVersion.number", lazy="select",
                                                         viewonly=True)


class PlanVersion(TenantOwned, Audited, Timestamped, db.Model):
    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="RESTRICT"), index=True)
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), default="draft")
    # NO ACTION (not RESTRICT): checked at the end of a statement, so a whole plan can be deleted at once.
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("plan_versions.id"))
    note: Mapped[str | None] = mapped_column(Text)
    # The open consultation after which this revision was drafted (Art. 8.5).
    consultation_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="RESTRICT"))
    # The council meeting and its decision that approved it (Art. 8.4).
    approved_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="RESTRICT"))
    approved_decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id", ondelete="RESTRICT"))
    approved_on: Mapped[date | None]
    # roadmap: the approved plan published on the municipality's official website (day and address)
    published_on: Mapped[date | None]
    published_url: Mapped[str | None] = mapped_column(String(500))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    plan: Mapped[Plan] = relationship(lazy="joined")
    items: Mapped[list[PlanItem]] = relationship(order_by="PlanItem.position", lazy="select",
                                                   viewonly=True)

    @property
    def locked(self) -> bool:
        return self.status != "draft"


class PlanItem(TenantOwned, Audited, Timestamped, db.Model):
    """An identified issue with its intensity, its activities and its measurable indicators."""

    __tablename__ = "plan_items"
    __table_args__ = (UniqueConstraint("version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(32))  # the same item across versions
    position: Mapped[int]
    number: Mapped[str | None] = mapped_column(String(20))  # as the council numbers it, e.g. "1.2"
    issue: Mapped[str] = mapped_column(Text)
    risk_id: Mapped[int | None] = mapped_column(ForeignKey("risks.id", ondelete="RESTRICT"), index=True)
    intensity: Mapped[str | None] = mapped_column(String(20))

    activities: Mapped[list[PlanActivity]] = relationship(order_by="PlanActivity.position", lazy="selectin",
                                                            viewonly=True)
    indicators: Mapped[list[PlanIndicator]] = relationship(order_by="PlanIndicator.position",
                                                             lazy="selectin", viewonly=True)


class PlanActivity(TenantOwned, Audited, Timestamped, db.Model):
    __tablename__ = "plan_activities"
    __table_args__ = (UniqueConstraint("item_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("plan_items.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(32))
    position: Mapped[int]
    description: Mapped[str] = mapped_column(Text)
    partners: Mapped[str | None] = mapped_column(Text)  # partner organisations, as text
    timing_kind: Mapped[str | None] = mapped_column(String(20))  # deadline, period, recurrence
    timing_value: Mapped[str | None] = mapped_column(String(40))  # ISO date, a period or a recurrence code

    institution_links: Mapped[list[PlanActivityInstitution]] = relationship(
        order_by="PlanActivityInstitution.position", lazy="selectin", viewonly=True)
    funding: Mapped[list[PlanFunding]] = relationship(order_by="PlanFunding.id", lazy="selectin",
                                                        viewonly=True)

    @property
    def institutions(self) -> list[Institution]:
        return [link.institution for link in self.institution_links]


class PlanActivityInstitution(TenantOwned, AuditedLink, db.Model):
    """A responsible institution of an activity (institutions are global: public information)."""

    __audit_link__ = ("activity_id", "PlanActivity", "institutions", "institution")

    __tablename__ = "plan_activity_institutions"
    __table_args__ = (UniqueConstraint("activity_id", "institution_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("plan_activities.id", ondelete="CASCADE"), index=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id", ondelete="RESTRICT"), index=True)
    position: Mapped[int] = mapped_column(default=0)

    institution: Mapped[Institution] = relationship(lazy="joined")


class PlanIndicator(TenantOwned, Audited, Timestamped, db.Model):
    """A measurable indicator of an item: unit, baseline, target, source."""

    __tablename__ = "plan_indicators"
    __table_args__ = (UniqueConstraint("item_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("plan_items.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(32))
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str | None] = mapped_column(String(60))
    baseline: Mapped[float | None]
    target: Mapped[float | None]
    source: Mapped[str | None] = mapped_column(String(300))


class PlanFunding(TenantOwned, Audited, Timestamped, db.Model):
    """How an activity is funded: the municipality's budget, a donor, or a community grant to a
    civil-society organisation (grantee, title, objective, amount, period, results)."""

    __tablename__ = "plan_funding"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("plan_activities.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(30))
    amount: Mapped[float | None]
    currency: Mapped[str] = mapped_column(String(3), default="ALL")
    donor: Mapped[str | None] = mapped_column(String(200))
    grantee: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(300))
    objective: Mapped[str | None] = mapped_column(Text)
    period: Mapped[str | None] = mapped_column(String(120))
    results: Mapped[str | None] = mapped_column(Text)


class InstitutionOfficer(TenantOwned, Audited, Timestamped, db.Model):
    """A person (role institution_officer) who reports progress for one institution."""

    __tablename__ = "institution_officers"
    __table_args__ = (UniqueConstraint("municipality_id", "user_id", "institution_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    institution: Mapped[Institution] = relationship(lazy="joined")


class ProgressEntry(TenantOwned, Audited, Timestamped, db.Model):
    """Progress on one activity, recorded at a Coordination Secretariat meeting or reported by
    an institution's officer."""

    __tablename__ = "progress_entries"
    __table_args__ = (Index("ix_progress_entries_plan_key", "municipality_id", "plan_id", "activity_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="RESTRICT"), index=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("plan_activities.id", ondelete="RESTRICT"), index=True)
    activity_key: Mapped[str] = mapped_column(String(32))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="RESTRICT"), index=True)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(20))
    progress: Mapped[int | None]  # percent, 0-100
    comment: Mapped[str | None] = mapped_column(Text)
    next_steps: Mapped[str | None] = mapped_column(Text)
    reported_on: Mapped[date]
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    values: Mapped[list[ProgressValue]] = relationship(order_by="ProgressValue.id", lazy="selectin",
                                                         viewonly=True)
    evidence: Mapped[list[ProgressEvidence]] = relationship(order_by="ProgressEvidence.id", lazy="selectin",
                                                              viewonly=True)


class ProgressValue(TenantOwned, Audited, db.Model):
    """An indicator's current value, as reported with a progress entry."""

    __tablename__ = "progress_values"
    __table_args__ = (UniqueConstraint("entry_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("progress_entries.id", ondelete="CASCADE"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("plan_indicators.id", ondelete="RESTRICT"))
    indicator_key: Mapped[str] = mapped_column(String(32))
    value: Mapped[float]


class ProgressEvidence(TenantOwned, Audited, db.Model):
    """A file (stored as a document) backing a progress entry."""

    __tablename__ = "progress_evidence"
    __table_args__ = (UniqueConstraint("entry_id", "document_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("progress_entries.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="RESTRICT"))

    document: Mapped[Document] = relationship(lazy="joined")


class MonitoringReport(TenantOwned, Audited, Timestamped, db.Model):
    """The standard monitoring report (Art. 8.6) or the yearly report to the Municipal Council
    (Art. 5.2.d): generated in the background as PDF and Word, approved by the chair, published once."""

    __tablename__ = "monitoring_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="monitoring")
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="RESTRICT"), index=True)
    period_start: Mapped[date]
    period_end: Mapped[date]
    language: Mapped[str] = mapped_column(String(2), default="sq")
    status: Mapped[str] = mapped_column(String(20), default="queued")
    summary: Mapped[str | None] = mapped_column(Text)  # the secretariats' words, printed in the report
    error: Mapped[str | None] = mapped_column(String(500))
    pdf_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="RESTRICT"))
    docx_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="RESTRICT"))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    generated_at: Mapped[datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
