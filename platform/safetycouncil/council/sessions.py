"""Art. 5.2.d: the chair informs the Municipal Council about the council's work at least once a year.

A session of the Municipal Council is recorded with its date, its decision or minute number and the
report presented. It may be entered after the fact (last year's session, entered today): the audit
trail says who entered it and when. Its input is ``schemas.MunicipalCouncilSessionSchema``.
"""
from __future__ import annotations

from ..extensions import db
from .models import MunicipalCouncilSession


def record_session(data: dict, *, user_id: int | None) -> MunicipalCouncilSession:
    """Record a session from the schema's clean data (the caller commits)."""
    session = MunicipalCouncilSession(**data, recorded_by_id=user_id)
    db.session.add(session)
    db.session.flush()
    return session


def list_sessions() -> list[MunicipalCouncilSession]:
    return list(db.session.execute(db.select(MunicipalCouncilSession).order_by(
        MunicipalCouncilSession.held_on.desc())).scalars())
