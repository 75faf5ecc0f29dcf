"""Community grants: calls for proposals, applications from civil-society organisations, eligibility,
the scoring committee, awards with tranches, disbursements and the grantee's reports.

The small-grants scheme of the workshop documents (grants to civil-society organisations that carry
out activities of the safety plan), run as a process. Everything belongs to one municipality
(``TenantOwned``, row-level security) and is audited. Applicants and scorers have no account: each
holds a private link whose token is kept here only as its SHA-256.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..audit.models import Audited
from ..extensions import db
from ..tenancy import TenantOwned
from ..timestamps import Timestamped
from ..timeutil import utcnow

CALL_STATUSES = ("draft", "open", "closed", "decided")
CRITERION_KINDS = ("eligibility", "scoring")
APPLICATION_STATUSES = ("draft", "submitted", "eligible", "ineligible", "proposed", "awarded", "not_funded")
REPORT_KINDS = ("narrative", "financial", "final")
REPORT_STATUSES = ("submitted", "accepted", "returned")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256((token or "").encode("utf-8")).hexdigest()


class GrantCall(TenantOwned, Audited, Timestamped, db.Model):
    """A call for proposals: what it funds, with how much, until when (dates are days in Albania)."""

    __tablename__ = "grant_calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    objectives: Mapped[str] = mapped_column(Text)
    budget: Mapped[int]                      # lek
    max_per_grant: Mapped[int]               # lek
    cofinancing_percent: Mapped[int] = mapped_column(default=0)  # the applicant's own share, at least
    opens_on: Mapped[date]
    closes_on: Mapped[date]                  # the last day applications are accepted
    decision_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default="draft")
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # The council's decision approving the committee's proposal (the meeting's decision register)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id", ondelete="RESTRICT"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    criteria: Mapped[list[GrantCriterion]] = relationship(order_by="GrantCriterion.position", lazy="selectin",
                                                          viewonly=True)
    activity_links: Mapped[list[GrantCallActivity]] = relationship(lazy="selectin", viewonly=True)

    @property
    def activity_ids(self) -> list[int]:
        return [link.activity_id for link in self.activity_links]

    @property
    def eligibility_criteria(self) -> list[GrantCriterion]:
        return [c for c in self.criteria if c.kind == "eligibility"]

    @property
    def scoring_criteria(self) -> list[GrantCriterion]:
        return [c for c in self.criteria if c.kind == "scoring"]


class GrantCallActivity(TenantOwned, Audited, db.Model):
    """A plan activity the call serves."""

    __tablename__ = "grant_call_activities"
    __table_args__ = (UniqueConstraint("call_id", "activity_id", name="uq_grant_call_activities"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("grant_calls.id", ondelete="CASCADE"), index=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("plan_activities.id", ondelete="RESTRICT"), index=True)


class GrantCriterion(TenantOwned, Audited, db.Model):
    """An eligibility criterion (met or not) or a scoring criterion (a weight, scores 0..max_score)."""

    __tablename__ = "grant_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("grant_calls.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(String(500))
    weight: Mapped[int | None]               # scoring: percent of the total
    max_score: Mapped[int | None]            # scoring: e.g. 10
    position: Mapped[int] = mapped_column(default=0)


class GrantApplication(TenantOwned, Audited, Timestamped, db.Model):
    """An organisation's application. Followed and completed by the applicant through a private link
    (``token_hash``) until the call closes."""

    __tablename__ = "grant_applications"
    __table_args__ = (Index("ix_grant_applications_municipality_reference", "municipality_id", "reference",
                            unique=True),)
    __audit_exclude__ = {"token_hash", "contact_email", "contact_phone"}

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("grant_calls.id", ondelete="RESTRICT"), index=True)
    reference: Mapped[str] = mapped_column(String(16))
    organisation: Mapped[str] = mapped_column(String(200))
    nipt: Mapped[str] = mapped_column(String(10))
    contact_name: Mapped[str] = mapped_column(String(200))
    contact_email: Mapped[str] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    project_title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text)
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("plan_activities.id", ondelete="RESTRICT"),
                                                    index=True)
    amount_requested: Mapped[int]
    cofinancing: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    eligibility_note: Mapped[str | None] = mapped_column(Text)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    call: Mapped[GrantCall] = relationship(lazy="joined")
    budget_lines: Mapped[list[GrantBudgetLine]] = relationship(order_by="GrantBudgetLine.position",
                                                               lazy="selectin", viewonly=True)
    attachments: Mapped[list[GrantAttachment]] = relationship(order_by="GrantAttachment.id", lazy="selectin",
                                                              viewonly=True)

    @property
    def total_cost(self) -> int:
        return self.amount_requested + (self.cofinancing or 0)


class GrantBudgetLine(TenantOwned, Audited, db.Model):
    __tablename__ = "grant_budget_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("grant_applications.id", ondelete="CASCADE"),
                                                index=True)
    position: Mapped[int] = mapped_column(default=0)
    description: Mapped[str] = mapped_column(String(300))
    amount: Mapped[int]                      # from the grant
    cofinanced: Mapped[int] = mapped_column(default=0)  # from the organisation or others


class GrantAttachment(TenantOwned, Audited, db.Model):
    """A file of an application or a report, checked by content and kept through the storage interface."""

    __tablename__ = "grant_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("grant_applications.id", ondelete="CASCADE"),
                                                index=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("grant_reports.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    storage_key: Mapped[str] = mapped_column(String(400))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class GrantEligibilityCheck(TenantOwned, Audited, Timestamped, db.Model):
    """One application checked against one eligibility criterion."""

    __tablename__ = "grant_eligibility_checks"
    __table_args__ = (UniqueConstraint("application_id", "criterion_id", name="uq_grant_eligibility_checks"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("grant_applications.id", ondelete="CASCADE"),
                                                index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("grant_criteria.id", ondelete="CASCADE"), index=True)
    met: Mapped[bool]
    note: Mapped[str | None] = mapped_column(String(500))
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)


class GrantCommitteeMember(TenantOwned, Audited, Timestamped, db.Model):
    """A scorer of one call: a council member or someone invited by e-mail. Scores through a private
    link (``token_hash``); sees the applications only after declaring no conflict of interest."""

    __tablename__ = "grant_committee_members"
    __table_args__ = (UniqueConstraint("call_id", "email", name="uq_grant_committee_members_email"),)
    __audit_exclude__ = {"token_hash"}

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("grant_calls.id", ondelete="CASCADE"), index=True)
    council_member_id: Mapped[int | None] = mapped_column(ForeignKey("council_members.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)
    declared_at: Mapped[datetime | None]     # declared no conflict of interest with the call in general


class GrantConflict(TenantOwned, Audited, db.Model):
    """A scorer's declared conflict of interest with one application: they do not see or score it."""

    __tablename__ = "grant_conflicts"
    __table_args__ = (UniqueConstraint("member_id", "application_id", name="uq_grant_conflicts"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("grant_committee_members.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("grant_applications.id", ondelete="CASCADE"),
                                                index=True)
    reason: Mapped[str] = mapped_column(String(500))
    declared_at: Mapped[datetime] = mapped_column(default=utcnow)


class GrantScore(TenantOwned, Audited, Timestamped, db.Model):
    __tablename__ = "grant_scores"
    __table_args__ = (UniqueConstraint("member_id", "application_id", "criterion_id", name="uq_grant_scores"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("grant_committee_members.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("grant_applications.id", ondelete="CASCADE"),
                                                index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("grant_criteria.id", ondelete="CASCADE"), index=True)
    score: Mapped[int]
    comment: Mapped[str | None] = mapped_column(Text)


class GrantAward(TenantOwned, Audited, Timestamped, db.Model):
    """The contract with a grantee: amount, purpose, tranches; results reported and reviewed."""

    __tablename__ = "grant_awards"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("grant_applications.id", ondelete="RESTRICT"),
                                                unique=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("grant_calls.id", ondelete="RESTRICT"), index=True)
    contract_number: Mapped[str] = mapped_column(String(60))
    signed_on: Mapped[date]
    amount: Mapped[int]
    results: Mapped[str | None] = mapped_column(Text)   # what it achieved (public), from the accepted final report
    status: Mapped[str] = mapped_column(String(20), default="running")  # running, completed
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    application: Mapped[GrantApplication] = relationship(lazy="joined")
    tranches: Mapped[list[GrantTranche]] = relationship(order_by="GrantTranche.position", lazy="selectin",
                                                        viewonly=True)
    reports: Mapped[list[GrantReport]] = relationship(order_by="GrantReport.id", lazy="selectin", viewonly=True)

    @property
    def disbursed(self) -> int:
        return sum(t.disbursed_amount or 0 for t in self.tranches if t.disbursed_on)


class GrantTranche(TenantOwned, Audited, Timestamped, db.Model):
    __tablename__ = "grant_tranches"

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("grant_awards.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    amount: Mapped[int]
    due_on: Mapped[date]
    condition: Mapped[str | None] = mapped_column(String(500))
    disbursed_on: Mapped[date | None]
    disbursed_amount: Mapped[int | None]
    disbursed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class GrantReport(TenantOwned, Audited, Timestamped, db.Model):
    """A narrative or financial report (or the final one) sent by the grantee through the private link;
    reviewed by staff: accepted, or returned with comments (then sent again as a new report)."""

    __tablename__ = "grant_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("grant_awards.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    spent: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    review_comment: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class GrantCallDocument(TenantOwned, Audited, db.Model):
    """A document of a call (terms of reference, a form): public once the call is open. Replacing a document
    adds a new version (``replaces_id``) and marks the old one ``replaced_at``: nothing is lost."""

    __tablename__ = "grant_call_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("grant_calls.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    storage_key: Mapped[str] = mapped_column(String(400))
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("grant_call_documents.id", ondelete="RESTRICT"),
                                                    index=True)
    replaced_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class GrantProgramme(Audited, db.Model):
    """The Ministry's call programme (national data, not one municipality's): its lots are run by councils.
    When the Ministry opens it, every lot becomes a draft call of each council that runs it (``GrantLotCall``)."""

    __tablename__ = "grant_programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    year: Mapped[int]
    opens_on: Mapped[date]
    closes_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(20), default="draft")   # draft, open
    opened_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    lots: Mapped[list[GrantLot]] = relationship(order_by="GrantLot.id", lazy="selectin", viewonly=True)


class GrantLot(Audited, db.Model):
    """A lot of a programme, for one municipality or for a county (then its budget is a cap shared by the
    calls of the county's municipalities, checked when awarding)."""

    __tablename__ = "grant_lots"
    __table_args__ = (CheckConstraint("(target_municipality_id IS NULL) <> (county_id IS NULL)",
                                         name="one_municipality_or_county"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("grant_programmes.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    # named target_ (not municipality_id): a national row that names a municipality is not owned by it
    target_municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipalities.id", ondelete="RESTRICT"),
                                                        index=True)
    county_id: Mapped[int | None] = mapped_column(ForeignKey("counties.id", ondelete="RESTRICT"), index=True)
    budget: Mapped[int]                      # lek
    max_per_grant: Mapped[int]               # lek


class GrantLotCall(TenantOwned, Audited, db.Model):
    """The council's call that runs a lot (one per municipality of a county lot)."""

    __tablename__ = "grant_lot_calls"
    __table_args__ = (UniqueConstraint("call_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("grant_lots.id", ondelete="RESTRICT"), index=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("grant_calls.id", ondelete="CASCADE"), index=True)
