"""Demo meetings: every municipality, 2021-2026, deterministic, idempotent, and quick."""
from collections import Counter
from datetime import date

from sqlalchemy import func, select

from safetycouncil.extensions import db
from safetycouncil.meetings.demo import council_profile, load_demo
from safetycouncil.meetings.models import AgendaItem, Attendance, Invitation, Meeting
from safetycouncil.municipalities.models import Municipality
from safetycouncil.tenancy import read_across_tenants, tenant

from tests import factories as make


def test_council_profiles():
    for slug in ("elbasan", "tirane", "fier", "shkoder", "korce", "durres", "vlore", "berat"):
        assert council_profile(slug) == "exemplary"
    assert council_profile("belsh") == "exemplary"  # the first of every three, alphabetically
    assert council_profile("bulqize") == "lagging"
    assert council_profile("cerrik") == "exemplary"
    assert council_profile("kukes") == "exemplary"
    assert council_profile("peqin") == "lagging"


def test_the_demo_makes_meetings_for_every_municipality_once(app, in_tenant, municipality_id):
    with in_tenant("elbasan") as session:
        for name, category, email in (("Gledian Llatja", "a", "kryetari@elbasan.example"),
                                      ("Arben Kola", "c", "policia@elbasan.example"),
                                      ("Ilir Prokurori", "d", None), ("Prefekti", "invited", "p@example.al")):
            make.member(session, name, category=category, email=email, mandate_start=date(2020, 1, 1))
    with in_tenant("peqin") as session:
        make.member(session, "Kryetari i Peqinit", email="k@peqin.example", mandate_start=date(2023, 1, 1))
    with app.app_context():
        municipalities = db.session.execute(select(Municipality).order_by(Municipality.name)).scalars().all()
        load_demo(municipalities)  # its time is measured by scripts/benchmark.py, not asserted here
        db.session.commit()
        with read_across_tenants():
            counts = dict(db.session.execute(select(Meeting.municipality_id, func.count()).group_by(
                Meeting.municipality_id)).all())
            total = sum(counts.values())
        assert len(counts) == 61
        load_demo(municipalities)  # again: nothing added
        db.session.commit()
        with read_across_tenants():
            assert db.session.execute(select(func.count()).select_from(Meeting)).scalar() == total

    with app.app_context(), tenant(municipality_id("elbasan")):
        meetings = db.session.execute(select(Meeting)).scalars().all()
        held_councils = Counter(m.starts_at.year for m in meetings if m.kind == "council" and m.status == "held")
        assert all(held_councils[year] >= 2 for year in range(2021, 2026))
        monitoring = Counter(m.starts_at.year for m in meetings if m.kind == "secretariat_monitoring")
        assert monitoring[2024] == 12
        consultations = [m for m in meetings if m.kind == "open_consultation" and m.starts_at.year == 2024]
        assert {m.starts_at.month <= 6 for m in consultations} == {True, False}  # one each half-year
        held = [m for m in meetings if m.status == "held"]
        assert held and all(m.invitation_working_days_late == 0 for m in held)
        assert all(m.invitation_deadline for m in meetings)
        assert db.session.execute(select(func.count()).select_from(AgendaItem)).scalar() >= 2 * len(meetings)
        invited = set(db.session.execute(select(Invitation.member_id)).scalars())
        assert len(invited) == 3  # the members, not the invited participant
        assert db.session.execute(select(func.count()).select_from(Attendance)).scalar() > 0

    with app.app_context(), read_across_tenants():
        lagging_ids = [mid for slug, mid in db.session.execute(select(Municipality.slug, Municipality.id)).all()
                       if council_profile(slug) == "lagging"]
        late = db.session.execute(select(Meeting.invitation_working_days_late).where(
            Meeting.municipality_id.in_(lagging_ids), Meeting.invitation_working_days_late > 0)).scalars().all()
        assert late and set(late) <= {1, 2, 3}
