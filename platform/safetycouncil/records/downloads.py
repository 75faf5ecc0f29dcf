"""The records as documents (PDF, Word): minutes, a decision, the press release.

Each builder returns an ``exports.ExportDocument`` in the current locale; callers render
it under ``flask_babel.force_locale`` for the language asked (``?lang=sq|en``).
"""
from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _

from ..exports import ExportDocument, Section, Table, paragraphs
from ..extensions import db
from ..locales import language as current_language
from ..meetings.models import Meeting
from ..municipalities.models import Municipality
from . import services
from .models import Decision, PressRelease

LANGUAGES = ("sq", "en")


def language(raw: str | None) -> str:
    """The language asked for (``?lang=``), else the reader's own."""
    if raw in LANGUAGES:
        return raw
    current = current_language()
    return current if current in LANGUAGES else "sq"


def _municipality(municipality_id: int) -> Municipality:
    return db.session.get(Municipality, municipality_id)


def _header(meeting: Meeting) -> list[str]:
    municipality = _municipality(meeting.municipality_id)
    lines = [_("Local Public Safety Council of %(name)s", name=municipality.name),
             _("Meeting: %(title)s", title=meeting.title),
             services.format_meeting_time(meeting)]
    if meeting.location:
        lines.append(_("Place: %(place)s", place=meeting.location))
    return lines


def _lang() -> str:
    return current_language()


def minutes_document(meeting: Meeting, version: int | None = None) -> ExportDocument:
    """The minutes (the current text, or an earlier version), with the agenda and the participants."""
    chosen = services.minutes_version(meeting, version) if version else services.current_minutes(meeting)
    agenda = services.agenda_items(meeting)
    attendance = services.all_attendance(meeting)
    rows = [[services.participant_name(a) or "—",
             _("Member") if a.member_id is not None else _("Guest"),
             str(services.ATTENDANCE_LABELS.get(a.status, a.status))] for a in attendance]
    decisions = services.list_decisions(meeting_id=meeting.id)
    sections = [
        Section(_("Agenda"), paragraphs=[f"{i}. {item.title}" for i, item in enumerate(agenda, start=1)],
                empty=_("No agenda items were recorded.")),
        Section(_("Participants"), table=Table([_("Name"), _("Role"), _("Attendance")], rows, widths=(5, 1, 1)),
                empty=_("No attendance was recorded.")),
        Section(_("Minutes"), paragraphs=paragraphs(chosen.text) if chosen else [],
                empty=_("No minutes have been written yet.")),
    ]
    if decisions:
        sections.append(Section(_("Decisions"), paragraphs=[
            _("Decision no. %(number)s: %(title)s", number=d.number, title=d.title) for d in decisions]))
    if chosen:
        footer = _("Minutes, version %(version)d of %(date)s", version=chosen.version,
                   date=services.format_when(chosen.created_at))
    else:
        footer = _("Minutes: not written yet")
    return ExportDocument(title=_("Minutes of the meeting"), subtitle=_header(meeting), sections=sections,
                          footer=footer, language=_lang())


def decision_document(decision: Decision, version: int | None = None) -> ExportDocument:
    meeting = db.session.get(Meeting, decision.meeting_id)
    chosen = next((v for v in decision.versions if v.version == version), None) if version else None
    chosen = chosen or (decision.versions[-1] if decision.versions else None)
    if decision.adopted_by_consensus:
        adoption = _("Adopted by consensus of the members present (Art. 7.7).")
    else:
        adoption = _("Recorded as not adopted by consensus.")
    if decision.signed_by_chair_on:
        signature = _("Signed by the chair on %(date)s.", date=format_date(decision.signed_by_chair_on, "long"))
    else:
        signature = _("Not yet signed by the chair.")
    sections = [
        Section(decision.title, paragraphs=paragraphs(chosen.text) if chosen else [], empty=_("No text.")),
        Section(_("Adoption and signature"), paragraphs=[adoption, signature]),
    ]
    footer = _("Decision no. %(number)s, text version %(version)d", number=decision.number,
               version=chosen.version if chosen else 0)
    return ExportDocument(title=_("Decision no. %(number)s", number=decision.number), subtitle=_header(meeting),
                          sections=sections, footer=footer, language=_lang())


def press_release_document(meeting: Meeting, release: PressRelease | None) -> ExportDocument:
    values = services.release_values(meeting, release)
    municipality = _municipality(meeting.municipality_id)
    subtitle = [_("Local Public Safety Council of %(name)s", name=municipality.name), _("Press release")]
    if release is not None and release.published_at is not None:
        subtitle.append(_("Published on %(date)s", date=services.format_when(release.published_at)))
        footer = _("Press release of the meeting of %(date)s", date=format_date(meeting.starts_at.date(), "long"))
    else:
        subtitle.append(_("Draft: not published"))
        footer = _("Draft press release: not published")
    sections = [Section(str(services.PRESS_CONTENT_HEADINGS[key]), paragraphs=paragraphs(values[key]),
                        empty=_("(not written yet)")) for key in services.PRESS_CONTENTS]
    return ExportDocument(title=values["title"], subtitle=subtitle, sections=sections, footer=footer,
                          language=_lang())
