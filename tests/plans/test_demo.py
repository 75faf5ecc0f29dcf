"""The demo: Elbasan's real plan (roadmap, Table 1) approved at a council meeting, plans for several years
in exemplary councils, incomplete plans (or none) in lagging ones; fast and idempotent."""
from __future__ import annotations

import importlib

from sqlalchemy import func, select

from safetycouncil.areas.models import Area
from safetycouncil.audit.trail import acting_as
from safetycouncil.concerns.models import Concern
from safetycouncil.extensions import db
from safetycouncil.meetings.demo import council_profile
from safetycouncil.meetings.models import COUNCIL_KINDS, Meeting
from safetycouncil.municipalities.models import Municipality
from safetycouncil.plans import services
from safetycouncil.plans.models import (
    InstitutionOfficer,
    MonitoringReport,
    Plan,
    PlanVersion,
    ProgressEntry,
)
from safetycouncil.records.models import Decision
from safetycouncil.risks.models import Risk
from safetycouncil.tenancy import read_across_tenants, tenant

AREAS = ("council", "meetings", "records", "concerns", "risks", "plans")


def _load(app, slugs):
    with app.app_context(), acting_as(None, request_id="demo"):
        municipalities = db.session.execute(select(Municipality).where(Municipality.slug.in_(slugs))
                                            .order_by(Municipality.name)).scalars().all()
        for m in municipalities:
            with tenant(m.id):
                if not db.session.execute(select(Area.id)).first():
                    db.session.add_all([Area(name="Qendër", kind="administrative_unit"),
                                        Area(name="Lagjja Kala", kind="neighbourhood")])
                db.session.commit()
        for area in AREAS:
            importlib.import_module(f"safetycouncil.{area}.demo").load_demo(municipalities)
            db.session.commit()
        return {m.slug: m.id for m in municipalities}


def _counts(app, ids):
    with app.app_context(), read_across_tenants(ids):
        return tuple(db.session.execute(select(func.count()).select_from(model)).scalar()
                     for model in (Concern, Risk, Plan, PlanVersion, ProgressEntry, MonitoringReport))


def test_the_demo_plans(app, make_user):
    lagging = next(slug for slug in ("kukes", "bulqize", "devoll", "has", "klos", "mat", "tropoje")
                   if council_profile(slug) == "lagging")
    make_user("institution_officer", municipality="elbasan")
    ids = _load(app, ["elbasan", "tirane", lagging])  # its time: scripts/benchmark.py, not an assertion
    first = _counts(app, list(ids.values()))
    with app.app_context(), tenant(ids["elbasan"]):
        plans = {p.year: p for p in db.session.execute(select(Plan)).scalars()}
        assert set(plans) >= {2022, 2023, 2024, 2025}
        version = services.versions_of(plans[2022])[0]
        assert version.status in ("approved", "superseded")
        assert [(i.number, i.intensity, len(i.activities)) for i in version.items] == [
            ("1.2", "moderate", 3), ("1.4", "high", 3), ("1.5", "high", 4), ("1.7", "high", 4)]
        assert [(a.timing_kind, a.timing_value) for i in version.items for a in i.activities[:1]] == [
            ("recurrence", "every_two_months"), ("period", "first_half"), ("recurrence", "all_year"),
            ("period", "first_half")]
        assert all(a.institutions for i in version.items for a in i.activities)
        assert version.items[1].activities[0].description.startswith("Zhvillimi i orëve edukative për ligjin")
        decision = db.session.get(Decision, version.approved_decision_id)
        assert db.session.get(Meeting, decision.meeting_id).kind in COUNCIL_KINDS
        assert all(item.risk_id for item in version.items)
        assert db.session.execute(select(func.count()).select_from(ProgressEntry)).scalar() > 20
        assert db.session.execute(select(InstitutionOfficer)).scalars().first() is not None
        statuses = sorted(r.status for r in db.session.execute(select(MonitoringReport)).scalars())
        assert statuses == ["approved", "published"]
    with app.app_context(), tenant(ids["tirane"]):
        versions = db.session.execute(select(PlanVersion)).scalars().all()
        assert len({v.plan_id for v in versions}) >= 3 and any(v.number == 2 for v in versions)
    with app.app_context(), tenant(ids[lagging]):
        plans = db.session.execute(select(Plan)).scalars().all()
        assert len(plans) <= 1
        for plan in plans:
            latest = services.versions_of(plan)[-1]
            assert services.completeness(latest)  # items without indicators
    assert _load(app, ["elbasan", "tirane", lagging]) and _counts(app, list(ids.values())) == first
