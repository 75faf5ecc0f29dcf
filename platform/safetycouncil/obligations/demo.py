"""Demo obligations: the Ministry's reminder settings (5 and 1 working days before, the day after, needs
attention after 5 working days overdue), and in a lagging council of the county of Elbasan (Peqin) one overdue
obligation waived by its chair, with the reason. The obligations themselves come from the other
areas' demo records: exemplary councils have nothing overdue; lagging ones (Cërrik, Belsh, Peqin...
in the county of Elbasan) have overdue obligations that the Prefecture of Elbasan sees.
Up to date councils (``UP_TO_DATE``: Gramsh in the county of Elbasan, Vorë, Pogradec) get what their demo
records lack under the rules as the articles read them (materials with the invitation, the audio recording,
the plan's publication, the approved monitoring reports), so that they have nothing overdue.
Idempotent: settings already saved, a waiver already there, records already complete are left as they are."""
from __future__ import annotations

from sqlalchemy import select

from ..accounts.models import User
from ..extensions import db
from ..tenancy import tenant
from . import services
from .models import Waiver

WAIVED_IN = "peqin"
UP_TO_DATE = ("gramsh", "vore", "pogradec")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\x00" * 64
WAIVER_REASON = ("Mbledhja e Sekretariatit të Koordinimit nuk u mbajt: anëtarët ishin në stërvitjen e përbashkët "
                 "të emergjencave civile; temat u trajtuan në mbledhjen e muajit pasues.")


def load_demo(municipalities) -> None:
    from ..demo import DEMO_DOMAIN

    if services.settings_row() is None:
        ministry = db.session.execute(select(User.id).where(User.email == f"ministria@{DEMO_DOMAIN}")).scalar()
        services.save_settings("5, 1", 5, True, updated_by_id=ministry)
        db.session.commit()
    for m in municipalities:
        if m.slug in UP_TO_DATE:
            with tenant(m.id):
                _complete(m)
                db.session.commit()
    municipality = next((m for m in municipalities if m.slug == WAIVED_IN), None)
    if municipality is None:
        return
    overdue = [o for o in services.obligations_of(municipality.id) if o.state == services.OVERDUE
               and o.rule == "monthly-monitoring"]
    if not overdue:
        return
    chair = db.session.execute(select(User.id).where(User.email == f"kryetari.{WAIVED_IN}@{DEMO_DOMAIN}")).scalar()
    with tenant(municipality.id):
        if db.session.execute(select(Waiver.id)).first() is None:
            ob = overdue[0]
            services.waive(municipality.id, ob.rule, ob.due.key, WAIVER_REASON, user_id=chair,
                           open_keys={(ob.rule, ob.due.key)})
        db.session.commit()


def _complete(municipality) -> None:
    """Fill in what the council's overdue obligations ask for, dated on time."""
    from datetime import datetime, time, timedelta

    from ..documents.services import store_document
    from ..meetings.models import AgendaItem, AgendaMaterial, Meeting
    from ..plans.models import MonitoringReport, PlanVersion

    for ob in services.obligations_of(municipality.id):
        if ob.state != services.OVERDUE:
            continue
        d, facts = ob.due, ob.due.facts
        if d.rule == "invitation-notice" and d.subject_id and facts.get("no_materials"):
            meeting = db.session.get(Meeting, d.subject_id)
            item = meeting.agenda_items[0] if meeting.agenda_items else None
            if item is None:
                item = AgendaItem(meeting_id=meeting.id, position=1, title="Plani vendor shumë-agjencior")
                db.session.add(item)
                db.session.flush()
            doc = store_document(f"Materialet: {meeting.title}", f"materialet-{meeting.id}.pdf", PDF,
                                 uploaded_by_id=None)
            db.session.add(AgendaMaterial(agenda_item_id=item.id, document_id=doc.id))
        elif d.rule == "records" and d.subject_id and facts.get("missing") == ["audio"]:
            meeting = db.session.get(Meeting, d.subject_id)
            doc = store_document(f"Regjistrimi audio: {meeting.title}", f"regjistrimi-{meeting.id}.mp3", MP3,
                                 uploaded_by_id=None, kind="audio", allowed={"mp3"})
            meeting.audio_document_id = doc.id
        elif d.rule == "plan-published" and d.subject_id and facts.get("date"):
            approved = datetime.fromisoformat(facts["date"]).date()
            for version in db.session.execute(select(PlanVersion).where(PlanVersion.plan_id == d.subject_id)
                                              ).scalars():
                if version.approved_on == approved and version.published_on is None:
                    version.published_on = approved + timedelta(days=2)
                    version.published_url = f"https://{municipality.slug}.gov.al/kvsp/plani-{approved.year}"
        elif d.rule == "monitoring-report" and d.period_start and d.period_end:
            approved_at = datetime.combine(d.period_end + timedelta(days=12), time(9, 0))
            db.session.add(MonitoringReport(kind="monitoring", period_start=d.period_start, period_end=d.period_end,
                                            status="approved", generated_at=approved_at - timedelta(days=2),
                                            approved_at=approved_at,
                                            summary="Raporti i monitorimit të planit për gjashtëmujorin."))
        db.session.flush()
