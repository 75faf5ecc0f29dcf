"""Feeds: Atom (RFC 4287) for press releases and notices of upcoming public meetings, per municipality
and nationally; iCalendar (RFC 5545) for a municipality's public meetings.

Only what ``public.services`` returns is ever put in a feed."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from flask import Response, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..meetings.models import Meeting
from ..municipalities.models import Municipality
from ..records.models import PressRelease
from ..tenancy.context import read_across_tenants
from ..timeutil import LOCAL_TIMEZONE as TIMEZONE
from ..timeutil import utcnow
from . import services

ATOM = "http://www.w3.org/2005/Atom"
NATIONAL_LIMIT = 50


@dataclass
class Entry:
    id: str
    title: str
    link: str
    updated: datetime  # UTC, naive
    summary: str
    category: str
    author: str


def _stamp(value: datetime) -> str:
    return value.replace(microsecond=0).isoformat() + "Z"


def _release_entry(release: PressRelease, meeting: Meeting, municipality: Municipality) -> Entry:
    link = url_for("public.press_release", municipality=municipality.slug, release_id=release.id, _external=True)
    return Entry(id=link, title=release.title, link=link, updated=release.published_at,
                 summary=release.agenda_summary, category=_("Press release"),
                 author=_("Local Public Safety Council of %(name)s", name=municipality.name))


def _notice_entry(meeting: Meeting, municipality: Municipality) -> Entry:
    from ..meetings.services import KIND_LABELS
    from ..records.services import format_meeting_time

    page = url_for("public.municipality", municipality=municipality.slug, _external=True)
    agenda = services.agenda_titles(meeting)
    summary = f"{KIND_LABELS[meeting.kind]}: {format_meeting_time(meeting)}"
    if meeting.location:
        summary += f", {meeting.location}"
    if agenda:
        summary += ". " + _("Agenda") + ": " + "; ".join(agenda)
    return Entry(id=f"{page}#meeting-{meeting.id}", title=_("Notice: %(title)s", title=meeting.title),
                 link=f"{page}#meeting-{meeting.id}", updated=min(meeting.created_at, utcnow()),
                 summary=summary, category=_("Notice of a public meeting"),
                 author=_("Local Public Safety Council of %(name)s", name=municipality.name))


def _atom(feed_id: str, title: str, self_url: str, page_url: str, entries: list[Entry]) -> Response:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = feed_id
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _stamp(max((e.updated for e in entries), default=utcnow()))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", type="application/atom+xml", href=self_url)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=page_url)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = _("Local Public Safety Councils")
    for e in entries:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = e.id
        ET.SubElement(entry, f"{{{ATOM}}}title").text = e.title
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=e.link)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _stamp(e.updated)
        ET.SubElement(entry, f"{{{ATOM}}}category", term=e.category)
        entry_author = ET.SubElement(entry, f"{{{ATOM}}}author")
        ET.SubElement(entry_author, f"{{{ATOM}}}name").text = e.author
        ET.SubElement(entry, f"{{{ATOM}}}summary", type="text").text = e.summary
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8", xml_declaration=False)
    return Response(body, mimetype="application/atom+xml")


def municipality_feed(municipality: Municipality) -> Response:
    entries = [_release_entry(r, m, municipality) for r, m in services.press_releases(NATIONAL_LIMIT)]
    entries += [_notice_entry(m, municipality) for m in services.upcoming_meetings()]
    entries.sort(key=lambda e: e.updated, reverse=True)
    return _atom(url_for("public.municipality_feed", municipality=municipality.slug, _external=True),
                 _("Local Public Safety Council of %(name)s: press releases and notices", name=municipality.name),
                 url_for("public.municipality_feed", municipality=municipality.slug, _external=True),
                 url_for("public.municipality", municipality=municipality.slug, _external=True), entries)


def national_feed() -> Response:
    """The latest press releases and notices of every council, read across municipalities (read-only)."""
    municipalities = {m.id: m for m in db.session.execute(
        select(Municipality).where(Municipality.active.is_(True))).scalars()}
    now = services.local_now()
    with read_across_tenants(list(municipalities)):
        releases = db.session.execute(
            select(PressRelease, Meeting).join(Meeting, Meeting.id == PressRelease.meeting_id)
            .where(PressRelease.published_at.is_not(None))
            .order_by(PressRelease.published_at.desc(), PressRelease.id.desc()).limit(NATIONAL_LIMIT)).all()
        notices = db.session.execute(
            select(Meeting).where(Meeting.kind.in_(services.PUBLIC_MEETING_KINDS), Meeting.status == "planned",
                                  Meeting.starts_at >= now)
            .order_by(Meeting.created_at.desc(), Meeting.id.desc()).limit(NATIONAL_LIMIT)).scalars().all()
        entries = [_release_entry(r, m, municipalities[r.municipality_id]) for r, m in releases]
        entries += [_notice_entry(m, municipalities[m.municipality_id]) for m in notices]
    entries.sort(key=lambda e: e.updated, reverse=True)
    home = url_for("public.home", _external=True)
    self_url = url_for("public.national_feed", _external=True)
    return _atom(self_url, _("Local Public Safety Councils: press releases and notices"), self_url, home,
                 entries[:NATIONAL_LIMIT])


def meetings_calendar(municipality: Municipality) -> Response:
    """The public meetings (council meetings and open consultations) as iCalendar: what the public page
    published (``services.calendar_meetings``), agenda titles only, no materials, the public page as the
    link. A cancelled meeting stays, with STATUS:CANCELLED and a higher SEQUENCE."""
    from datetime import date

    from icalendar import Calendar, Event

    from ..meetings.calendar import PRODID, meeting_uid
    from ..meetings.services import KIND_LABELS

    meetings = services.calendar_meetings()
    page = url_for("public.municipality", municipality=municipality.slug, _external=True)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Local Public Safety Council of %(name)s: public meetings",
                                   name=municipality.name))
    calendar.add("x-wr-timezone", "Europe/Tirane")
    stamp = utcnow().replace(tzinfo=UTC)
    for meeting in meetings:
        event = Event()
        event.add("uid", meeting_uid(meeting))
        event.add("dtstamp", stamp)
        event.add("dtstart", meeting.starts_at.replace(tzinfo=TIMEZONE))
        event.add("dtend", meeting.ends_at.replace(tzinfo=TIMEZONE))
        event.add("summary", meeting.title)
        if meeting.location:
            event.add("location", meeting.location)
        agenda = "\n".join(f"{n}. {t}" for n, t in enumerate(services.agenda_titles(meeting), start=1))
        event.add("description", f"{KIND_LABELS[meeting.kind]}\n\n" +
                  (f"{_('Agenda')}:\n{agenda}" if agenda else _("The agenda has not been set yet.")))
        event.add("url", f"{page}#meeting-{meeting.id}")
        event.add("status", "CANCELLED" if meeting.status == "cancelled" else "CONFIRMED")
        event.add("sequence", meeting.calendar_sequence or 0)
        event.add("categories", [str(KIND_LABELS[meeting.kind])])
        calendar.add_component(event)
    if meetings:
        first = min(m.starts_at for m in meetings).year - 1
        last = max(m.ends_at for m in meetings).year + 2
        calendar.add_missing_timezones(first_date=date(first, 1, 1), last_date=date(last, 1, 1))
    return Response(calendar.to_ical(), mimetype="text/calendar", headers={
        "Content-Disposition": f'inline; filename="kvsp-{municipality.slug}.ics"'})
