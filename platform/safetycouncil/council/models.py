"""The council: how it was established, its members by the categories of Art. 4, its seats,
and the institutions it works with (shared institutions exist once and are linked)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..audit.models import Audited
from ..extensions import db
from ..tenancy import TenantOwned
from ..timestamps import Timestamped
from ..timeutil import utcnow

# Art. 4.1: the member categories; (a), (c), (d) must always be filled.
MEMBER_CATEGORIES = tuple("abcdefghijklmno")
ALWAYS_REQUIRED_CATEGORIES = ("a", "c", "d")
INVITED = "invited"  # Art. 4.2-4.3: the Prefect, the Chief Judge, others by topic (advisory)
INVITED_KINDS = ("prefect", "chief_judge", "topic_guest")

# Seats with a duty in the regulation.
SEATS = ("chair", "secretariat_municipality", "secretariat_police", "secretariat_prosecution",
         "technical_secretariat")
INSTITUTION_KINDS = ("municipality", "municipal_council", "police", "prosecution", "court", "prefecture",
                     "education", "health", "social_services", "civil_emergencies", "chamber_of_commerce",
                     "religious_community", "civil_society", "school", "media", "business", "national_agency",
                     "other")


class Institution(Audited, db.Model):
    """Global (reviewed): public institutions are public information. One that serves several
    municipalities (a Local Police Directorate, a District Prosecutor's Office) is one row,
    linked from each municipality through CouncilInstitution."""

    __national_input__ = True  # cached results depend on it (caching.stamps)
    __tablename__ = "institutions"
    __table_args__ = (UniqueConstraint("name", "county_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    county_id: Mapped[int | None] = mapped_column(ForeignKey("counties.id"))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(String(300))
    shared: Mapped[bool] = mapped_column(default=False)  # curated by the Ministry; serves several municipalities
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CouncilInstitution(TenantOwned, Audited, Timestamped, db.Model):
    """An institution the municipality's council works with."""

    __tablename__ = "council_institutions"
    __table_args__ = (UniqueConstraint("municipality_id", "institution_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id", ondelete="RESTRICT"), index=True)
    linked_at: Mapped[datetime] = mapped_column(default=utcnow)

    institution: Mapped[Institution] = relationship(lazy="joined")


class CouncilEstablishment(TenantOwned, Audited, Timestamped, db.Model):
    """A Municipal Council decision that established the council (or re-adopted or amended its
    regulation). A municipality keeps every such decision (Elbasan's 2016 decision and its 2022
    re-adoption): the one in force on a day is the latest dated on or before it.

    Art. 13: the regulation "enters into force with the approval of the Municipal Council and is
    published on the official website of the municipality": the day and address of that
    publication are recorded (back-datable; the audit trail says who entered them and when)."""

    __tablename__ = "council_establishments"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_number: Mapped[str] = mapped_column(String(40))
    decision_date: Mapped[date]
    regulation_adopted_on: Mapped[date | None]
    regulation_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    decision_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    notes: Mapped[str | None] = mapped_column(Text)
    # the regulation it adopts follows the unified model (the Ministry's roll-out view reads it)
    adopts_unified_model: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    # Art. 13: published on the municipality's official website
    published_on: Mapped[date | None]
    published_url: Mapped[str | None] = mapped_column(String(500))


class CouncilMember(TenantOwned, Audited, Timestamped, db.Model):
    """A member (categories a-o) or an invited participant, with their mandate and substitute."""

    __tablename__ = "council_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(10))  # 'a'..'o' or 'invited'
    invited_kind: Mapped[str | None] = mapped_column(String(20))
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id", ondelete="SET NULL"))
    position: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    mandate_start: Mapped[date]
    mandate_end: Mapped[date | None]
    substitute_name: Mapped[str | None] = mapped_column(String(200))
    substitute_email: Mapped[str | None] = mapped_column(String(254))
    substitute_phone: Mapped[str | None] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Art. 4.1.e: the political party a Municipal Council member of category (e) represents
    party_id: Mapped[int | None] = mapped_column(ForeignKey("municipal_council_parties.id", ondelete="RESTRICT"),
                                                 index=True)

    institution: Mapped[Institution | None] = relationship(lazy="joined")

    def active_on(self, day: date) -> bool:
        return self.mandate_start <= day and (self.mandate_end is None or self.mandate_end >= day)


class CouncilSeat(TenantOwned, Audited, Timestamped, db.Model):
    """Who holds a seat (chair, the three Coordination Secretariat seats, the Technical Secretariat)
    from when to when. One holder per seat at a time; history is kept by end dates."""

    __tablename__ = "council_seats"
    __table_args__ = (
        Index("uq_council_seats_current", "municipality_id", "seat", unique=True,
              postgresql_where=text("ended_on IS NULL"), sqlite_where=text("ended_on IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seat: Mapped[str] = mapped_column(String(40))
    member_id: Mapped[int] = mapped_column(ForeignKey("council_members.id", ondelete="RESTRICT"), index=True)
    started_on: Mapped[date]
    ended_on: Mapped[date | None]

    member: Mapped[CouncilMember] = relationship(lazy="joined")


class MunicipalCouncilSession(TenantOwned, Audited, db.Model):
    """Art. 5.2.d: a session of the Municipal Council at which the chair informed it about the
    council's work. Recorded by the municipality's staff, and back-datable (a session of last year
    entered today): the audit trail says who entered it and when."""

    __tablename__ = "municipal_council_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[date]
    decision_number: Mapped[str] = mapped_column(String(60))  # the decision or minute number
    report_title: Mapped[str] = mapped_column(String(300))    # the report presented
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MunicipalCouncilParty(TenantOwned, Audited, Timestamped, db.Model):
    """Art. 4.1.e: a political party represented in the Municipal Council, from when to when (a
    Municipal Council mandate, or a change within one). The council must have a Municipal Council
    member of category (e) for each party on every day it is represented."""

    __tablename__ = "municipal_council_parties"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    represented_from: Mapped[date]
    represented_until: Mapped[date | None]
    seats: Mapped[int | None]  # the party's seats in the Municipal Council (for information)
    notes: Mapped[str | None] = mapped_column(Text)

    def represented_on(self, day: date) -> bool:
        return self.represented_from <= day and (self.represented_until is None or self.represented_until >= day)
