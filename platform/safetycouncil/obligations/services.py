"""Obligations: the unified model's dated dues (``compliance.periods``), in front of the people who act.

One source of truth: every obligation is a ``periods.Due`` built by the compliance engine from the
model version in force, the meetings and the days off; nothing here recomputes a due date. This
module adds what people need to act on them:

* a state as of now: ``done`` (with the record), ``overdue``, ``due_soon`` (within the first
  reminder lead time, in working days), ``upcoming``, or ``waived`` (by the chair, with a reason);
* a sentence in plain words and the address of the page that does it;
* the Ministry's national settings: reminder lead times and the escalation threshold.

Waivers change the work queue and the reminders, never the verdicts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from .. import timeutil, workdays
from ..compliance import periods
from ..compliance.rules import rule_label as compliance_rule_label
from ..errors import ValidationFailed
from ..extensions import db
from ..meetings.models import ExtraDayOff
from ..municipalities.models import Municipality
from ..tenancy import read_across_tenants
from ..timeutil import utcnow
from .models import DEFAULT_ESCALATION_DAYS, DEFAULT_REMINDER_DAYS, MAX_LEAD_DAYS, ObligationSettings, Waiver

DONE, OVERDUE, DUE_SOON, UPCOMING, WAIVED = "done", "overdue", "due_soon", "upcoming", "waived"
STATES = (OVERDUE, DUE_SOON, UPCOMING, DONE, WAIVED)
OPEN_STATES = (OVERDUE, DUE_SOON, UPCOMING)

# Rules that are obligations to act (plan-complete is judged, not dated). Art. 13: the establishment's due is the
# regulation's publication on the official website after each decision, a task like the others.
RULES_WITHOUT_OBLIGATIONS = frozenset({"plan-complete"})


def now_in_albania() -> datetime:
    return timeutil.now_in_albania()


# --- the Ministry's settings ---------------------------------------------------------------------

@dataclass(frozen=True)
class Settings:
    reminder_days: tuple[int, ...]   # working days before the due date, largest first
    remind_day_after: bool           # and on the working day after it was missed
    escalation_days: int             # working days overdue before the Prefecture and the Ministry see it

    @property
    def soon_days(self) -> int:
        """``due_soon``: within the first (largest) lead time."""
        return max(self.reminder_days) if self.reminder_days else 0


def settings() -> Settings:
    row = db.session.get(ObligationSettings, 1)
    days = tuple(row.reminder_days) if row is not None and row.reminder_days else DEFAULT_REMINDER_DAYS
    return Settings(tuple(sorted({int(d) for d in days}, reverse=True)),
                    True if row is None else bool(row.remind_day_after),
                    row.escalation_days if row is not None and row.escalation_days is not None
                    else DEFAULT_ESCALATION_DAYS)


def settings_row() -> ObligationSettings | None:
    return db.session.get(ObligationSettings, 1)


def save_settings(reminder_days, escalation_days, remind_day_after, *, updated_by_id: int | None) -> Settings:
    """Validate and save the national settings (the caller commits); bad input saves nothing."""
    errors = {}
    text = str(reminder_days or "").strip()
    parts = [p for p in re.split(r"[\s,;]+", text) if p]
    if not parts or not all(re.fullmatch(r"[0-9]{1,2}", p) and 0 <= int(p) <= MAX_LEAD_DAYS for p in parts) \
            or len(parts) > 5:
        errors["reminder_days"] = _("Enter up to five whole numbers of working days from 0 to %(max)d, "
                                    "separated by commas (for example 5, 1).", max=MAX_LEAD_DAYS)
    esc = str(escalation_days if escalation_days is not None else "").strip()
    if not re.fullmatch(r"[0-9]{1,2}", esc) or not 1 <= int(esc) <= MAX_LEAD_DAYS:
        errors["escalation_days"] = _("Enter a whole number of working days from 1 to %(max)d.", max=MAX_LEAD_DAYS)
    if errors:
        raise ValidationFailed(errors)
    row = settings_row()
    if row is None:
        row = ObligationSettings(id=1)
        db.session.add(row)
    row.reminder_days = sorted({int(p) for p in parts}, reverse=True)
    row.escalation_days = int(esc)
    row.remind_day_after = bool(remind_day_after)
    row.updated_at = utcnow()
    row.updated_by_id = updated_by_id
    db.session.flush()
    return settings()


def days_off() -> frozenset[date]:
    return frozenset(db.session.execute(select(ExtraDayOff.day)).scalars())


# --- obligations and their states ----------------------------------------------------------------

@dataclass
class Obligation:
    """A Due with its state as of ``now`` and, when waived, the waiver."""

    due: periods.Due
    state: str
    municipality: Municipality | None = None
    waiver: dict | None = None
    overdue_days: int = 0            # working days since the due date (overdue only)
    escalated: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def rule(self) -> str:
        return self.due.rule

    @property
    def due_day(self) -> date:
        return self.due.due.date()

    @property
    def since(self) -> date:
        return self.due_day

    @property
    def at_risk(self) -> bool:
        return bool(self.due.facts.get("at_risk")) and self.state not in (DONE, WAIVED)


def state_of(due: periods.Due, now: datetime, conf: Settings, off: frozenset[date], waived: bool) -> str:
    if due.done_at is not None and due.done_at <= now:
        return DONE
    if waived:
        return WAIVED
    if now > due.due:
        return OVERDUE
    if workdays.working_days_between(now.date(), due.due.date(), off) <= conf.soon_days:
        return DUE_SOON
    return UPCOMING


def _waivers(municipality_ids) -> dict[tuple[int, str, str], Waiver]:
    with read_across_tenants(list(municipality_ids)):
        rows = db.session.execute(select(Waiver).where(Waiver.withdrawn_at.is_(None))).scalars().all()
    return {(w.municipality_id, w.rule, w.key): w for w in rows}


def waived_keys(municipality_id: int, rule: str) -> dict[str, str]:
    """The council's active waivers of ``rule``: key -> reason (for the evidence of a verdict)."""
    return {key: w.reason for (mid, r, key), w in _waivers([municipality_id]).items() if r == rule}


def _years(now: datetime, start: date | None, end: date | None) -> list[int]:
    """The years whose dues are read: the ones ``start..end`` spans (at most 3), else the year before
    (its obligations that fall due this year: the second half's report...) and this one."""
    if start is None and end is None:
        return [now.year - 1, now.year]
    first = (start or end).year
    last = (end or start).year
    first = max(first, last - 2)
    return list(range(first - 1, last + 1))


def obligations_for(municipality_ids, *, now: datetime | None = None, start: date | None = None,
                    end: date | None = None, states=None) -> dict[int, list[Obligation]]:
    """Every obligation of each council, with its state as of ``now``, sorted by due date.

    Without ``start``/``end``: this year's, and those of last year that fall due this year or are
    still open and fell due in the last 60 days (so that the turn of the year hides nothing).
    With them: those due between the two days (inclusive)."""
    ids = sorted(int(i) for i in municipality_ids)
    now = now or now_in_albania()
    if now.tzinfo is None:
        now = now.replace(tzinfo=timeutil.LOCAL_TIMEZONE)
    conf = settings()
    off = days_off()
    waivers = _waivers(ids)
    municipalities = {m.id: m for m in db.session.execute(select(Municipality).where(Municipality.id.in_(ids)))
                      .scalars()}
    out: dict[int, list[Obligation]] = {mid: [] for mid in ids}
    seen: set[tuple[int, str, str]] = set()
    for year in _years(now, start, end):
        if year > now.year + 1:
            continue
        for mid, dues in periods.dues_for(ids, year, now).items():
            for due in dues:
                if due.rule in RULES_WITHOUT_OBLIGATIONS or (mid, due.rule, due.key) in seen:
                    continue
                day = due.due.date()
                if start is not None and day < start or end is not None and day > end:
                    continue
                if start is None and end is None and year < now.year:
                    if day.year < now.year and not (due.done_at is None and (now.date() - day).days <= 60):
                        continue
                seen.add((mid, due.rule, due.key))
                waiver = waivers.get((mid, due.rule, due.key))
                state = state_of(due, now, conf, off, waiver is not None)
                if states and state not in states:
                    continue
                ob = Obligation(due, state, municipalities.get(mid),
                                waiver={"reason": waiver.reason, "by": waiver.waived_by_id,
                                        "at": waiver.waived_at, "id": waiver.id} if waiver else None)
                if state == OVERDUE:
                    ob.overdue_days = workdays.working_days_between(day, now.date(), off)
                    ob.escalated = ob.overdue_days > conf.escalation_days
                out[mid].append(ob)
    for due in _recommendation_dues(ids):
        mid, day = due.municipality_id, due.due.date()
        if start is not None and day < start or end is not None and day > end:
            continue
        waiver = waivers.get((mid, due.rule, due.key))
        state = state_of(due, now, conf, off, waiver is not None)
        if state not in (OVERDUE, DUE_SOON, WAIVED) or states and state not in states:
            continue
        ob = Obligation(due, state, municipalities.get(mid),
                        waiver={"reason": waiver.reason, "by": waiver.waived_by_id,
                                "at": waiver.waived_at, "id": waiver.id} if waiver else None)
        if state == OVERDUE:
            ob.overdue_days = workdays.working_days_between(day, now.date(), off)
            ob.escalated = ob.overdue_days > conf.escalation_days
        out[mid].append(ob)
    for mid in out:
        out[mid].sort(key=lambda o: (o.due.due, o.rule, o.due.key))
    return out


# The Prefecture's consultation tables: a recommendation addressed to a municipality, still open or in progress,
# is in that municipality's work queue once it is due soon (the first reminder's lead time) or overdue.
TABLE_RECOMMENDATIONS = "table-recommendations"


def rule_label(rule: str) -> str:
    if rule == TABLE_RECOMMENDATIONS:
        return _("Consultation table recommendation")
    return compliance_rule_label(rule)


def _recommendation_dues(municipality_ids) -> list[periods.Due]:
    from ..consultation_tables.models import PENDING_STATUSES, ConsultationRecommendation, ConsultationTable

    with read_across_tenants(list(municipality_ids)):
        rows = db.session.execute(select(
            ConsultationRecommendation.id, ConsultationRecommendation.municipality_id,
            ConsultationRecommendation.text, ConsultationRecommendation.status, ConsultationRecommendation.due_on,
            ConsultationTable.held_on, ConsultationTable.title)
            .join(ConsultationTable, ConsultationTable.id == ConsultationRecommendation.table_id)
            .where(ConsultationRecommendation.municipality_id.in_(list(municipality_ids)),
                   ConsultationRecommendation.status.in_(PENDING_STATUSES),
                   ConsultationRecommendation.due_on.is_not(None))).all()
    return [periods.Due(row.municipality_id, TABLE_RECOMMENDATIONS, f"recommendation:{row.id}", row.title,
                        periods.end_of_day(row.due_on), "technical_secretary", "recommendation", subject_id=row.id,
                        facts={"text": row.text, "status": row.status, "table_date": row.held_on.isoformat(),
                               "table": row.title})
            for row in rows]


def obligations_of(municipality_id: int, **kwargs) -> list[Obligation]:
    return obligations_for([municipality_id], **kwargs)[municipality_id]


def queue(obligations: list[Obligation], now: datetime | None = None) -> dict[str, list[Obligation]]:
    """The work queue: overdue first, then this week (to Sunday), then later; done and waived left out."""
    now = now or now_in_albania()
    week_end = now.date() + timedelta(days=6 - now.weekday())
    groups: dict[str, list[Obligation]] = {"overdue": [], "this_week": [], "later": []}
    for ob in obligations:
        if ob.state == OVERDUE:
            groups["overdue"].append(ob)
        elif ob.state in (DUE_SOON, UPCOMING):
            groups["this_week" if ob.due_day <= week_end else "later"].append(ob)
    return groups


# --- waivers -------------------------------------------------------------------------------------

def waive(municipality_id: int, rule: str, key: str, reason, *, user_id: int, open_keys) -> Waiver:
    """The chair waives one open obligation (the caller checks the role and commits)."""
    reason = str(reason or "").strip()
    if (rule, key) not in open_keys:
        raise ValidationFailed({"key": _("There is no such open obligation of this council.")})
    if len(reason) < 5:
        raise ValidationFailed({"reason": _("Say why this obligation is waived.")})
    if len(reason) > 2000:
        raise ValidationFailed({"reason": _("The reason is too long (at most %(n)d characters).", n=2000)})
    row = db.session.execute(select(Waiver).where(Waiver.rule == rule, Waiver.key == key)).scalar_one_or_none()
    if row is None:
        row = Waiver(rule=rule, key=key, reason=reason, waived_by_id=user_id, waived_at=utcnow())
        db.session.add(row)
    else:
        row.reason, row.waived_by_id, row.waived_at = reason, user_id, utcnow()
        row.withdrawn_at = row.withdrawn_by_id = None
    db.session.flush()
    return row


def withdraw_waiver(waiver_id: int, *, user_id: int) -> Waiver | None:
    row = db.session.get(Waiver, waiver_id)
    if row is None or row.withdrawn_at is not None:
        return None
    row.withdrawn_at, row.withdrawn_by_id = utcnow(), user_id
    db.session.flush()
    return row


# --- words and links -------------------------------------------------------------------------------

def _day(value) -> str:
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return format_date(value, "d MMMM")


def _month(value: date) -> str:
    return format_date(value, "LLLL yyyy")


def sentence(ob: Obligation) -> str:
    """What to do, by when, in plain words, in the reader's language."""
    d, f = ob.due, ob.due.facts
    due = _day(d.due.date())
    meeting_day = _day(f["date"]) if f.get("date") else ""
    rule = d.rule
    if rule == "invitation-notice":
        return _("Send the invitation for the meeting of %(date)s by %(due)s", date=meeting_day, due=due)
    if rule == "press-release":
        hour = "%02d:%02d" % (d.due.hour, d.due.minute)
        return _("Publish the press release of the meeting of %(date)s by %(due)s, %(time)s",
                 date=meeting_day, due=due, time=hour)
    if rule == "records":
        return _("Complete the minutes, the list of participants and the signed decisions of the meeting of "
                 "%(date)s by %(due)s", date=meeting_day, due=due)
    if rule == "meetings-per-year":
        missing = max(0, int(f.get("required", 0)) - int(f.get("count", 0)))
        return _("Hold the council meetings still missing this year (%(n)d) by %(due)s", n=missing, due=due)
    if rule == "open-consultations":
        return _("Hold the open consultation meeting of the half-year by %(due)s", due=due)
    if rule == "plan-approved":
        return _("Approve this year's plan at a council meeting by %(due)s", due=due)
    if rule == "plan-published":
        return _("Publish the approved plan by %(due)s", due=due)
    if rule == "plan-reviewed":
        return _("Review the plan at the next council meeting after the open consultation of %(date)s, by %(due)s",
                 date=_day(f["consultation_date"]) if f.get("consultation_date") else meeting_day, due=due)
    if rule == "monthly-monitoring":
        return _("Hold the Coordination Secretariat's monitoring meeting of %(month)s by %(due)s",
                 month=_month(d.period_start) if d.period_start else "", due=due)
    if rule == "monitoring-report":
        return _("Have the monitoring report of %(start)s – %(end)s approved by the chair by %(due)s",
                 start=_day(d.period_start) if d.period_start else "",
                 end=_day(d.period_end) if d.period_end else "", due=due)
    if rule == "council-informed":
        return _("Inform the Municipal Council about the council's work by %(due)s", due=due)
    if rule == "composition":
        from ..council.services import category_label

        if d.subject_kind == "member":
            return _("Renew the mandate of %(name)s (%(category)s), which ends on %(due)s",
                     name=f.get("name", ""), category=category_label(f.get("category", "")), due=due)
        return _("Fill the empty member category: %(category)s", category=category_label(f.get("category", "")))
    if rule in ("chair", "coordination-secretariat", "technical-secretariat"):
        from ..council.services import seat_label

        return _("Appoint a holder of the empty seat: %(seat)s", seat=seat_label(f.get("seat", "")))
    if rule == "agenda-approved":  # Art. 7.5
        return _("Approve the agenda of the meeting of %(date)s by %(due)s", date=meeting_day, due=due)
    if rule == "public-meetings-agreed":  # Art. 9.5
        return _("Agree the agenda and the date of the open consultation of %(date)s in the Coordination "
                 "Secretariat by %(due)s", date=meeting_day, due=due)
    if rule == "secretariat-reports" and f.get("findings"):  # Art. 9.4, second half
        return _("Have the heads present the findings of the Coordination Secretariat's report (meeting of "
                 "%(date)s) at the council meeting of %(council)s", date=meeting_day,
                 council=_day(f["council_meeting_date"]) if f.get("council_meeting_date") else "")
    if rule == TABLE_RECOMMENDATIONS:
        text = str(f.get("text") or "")
        return _("Follow up the recommendation of the consultation table of %(date)s by %(due)s: %(text)s",
                 date=_day(f["table_date"]) if f.get("table_date") else "", due=due,
                 text=text if len(text) <= 140 else text[:139] + "…")
    if rule == "established":  # Art. 13
        return _("Publish the regulation adopted by Municipal Council decision no. %(number)s of %(date)s on the "
                 "municipality's official website by %(due)s", number=f.get("number", ""),
                 date=_day(f["date"]) if f.get("date") else "", due=due)
    if rule == "secretariat-reports":  # Art. 9.4
        return _("Send the report of the Coordination Secretariat's meeting of %(date)s to the three heads by "
                 "%(due)s", date=meeting_day, due=due)
    if rule == "required-attendance":  # Art. 8.1, 8.5, 9.6, 10.2
        return _("Record the attendance of those who must attend the meeting of %(date)s by %(due)s",
                 date=meeting_day, due=due)
    return _("%(rule)s: by %(due)s", rule=rule_label(rule), due=due)


def link(ob: Obligation, slug: str) -> str:
    """The path of the page that does it (built by hand: jobs have no request)."""
    d, f = ob.due, ob.due.facts
    base = f"/{slug}"
    meeting = d.subject_id if d.subject_kind == "meeting" else None
    if d.rule == "invitation-notice" and meeting:
        return f"{base}/meetings/{meeting}"
    if d.rule == "press-release" and meeting:
        return f"{base}/meetings/{meeting}/press-release"
    if d.rule == "records" and meeting:
        return f"{base}/meetings/{meeting}/minutes"
    if d.rule in ("meetings-per-year", "open-consultations", "monthly-monitoring"):
        return f"{base}/meetings/new"
    if d.rule == "plan-reviewed":
        return f"{base}/meetings/{f['next_meeting_id']}" if f.get("next_meeting_id") else f"{base}/meetings/new"
    if d.rule in ("plan-approved", "plan-published"):
        return f"{base}/plans/{d.subject_id}" if d.subject_id else f"{base}/plans/"
    if d.rule == "monitoring-report":
        return f"{base}/plans/reports/{d.subject_id}" if d.subject_id else f"{base}/plans/reports"
    if d.rule == "composition" and d.subject_kind == "member" and d.subject_id:
        return f"{base}/council/members/{d.subject_id}"
    if d.rule in ("chair", "coordination-secretariat", "technical-secretariat"):
        return f"{base}/council/seats"
    if d.rule == TABLE_RECOMMENDATIONS:
        return f"{base}/recommendations#recommendation-{d.subject_id}"
    if d.rule == "established":  # Art. 13: the publication is recorded on the establishment's page
        return f"{base}/council/establishments"
    if d.rule == "secretariat-reports" and f.get("findings") and meeting:
        return f"{base}/meetings/{meeting}#findings-presentation"
    if d.rule in ("agenda-approved", "public-meetings-agreed", "secretariat-reports", "required-attendance") \
            and meeting:
        return f"{base}/meetings/{meeting}"
    return f"{base}/council/"


def as_json(ob: Obligation, slug: str) -> dict:
    d = ob.due
    out = {
        "municipality": slug, "rule": d.rule, "key": d.key, "article": d.article,
        "due": d.due.isoformat(timespec="minutes"), "due_date": d.due.date().isoformat(),
        "state": ob.state, "role": d.role, "subject": {"kind": d.subject_kind, "id": d.subject_id},
        "period": {"start": d.period_start.isoformat(), "end": d.period_end.isoformat()}
        if d.period_start and d.period_end else None,
        "sentence": sentence(ob), "url": link(ob, slug),
        "done_at": d.done_at.isoformat(timespec="minutes") if d.done_at and ob.state == DONE else None,
        "done_record": d.done_record if ob.state == DONE else None,
        "on_time": d.on_time if ob.state == DONE else None,
        "waiver": {"reason": ob.waiver["reason"]} if ob.waiver else None,
        "at_risk": ob.at_risk,
    }
    if ob.state == OVERDUE:
        out["overdue_working_days"] = ob.overdue_days
        out["needs_attention"] = ob.escalated
    return out


def role_label(role: str) -> str:
    if role == "technical_secretary":
        return _("Technical secretary")
    if role == "chair":
        return _("Council chair (Mayor)")
    if role == "coordination_secretariat":
        return _("Coordination Secretariat")
    return role
