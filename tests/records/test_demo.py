"""The demo records: deterministic, idempotent, and true to each council's profile."""
from datetime import datetime, timedelta

from sqlalchemy import func, select

from safetycouncil.extensions import db
from safetycouncil.municipalities.models import Municipality
from safetycouncil.records import demo
from safetycouncil.records.models import Decision, DecisionVersion, MinutesVersion, PressRelease
PRESS_RELEASE_HOURS = 24  # Art. 11, version 1 of the model
from safetycouncil.tenancy import read_across_tenants
from safetycouncil.timeutil import utcnow

from tests import factories as make


def _held_meetings(in_tenant, slug):
    with in_tenant(slug) as session:
        member = make.member(session, "Kryetari", category="a").id
        for i in range(6):
            make.meeting(session, title=f"Mbledhja {i}", starts_at=datetime(2024, 1 + i * 2, 12, 10),
                         agenda=["Plani vendor", "Të ndryshme"], attendance=[member])
        make.meeting(session, title="Konsultim", kind="open_consultation", starts_at=datetime(2024, 4, 3, 17),
                     agenda=["Shqetësimet e qytetarëve"], attendance=[{"guest_name": "Banor i lagjes"}])
        make.meeting(session, title="Pa regjistër", starts_at=datetime(2024, 6, 3, 10))  # no agenda, no attendance
        make.meeting(session, title="Sot", ends_hours_ago=2)
        make.meeting(session, title="E anuluar", status="cancelled", starts_at=datetime(2024, 5, 5, 10))


def _counts(app):
    with app.app_context(), read_across_tenants():
        return tuple(db.session.execute(select(func.count()).select_from(model)).scalar()
                     for model in (MinutesVersion, Decision, DecisionVersion, PressRelease))


def test_the_demo_is_idempotent_and_follows_the_profiles(app, in_tenant):
    slugs = ["elbasan", "cerrik", "belsh", "peqin", "gramsh", "librazhd"]
    lagging = next(s for s in slugs if demo._council_profile(s) == "lagging")
    for slug in ("elbasan", lagging):
        _held_meetings(in_tenant, slug)
    with app.app_context():
        municipalities = db.session.execute(
            select(Municipality).where(Municipality.slug.in_(["elbasan", lagging]))).scalars().all()
        demo.load_demo(municipalities)
        db.session.commit()
    first = _counts(app)
    assert all(first)
    with app.app_context():
        municipalities = db.session.execute(
            select(Municipality).where(Municipality.slug.in_(["elbasan", lagging]))).scalars().all()
        demo.load_demo(municipalities)
        db.session.commit()
    assert _counts(app) == first

    with app.app_context(), read_across_tenants():
        elbasan = db.session.execute(select(Municipality.id).where(Municipality.slug == "elbasan")).scalar_one()
        releases = db.session.execute(select(PressRelease)).scalars().all()
        decisions = db.session.execute(select(Decision)).scalars().all()
        minutes = db.session.execute(select(MinutesVersion)).scalars().all()
        for release in releases:
            assert release.published_at is not None and all(
                (getattr(release, key) or "").strip() for key in
                ("time_and_place", "participation", "agenda_summary", "discussion_essence"))
            assert release.published_late == (release.hours_after_meeting > PRESS_RELEASE_HOURS)
        exemplary_releases = [r for r in releases if r.municipality_id == elbasan]
        assert len(exemplary_releases) == 7  # six council meetings and the consultation; not today's
        assert sum(not r.published_late for r in exemplary_releases) >= 5
        assert all(d.signed_by_chair_on and d.distributed_at for d in decisions if d.municipality_id == elbasan)
        assert len({(d.municipality_id, d.number) for d in decisions}) == len(decisions)
        assert len({m.meeting_id for m in minutes if m.municipality_id == elbasan}) == 9  # every held meeting
        assert all(r.published_at <= utcnow() + timedelta(minutes=1) for r in releases)
