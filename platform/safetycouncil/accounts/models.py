"""Accounts: people, the roles they hold where, their sessions and tokens. Global tables."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..audit.models import Audited
from ..extensions import db
from ..municipalities.models import County, Municipality
from ..timeutil import utcnow
from .roles import COUNTY_ROLES, MUNICIPALITY_ROLES, NATIONAL_ROLES, Role


class User(Audited, UserMixin, db.Model):
    __tablename__ = "users"
    __audit_exclude__ = {"password_hash", "totp_secret", "recovery_codes", "totp_last_step"}

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    locale: Mapped[str] = mapped_column(String(5), default="sq")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    # Two-factor sign-in (TOTP, RFC 6238): the shared secret, set at enrolment and confirmed by a
    # first code (totp_enabled_at); the last time step accepted (a code is never accepted twice);
    # the recovery codes, each a SHA-256 hash, one per line, removed when used.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None]
    recovery_codes: Mapped[str | None] = mapped_column(Text)

    roles: Mapped[list["RoleAssignment"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin",
        foreign_keys="RoleAssignment.user_id",
    )

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class RoleAssignment(Audited, db.Model):
    """One role held by a person: nationally, in a county, or in a municipality."""

    __tablename__ = "role_assignments"
    __table_args__ = (
        UniqueConstraint("user_id", "role", "municipality_id", "county_id"),
        CheckConstraint(
            "(role IN ({m}) AND municipality_id IS NOT NULL AND county_id IS NULL)"
            " OR (role IN ({c}) AND county_id IS NOT NULL AND municipality_id IS NULL)"
            " OR (role IN ({n}) AND municipality_id IS NULL AND county_id IS NULL)".format(
                m=", ".join(f"'{r}'" for r in sorted(MUNICIPALITY_ROLES)),
                c=", ".join(f"'{r}'" for r in sorted(COUNTY_ROLES)),
                n=", ".join(f"'{r}'" for r in sorted(NATIONAL_ROLES)),
            ),
            name="role_scope",
        ),
        Index("ix_role_assignments_municipality", "municipality_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipalities.id"))
    county_id: Mapped[int | None] = mapped_column(ForeignKey("counties.id"))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(back_populates="roles", foreign_keys=[user_id])
    municipality: Mapped[Municipality | None] = relationship(lazy="joined")
    county: Mapped[County | None] = relationship(lazy="joined")

    @property
    def role_enum(self) -> Role:
        return Role(self.role)


class UserSession(db.Model):
    """A signed-in browser session, revocable on the server."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    user_agent: Mapped[str | None] = mapped_column(String(300))


class AccountToken(db.Model):
    """A one-time link: an invitation to set a first password, or a password reset."""

    __tablename__ = "account_tokens"

    INVITATION = "invitation"
    PASSWORD_RESET = "password_reset"
    # Not a link: an administrator's leave to set up two-factor sign-in at the next sign-in
    # (its token_hash is random, never sent). Without it, or an invitation or reset link,
    # the password alone does not enrol a second factor.
    TWO_FACTOR_ENROLMENT = "two_factor_enrol"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class ApiToken(db.Model):
    """A bearer token for /api/v1, stored hashed, with an expiry; revocable."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
