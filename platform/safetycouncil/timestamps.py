"""``updated_at`` on the records that the API lists: when a row was created or last changed (naive UTC,
like every timestamp column). Set on insert and on every UPDATE of the row, ORM or bulk statement
(SQLAlchemy applies ``onupdate`` to both); the API's ``updated_since`` reads it (api/paging.py)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from .timeutil import utcnow


class Timestamped:
    updated_at: Mapped[datetime | None] = mapped_column(default=utcnow, onupdate=utcnow, index=False)
