"""Demo data protection: the Ministry's retention period of citizens' contacts is set (365 days),
so the national data-protection page shows a decision rather than the default. Idempotent: a period
already set (by the demo or by someone trying the page) is left as it is."""
from __future__ import annotations

from sqlalchemy import select

from ..accounts.models import User
from ..extensions import db
from .services import retention_setting, set_contact_retention_days

DEMO_RETENTION_DAYS = 365


def load_demo(municipalities) -> None:
    if retention_setting() is not None:
        return
    from ..demo import DEMO_DOMAIN

    ministry = db.session.execute(select(User.id).where(User.email == f"ministria@{DEMO_DOMAIN}")).scalar()
    set_contact_retention_days(DEMO_RETENTION_DAYS, updated_by_id=ministry)
