"""Reminders by e-mail, through the schedule (``schedule.py``) or ``jobs.enqueue``.

* ``send_reminders_job`` (every working morning): one digest per person per day with the
  obligations of their councils that fall due in one of the Ministry's lead times (working days:
  5 and 1 by default) or were missed on the previous working day. Only the people who act get
  them: the technical secretary, the chair, the Coordination Secretariat's members.
* ``send_weekly_digest_job`` (Monday mornings): for each Prefecture (its county) and the Ministry
  (every council): what became overdue in the week, what was fixed, who is at risk.

Nothing is sent twice: each (person, kind, day) is claimed in ``obligation_reminders_sent`` (unique)
before the mail goes and marked sent after it. A second or retried run finds the claim and sends
nothing; a claim left 'sending' by a killed worker is taken up again once it is older than
``INVITATION_STUCK_MINUTES`` (the mail may then go twice only if the worker died between the SMTP
server accepting it and the row being marked, as for invitations). A mail the SMTP server refused
releases its claim, so the next run sends it.

Each mail is in the person's language first, then the other one (Albanian and English).
"""
from __future__ import annotations

import logging
import smtplib
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from flask import current_app, render_template
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from .. import mail, timeutil, workdays
from ..accounts.models import RoleAssignment, User
from ..accounts.roles import Role
from ..extensions import db
from ..locales import force_locale
from ..municipalities.models import County, Municipality
from ..timeutil import utcnow
from . import services
from .models import ReminderSent

log = logging.getLogger(__name__)

ACTING_ROLES = {
    "technical_secretary": {Role.TECHNICAL_SECRETARY},
    "chair": {Role.CHAIR},
    "coordination_secretariat": {Role.SECRETARIAT_MUNICIPALITY, Role.SECRETARIAT_POLICE,
                                 Role.SECRETARIAT_PROSECUTION},
}
LANGUAGES = ("sq", "en")


def _as_of(day: date) -> datetime:
    """Reminders are judged at 07:00 in Albania on their day."""
    return datetime.combine(day, time(7, 0), tzinfo=timeutil.LOCAL_TIMEZONE)


def reason(ob: services.Obligation, today: date, conf: services.Settings, off) -> str | None:
    """Why ``ob`` is in today's digest: 'lead' (a lead time before its due day), 'overdue' (missed on
    the previous working day), or None."""
    if ob.state == services.OVERDUE:
        if conf.remind_day_after and workdays.working_days_between(ob.due_day, today, off) == 1:
            return "overdue"
        return None
    if ob.state in (services.DUE_SOON, services.UPCOMING) and ob.due_day >= today:
        if workdays.working_days_between(today, ob.due_day, off) in conf.reminder_days:
            return "lead"
    return None


# --- the sent log --------------------------------------------------------------------------------

def _stuck_minutes() -> int:
    return int(current_app.config.get("INVITATION_STUCK_MINUTES", 15))


def claim(user_id: int, kind: str, day: date, items: int) -> bool:
    """Take the right to send this person's ``kind`` mail of ``day``. Commits."""
    db.session.add(ReminderSent(user_id=user_id, kind=kind, day=day, status="sending", claimed_at=utcnow(),
                                items=items))
    try:
        db.session.commit()
        return True
    except IntegrityError:
        db.session.rollback()
    cutoff = utcnow() - timedelta(minutes=_stuck_minutes())
    taken = db.session.execute(
        update(ReminderSent).where(ReminderSent.user_id == user_id, ReminderSent.kind == kind,
                                   ReminderSent.day == day, ReminderSent.status == "sending",
                                   ReminderSent.claimed_at < cutoff)
        .values(claimed_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return taken == 1


def _mark(user_id: int, kind: str, day: date, sent: bool) -> None:
    where = (ReminderSent.user_id == user_id, ReminderSent.kind == kind, ReminderSent.day == day)
    if sent:
        db.session.execute(update(ReminderSent).where(*where).values(status="sent", sent_at=utcnow())
                           .execution_options(synchronize_session=False))
    else:  # refused by the server: release the claim, the next run sends it
        db.session.execute(delete(ReminderSent).where(*where).execution_options(synchronize_session=False))
    db.session.commit()


def _send_once(person: User, kind: str, day: date, items: int, build) -> bool:
    """Claim, build (in the person's language, then the other), send, mark. True when sent now."""
    if not claim(person.id, kind, day, items):
        return False
    first = person.locale if person.locale in LANGUAGES else "sq"
    parts, subject = [], ""
    for language in (first, *[lang for lang in LANGUAGES if lang != first]):
        with force_locale(language):
            s, text = build()
            subject = subject or s
            parts.append(text.strip())
    body = "\n\n----------------------------------------\n\n".join(parts) + "\n"
    try:
        mail.send(mail.Mail(to=[person.email], subject=subject, text=body))
    except (smtplib.SMTPException, OSError) as exc:
        log.warning("obligation %s mail to user %s not sent: %s", kind, person.id, exc)
        _mark(person.id, kind, day, sent=False)
        return False
    _mark(person.id, kind, day, sent=True)
    return True


# --- the daily digest ---------------------------------------------------------------------------

def _acting_people(municipality_ids) -> dict[int, list[tuple[User, set[str]]]]:
    """municipality id -> [(person, the obligation roles they act in)]."""
    rows = db.session.execute(
        select(RoleAssignment.municipality_id, RoleAssignment.role, User)
        .join(User, User.id == RoleAssignment.user_id)
        .where(RoleAssignment.municipality_id.in_(list(municipality_ids)), User.active.is_(True))).all()
    out: dict[int, dict[int, tuple[User, set[str]]]] = defaultdict(dict)
    for mid, role, user in rows:
        acts = {name for name, roles in ACTING_ROLES.items() if role in roles}
        if acts:
            out[mid].setdefault(user.id, (user, set()))[1].update(acts)
    return {mid: list(people.values()) for mid, people in out.items()}


def daily_items(day: date) -> dict[int, tuple[User, list[tuple[Municipality, services.Obligation, str]]]]:
    """person id -> (person, [(council, obligation, reason)]) for ``day``."""
    off = services.days_off()
    conf = services.settings()
    municipalities = list(db.session.execute(select(Municipality).where(Municipality.active.is_(True))
                                             .order_by(Municipality.name)).scalars())
    ids = [m.id for m in municipalities]
    obligations = services.obligations_for(ids, now=_as_of(day))
    people = _acting_people(ids)
    out: dict[int, tuple[User, list]] = {}
    for m in municipalities:
        due = [(ob, why) for ob in obligations[m.id] if (why := reason(ob, day, conf, off))]
        if not due:
            continue
        for person, acts in people.get(m.id, []):
            mine = [(m, ob, why) for ob, why in due if ob.due.role in acts]
            if mine:
                out.setdefault(person.id, (person, []))[1].extend(mine)
    return out


def send_reminders_job(today: str | None = None) -> int:
    """Job (no tenant; every morning): one digest per person whose obligations fall due at a lead time or
    were missed yesterday. Idempotent. Returns how many e-mails went out in this run."""
    day = date.fromisoformat(today) if today else timeutil.local_today()
    if not workdays.is_working_day(day, services.days_off()):
        return 0
    base = current_app.config["BASE_URL"]
    sent = 0
    for person, items in daily_items(day).values():
        def build(person=person, items=items):
            subject = _("KVSP: obligations to act on, %(date)s", date=format_date(day, "d MMMM yyyy"))
            lines = [{"council": m.name, "sentence": services.sentence(ob), "overdue": why == "overdue",
                      "article": ob.due.article, "url": base + services.link(ob, m.slug)} for m, ob, why in items]
            text = render_template("obligations/mail/digest.txt", person=person, lines=lines, day=day)
            return subject, text

        if _send_once(person, "daily", day, len(items), build):
            sent += 1
    return sent


# --- the weekly digest for the Prefectures and the Ministry ------------------------------------

def weekly_picture(municipality_ids, day: date) -> dict:
    """What became overdue in the seven days before ``day``, what was fixed in them, who is at risk."""
    since = day - timedelta(days=7)
    by_id = services.obligations_for(municipality_ids, now=_as_of(day))
    overdue, fixed, at_risk = [], [], []
    for mid in municipality_ids:
        for ob in by_id[mid]:
            if ob.state == services.OVERDUE and since <= ob.due_day < day:
                overdue.append(ob)
            done = ob.due.done_at
            if ob.state == services.DONE and done is not None and not ob.due.on_time \
                    and since <= done.date() < day:
                fixed.append(ob)
            if ob.at_risk:
                at_risk.append(ob)
    return {"overdue": overdue, "fixed": fixed, "at_risk": at_risk}


def _oversight_people() -> list[tuple[User, County | None]]:
    rows = db.session.execute(
        select(RoleAssignment.role, RoleAssignment.county_id, User).join(User, User.id == RoleAssignment.user_id)
        .where(RoleAssignment.role.in_([Role.MINISTRY, Role.PREFECTURE]), User.active.is_(True))).all()
    counties = {c.id: c for c in db.session.execute(select(County)).scalars()}
    return [(user, counties.get(county_id) if role == Role.PREFECTURE else None) for role, county_id, user in rows]


def send_weekly_digest_job(today: str | None = None) -> int:
    """Job (no tenant; Monday mornings): the week's digest to each Prefecture and the Ministry."""
    day = date.fromisoformat(today) if today else timeutil.local_today()
    week = day - timedelta(days=day.weekday())
    base = current_app.config["BASE_URL"]
    municipalities = list(db.session.execute(select(Municipality).where(Municipality.active.is_(True))
                                             .order_by(Municipality.name)).scalars())
    pictures: dict[int | None, dict] = {}
    sent = 0
    for person, county in _oversight_people():
        key = county.id if county else None
        if key not in pictures:
            ids = [m.id for m in municipalities if county is None or m.county_id == county.id]
            pictures[key] = weekly_picture(ids, day) if ids else {"overdue": [], "fixed": [], "at_risk": []}
        picture = pictures[key]

        def build(person=person, county=county, picture=picture):
            def lines(obs):
                return [{"council": ob.municipality.name, "sentence": services.sentence(ob),
                         "rule": services.rule_label(ob.rule), "since": format_date(ob.due_day, "d MMMM"),
                         "url": base + services.link(ob, ob.municipality.slug)} for ob in obs]
            scope_name = _("Prefecture of %(name)s", name=county.name) if county else _("Ministry of Interior")
            subject = _("KVSP: the week's obligations, %(scope)s", scope=scope_name)
            console = f"{base}/prefecture/{county.slug}/obligations" if county else f"{base}/national/obligations"
            text = render_template("obligations/mail/weekly.txt", person=person, scope_name=scope_name,
                                   overdue=lines(picture["overdue"]), fixed=lines(picture["fixed"]),
                                   at_risk=lines(picture["at_risk"]), console=console,
                                   since=format_date(day - timedelta(days=7), "d MMMM"),
                                   until=format_date(day - timedelta(days=1), "d MMMM"))
            return subject, text

        items = sum(len(v) for v in picture.values())
        if _send_once(person, "weekly", week, items, build):
            sent += 1
    return sent
