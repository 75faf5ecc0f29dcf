"""Monthly crime statistics per area and offence category.

Two global tables (reviewed): the national list of offence categories and the national
disclosure threshold, both set by the Ministry of Interior and public information.

Two tenant tables: every upload of a month's figures (the first one, then each
correction as a new revision, all kept) and the counts each upload set. A month's
current figure for an area and category is the one set by the latest revision that
contains that line (``is_current``); earlier values stay readable with their upload.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..areas.models import Area
from ..audit.models import Audited
from ..extensions import db
from ..tenancy import TenantOwned
from ..timestamps import Timestamped
from ..timeutil import utcnow

DEFAULT_DISCLOSURE_THRESHOLD = 5
# The narrowest interval the published table may leave a hidden count in (capped at threshold - 2, the
# width of what "< threshold" already says): see disclosure.py.
DEFAULT_PROTECTION_WIDTH = 3
UPLOAD_SOURCES = ("csv", "xlsx", "json")


class OffenceCategory(Audited, db.Model):
    """Global (reviewed): the national list of offence categories, the same for every municipality.

    ``sensitive`` categories (domestic violence, sexual offences, offences against children)
    have their small counts suppressed in everything the public sees."""

    __national_input__ = True  # cached results depend on it (caching.stamps)
    __tablename__ = "offence_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_sq: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    sensitive: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class CrimeStatisticsSettings(Audited, db.Model):
    """Global (reviewed): one row, the national disclosure threshold and protection width set by the Ministry."""

    __national_input__ = True  # cached results depend on it (caching.stamps)
    __tablename__ = "crime_statistics_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    disclosure_threshold: Mapped[int] = mapped_column(default=DEFAULT_DISCLOSURE_THRESHOLD)
    protection_width: Mapped[int] = mapped_column(default=DEFAULT_PROTECTION_WIDTH,
                                                  server_default=str(DEFAULT_PROTECTION_WIDTH))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class CrimeStatisticsUpload(TenantOwned, Audited, Timestamped, db.Model):
    """One month's figures as uploaded by the police (revision 1) or a later correction."""

    __tablename__ = "crime_statistics_uploads"
    __table_args__ = (UniqueConstraint("municipality_id", "month", "revision"),)
    __audit_exclude__ = {"line_report"}  # the lines are in the table itself; the trail keeps the facts

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date]  # the first day of the month
    revision: Mapped[int] = mapped_column(default=1)
    is_revision: Mapped[bool] = mapped_column(default=False)
    filename: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(String(500))
    line_count: Mapped[int] = mapped_column(default=0)
    line_report: Mapped[dict] = mapped_column(JSON, default=dict)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class CrimeCount(TenantOwned, db.Model):
    """The number of offences of one category in one area in one month, as set by one upload.

    Not audited row by row: the upload that set it is (with its line report)."""

    __tablename__ = "crime_counts"
    __table_args__ = (
        UniqueConstraint("upload_id", "area_id", "category_id"),
        Index("ix_crime_counts_current", "municipality_id", "is_current", "month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    upload_id: Mapped[int] = mapped_column(
        ForeignKey("crime_statistics_uploads.id", ondelete="CASCADE"), index=True)
    month: Mapped[date]
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="RESTRICT"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("offence_categories.id", ondelete="RESTRICT"))
    count: Mapped[int]
    is_current: Mapped[bool] = mapped_column(default=True)

    area: Mapped[Area] = relationship(lazy="joined")
    category: Mapped[OffenceCategory] = relationship(lazy="joined")
