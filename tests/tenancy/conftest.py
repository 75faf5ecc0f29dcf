"""Fixtures of the PostgreSQL tenancy tests: a connection as the application role, and one record in
each of two municipalities."""
from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine


@pytest.fixture
def app_engine():
    engine = create_engine(os.environ["KVSP_TEST_PG_APP_URL"])
    yield engine
    engine.dispose()


@pytest.fixture
def seeded(app, in_tenant, municipality_id):
    from safetycouncil.areas.models import Area

    with in_tenant("elbasan") as s:
        s.add(Area(name="Gjergjan", kind="administrative_unit"))
    with in_tenant("fier") as s:
        s.add(Area(name="Mbrostar", kind="administrative_unit"))
    return municipality_id("elbasan"), municipality_id("fier")
