"""Data protection: the Ministry's national settings, and the municipalities' data archives."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..audit.models import Audited
from ..extensions import db
from ..tenancy import TenantOwned
from ..timeutil import utcnow

# The bounds of the retention period of citizens' contact details, in days.
MIN_RETENTION_DAYS = 30
MAX_RETENTION_DAYS = 3650

ARCHIVE_STATUSES = ("preparing", "ready", "failed", "expired")


class DataProtectionSettings(Audited, db.Model):
    """Global (reviewed): one row, set by the Ministry. A value left empty falls back to the
    configuration (``CONCERN_CONTACT_RETENTION_DAYS``)."""

    __tablename__ = "data_protection_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_contact_retention_days: Mapped[int | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class DataArchive(TenantOwned, Audited, db.Model):
    """One export of a municipality's data (a zip in storage), built by a background job.

    The file holds personal data: it is downloadable by the municipality's chair and technical
    secretary and by the Ministry, every download is written to the audit trail, and the file is
    deleted after ``DATA_ARCHIVE_KEEP_DAYS``."""

    __tablename__ = "data_archives"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(20), default="preparing")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    generated_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    storage_key: Mapped[str | None] = mapped_column(String(400))
    size_bytes: Mapped[int | None]
    sha256: Mapped[str | None] = mapped_column(String(64))
    summary: Mapped[dict] = mapped_column(JSON, default=dict)  # {"tables": n, "rows": n, "files": n}
    error: Mapped[str | None] = mapped_column(String(500))
