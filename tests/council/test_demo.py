"""The demo councils: every municipality, once; shared institutions exist once per county;
Elbasan is complete; the lagging councils show their gaps."""
from __future__ import annotations

import time

from sqlalchemy import func, select

from safetycouncil.audit.trail import acting_as
from safetycouncil.council import services
from safetycouncil.council.demo import load_demo
from safetycouncil.council.models import CouncilInstitution, CouncilMember, Institution
from safetycouncil.extensions import db
from safetycouncil.municipalities.models import Municipality
from safetycouncil.tenancy import read_across_tenants, tenant


def _load(app) -> float:
    with app.app_context(), acting_as(None, request_id="demo"):
        municipalities = db.session.execute(select(Municipality).order_by(Municipality.name)).scalars().all()
        started = time.perf_counter()
        load_demo(municipalities)
        db.session.commit()
        return time.perf_counter() - started


def test_the_demo_loads_every_council_once(app):
    """Loading twice creates nothing the second time (its speed is measured by scripts/benchmark.py,
    not asserted here: a loaded machine would make a timing assertion fail for no fault)."""
    _load(app)
    with app.app_context(), read_across_tenants():
        members = db.session.execute(select(func.count()).select_from(CouncilMember)).scalar()
        institutions = db.session.execute(select(func.count()).select_from(Institution)).scalar()
    _load(app)
    with app.app_context(), read_across_tenants():
        assert db.session.execute(select(func.count()).select_from(CouncilMember)).scalar() == members
        assert db.session.execute(select(func.count()).select_from(Institution)).scalar() == institutions
        per_municipality = db.session.execute(
            select(CouncilMember.municipality_id, func.count()).group_by(CouncilMember.municipality_id)).all()
    assert len(per_municipality) == 61


def test_shared_institutions_are_one_row_linked_from_each_municipality_of_the_county(app):
    _load(app)
    with app.app_context(), read_across_tenants():
        police = db.session.execute(select(Institution).where(
            Institution.name == "Drejtoria Vendore e Policisë Elbasan")).scalar_one()
        assert police.shared
        linked = db.session.execute(select(Municipality.slug).join(
            CouncilInstitution, CouncilInstitution.municipality_id == Municipality.id)
            .where(CouncilInstitution.institution_id == police.id)).scalars().all()
        assert sorted(linked) == ["belsh", "cerrik", "elbasan", "gramsh", "librazhd", "peqin", "prrenjas"]


def test_elbasan_is_complete_and_some_councils_lag(app, municipality_id):
    _load(app)
    on = services.today()
    with app.app_context(), tenant(municipality_id("elbasan"), read_only=True):
        assert services.composition_gaps(on) == []
        seats = services.current_seats(on)
        assert all(seats.values())
        assert seats["chair"].member.category == "a"
        assert seats["technical_secretariat"].member.full_name == "Kristina Keka"
        establishment = services.get_establishment()
        assert establishment.decision_number == "22" and establishment.regulation_document_id
        assert 15 <= len(services.active_members(on)) <= 30
        assert {m.invited_kind for m in services.invited_participants(on)} >= {"prefect", "chief_judge"}
        assert len(services.seat_history("secretariat_police")) == 2  # a replacement, history kept
    lagging = []
    with app.app_context():
        slugs = db.session.execute(select(Municipality.slug).order_by(Municipality.slug)).scalars().all()
        for slug in slugs:
            with tenant(municipality_id(slug), read_only=True):
                if services.composition_gaps(on) or not services.current_seat_holder("technical_secretariat", on):
                    lagging.append(slug)
    assert 8 <= len(lagging) <= 16 and "elbasan" not in lagging
