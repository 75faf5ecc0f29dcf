from sqlalchemy import func, select

from safetycouncil.extensions import db
from safetycouncil.municipalities.models import County, Municipality
from safetycouncil.municipalities.provisioning import provision


def _counts():
    return (db.session.execute(select(func.count()).select_from(Municipality)).scalar(),
            db.session.execute(select(func.count()).select_from(County)).scalar(),
            db.session.execute(select(func.count(func.distinct(Municipality.slug)))).scalar())


def test_provisioning_twice_leaves_61_municipalities_in_12_counties(app):
    with app.app_context():
        assert _counts() == (61, 12, 61)
        report = provision()
        assert (report.counties_created, report.municipalities_created, report.updated) == (0, 0, 0)
        provision()
        assert _counts() == (61, 12, 61)


def test_municipalities_sit_in_their_county(app):
    with app.app_context():
        elbasan = db.session.execute(select(Municipality).where(Municipality.slug == "elbasan")).scalar_one()
        assert elbasan.county.iso_code == "AL-03"
        fier = db.session.execute(select(County).where(County.slug == "fier")).scalar_one()
        assert sorted(m.slug for m in fier.municipalities) == [
            "divjake", "fier", "lushnje", "mallakaster", "patos", "roskovec"]
        assert all(m.slug.isascii() for m in db.session.execute(select(Municipality)).scalars())


def test_provisioning_updates_a_renamed_municipality_without_losing_it(app, tmp_path):
    import shutil

    from safetycouncil.municipalities.provisioning import TENANTS_DIR

    shutil.copy(TENANTS_DIR / "counties.csv", tmp_path / "counties.csv")
    text = (TENANTS_DIR / "municipalities.csv").read_text(encoding="utf-8")
    (tmp_path / "municipalities.csv").write_text(text.replace("pustec,Pustec,", "pustec,Pustec (Liqenas),"),
                                                encoding="utf-8")
    with app.app_context():
        before = db.session.execute(select(Municipality.id).where(Municipality.slug == "pustec")).scalar_one()
        assert provision(tmp_path).updated == 1
        renamed = db.session.execute(select(Municipality).where(Municipality.slug == "pustec")).scalar_one()
        assert (renamed.id, renamed.name) == (before, "Pustec (Liqenas)")
        provision()  # back to the real name
        assert _counts() == (61, 12, 61)
