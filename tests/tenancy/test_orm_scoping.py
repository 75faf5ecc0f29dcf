"""The ORM layer: every query of tenant-owned data is filtered, or refused without a scope."""
import pytest
from sqlalchemy import func, select, update

from safetycouncil.areas.models import Area
from safetycouncil.extensions import db
from safetycouncil.tenancy import TenantContextError, read_across_tenants, tenant


@pytest.fixture
def two_tenants(app, in_tenant, municipality_id):
    with in_tenant("elbasan") as s:
        s.add_all([Area(name="Bradashesh", kind="administrative_unit"), Area(name="Kala", kind="neighbourhood")])
    with in_tenant("fier") as s:
        s.add(Area(name="Levan", kind="administrative_unit"))
    return municipality_id("elbasan"), municipality_id("fier")


def test_a_query_without_a_tenant_scope_is_refused(app, two_tenants):
    with app.app_context():
        with pytest.raises(TenantContextError):
            db.session.execute(select(Area)).all()
        with pytest.raises(TenantContextError):
            db.session.execute(select(func.count()).select_from(Area)).scalar()


def test_queries_see_only_the_current_municipality(app, two_tenants):
    elbasan, fier = two_tenants
    with app.app_context():
        with tenant(elbasan):
            assert sorted(a.name for a in db.session.execute(select(Area)).scalars()) == ["Bradashesh", "Kala"]
            assert db.session.execute(select(func.count()).select_from(Area)).scalar() == 2
        with tenant(fier):
            levan = db.session.execute(select(Area)).scalar_one()
            assert levan.name == "Levan"
        db.session.expunge_all()
        with tenant(elbasan):
            # by primary key, with a join, with an alias: still nothing of Fier's
            assert db.session.get(Area, levan.id) is None
            parent = db.aliased(Area)
            rows = db.session.execute(select(Area.name, parent.name).outerjoin(parent, parent.id == Area.id)).all()
            assert {r[0] for r in rows} == {"Bradashesh", "Kala"}


def test_bulk_update_cannot_reach_another_municipality(app, two_tenants):
    elbasan, fier = two_tenants
    with app.app_context():
        with tenant(elbasan):
            db.session.execute(update(Area).values(name=Area.name + " (ndryshuar)"))
            db.session.commit()
        with tenant(fier):
            assert db.session.execute(select(Area.name)).scalar_one() == "Levan"


def test_new_rows_are_stamped_with_the_current_municipality(app, two_tenants):
    elbasan, _ = two_tenants
    with app.app_context(), tenant(elbasan):
        area = Area(name="Gjinar", kind="administrative_unit")
        db.session.add(area)
        db.session.commit()
        assert area.municipality_id == elbasan


def test_writing_a_row_of_another_municipality_is_refused(app, two_tenants):
    elbasan, fier = two_tenants
    with app.app_context(), tenant(elbasan):
        db.session.add(Area(name="Intruder", kind="village", municipality_id=fier))
        with pytest.raises(TenantContextError):
            db.session.flush()
        db.session.rollback()


def test_changing_a_row_outside_its_scope_is_refused(app, two_tenants):
    elbasan, fier = two_tenants
    with app.app_context():
        with tenant(fier):
            levan = db.session.execute(select(Area)).scalar_one()
        with tenant(elbasan):
            levan.name = "Moved"
            with pytest.raises(TenantContextError):
                db.session.flush()
            db.session.rollback()


def test_read_only_scope_refuses_writes(app, two_tenants):
    elbasan, _ = two_tenants
    with app.app_context(), tenant(elbasan, read_only=True):
        assert len(db.session.execute(select(Area)).scalars().all()) == 2
        db.session.add(Area(name="Nope", kind="village"))
        with pytest.raises(TenantContextError):
            db.session.flush()
        db.session.rollback()


def test_reading_across_tenants_is_explicit_limited_and_read_only(app, two_tenants):
    elbasan, fier = two_tenants
    with app.app_context():
        with read_across_tenants():
            rows = db.session.execute(select(Area.municipality_id, func.count()).group_by(Area.municipality_id)).all()
            assert dict(rows) == {elbasan: 2, fier: 1}
        with read_across_tenants([fier]):
            assert [a.name for a in db.session.execute(select(Area)).scalars()] == ["Levan"]
        with read_across_tenants():
            with pytest.raises(TenantContextError):
                db.session.execute(update(Area).values(name="x"))
            db.session.add(Area(name="Nope", kind="village", municipality_id=elbasan))
            with pytest.raises(TenantContextError):
                db.session.flush()
            db.session.rollback()


def test_scope_is_restored_after_a_block(app, two_tenants):
    from safetycouncil.tenancy import current_scope

    elbasan, fier = two_tenants
    assert current_scope() is None
    with tenant(elbasan):
        with tenant(fier):
            assert current_scope().municipality_id == fier
        assert current_scope().municipality_id == elbasan
    assert current_scope() is None


def test_subqueries_and_counts_are_scoped_too(app, two_tenants):
    from safetycouncil.municipalities.models import Municipality

    elbasan, fier = two_tenants
    with app.app_context(), tenant(elbasan):
        having_areas = db.session.execute(
            select(Municipality.slug).where(Municipality.id.in_(select(Area.municipality_id)))).scalars().all()
        assert having_areas == ["elbasan"]
        assert db.session.execute(select(func.count(Area.id))).scalar() == 2
