"""Meetings as iCalendar (RFC 5545): the attachment of an invitation and the municipality's feed."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date

from flask import current_app
from flask_babel import gettext as _
from icalendar import Calendar, Event

from ..municipalities.models import Municipality
from ..timeutil import LOCAL_TIMEZONE as TIMEZONE
from ..timeutil import utcnow
from .models import Meeting
from .services import KIND_LABELS

PRODID = "-//KVSP platform//Local Public Safety Councils//SQ"
UID_DOMAIN = "kvsp-platform"


def meeting_uid(meeting: Meeting) -> str:
    """Stable for the meeting's whole life, so a calendar updates the entry instead of adding one."""
    return f"meeting-{meeting.id}@{UID_DOMAIN}"


def meeting_url(meeting: Meeting, municipality: Municipality) -> str:
    return f"{current_app.config['BASE_URL']}/{municipality.slug}/meetings/{meeting.id}"


def material_url(document_id: int, municipality: Municipality) -> str:
    """The portal's download route of a document (signed-in members of the council)."""
    return f"{current_app.config['BASE_URL']}/{municipality.slug}/documents/{document_id}/download"


def agenda_text(meeting: Meeting, municipality: Municipality, *, links: bool = True) -> str:
    lines = []
    for number, item in enumerate(meeting.agenda_items, start=1):
        line = f"{number}. {item.title}"
        if item.presenter:
            line += f" ({item.presenter})"
        lines.append(line)
        if links:
            for material in item.materials:
                lines.append(f"   - {material.document.title}: {material_url(material.document_id, municipality)}")
    return "\n".join(lines)


def meeting_event(meeting: Meeting, municipality: Municipality) -> Event:
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", utcnow().replace(tzinfo=UTC))
    event.add("dtstart", meeting.starts_at.replace(tzinfo=TIMEZONE))
    event.add("dtend", meeting.ends_at.replace(tzinfo=TIMEZONE))
    event.add("summary", meeting.title)
    if meeting.location:
        event.add("location", meeting.location)
    agenda = agenda_text(meeting, municipality)
    description = f"{KIND_LABELS[meeting.kind]}\n\n"
    description += f"{_('Agenda')}:\n{agenda}" if agenda else _("The agenda has not been set yet.")
    event.add("description", description)
    event.add("url", meeting_url(meeting, municipality))
    event.add("status", "CANCELLED" if meeting.status == "cancelled" else "CONFIRMED")
    event.add("sequence", meeting.calendar_sequence or 0)
    event.add("categories", [str(KIND_LABELS[meeting.kind])])
    return event


def calendar_bytes(meetings: Iterable[Meeting], municipality: Municipality, *, name: str | None = None,
                   method: str | None = None) -> bytes:
    meetings = list(meetings)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", "Europe/Tirane")
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, municipality))
    if meetings:
        first = min(m.starts_at for m in meetings).year - 1
        last = max(m.ends_at for m in meetings).year + 2
        calendar.add_missing_timezones(first_date=date(first, 1, 1), last_date=date(last, 1, 1))
    return calendar.to_ical()
