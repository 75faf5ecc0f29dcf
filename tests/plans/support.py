"""Building blocks for the plan tests and the isolation sweep: approval decisions, institutions,
and a small approved plan with progress and a generated report."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import select

from safetycouncil.areas.models import Area
from safetycouncil.concerns.models import Concern, RiskCategory
from safetycouncil.council.models import Institution
from safetycouncil.plans.models import (
    InstitutionOfficer,
    MonitoringReport,
    Plan,
    PlanActivity,
    PlanActivityInstitution,
    PlanFunding,
    PlanIndicator,
    PlanItem,
    PlanVersion,
    ProgressEntry,
    ProgressValue,
)
from safetycouncil.records.models import Decision
from tests import factories as make


def decision(session, when: datetime, number: str | None = None, kind: str = "council",
             signed: bool = True) -> Decision:
    """A decision of a council meeting held at ``when``, signed by the chair (what an approval needs)."""
    held = make.meeting(session, kind, when)
    return make.decision(session, held.id, number or f"{uuid.uuid4().hex[:6]}/{when.year}",
                         title="Miratimi i planit shumë-agjencior", signed_by_chair_on=when.date() if signed else None)


def institution(session, name: str, kind: str = "other") -> Institution:
    row = Institution(name=name, kind=kind, shared=False)
    session.add(row)
    session.flush()
    return row


POLICE = "Elbasan Police Directorate/ Police Station"
PROSECUTION = "Prosecutor’s Office of the Judicial District"
MUNICIPALITY = "Municipality of Elbasan"
SHEET_INSTITUTIONS = (POLICE, PROSECUTION, MUNICIPALITY, "Department of Education", "NGOs",
                      "Community representatives")


def known_institutions(session, slug: str = "elbasan", names=SHEET_INSTITUTIONS) -> dict[str, Institution]:
    """The institutions the Elbasan sheet names, known in the municipality's county (an import never
    creates institutions)."""
    from safetycouncil.municipalities.models import Municipality

    county_id = session.execute(select(Municipality.county_id).where(Municipality.slug == slug)).scalar_one()
    found = {}
    for name in names:
        row = session.execute(select(Institution).where(Institution.name == name,
                                                        Institution.county_id == county_id)).scalar_one_or_none()
        if row is None:
            row = Institution(name=name, kind="other", county_id=county_id, shared=False)
            session.add(row)
            session.flush()
        found[name] = row
    return found


def after_today(days: int = 1, hour: int = 10) -> datetime:
    """A council meeting's time after today (Albania): approvals take decisions of meetings held after the
    draft was created."""
    from safetycouncil.timeutil import local_today

    return datetime.combine(local_today() + timedelta(days=days), datetime.min.time()).replace(hour=hour)


def area(session) -> Area:
    found = session.execute(select(Area).order_by(Area.id)).scalars().first()
    if found is None:
        found = Area(name="Qendër", kind="neighbourhood")
        session.add(found)
        session.flush()
    return found


def category(session, code: str = "domestic_violence") -> RiskCategory:
    from safetycouncil.concerns.services import ensure_default_categories

    ensure_default_categories()
    return session.execute(select(RiskCategory).where(RiskCategory.code == code)).scalar_one()


def concern(session, text: str = "Ndriçimi i rrugës pranë shkollës mungon", status: str = "accepted") -> Concern:
    row = Concern(text=text, source_kind="school", area_id=area(session).id, category_id=category(session).id,
                  channel="meeting" if status == "accepted" else "online", status=status)
    session.add(row)
    session.flush()
    return row


def plan_graph(session, tag: str) -> dict:
    """An approved plan (created once per municipality) with an item, an activity of an institution,
    an indicator, funding, a progress entry, an officer link and a generated report."""
    plan = session.execute(select(Plan)).scalars().first()
    if plan is None:
        from safetycouncil.accounts.models import User
        from safetycouncil.plans.reports import generate_report

        when = datetime(2025, 2, 3, 10, 0)
        approval = decision(session, when)
        plan = Plan(year=2025, title=f"Plani {tag} 2025")
        session.add(plan)
        session.flush()
        version = PlanVersion(plan_id=plan.id, number=1, status="approved", approved_decision_id=approval.id,
                              approved_meeting_id=approval.meeting_id, approved_on=when.date())
        session.add(version)
        session.flush()
        item = PlanItem(version_id=version.id, key=uuid.uuid4().hex, position=1, number="1.5",
                        issue=f"Dhuna në familje ({tag})", intensity="high")
        session.add(item)
        session.flush()
        activity = PlanActivity(item_id=item.id, key=uuid.uuid4().hex, position=1,
                                description="Krijimi i një baze të dhënash", timing_kind="deadline",
                                timing_value="2025-06-30")
        session.add(activity)
        session.flush()
        police = institution(session, f"Drejtoria Vendore e Policisë {tag} {uuid.uuid4().hex[:4]}", "police")
        session.add(PlanActivityInstitution(activity_id=activity.id, institution_id=police.id, position=1))
        indicator = PlanIndicator(item_id=item.id, key=uuid.uuid4().hex, position=1, name="Raste të raportuara",
                                  unit="raste", baseline=56, target=40, source="DVP")
        session.add(indicator)
        session.add(PlanFunding(activity_id=activity.id, source="municipal_budget", amount=150000, currency="ALL"))
        session.flush()
        monthly = make.meeting(session, "secretariat_monitoring", datetime(2025, 3, 5, 9, 0))
        entry = ProgressEntry(plan_id=plan.id, activity_id=activity.id, activity_key=activity.key,
                              meeting_id=monthly.id, status="in_progress", progress=40, comment="Në punë",
                              reported_on=date(2025, 3, 5))
        session.add(entry)
        session.flush()
        session.add(ProgressValue(entry_id=entry.id, indicator_id=indicator.id, indicator_key=indicator.key,
                                  value=50))
        officer_user = User(email=f"zyrtar-{tag}-{uuid.uuid4().hex[:6]}@test.kvsp.al", name=f"Zyrtar {tag}",
                            password_hash=None)
        session.add(officer_user)
        session.flush()
        session.add(InstitutionOfficer(user_id=officer_user.id, institution_id=police.id))
        report = MonitoringReport(kind="monitoring", plan_id=plan.id, period_start=date(2025, 1, 1),
                                  period_end=date(2025, 6, 30), language="sq", status="queued")
        session.add(report)
        session.flush()
        session.commit()
        generate_report(report.id)
    version = session.execute(select(PlanVersion).where(PlanVersion.plan_id == plan.id)).scalars().first()
    item = session.execute(select(PlanItem).where(PlanItem.version_id == version.id)).scalars().first()
    activity = session.execute(select(PlanActivity).where(PlanActivity.item_id == item.id)).scalars().first()
    return {
        "plan_id": plan.id, "plan_version_id": version.id, "plan_item_id": item.id, "activity_id": activity.id,
        "indicator_id": session.execute(select(PlanIndicator.id).where(PlanIndicator.item_id == item.id)).scalar(),
        "funding_id": session.execute(select(PlanFunding.id).where(PlanFunding.activity_id == activity.id)).scalar(),
        "progress_id": session.execute(select(ProgressEntry.id).where(ProgressEntry.activity_id == activity.id)).scalar(),
        "officer_id": session.execute(select(InstitutionOfficer.id)).scalars().first(),
        "monitoring_report_id": session.execute(select(MonitoringReport.id)).scalars().first(),
    }


# --- the Elbasan plan (roadmap, Table 1) as a spreadsheet --------------------------------------------

ELBASAN_ITEMS = [
    ("1.2", "Dealing with the phenomenon of “the culture of silence” from the institutions of the “triangle”",
     "Moderate Priority",
     "1. Enhance communication and transparency of every institution with citizens on regular basis;\n"
     "2. Hold regular meetings with NGOs and other interest groups on the part of the “triangle” institutions;\n"
     "3. Enhance police communication and partnership with citizens.",
     f"{POLICE};\n{PROSECUTION};\n{MUNICIPALITY}", "Every two months"),
    ("1.4", "Consumption of narcotics, alcohol, and tobacco by youth (during 2021, 63 cases of production and "
            "distribution of narcotics were detected, with 102 perpetrators identified as being involved in these "
            "criminal offenses by the Elbasan Local Police Directorate)",
     "High Priority",
     "1. Develop educational classes on law for young people on the part of the Prosecutor’s Office;\n"
     "2. Improve communication and cooperation between the police, school, students, and parents;\n"
     "3. Hold consultations with community leaders and interest groups.",
     f"{POLICE};\n{PROSECUTION};\n{MUNICIPALITY};\nDepartment of Education", "First 6-month period"),
    ("1.5", "Domestic violence (For year 2021, 56 cases of domestic violence were reported in this municipality/ 7 "
            "criminal offenses fewer than in 2020, statistics from the Elbasan Local Police Directorate) (Updated "
            "from the meeting of the Local Public Safety Council, held on 3 February 2022)",
     "High Priority",
     "1. Hold consultations between the municipality and the NPO to identify problems/priority areas;\n"
     "2. Promote the partnership between the police and community structures/ community liaison;\n"
     "3. The local Elbasan Police Directorate will undertake the creation of a database;\n"
     "4. Establish toll-free numbers for victims of violence and representatives of the Police Station.",
     f"{POLICE};\n{PROSECUTION};\n{MUNICIPALITY};\nNGOs", "All year round"),
    ("1.7", "Hotspots for drug users and distributors or crime offenders (Updated from the meeting of the Local "
            "Public Safety Council, held on 3 February 2022)",
     "High Priority",
     "1. Identify and inform or announce hotspots;\n"
     "2. Improve the surveillance system of cameras in the city;\n"
     "3. Register individuals who attend these areas and ensure inter-institutional cooperation to reduce the "
     "intensity of individual involvement in groups;\n"
     "4. Continuously monitor the dynamics of movement and change of hotspots.",
     f"{POLICE};\n{PROSECUTION};\n{MUNICIPALITY};\nCommunity representatives;\nNGOs", "First 6-month period"),
]
ENGLISH_HEADER = ["No.", "Identified Issue", "Priority", "Activities to be undertaken to address the issue",
                  "Responsible Institution", "Timing"]
ALBANIAN_HEADER = ["Nr.", "Problemi i identifikuar", "Prioriteti", "Aktivitetet", "Institucioni përgjegjës", "Afati"]


def xlsx(rows: list[list], title: str | None = "Table no. 1 Joint inter-institutional plan for crime prevention "
                                                "in Elbasan Municipality") -> bytes:
    """A workbook as municipal staff write one: a title line, a blank line, the header, the rows."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
        sheet.append([])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def elbasan_sheet(header=None, items=None) -> bytes:
    return xlsx([header or ENGLISH_HEADER, *[list(i) for i in (items or ELBASAN_ITEMS)]])


def plan_shape(version) -> list[tuple]:
    """What a plan says, without ids or keys: to compare a plan with its re-import."""
    return [(i.number, i.issue, i.intensity,
             tuple((a.description, tuple(sorted(x.name for x in a.institutions)), a.timing_kind, a.timing_value,
                    a.partners) for a in i.activities),
             tuple((x.name, x.unit, x.baseline, x.target, x.source) for x in i.indicators))
            for i in version.items]
