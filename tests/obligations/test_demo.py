"""The demo: up to date councils have nothing overdue (Gramsh, in the county of Elbasan); lagging councils of
the county have overdue obligations the Prefecture of Elbasan sees; the Ministry's settings and one waiver
are set; running it again changes nothing."""
from __future__ import annotations

import importlib

from sqlalchemy import func, select

from safetycouncil.areas.models import Area
from safetycouncil.audit.trail import acting_as
from safetycouncil.extensions import db
from safetycouncil.municipalities.models import Municipality
from safetycouncil.obligations import services
from safetycouncil.obligations.models import ObligationSettings, Waiver
from safetycouncil.tenancy import read_across_tenants, tenant

AREAS = ("council", "meetings", "records", "concerns", "risks", "plans", "obligations")


def _load(app, slugs):
    with app.app_context(), acting_as(None, request_id="demo"):
        municipalities = db.session.execute(select(Municipality).where(Municipality.slug.in_(slugs))
                                            .order_by(Municipality.name)).scalars().all()
        for m in municipalities:
            with tenant(m.id):
                if not db.session.execute(select(Area.id)).first():
                    db.session.add(Area(name="Qendër", kind="administrative_unit"))
                db.session.commit()
        for area in AREAS:
            importlib.import_module(f"safetycouncil.{area}.demo").load_demo(municipalities)
            db.session.commit()
        return {m.slug: m.id for m in municipalities}


def test_the_demo_obligations(app, make_user, login):
    make_user("chair", municipality="peqin", email="kryetari.peqin@demo.kvsp.al")
    ids = _load(app, ["gramsh", "peqin", "cerrik"])
    with app.app_context():
        obligations = services.obligations_for(list(ids.values()))
        assert not [o for o in obligations[ids["gramsh"]] if o.state == services.OVERDUE]
        assert [o for o in obligations[ids["cerrik"]] if o.state == services.OVERDUE and o.escalated]
        assert [o for o in obligations[ids["peqin"]] if o.state == services.WAIVED]
        assert db.session.get(ObligationSettings, 1).reminder_days == [5, 1]
    with app.app_context(), read_across_tenants(list(ids.values())):
        waivers = db.session.execute(select(func.count()).select_from(Waiver)).scalar()
    _load(app, ["gramsh", "peqin", "cerrik"])
    with app.app_context(), read_across_tenants(list(ids.values())):
        assert db.session.execute(select(func.count()).select_from(Waiver)).scalar() == waivers == 1
    web = app.test_client()
    login(web, make_user("prefecture", county="elbasan"))
    page = web.get("/prefecture/elbasan/obligations").get_data(as_text=True)
    assert "Cërrik</a>" in page
