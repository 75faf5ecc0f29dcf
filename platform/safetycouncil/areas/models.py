"""Areas of a municipality: administrative units, neighbourhoods and villages.

Concerns, crime statistics and surveys are all placed in an area.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..audit.models import Audited
from ..extensions import db
from ..tenancy import TenantOwned
from ..timestamps import Timestamped
from ..timeutil import utcnow

AREA_KINDS = ("administrative_unit", "neighbourhood", "village")


class Area(TenantOwned, Audited, Timestamped, db.Model):
    __tablename__ = "areas"
    __table_args__ = (UniqueConstraint("municipality_id", "kind", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(30))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
