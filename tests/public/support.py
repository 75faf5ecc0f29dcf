"""A council with something of everything, published and not: the world of the public-page tests.

Each secret is a unique marker string that must never appear in anything public; each visible
item a string that must. The suppressed crime figure is a number (97, below a threshold of 100).
"""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import select

from tests import factories as make

SECRETS = {
    "draft plan item": "LEAK-DRAFT-PLAN-ITEM-4b1e",
    "draft plan activity": "LEAK-DRAFT-ACTIVITY-77c2",
    "draft plan indicator": "LEAK-DRAFT-INDICATOR-0e93",
    "draft plan title": "LEAK-DRAFT-PLAN-TITLE-8f21",
    "unmoderated concern": "LEAK-UNMODERATED-CONCERN-9a0d",
    "unmoderated concern's contact": "leak-pending-contact-2c7b@example.org",
    "rejected concern": "LEAK-REJECTED-CONCERN-51f3",
    "rejection note": "LEAK-REJECTION-NOTE-63aa",
    "accepted concern's contact": "leak-accepted-contact-3e8a@example.org",
    "accepted concern's source name": "LEAK-SOURCE-NAME-11d0",
    "unpublished press release title": "LEAK-UNPUBLISHED-PRESS-1c6f",
    "unpublished press release essence": "LEAK-UNPUBLISHED-ESSENCE-d4e5",
    "unpublished report summary": "LEAK-UNPUBLISHED-REPORT-7b3c",
    "unpublished report file": "LEAK-REPORT-FILE-CONTENT-a9f8",
    "unpublished report file title": "LEAK-REPORT-FILE-TITLE-5d61",
    "member e-mail": "leak-member-8d2b@example.org",
    "member phone": "+355 69 404 7719",
    "substitute e-mail": "leak-substitute-6a4e@example.org",
    "substitute phone": "+355 68 303 5521",
    "progress comment (internal)": "LEAK-PROGRESS-COMMENT-c0de",
    "secretariat meeting (not public)": "LEAK-SECRETARIAT-MEETING-3f3f",
    "cancelled meeting": "LEAK-CANCELLED-MEETING-e1e1",
    "risk's rating reason (internal)": "LEAK-RATING-REASON-b2b2",
    "unpublished survey wave": "LEAK-UNPUBLISHED-SURVEY-5e7a",
    "draft grant call": "LEAK-DRAFT-GRANT-CALL-3f0a",
    "grant applicant's e-mail": "leak-grant-applicant-77aa@example.org",
    "grant score comment": "LEAK-GRANT-SCORE-COMMENT-91bd",
}
VISIBLE = {
    "member": "Arben Visibli",
    "institution": "Bashkia Elbasan (publike)",
    "upcoming meeting": "Mbledhja e KVSP-së: plani i ri",
    "agenda item": "Rishikimi i planit pas konsultimit",
    "consultation": "Takim i hapur konsultimi me qytetarët",
    "press release": "Njoftim për shtyp: mbledhja e shkurtit",
    "approved item": "Ndriçimi i rrugëve pranë shkollave",
    "approved activity": "Vendosja e ndriçimit në 12 rrugë",
    "indicator": "Rrugë të ndriçuara",
    "superseded item": "Çështja e versionit të mëparshëm",
    "accepted concern": "Rruga pranë shkollës nuk ndriçohet natën",
    "risk": "Rrugë të pandriçuara pranë shkollave",
    "plan title": "Plani shumë-agjencior i Elbasanit",
}
SUPPRESSED_COUNT = 97  # domestic violence in one area, below the threshold of 100
THRESHOLD = 100
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def build_world(app, in_tenant, *, slug: str = "elbasan", crime: bool = True) -> SimpleNamespace:
    """Everything above in ``slug``; returns the ids of what the public routes take."""
    from safetycouncil.areas.models import Area
    from safetycouncil.concerns.models import Concern, RiskCategory
    from safetycouncil.concerns.services import ensure_default_categories as ensure_risk_categories
    from safetycouncil.council.models import CouncilMember, CouncilSeat, Institution
    from safetycouncil.crime_statistics.categories import (
        ensure_default_categories,
        set_disclosure_threshold,
    )
    from safetycouncil.documents.services import store_document
    from safetycouncil.extensions import db
    from safetycouncil.meetings.models import AgendaItem
    from safetycouncil.plans.models import (
        MonitoringReport,
        Plan,
        PlanActivity,
        PlanActivityInstitution,
        PlanIndicator,
        PlanItem,
        PlanVersion,
        ProgressEntry,
    )
    from safetycouncil.records.models import PressRelease
    from safetycouncil.risks.models import Risk, RiskConcern, RiskRating
    from safetycouncil.timeutil import utcnow

    with app.app_context():
        ensure_default_categories()
        ensure_risk_categories()
        set_disclosure_threshold(THRESHOLD, updated_by_id=None)
        db.session.commit()

    ids = SimpleNamespace()
    now = datetime.now().replace(microsecond=0, second=0)
    year = date.today().year
    with in_tenant(slug) as session:
        city = Area(name="Qyteti i Elbasanit", kind="administrative_unit")
        village = Area(name="Fshati Shtëpëz", kind="village")
        session.add_all([city, village])
        session.flush()
        ids.area_ids = [city.id, village.id]

        # the council
        institution = Institution(name=f"{VISIBLE['institution']} {uuid.uuid4().hex[:4]}", kind="municipality")
        session.add(institution)
        session.flush()
        mayor = CouncilMember(full_name=VISIBLE["member"], category="a", institution_id=institution.id,
                              position="Kryetar i Bashkisë", email=SECRETS["member e-mail"],
                              phone=SECRETS["member phone"], substitute_name="Zëvendës Kryetari",
                              substitute_email=SECRETS["substitute e-mail"],
                              substitute_phone=SECRETS["substitute phone"], mandate_start=date(2024, 1, 1))
        session.add(mayor)
        session.flush()
        session.add(CouncilSeat(seat="chair", member_id=mayor.id, started_on=date(2024, 1, 1)))

        # meetings
        upcoming = make.meeting(session, "council", now + timedelta(days=20), title=VISIBLE["upcoming meeting"], status="planned")
        session.add(AgendaItem(meeting_id=upcoming.id, position=1, title=VISIBLE["agenda item"],
                               presenter="Sekretari Teknik"))
        make.meeting(session, "open_consultation", now + timedelta(days=40), title=VISIBLE["consultation"], status="planned")
        make.meeting(session, "secretariat_monitoring", now + timedelta(days=10), title=SECRETS["secretariat meeting (not public)"],
                status="planned")
        cancelled = make.meeting(session, "council", now + timedelta(days=30), title=SECRETS["cancelled meeting"], status="cancelled")
        cancelled.cancelled_reason = SECRETS["cancelled meeting"]
        held = make.meeting(session, "council", now - timedelta(days=30), title="Mbledhja e KVSP-së e shkurtit")
        held_other = make.meeting(session, "council", now - timedelta(days=60), title="Mbledhja e KVSP-së e janarit")

        # press releases
        published = PressRelease(meeting_id=held.id, title=VISIBLE["press release"],
                                 time_and_place="10:00, Salla e Këshillit", participation="Anëtarët e KVSP-së",
                                 agenda_summary="1. Plani", discussion_essence="U miratua plani.",
                                 published_at=utcnow() - timedelta(days=29))
        unpublished = PressRelease(meeting_id=held_other.id, title=SECRETS["unpublished press release title"],
                                   time_and_place="10:00", participation="Anëtarët",
                                   agenda_summary="1. Draft",
                                   discussion_essence=SECRETS["unpublished press release essence"])
        session.add_all([published, unpublished])
        session.flush()
        ids.release_ids = [published.id, unpublished.id]

        # concerns and a risk
        category = session.execute(select(RiskCategory).order_by(RiskCategory.id)).scalars().first()
        accepted = Concern(text=VISIBLE["accepted concern"], source_kind="parent",
                           source_name=SECRETS["accepted concern's source name"], area_id=city.id,
                           category_id=category.id, channel="online", status="accepted",
                           contact=SECRETS["accepted concern's contact"])
        pending = Concern(text=SECRETS["unmoderated concern"], source_kind="citizen", area_id=city.id,
                          category_id=category.id, channel="online", status="pending_moderation",
                          contact=SECRETS["unmoderated concern's contact"])
        rejected = Concern(text=SECRETS["rejected concern"], source_kind="citizen", area_id=city.id,
                           category_id=category.id, channel="online", status="rejected",
                           moderation_note=SECRETS["rejection note"])
        session.add_all([accepted, pending, rejected])
        session.flush()
        risk = Risk(title=VISIBLE["risk"], category_id=category.id, area_id=city.id, intensity="high",
                    intensity_reason=SECRETS["risk's rating reason (internal)"])
        session.add(risk)
        session.flush()
        session.add(RiskRating(risk_id=risk.id, intensity="high", reason=SECRETS["risk's rating reason (internal)"]))
        session.add_all([RiskConcern(risk_id=risk.id, concern_id=accepted.id),
                         RiskConcern(risk_id=risk.id, concern_id=pending.id),
                         RiskConcern(risk_id=risk.id, concern_id=rejected.id)])

        # the plan: version 1 replaced, version 2 approved (in force), version 3 a draft
        plan = Plan(year=year, title=VISIBLE["plan title"])
        session.add(plan)
        session.flush()
        versions = {}
        for number, status in ((1, "superseded"), (2, "approved"), (3, "draft")):
            versions[status] = PlanVersion(plan_id=plan.id, number=number, status=status,
                                           approved_on=date(year, 1, 10 + number) if status != "draft" else None,
                                           note=SECRETS["draft plan title"] if status == "draft" else None)
            session.add(versions[status])
            session.flush()
        ids.version_ids = [v.id for v in versions.values()]
        key_item, key_activity = uuid.uuid4().hex, uuid.uuid4().hex
        contents = {"superseded": (VISIBLE["superseded item"], "Aktivitet i vjetër", "Tregues i vjetër"),
                    "approved": (VISIBLE["approved item"], VISIBLE["approved activity"], VISIBLE["indicator"]),
                    "draft": (SECRETS["draft plan item"], SECRETS["draft plan activity"],
                              SECRETS["draft plan indicator"])}
        activities = {}
        for status, (issue, description, indicator) in contents.items():
            item = PlanItem(version_id=versions[status].id, key=key_item, position=1, number="1.1", issue=issue,
                            risk_id=risk.id, intensity="high")
            session.add(item)
            session.flush()
            activity = PlanActivity(item_id=item.id, key=key_activity, position=1, description=description,
                                    timing_kind="period", timing_value="first_half")
            session.add(activity)
            session.flush()
            activities[status] = activity
            session.add(PlanActivityInstitution(activity_id=activity.id, institution_id=institution.id, position=1))
            session.add(PlanIndicator(item_id=item.id, key=uuid.uuid4().hex, position=1, name=indicator,
                                      unit="rrugë", baseline=0, target=12, source="Bashkia"))
        monthly = make.meeting(session, "secretariat_monitoring", now - timedelta(days=5), title="Takim mujor monitorimi")
        session.add(ProgressEntry(plan_id=plan.id, activity_id=activities["approved"].id, activity_key=key_activity,
                                  meeting_id=monthly.id, status="in_progress", progress=40,
                                  comment=SECRETS["progress comment (internal)"], reported_on=date.today()))

        # monitoring reports: one published, one approved but not published
        public_pdf = store_document("Raporti i monitorimit", "raporti.pdf", PDF, uploaded_by_id=None)
        secret_pdf = store_document(SECRETS["unpublished report file title"], "raporti-2.pdf",
                                    PDF.replace(b"%%EOF", b"%" + SECRETS["unpublished report file"].encode()
                                                + b"\n%%EOF"), uploaded_by_id=None)
        shown = MonitoringReport(kind="monitoring", plan_id=plan.id, period_start=date(year, 1, 1),
                                 period_end=date(year, 6, 30), status="published", summary="Gjashtë muaj.",
                                 pdf_document_id=public_pdf.id, generated_at=utcnow(),
                                 approved_at=utcnow(), published_at=utcnow())
        hidden = MonitoringReport(kind="yearly", plan_id=plan.id, period_start=date(year, 1, 1),
                                  period_end=date(year, 12, 31), status="approved",
                                  summary=SECRETS["unpublished report summary"], pdf_document_id=secret_pdf.id,
                                  generated_at=utcnow(), approved_at=utcnow())
        session.add_all([shown, hidden])
        session.flush()
        ids.report_ids = [shown.id, hidden.id]
        ids.published_report_id = shown.id

        # crime statistics: last month, one suppressed figure
        if crime:
            from safetycouncil.crime_statistics.parsing import read_file
            from safetycouncil.crime_statistics.services import (
                add_months,
                month_key,
                store_upload,
                this_month,
            )

            month = month_key(add_months(this_month(), -1))
            data = (f"muaji,zona,kategoria,numri\n{month},{city.name},theft,12\n"
                    f"{month},{city.name},domestic_violence,{SUPPRESSED_COUNT}\n").encode()
            store_upload(read_file("statistika.csv", data), filename="statistika.csv", uploaded_by_id=None)
    return ids
