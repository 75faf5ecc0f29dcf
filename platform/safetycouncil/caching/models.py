"""Data stamps: one random token per municipality (and one for the national inputs) that changes
in the same transaction as any change of that municipality's records."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow


class DataStamp(db.Model):
    """Global (reviewed): holds no data of any municipality, only "something changed" tokens.

    ``key`` is ``municipality:<id>`` or ``national``. Not audited: it changes with every write and
    is derived from changes that are themselves audited."""

    __tablename__ = "data_stamps"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    stamp: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
