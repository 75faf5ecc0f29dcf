"""Helpers for the API contract tests: Elbasan's demo records (so that generated ids meet real rows),
and the roles that hold a token."""
from __future__ import annotations

import importlib

from sqlalchemy import select


def load_elbasan_demo(app) -> None:
    """The demo's records for Elbasan alone (the whole demo covers 61 municipalities: too slow here)."""
    from safetycouncil import demo
    from safetycouncil.areas.models import Area
    from safetycouncil.audit.trail import acting_as
    from safetycouncil.extensions import db
    from safetycouncil.municipalities.models import Municipality
    from safetycouncil.tenancy import tenant

    with app.app_context():
        elbasan = db.session.execute(select(Municipality).where(Municipality.slug == "elbasan")).scalar_one()
        with acting_as(None, request_id="demo"):
            with tenant(elbasan.id):
                for kind, names in demo.ELBASAN_AREAS.items():
                    for name in names:
                        db.session.add(Area(name=name, kind=kind))
                db.session.flush()
            db.session.commit()
            for area in demo.DEMO_AREAS:
                importlib.import_module(f"safetycouncil.{area}.demo").load_demo([elbasan])
                db.session.commit()
        db.session.remove()


TOKEN_ROLES = [
    ("technical_secretary", {"municipality": "elbasan"}),
    ("member", {"municipality": "elbasan"}),
    ("prefecture", {"county": "elbasan"}),
    ("ministry", {}),
    ("admin", {}),
]
