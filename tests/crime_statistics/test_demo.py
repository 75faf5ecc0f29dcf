"""The demo loader: 36 months for every area, deterministic, idempotent; Elbasan has one revised and
one missing month."""
from sqlalchemy import func, select


def test_demo_statistics_are_plausible_idempotent_and_show_a_revision_and_a_gap(app, in_tenant, municipality_id):
    from safetycouncil.areas.models import Area
    from safetycouncil.crime_statistics import demo
    from safetycouncil.crime_statistics.models import CrimeCount, CrimeStatisticsUpload
    from safetycouncil.crime_statistics.services import month_statuses
    from safetycouncil.extensions import db
    from safetycouncil.municipalities.models import Municipality
    from safetycouncil.tenancy import tenant

    with in_tenant("elbasan") as session:
        session.add_all([Area(name="Elbasan", kind="administrative_unit"), Area(name="Lagjja Kala", kind="neighbourhood"),
                         Area(name="Shtëpëz", kind="village")])
    with in_tenant("cerrik") as session:
        session.add(Area(name="Cërrik", kind="administrative_unit"))
    with app.app_context():
        municipalities = db.session.execute(select(Municipality).where(
            Municipality.slug.in_(["elbasan", "cerrik", "fier"]))).scalars().all()
        demo.load_demo(municipalities)
        demo.load_demo(municipalities)  # idempotent
        with tenant(municipality_id("elbasan"), read_only=True):
            statuses = month_statuses()
            assert len(statuses) == 36
            assert [s.status for s in statuses].count("missing") == 1
            assert [s.status for s in statuses].count("revised") == 1
            assert db.session.execute(select(func.count()).select_from(CrimeStatisticsUpload)).scalar() == 36
            total = db.session.execute(select(func.sum(CrimeCount.count)).where(CrimeCount.is_current.is_(True))).scalar()
            assert 35 * 20 < total < 35 * 400
        with tenant(municipality_id("cerrik"), read_only=True):
            assert [s.status for s in month_statuses()].count("published") == 36
        with tenant(municipality_id("fier"), read_only=True):  # no areas: nothing to load
            assert month_statuses() == []
    page = app.test_client().get("/public/elbasan/crime-statistics").get_data(as_text=True)
    assert "Revised months" in page and "Months without figures" in page
