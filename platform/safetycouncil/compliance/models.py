"""The unified model as data (versions of its rules and numbers) and the stored verdicts.

``ComplianceModelVersion`` is global (reviewed): the Ministry's definition of the model, the
same for every municipality. ``ComplianceSnapshot`` is tenant-owned: a verdict and its evidence
name a municipality's meetings and decisions, so it is read like every other tenant record
(through the municipality's scope, or ``read_across_tenants`` for the Ministry and a
Prefecture's county), and PostgreSQL's row-level security guards it too.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..audit.models import Audited
from ..extensions import db
from ..tenancy import TenantOwned
from ..timeutil import utcnow

VERDICTS = ("pass", "fail", "not_yet_due")



class ComplianceModelVersion(Audited, db.Model):
    """Global (reviewed): one version of the unified model, in force from ``valid_from`` (a year)
    until the next version's year. ``rules`` is a list of {"id", "article"}; ``parameters`` the numbers."""

    __national_input__ = True  # cached results depend on it (caching.stamps)
    __tablename__ = "compliance_model_versions"
    __table_args__ = (UniqueConstraint("valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    valid_from: Mapped[int]
    parameters: Mapped[dict] = mapped_column(JSON)
    rules: Mapped[list] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ComplianceSnapshot(TenantOwned, db.Model):
    """One council's verdict on one rule for one year, as computed on ``as_of``."""

    __derived_data__ = True  # computed from the council's records: storing it changes no data stamp

    __tablename__ = "compliance_snapshots"
    __table_args__ = (UniqueConstraint("municipality_id", "year", "rule"),
                      Index("ix_compliance_snapshots_year_rule", "year", "rule"))

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    rule: Mapped[str] = mapped_column(String(40))
    verdict: Mapped[str] = mapped_column(String(20))
    evidence: Mapped[list] = mapped_column(JSON)
    model_version_id: Mapped[int] = mapped_column(
        ForeignKey("compliance_model_versions.id", ondelete="RESTRICT"), index=True)
    as_of: Mapped[date]
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


class ComplianceJudgement(TenantOwned, db.Model):
    """One council's judgement for one year, kept behind the cache (``compliance/judgements.py``):
    the verdict of every rule and its evidence, with what it was judged from (the rules' code, the
    council's data stamp and the national one) and the moments between which it holds
    (``valid_from`` to ``valid_until``, epoch seconds: the engine's ``next_change``). When the
    shared cache is empty (Redis restarted) the console reads these rows instead of judging every
    council again. Kept up to date as records change (the schedule's ``judgements.refresh``) and
    judged ahead of each midnight (``judge_ahead``)."""

    __derived_data__ = True  # computed from the council's records: storing it changes no data stamp

    __tablename__ = "compliance_judgements"
    __table_args__ = (UniqueConstraint("municipality_id", "year", "code_version", "valid_from"),
                      Index("ix_compliance_judgements_year_until", "year", "valid_until"))

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    code_version: Mapped[str] = mapped_column(String(40))
    data_stamp: Mapped[str] = mapped_column(String(32))
    national_stamp: Mapped[str] = mapped_column(String(32))
    valid_from: Mapped[float] = mapped_column(Float)
    valid_until: Mapped[float] = mapped_column(Float)
    # {rule: [status, at_risk]}: what the console and the lists read
    verdicts: Mapped[dict] = mapped_column(JSON)
    # {rule: [evidence, article]}: read only by the pages that show the evidence
    evidence: Mapped[dict] = mapped_column(JSON)
    judged_at: Mapped[datetime] = mapped_column(default=utcnow)
