"""A private iCalendar feed of a council's obligations, at a secret per-person address.

Only the SHA-256 of the token is stored; the address is shown once, when it is made. Revoking it
(or losing one's role in the council, or a disabled account) makes it answer 404.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, timedelta

from flask import current_app
from icalendar import Calendar, Event
from sqlalchemy import select

from ..accounts import access
from ..accounts.models import User
from ..extensions import db
from ..municipalities.models import Municipality
from ..timeutil import utcnow
from . import services
from .models import CalendarFeed

PRODID = "-//KVSP platform//Obligations//SQ"
UID_DOMAIN = "kvsp-platform"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def active_feed(user_id: int) -> CalendarFeed | None:
    return db.session.execute(select(CalendarFeed).where(CalendarFeed.user_id == user_id,
                                                         CalendarFeed.revoked_at.is_(None))).scalars().first()


def revoke(user_id: int) -> int:
    rows = db.session.execute(select(CalendarFeed).where(CalendarFeed.user_id == user_id,
                                                         CalendarFeed.revoked_at.is_(None))).scalars().all()
    for row in rows:
        row.revoked_at = utcnow()
    db.session.flush()
    return len(rows)


def create(user_id: int) -> str:
    """A new secret address for the person in the current council (an older one is revoked)."""
    revoke(user_id)
    token = secrets.token_urlsafe(32)
    db.session.add(CalendarFeed(user_id=user_id, token_hash=_hash(token)))
    db.session.flush()
    return token


def feed_for_token(token: str) -> CalendarFeed | None:
    if not token or len(token) > 100:
        return None
    return db.session.execute(select(CalendarFeed).where(CalendarFeed.token_hash == _hash(token),
                                                         CalendarFeed.revoked_at.is_(None))).scalar_one_or_none()


def still_allowed(user_id: int, municipality_id: int) -> bool:
    user = db.session.get(User, user_id)
    return user is not None and user.active and bool(access.municipality_roles(user, municipality_id))


def calendar_bytes(obligations, municipality: Municipality) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"KVSP {municipality.name}")
    cal.add("x-wr-timezone", "Europe/Tirane")
    base = current_app.config["BASE_URL"]
    stamp = utcnow().replace(tzinfo=UTC)
    for ob in obligations:
        if ob.state == services.DONE:
            continue
        d = ob.due
        event = Event()
        event.add("uid", f"obligation-{municipality.id}-{d.rule}-{d.key}@{UID_DOMAIN}".replace(" ", ""))
        event.add("dtstamp", stamp)
        event.add("dtstart", d.due.date())
        event.add("dtend", d.due.date() + timedelta(days=1))
        event.add("summary", services.sentence(ob))
        event.add("description", f"{services.rule_label(d.rule)} ({d.article})\n{base}{services.link(ob, municipality.slug)}")
        event.add("url", f"{base}{services.link(ob, municipality.slug)}")
        event.add("categories", [ob.state])
        if ob.state == services.WAIVED:
            event.add("status", "CANCELLED")
        cal.add_component(event)
    return cal.to_ical()
