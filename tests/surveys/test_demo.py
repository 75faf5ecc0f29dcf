"""The demo surveys load, twice without change, and Elbasan's public page shows them."""
from sqlalchemy import func, select

from safetycouncil.extensions import db
from safetycouncil.municipalities.models import Municipality
from safetycouncil.surveys.models import SurveyWave
from safetycouncil.tenancy import read_across_tenants


def test_the_demo_surveys(app, client, in_tenant):
    from safetycouncil.areas.models import Area
    from safetycouncil.surveys.demo import load_demo

    for slug in ("elbasan", "fier"):
        with in_tenant(slug) as session:
            for name in ("Qendra", "Kalaja", "Lagjja e Re", "Fshati"):
                session.add(Area(name=f"{name} {slug}", kind="neighbourhood"))
    with app.app_context():
        municipalities = list(db.session.execute(select(Municipality).where(
            Municipality.slug.in_(["elbasan", "fier"]))).scalars())
        for _run in range(2):
            load_demo(municipalities)
            db.session.commit()
        with read_across_tenants():
            assert db.session.execute(select(func.count(SurveyWave.id))).scalar() == 4
    page = client.get("/public/elbasan/").get_data(as_text=True)
    assert 'id="survey-summary"' in page and "Vala e dytë" in page
