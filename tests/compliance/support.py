"""A council built row by row to comply with every rule of the unified model in one year, and the
ways to break each rule (used by the rule tests, the query count and the console tests)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from safetycouncil.council.models import MunicipalCouncilSession
from safetycouncil.council.models import CouncilEstablishment, CouncilMember, CouncilSeat, Institution
from safetycouncil.documents.models import Document
from safetycouncil.meetings.models import AgendaMaterial, Attendance, Meeting
from safetycouncil.plans.models import (
    MonitoringReport,
    Plan,
    PlanActivity,
    PlanActivityInstitution,
    PlanIndicator,
    PlanItem,
    PlanVersion,
)
from safetycouncil.records.models import MinutesVersion
from tests import factories as make

YEAR = 2024


_documents = [0]


def document(s, title="Material") -> Document:
    _documents[0] += 1
    doc = Document(title=title, filename=f"doc{_documents[0]}.pdf", content_type="application/pdf", size_bytes=10,
                   sha256="0" * 64, storage_key=f"test/compliance/{id(s)}/{_documents[0]}/{title}")
    s.add(doc)
    s.flush()
    return doc


def council_meeting(s, when: datetime, tag: str, *, release_hours: float = 2.0, signed=True, status="held"):
    """A held council meeting with everything Art. 7.4, 7.7-7.8, 10.2 and 11 ask for: the agenda with
    its materials, every member present, minutes, the audio recording, decisions adopted by
    consensus, signed and distributed, and the press release."""
    members = s.query(CouncilMember).filter(CouncilMember.category.in_(tuple("abcdefghijklmno"))).all()
    ends_utc = when  # ends at when + 2 hours local; Tirana is UTC+1/+2: +2 in summer, close enough below
    m = make.meeting(s, "council", when, status=status, sent_days_before=10, agenda=["Plani shumë-agjencior"],
                 attendance=[member.id for member in members],
                 press_release=dict(title="Njoftim", time_and_place="10:00, bashkia", participation="Anëtarët",
                                    agenda_summary="Plani", discussion_essence="U diskutua plani",
                                    published_at=ends_utc + timedelta(hours=release_hours)))
    s.add(AgendaMaterial(agenda_item_id=m.agenda_items[0].id, document_id=document(s, "Projekt-plani").id))
    m.audio_document_id = document(s, "Regjistrimi").id
    s.add(MinutesVersion(meeting_id=m.id, version=1, text="Procesverbali", created_at=when + timedelta(days=1)))
    d = make.decision(s, m.id, f"{tag}/{when:%m}/{when.year}", signed_by_chair_on=when.date() if signed else None,
                      distributed_at=when + timedelta(days=2))
    return m, d


def exemplary(s, tag: str, year: int = YEAR, *, skip=()) -> dict:
    """Build a council that complies with every rule in ``year``; ``skip`` leaves parts out."""
    out: dict = {}
    if "establishment" not in skip:
        s.add(CouncilEstablishment(decision_number="45", decision_date=date(2019, 3, 1),
                                   regulation_adopted_on=date(2019, 3, 1), adopts_unified_model=True,
                                   published_on=None if "regulation_publication" in skip else date(2019, 3, 5),
                                   published_url="https://bashkia.example/rregullore"))
    institutions = {kind: Institution(name=f"{kind} {tag}", kind=kind)
                    for kind in ("municipality", "police", "prosecution")}
    s.add_all(institutions.values())
    s.flush()
    members = {}
    for c in "abcdefghijklmno":
        kind = {"a": "municipality", "c": "police", "d": "prosecution"}.get(c)
        m = CouncilMember(full_name=f"Anëtar {c.upper()} {tag}", category=c, mandate_start=date(2019, 1, 1),
                          institution_id=institutions[kind].id if kind else None)
        s.add(m)
        members[c] = m
    staff = {k: CouncilMember(full_name=f"Staf {k} {tag}", category="staff", mandate_start=date(2019, 1, 1),
                              institution_id=institutions["municipality"].id)
             for k in ("municipality", "technical")}
    s.add_all(staff.values())
    s.flush()
    out["members"] = members
    seats = {"chair": members["a"], "secretariat_municipality": staff["municipality"],
             "secretariat_police": members["c"], "secretariat_prosecution": members["d"],
             "technical_secretariat": staff["technical"]}
    for seat, member in seats.items():
        if seat not in skip:
            s.add(CouncilSeat(seat=seat, member_id=member.id, started_on=date(2019, 3, 1)))
    s.flush()
    # open consultations in each half, each followed by a council meeting that approves the plan
    c1 = make.meeting(s, "open_consultation", datetime(year, 2, 9, 17, 0), sent_days_before=10)
    c2 = make.meeting(s, "open_consultation", datetime(year, 9, 20, 17, 0), sent_days_before=10,
                  status="cancelled" if "consultation2" in skip else "held")
    m1, d1 = council_meeting(s, datetime(year, 3, 15, 10, 0), tag)
    m2, d2 = council_meeting(s, datetime(year, 10, 17, 10, 0), tag,
                             status="cancelled" if "meeting2" in skip else "held")
    out.update(consultations=(c1, c2), meetings=(m1, m2), decisions=(d1, d2))
    plan = Plan(year=year, title=f"Plani {year}")
    s.add(plan)
    s.flush()
    approved = "plan" not in skip
    v1 = PlanVersion(plan_id=plan.id, number=1, status="superseded" if approved else "draft",
                     approved_meeting_id=m1.id if approved else None, approved_decision_id=d1.id if approved else None,
                     approved_on=date(year, 3, 15) if approved else None,
                     published_on=date(year, 3, 20) if approved and "publication" not in skip else None,
                     published_url="https://bashkia.example/plani" if approved else None)
    s.add(v1)
    s.flush()
    v2 = PlanVersion(plan_id=plan.id, number=2, status="approved" if approved else "draft", based_on_id=v1.id,
                     consultation_meeting_id=c2.id, approved_meeting_id=m2.id if approved else None,
                     approved_decision_id=d2.id if approved else None,
                     approved_on=date(year, 10, 17) if approved else None)
    s.add(v2)
    s.flush()
    police = Institution(name=f"DVP {tag}", kind="police")
    s.add(police)
    s.flush()
    for version in (v1, v2):
        item = PlanItem(version_id=version.id, key="i1", position=1, number="1", issue="Dhuna në familje",
                        intensity="high")
        s.add(item)
        s.flush()
        act = PlanActivity(item_id=item.id, key="a1", position=1, description="Fushatë ndërgjegjësimi",
                           timing_kind="deadline", timing_value=f"{year}-11-30")
        s.add(act)
        s.flush()
        s.add(PlanActivityInstitution(activity_id=act.id, institution_id=police.id))
        s.add(PlanIndicator(item_id=item.id, key="n1", position=1, name="Raste të raportuara", unit="raste",
                            target=None if "target" in skip else 40))
    out.update(plan=plan, versions=(v1, v2))
    # the Coordination Secretariat meets every month
    for month in range(1, 13):
        if month == 7 and "july" in skip:
            continue
        make.meeting(s, "secretariat_monitoring", datetime(year, month, 5, 9, 0), sent_days_before=10)
    for start, end, approved_at in ((date(year, 1, 1), date(year, 6, 30), datetime(year, 7, 10)),
                                    (date(year, 7, 1), date(year, 12, 31), datetime(year, 12, 30))):
        status = "generated" if ("h2report" in skip and end.month == 12) else "approved"
        s.add(MonitoringReport(kind="monitoring", period_start=start, period_end=end, status=status,
                               approved_at=approved_at if status == "approved" else None))
    if "yearly" not in skip:
        s.add(MunicipalCouncilSession(held_on=date(year, 12, 20), decision_number=f"{tag}-{year}/88",
                                      report_title="Raporti vjetor i KVSP"))
    s.flush()
    agendas_and_reports(s, out, staff, skip)
    return out


def agendas_and_reports(s, out: dict, staff: dict, skip=()) -> None:
    """Art. 7.5, 9.4, 9.5, 8.1, 9.6, 10.2 for the exemplary council: the chair approved each council meeting's
    agenda two weeks before it, the Coordination Secretariat agreed each open consultation ten days before and
    reported to the three heads the day after each of its meetings (the Mayor presented the findings that day); the
    heads attended the consultations and the secretariats the council meetings."""
    members = out["members"]
    for m in out["meetings"]:
        if "agenda_approval" not in skip:
            m.agenda_approved_on = (m.starts_at - timedelta(days=14)).date()
        for person in staff.values():
            s.add(Attendance(meeting_id=m.id, member_id=person.id, status="present"))
    for c in out["consultations"]:
        if "agreement" not in skip:
            c.secretariat_agreed_on = (c.starts_at - timedelta(days=10)).date()
        for category in "acd":
            s.add(Attendance(meeting_id=c.id, member_id=members[category].id, status="present"))
    for m in s.query(Meeting).filter(Meeting.kind == "secretariat_monitoring").all():
        if "reports" not in skip:
            m.report_sent_on = (m.starts_at + timedelta(days=1)).date()
            m.report_recipients = ["municipality", "police", "prosecution"]
            m.report_findings = "Aktivitetet e planit ecin sipas kalendarit."
            if "findings_presented" not in skip:  # Art. 9.4: the Mayor presented them the day they came
                m.findings_presented_by, m.findings_presented_on = "municipality", m.report_sent_on
    s.flush()
