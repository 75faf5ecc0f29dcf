"""Helpers for the council's tests: work inside a municipality, in English (so that the messages
checked here do not depend on the Albanian catalog)."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date

import pytest

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def council(app, municipality_id):
    """``with council("elbasan") as s:`` runs a block inside the municipality, in English, and commits."""
    from flask_babel import force_locale

    from safetycouncil.extensions import db
    from safetycouncil.tenancy import tenant

    @contextmanager
    def scope(slug: str = "elbasan", *, commit: bool = True):
        with app.app_context(), tenant(municipality_id(slug)), force_locale("en"):
            yield db.session
            if commit:
                db.session.commit()

    return scope


def member_data(**overrides) -> dict:
    data = {"full_name": "Arben Hoxha", "category": "k", "mandate_start": date(2024, 1, 1)}
    data.update(overrides)
    return data


# What a page or the API hands the services: the schema's clean data (or its refusal, ValidationFailed).

def create_member(data: dict):
    from safetycouncil.council import schemas, services
    from safetycouncil.schemas import load

    return services.create_member(load(schemas.CouncilMemberSchema(), data))


def create_institution(data: dict):
    from safetycouncil.council import schemas, services
    from safetycouncil.schemas import load

    return services.create_institution(load(schemas.CouncilInstitutionLinkSchema(), data))


def save_establishment(data: dict, **kwargs):
    from safetycouncil.council import schemas, services
    from safetycouncil.schemas import load

    return services.save_establishment(load(schemas.CouncilEstablishmentSchema(), data, partial=True), **kwargs)
