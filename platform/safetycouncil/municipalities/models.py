"""Counties and municipalities: the tenants and how they group. Global tables."""
from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


class County(db.Model):
    __tablename__ = "counties"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    iso_code: Mapped[str] = mapped_column(String(8), unique=True)

    municipalities: Mapped[list["Municipality"]] = relationship(
        back_populates="county", order_by="Municipality.name"
    )

    def __repr__(self) -> str:
        return f"<County {self.slug}>"


class Municipality(db.Model):
    """A tenant: one municipality, with its Local Public Safety Council."""

    __tablename__ = "municipalities"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)

    county: Mapped[County] = relationship(back_populates="municipalities", lazy="joined")

    def __repr__(self) -> str:
        return f"<Municipality {self.slug}>"
