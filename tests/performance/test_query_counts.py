"""No page's number of SQL queries grows with the amount of data.

Every main page is requested on a small dataset (2 meetings, members, plan items, ... per
municipality) and on a larger one (8 of each, in more municipalities); the number of SQL
statements (savepoints aside) must be the same, on an empty cache (everything computed) and when
served from the cache. A page whose count grows has an N+1. API reads are counted too.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import event, select

from safetycouncil.areas.models import Area
from safetycouncil.concerns.models import Concern, RiskCategory
from safetycouncil.concerns.services import ensure_default_categories as ensure_risk_categories
from safetycouncil.council.models import CouncilEstablishment, CouncilMember, CouncilSeat
from safetycouncil.crime_statistics.categories import ensure_default_categories as ensure_offence_categories
from safetycouncil.crime_statistics.models import CrimeCount, CrimeStatisticsUpload, OffenceCategory
from safetycouncil.extensions import db
from safetycouncil.meetings.models import Invitation
from safetycouncil.plans.models import (
    Plan,
    PlanActivity,
    PlanIndicator,
    PlanItem,
    PlanVersion,
    ProgressEntry,
    ProgressValue,
)
from safetycouncil.records.models import Decision, DecisionVersion, MinutesVersion, PressRelease
from safetycouncil.risks.models import Risk, RiskConcern, RiskRating
from tests import factories as make

YEAR = 2024
CATEGORIES = "abcdefghijklmno"


def build(s, n: int, tag: str) -> dict:
    """A council with ``n`` of everything: members, meetings (agenda, invitations, attendance,
    minutes, decisions, press releases), areas, concerns, risks, a plan with items, activities,
    indicators and monthly progress, and crime statistics for every area and category."""
    s.add(CouncilEstablishment(decision_number=f"45/{tag}", decision_date=date(2019, 3, 1),
                               regulation_adopted_on=date(2019, 3, 1)))
    members = [CouncilMember(full_name=f"Anëtar {i} {tag}", category=CATEGORIES[i % len(CATEGORIES)],
                             email=f"m{i}.{tag}@test.kvsp.al", mandate_start=date(2019, 1, 1))
               for i in range(max(n, 4))]
    s.add_all(members)
    s.flush()
    for seat, member in zip(("chair", "secretariat_municipality", "secretariat_police", "technical_secretariat"),
                            members, strict=False):
        s.add(CouncilSeat(seat=seat, member_id=member.id, started_on=date(2019, 3, 1)))
    areas = [Area(name=f"Njësia {i} {tag}", kind="administrative_unit") for i in range(n)]
    s.add_all(areas)
    s.flush()
    meetings = []
    for i in range(max(n, 3)):
        kind = ("council", "open_consultation", "secretariat_monitoring")[i % 3]
        when = datetime(YEAR, 1 + i % 12, 10 + i % 10, 10, 0)
        m = make.meeting(s, kind, when, title=f"Mbledhja {i} {tag}", location="Bashkia", sent_days_before=10,
                         agenda=[f"Pika {j}" for j in range(n)], attendance=[member.id for member in members[:n]])
        meetings.append(m)
        for member in members[:n]:
            s.add(Invitation(meeting_id=m.id, member_id=member.id, email=member.email, status="sent",
                             sent_at=when - timedelta(days=10)))
        s.add(MinutesVersion(meeting_id=m.id, version=1, text="Procesverbali"))
        d = Decision(meeting_id=m.id, number=f"{tag}/{i}/{YEAR}", title=f"Vendimi {i}",
                     signed_by_chair_on=when.date())
        s.add(d)
        s.flush()
        s.add(DecisionVersion(decision_id=d.id, version=1, text="Teksti i vendimit"))
        s.add(PressRelease(meeting_id=m.id, title=f"Njoftim {i}", time_and_place="10:00, bashkia",
                           participation="Anëtarët", agenda_summary="Plani", discussion_essence="U diskutua",
                           published_at=when + timedelta(hours=4)))
    risk_category = s.execute(select(RiskCategory).order_by(RiskCategory.id)).scalars().first()
    concerns = [Concern(text=f"Shqetësim {i} {tag}", source_kind="citizen", source_name="Banor",
                        area_id=areas[i % n].id, category_id=risk_category.id, meeting_id=meetings[1].id,
                        status="accepted") for i in range(n)]
    s.add_all(concerns)
    s.flush()
    risks = []
    for i in range(n):
        r = Risk(title=f"Risku {i} {tag}", category_id=risk_category.id, area_id=areas[i % n].id, intensity=3,
                 intensity_reason="Vlerësim")
        s.add(r)
        s.flush()
        risks.append(r)
        s.add(RiskRating(risk_id=r.id, intensity=3, reason="Vlerësim", meeting_id=meetings[0].id))
        s.add(RiskConcern(risk_id=r.id, concern_id=concerns[i].id))
    plan = Plan(year=YEAR, title=f"Plani {YEAR} {tag}")
    s.add(plan)
    s.flush()
    version = PlanVersion(plan_id=plan.id, number=1, status="approved", approved_meeting_id=meetings[0].id,
                          approved_on=date(YEAR, 1, 20))
    s.add(version)
    s.flush()
    activities = []
    for i in range(n):
        item = PlanItem(version_id=version.id, key=f"i{i}{tag}", position=i + 1, number=f"1.{i + 1}",
                        issue=f"Çështja {i}", risk_id=risks[i].id, intensity=3)
        s.add(item)
        s.flush()
        indicator = PlanIndicator(item_id=item.id, key=f"n{i}{tag}", position=1, name="Numri", unit="raste",
                                  baseline="0", target="10")
        s.add(indicator)
        for j in range(n):
            a = PlanActivity(item_id=item.id, key=f"a{i}.{j}{tag}", position=j + 1, description=f"Aktiviteti {j}",
                             timing_kind="month", timing_value=str(1 + j % 12))
            s.add(a)
            activities.append((a, indicator))
    s.flush()
    for k, (a, indicator) in enumerate(activities[:n * 2]):
        entry = ProgressEntry(plan_id=plan.id, activity_id=a.id, activity_key=a.key, meeting_id=meetings[2].id,
                              status="in_progress", progress=50, comment="Në zbatim",
                              reported_on=date(YEAR, 1 + k % 12, 28))
        s.add(entry)
        s.flush()
        s.add(ProgressValue(entry_id=entry.id, indicator_id=indicator.id, indicator_key=indicator.key, value=5))
    categories = s.execute(select(OffenceCategory).order_by(OffenceCategory.id)).scalars().all()
    for month in range(1, n + 1):
        upload = CrimeStatisticsUpload(month=date(YEAR, month, 1), source="test")
        s.add(upload)
        s.flush()
        s.add_all(CrimeCount(upload_id=upload.id, month=date(YEAR, month, 1), area_id=area.id,
                             category_id=c.id, count=3 + month) for area in areas for c in categories)
    s.flush()
    return {"meeting": meetings[0].id, "plan": plan.id, "area": areas[0].id}


def _pages(slug: str, ids: dict) -> dict[str, tuple[str, str]]:
    """page name -> (who, url); who is 'ministry', 'staff' or 'public'."""
    return {
        "ministry console": ("ministry", f"/national/?year={YEAR}"),
        "compliance matrix": ("ministry", f"/national/compliance/matrix?year={YEAR}"),
        "council compliance": ("ministry", f"/national/compliance/{slug}?year={YEAR}"),
        "portal home": ("staff", f"/{slug}/"),
        "council": ("staff", f"/{slug}/council/"),
        "meetings list": ("staff", f"/{slug}/meetings/"),
        "meeting page": ("staff", f"/{slug}/meetings/{ids['meeting']}"),
        "plans": ("staff", f"/{slug}/plans/"),
        "plan": ("staff", f"/{slug}/plans/{ids['plan']}"),
        "monitoring board": ("staff", f"/{slug}/plans/monitoring"),
        "concerns": ("staff", f"/{slug}/concerns/"),
        "risks": ("staff", f"/{slug}/risks/"),
        "crime statistics (staff)": ("staff", f"/{slug}/crime-statistics/"),
        "crime statistics (public)": ("public", f"/public/{slug}/crime-statistics"),
        "crime statistics of an area": ("public", f"/public/{slug}/crime-statistics/{ids['area']}"),
        "public municipality page": ("public", f"/public/{slug}/"),
        "national public page": ("public", "/"),
        "API: plans": ("staff-api", f"/api/v1/municipalities/{slug}/plans"),
        "API: compliance of all councils": ("ministry-api", f"/api/v1/compliance?year={YEAR}"),
        "API: compliance of a council": ("ministry-api", f"/api/v1/compliance/{slug}?year={YEAR}"),
    }


def _measure(app, clients: dict, pages: dict) -> dict[str, int]:
    """Statements of each page's first request on an empty cache (everything computed) and of the
    second one (served from the cache): both must not grow with the data."""
    from safetycouncil.caching import cache

    counts: dict[str, int] = {}
    statements: list[str] = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
        cache.clear()
    for name, (who, url) in pages.items():
        client, headers = clients[who] if isinstance(clients[who], tuple) else (clients[who], {})
        client.get(url, headers=headers)  # per-person first-visit work, and the session's first request
        for label in ("cold", "warm"):
            if label == "cold":
                with app.app_context():
                    cache.clear()
            statements.clear()
            event.listen(engine, "before_cursor_execute", listen)
            try:
                response = client.get(url, headers=headers)
            finally:
                event.remove(engine, "before_cursor_execute", listen)
            assert response.status_code == 200, (name, url, response.status_code)
            counts[f"{name} ({label})"] = len([
                s for s in statements if not s.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO"))])
    return counts


def test_no_page_makes_more_queries_on_more_data(app, in_tenant, make_user, login, api_token):
    with app.app_context():
        ensure_risk_categories()
        ensure_offence_categories()
        db.session.commit()
    ministry = make_user("ministry")
    staff = make_user(("technical_secretary", "kukes", None), ("technical_secretary", "elbasan", None))
    clients = {"ministry": app.test_client(), "staff": app.test_client(), "public": app.test_client()}
    login(clients["ministry"], ministry)
    login(clients["staff"], staff)
    api = app.test_client()
    clients["ministry-api"] = (api, api_token(ministry))
    clients["staff-api"] = (api, api_token(staff))

    with in_tenant("kukes") as s:
        small_ids = build(s, 2, "k")
    small = _measure(app, clients, _pages("kukes", small_ids))

    with in_tenant("elbasan") as s:
        large_ids = build(s, 8, "e")
    for slug, tag in (("fier", "f"), ("tirane", "t"), ("korce", "c")):
        with in_tenant(slug) as s:
            build(s, 8, tag)
    large = _measure(app, clients, _pages("elbasan", large_ids))

    report = "\n".join(f"  {name:38} {small[name]:4} -> {large[name]:4}" for name in small)
    print("SQL statements per page, small -> large dataset:\n" + report)
    grown = {name: (small[name], large[name]) for name in small if small[name] != large[name]}
    assert not grown, f"query counts grow with the data (N+1): {grown}\n{report}"
