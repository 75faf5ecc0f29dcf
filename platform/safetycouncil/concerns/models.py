"""Citizens' concerns, recorded at open consultation meetings or sent online, and the
national list of risk categories they are filed under."""
from __future__ import annotations

import secrets
from datetime import datetime
from typing import ClassVar

from sqlalchemy import ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..areas.models import Area
from ..audit.models import Audited
from ..extensions import db
from ..tenancy import TenantOwned
from ..timestamps import Timestamped
from ..timeutil import utcnow

# Who raised a concern (Art. 8.1: school leaders, parents, student governments, village leaders or
# community liaisons, local businesses, civil society, media), plus religious communities and citizens.
SOURCE_KINDS = ("school", "parent", "student_government", "village_head", "business", "civil_society",
                "media", "religious_community", "citizen")
CHANNELS = ("meeting", "online")
CONCERN_STATUSES = ("pending_moderation", "accepted", "rejected")


class RiskCategory(Audited, Timestamped, db.Model):
    """Global (reviewed): the national list of categories the Ministry of Interior keeps.

    Seeded by the migration; the Ministry adds, renames and retires categories (retired ones
    stay on the concerns and risks filed under them, and are no longer offered)."""

    __national_input__ = True  # cached results depend on it (caching.stamps)
    __tablename__ = "risk_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_sq: Mapped[str] = mapped_column(String(160))
    name_en: Mapped[str] = mapped_column(String(160))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def name(self, locale: str | None = None) -> str:
        return self.name_en if (locale or "sq") == "en" else self.name_sq


class Concern(TenantOwned, Audited, Timestamped, db.Model):
    """One concern raised by someone, in an area, under a category.

    Recorded by the technical secretary at an open consultation (``channel`` "meeting",
    accepted at once) or sent from the public page (``channel`` "online", waiting for
    moderation). ``contact`` is seen only by the municipality's staff."""

    __tablename__ = "concerns"
    __table_args__ = (Index("ix_concerns_municipality_status", "municipality_id", "status"),
                      Index("ix_concerns_municipality_reference", "municipality_id", "reference", unique=True))
    __audit_exclude__: ClassVar[set[str]] = {"contact"}  # personal data: seen by staff on the concern, never copied to the trail

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    source_kind: Mapped[str] = mapped_column(String(30))
    source_name: Mapped[str | None] = mapped_column(String(200))  # e.g. the school's name
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="RESTRICT"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("risk_categories.id", ondelete="RESTRICT"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="RESTRICT"), index=True)
    channel: Mapped[str] = mapped_column(String(20), default="meeting")
    status: Mapped[str] = mapped_column(String(30), default="accepted")
    contact: Mapped[str | None] = mapped_column(String(200))
    moderation_note: Mapped[str | None] = mapped_column(String(500))
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    moderated_at: Mapped[datetime | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The number the citizen is given to follow the concern on the public page (no personal data there).
    reference: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    area: Mapped[Area] = relationship(lazy="joined")
    category: Mapped[RiskCategory] = relationship(lazy="joined")


REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed back


def new_reference() -> str:
    """E.g. "K7M3-XQ9P": 8 characters drawn at random (40 bits), unguessable and easy to write down."""
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{code[:4]}-{code[4:]}"


def normalise_reference(text: str | None) -> str | None:
    code = "".join(c for c in (text or "").upper() if c.isalnum())
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 and all(c in REFERENCE_ALPHABET for c in code) else None


@event.listens_for(Concern, "before_insert")
def _give_reference(mapper, connection, concern: Concern) -> None:
    if not concern.reference:
        concern.reference = new_reference()
