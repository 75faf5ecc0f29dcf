"""What the regulation asks around a meeting besides the meeting itself, recorded on it:

- Art. 7.5: "The LPSC carries out the work according to the agenda approved by the chairman": the chair
  approves a council meeting's agenda (the day, who; a permission of the chair alone: 403 for others).
  A change of the agenda before the meeting withdraws the approval (the audit trail keeps both).
- Art. 9.5: "The Coordinating Secretariat agrees on the agenda of public meetings and meeting dates
  beforehand": the day the Coordination Secretariat agreed an open consultation.
- Art. 9.4: "The Coordination Secretariat reports to the heads of the institutions and they present on the
  findings": after each of its monitoring meetings, the day its report was sent, to which heads
  (municipality, police, prosecution) and the findings.

Services flush; callers commit. The compliance rules (``compliance.engine``) read these columns.
"""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..accounts import access
from ..accounts.roles import Role
from ..errors import NotAllowed, ValidationFailed
from ..extensions import db
from ..timeutil import local_today, utcnow
from .models import COUNCIL_KINDS, Meeting

# Art. 9.4: the heads of the three institutions the Coordination Secretariat reports to
HEADS = ("municipality", "police", "prosecution")
HEAD_LABELS = {"municipality": _l("the Mayor (head of the municipality)"),
               "police": _l("the head of the police"),
               "prosecution": _l("the head of the prosecution office")}


def is_chair(user, municipality_id: int) -> bool:
    return user is not None and Role.CHAIR in access.municipality_roles(user, municipality_id)


# --- Art. 7.5: the chair approves the agenda ------------------------------------------------------

def approve_agenda(meeting: Meeting, user, approved_on=None) -> Meeting:
    """The chair approves a council meeting's agenda, today or (entered afterwards) on the day given."""
    if not is_chair(user, meeting.municipality_id):
        raise NotAllowed({"agenda": _("Only the chair of the council approves the agenda.")})
    if meeting.kind not in COUNCIL_KINDS:
        raise ValidationFailed({"agenda": _("The chair approves the agenda of council meetings; an open "
                                            "consultation's agenda is agreed by the Coordination Secretariat.")})
    if meeting.status == "cancelled":
        raise ValidationFailed({"agenda": _("This meeting was cancelled; it can no longer be changed.")})
    if not meeting.agenda_items:
        raise ValidationFailed({"agenda": _("The agenda has no items yet: add them before approving it.")})
    meeting.agenda_approved_on, meeting.agenda_approved_at = approved_on or local_today(), utcnow()
    meeting.agenda_approved_by_id = user.id
    db.session.flush()
    return meeting


def agenda_changed(meeting: Meeting) -> None:
    """An agenda changed before its meeting is no longer the one the chair approved."""
    from .services import local_now

    if meeting.agenda_approved_on is not None and meeting.starts_at > local_now():
        meeting.agenda_approved_on = meeting.agenda_approved_at = meeting.agenda_approved_by_id = None


def agenda_approver(meeting: Meeting) -> str | None:
    from ..accounts.models import User

    if meeting.agenda_approved_by_id is None:
        return None
    user = db.session.get(User, meeting.agenda_approved_by_id)
    return user.name if user else None


# --- Art. 9.5: the Coordination Secretariat agrees a public meeting beforehand ---------------------

def record_agreement(meeting: Meeting, agreed_on, *, user_id: int | None) -> Meeting:
    if meeting.kind != "open_consultation":
        raise ValidationFailed({"agreed_on": _("The Coordination Secretariat agrees the agenda and the date of "
                                               "public meetings (open consultations).")})
    if meeting.status == "cancelled":
        raise ValidationFailed({"agreed_on": _("This meeting was cancelled; it can no longer be changed.")})
    meeting.secretariat_agreed_on = agreed_on
    meeting.secretariat_agreed_by_id = user_id
    db.session.flush()
    return meeting


# --- Art. 9.4: the Coordination Secretariat reports to the heads ------------------------------------

def record_report(meeting: Meeting, sent_on: date, recipients: list[str], findings: str, *,
                  user_id: int | None) -> Meeting:
    """The report of a Coordination Secretariat meeting to the heads of the three institutions
    (``SecretariatReportSchema``'s clean data)."""
    if meeting.kind != "secretariat_monitoring":
        raise ValidationFailed({"report": _("The report to the heads follows a Coordination Secretariat "
                                            "monitoring meeting.")})
    if meeting.status != "held":
        raise ValidationFailed({"report": _("Record the meeting as held first: the report follows it.")})
    if sent_on < meeting.starts_at.date():
        raise ValidationFailed({"sent_on": _("The report is sent after the meeting, not before it.")})
    meeting.report_sent_on, meeting.report_findings = sent_on, findings
    meeting.report_recipients = [h for h in HEADS if h in recipients]
    meeting.report_recorded_by_id = user_id
    db.session.flush()
    return meeting


# --- Art. 9.4, second half: the heads present the findings ------------------------------------------

def record_presentation(meeting: Meeting, presented_by: str, *, at_meeting_id: int | None = None,
                        presented_on: date | None = None, user_id: int | None) -> Meeting:
    """Which head presented the findings of a Coordination Secretariat report, and where: at a regular council
    meeting of the municipality held on or after the day the report was sent, or (elsewhere) on a day
    (``PresentationSchema``'s clean data)."""
    from .services import get_meeting

    if meeting.kind != "secretariat_monitoring":
        raise ValidationFailed({"presented_by": _("The heads present the findings of a Coordination Secretariat "
                                                  "monitoring meeting.")})
    if meeting.report_sent_on is None:
        raise ValidationFailed({"presented_by": _("Record the report to the heads first: they present its "
                                                  "findings.")})
    where, day, field = None, presented_on, "presented_on"
    if at_meeting_id is not None:
        where, field = get_meeting(at_meeting_id), "meeting_id"
        if where is None or where.municipality_id != meeting.municipality_id or where.kind != "council":
            raise ValidationFailed({field: _("Choose a regular council meeting of this municipality.")})
        if where.status != "held" or where.starts_at.date() > local_today():
            raise ValidationFailed({field: _("Choose a council meeting that was held.")})
        day = where.starts_at.date()
    if day < meeting.report_sent_on:
        raise ValidationFailed({field: _("The findings are presented after the report was sent, not before.")})
    meeting.findings_presented_by = presented_by
    meeting.findings_presented_meeting_id = where.id if where is not None else None
    meeting.findings_presented_on = None if where is not None else day
    meeting.findings_presented_recorded_by_id = user_id
    db.session.flush()
    return meeting


def presentation_day(meeting: Meeting) -> date | None:
    """The day the findings were presented: the council meeting's day, or the day given."""
    from .services import get_meeting

    if meeting.findings_presented_meeting_id is not None:
        where = get_meeting(meeting.findings_presented_meeting_id)
        return where.starts_at.date() if where is not None else None
    return meeting.findings_presented_on


def presentation_candidates(meeting: Meeting) -> list[Meeting]:
    """The regular council meetings held on or after the day the report was sent (the page's choice)."""
    if meeting.report_sent_on is None:
        return []
    return list(db.session.scalars(select(Meeting).where(
        Meeting.municipality_id == meeting.municipality_id, Meeting.kind == "council", Meeting.status == "held",
        Meeting.starts_at >= datetime.combine(meeting.report_sent_on, datetime.min.time()))
        .order_by(Meeting.starts_at)))


# --- a document attached to the report's findings ------------------------------------------------------

FINDINGS_DOCUMENT_TYPES = frozenset({"pdf", "docx", "odt", "doc", "xlsx", "ods", "xls", "txt", "png", "jpg", "jpeg"})


def attach_findings_document(meeting: Meeting, filename: str, data, *, uploaded_by_id: int | None,
                             title: str | None = None, field: str = "file"):
    """Check (document types only), store and link a document with the findings of the report to the heads
    (Art. 9.4); a new one replaces the link (the earlier file stays in the documents, the audit trail keeps
    both links)."""
    from ..documents.services import store_document

    if meeting.kind != "secretariat_monitoring" or meeting.report_sent_on is None:
        raise ValidationFailed({field: _("Record the report to the heads first: the document goes with its "
                                         "findings.")})
    document = store_document(title or _("Findings of the Coordination Secretariat: %(title)s",
                                         title=meeting.title)[:200],
                              filename, data, uploaded_by_id=uploaded_by_id, kind="documents",
                              allowed=set(FINDINGS_DOCUMENT_TYPES))
    meeting.findings_document_id = document.id
    db.session.flush()
    return document
