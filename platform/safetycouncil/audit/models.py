"""The audit trail: who changed what, when, in which municipality, before and after."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow


class Audited:
    """Mixin: every insert, update and delete of this model is written to the audit trail.

    ``__audit_exclude__`` names columns whose values are never copied there (hashes, secrets).
    """

    __audit_exclude__: set[str] = set()


class AuditedLink:
    """Mixin for a row that links a record to another (an activity's institutions, a risk's concerns...).

    Adding or removing links is written to the trail as a change of the parent record, like a field:
    ``{relation: {"added": [...], "removed": [...]}}``, one entry per parent and transaction (links
    replaced by the same ones leave none). ``__audit_link__`` = (the column holding the parent's id,
    the parent's class name, the relation's name, the attribute of the linked record).
    """

    __audit_link__: tuple[str, str, str, str]


class AuditEntry(db.Model):
    """Global table (reviewed): entries of tenant records carry the municipality id and are
    only ever read filtered by it (the municipality's audit page) or by the Ministry."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_municipality_at", "municipality_id", "at"),
        Index("ix_audit_entries_entity", "entity_type", "entity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipalities.id"))
    action: Mapped[str] = mapped_column(String(40))
    entity_type: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str | None] = mapped_column(String(40))
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    request_id: Mapped[str | None] = mapped_column(String(40))
