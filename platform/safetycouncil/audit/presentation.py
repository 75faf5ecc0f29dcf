"""The audit trail as people read it: filtered, in sentences in the reader's language, with
personal data masked for whoever has no right to see it (and every unmasked view logged).

Which columns hold personal data comes from the register (``data_protection/register.py``); who
may see them unmasked is ``Permission.READ_PERSONAL_DATA`` in the entry's municipality (the chair
and the technical secretary, who manage those records). Everyone else who reads the trail (the
Ministry) sees that something changed, and when, by whom, never the value.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Date, DateTime, select

from ..accounts.models import User
from ..errors import ValidationFailed
from ..extensions import db
from ..timeutil import LOCAL_TIMEZONE
from .models import AuditEntry

PAGE_SIZE = 100
MASK = "•••"

# What a record is called, by class name (a missing one reads as its class name split into words).
ENTITY_LABELS = {
    "Area": _l("Area"), "Meeting": _l("Meeting"), "AgendaItem": _l("Agenda item"),
    "AgendaMaterial": _l("Agenda material"), "Attendance": _l("Attendance at a meeting"),
    "CouncilMember": _l("Council member"), "CouncilSeat": _l("Seat"), "CouncilInstitution": _l("Institution"),
    "CouncilEstablishment": _l("Establishment of the council"), "Institution": _l("Institution"),
    "Concern": _l("Concern"), "Risk": _l("Risk"), "RiskRating": _l("Rating of a risk"),
    "RiskEvidence": _l("Evidence of a risk"), "Plan": _l("Plan"), "PlanVersion": _l("Version of the plan"),
    "PlanItem": _l("Plan item"), "PlanActivity": _l("Activity"), "PlanIndicator": _l("Indicator"),
    "PlanFunding": _l("Funding"), "ProgressEntry": _l("Progress"), "ProgressValue": _l("Progress"),
    "ProgressEvidence": _l("Evidence of progress"), "MonitoringReport": _l("Monitoring report"),
    "Decision": _l("Decision"), "DecisionVersion": _l("Decision"), "MinutesVersion": _l("Minutes"),
    "PressRelease": _l("Press release"), "Document": _l("Document"), "User": _l("Account"),
    "RoleAssignment": _l("Role"), "InstitutionOfficer": _l("Institution officer"),
    "SurveyWave": _l("Survey wave"), "ConsultationTable": _l("Consultation table"),
    "DataArchive": _l("Data archive"), "Municipality": _l("Municipality"),
    "AuditEntry": _l("Audit trail"),
}

# What a field is called on the forms (a missing one reads as its name split into words).
FIELD_LABELS = {
    "name": _l("Name"), "title": _l("Title"), "status": _l("Status"), "kind": _l("Kind"),
    "email": _l("E-mail"), "phone": _l("Phone"), "position": _l("Position"), "category": _l("Category"),
    "category_id": _l("Category"), "area_id": _l("Area"), "meeting_id": _l("Meeting"), "plan_id": _l("Plan"),
    "risk_id": _l("Risk"), "member_id": _l("Member"), "institution_id": _l("Institution"),
    "institutions": _l("Responsible institutions"), "concerns": _l("Concerns behind the risk"),
    "areas": _l("Areas"), "starts_at": _l("Date and time of the meeting"), "ends_at": _l("End of the meeting"),
    "location": _l("Place"), "intensity": _l("Intensity"), "intensity_reason": _l("Reason"), "reason": _l("Reason"),
    "text": _l("Text"), "description": _l("Description"), "note": _l("Note"), "notes": _l("Note"),
    "full_name": _l("Name"), "substitute_name": _l("Substitute"), "substitute_email": _l("Substitute's e-mail"),
    "substitute_phone": _l("Substitute's phone"), "contact": _l("Contact"), "seat": _l("Seat"),
    "role": _l("Role"), "started_on": _l("Since"), "ended_on": _l("Until"), "active": _l("Active"),
    "number": _l("Number"), "published_at": _l("Published"), "filename": _l("File"), "summary": _l("Summary"),
    "cancelled_reason": _l("Reason for cancelling"), "invitation_sent_at": _l("Invitation sent"),
    "progress": _l("Progress"), "comment": _l("Comment"), "reported_on": _l("Date of the entry"),
    "deadline": _l("Deadline"), "timing_value": _l("Deadline"), "unit": _l("Unit"), "baseline": _l("Baseline"),
    "target": _l("Target"), "value": _l("Value"), "guest_name": _l("Guest"), "mandate_start": _l("Mandate from"),
    "mandate_end": _l("Mandate until"), "last_login_at": _l("Last sign-in"), "locale": _l("Language"),
    "source_name": _l("Raised by"), "address": _l("Address"), "held_on": _l("Date"), "approved_at": _l("Approved"),
    "approved_on": _l("Approved"), "year": _l("Year"), "fields": _l("Personal data shown"),
    "invitation_deadline": _l("Invitation deadline"), "created_by_id": _l("Recorded by"),
    "created_at": _l("Recorded"), "updated_at": _l("Changed"), "reported_by_id": _l("Reported by"),
    "uploaded_by_id": _l("Uploaded by"), "uploaded_at": _l("Uploaded"),
}
# Not worth a line: the record's own id and its municipality (the page is the municipality's).
HIDDEN_FIELDS = frozenset({"id", "municipality_id"})
# Local times of day as people typed them (a meeting's start and end), not UTC timestamps.
LOCAL_TIMES = frozenset({"starts_at", "ends_at"})

ACTION_SENTENCES = {
    "create": _l("%(who)s created: %(what)s"),
    "update": _l("%(who)s changed: %(what)s"),
    "delete": _l("%(who)s deleted: %(what)s"),
    "sign_in": _l("%(who)s signed in"),
    "account_locked": _l("The account %(what)s was locked after too many failed sign-ins"),
    "invitation_sent": _l("%(who)s sent an invitation to the platform: %(what)s"),
    "password_reset_requested": _l("A new password was asked for: %(what)s"),
    "api_token_issued": _l("%(who)s took an API token"),
    "personal_data_viewed": _l("%(who)s was shown personal data: %(what)s"),
    "data_archive_exported": _l("%(who)s prepared the data archive"),
    "data_archive_downloaded": _l("%(who)s downloaded the data archive"),
    "decision_distribution_requested": _l("%(who)s sent the decision to the members: %(what)s"),
    "two_factor_enabled": _l("%(who)s set up two-factor sign-in"),
    "two_factor_reset": _l("%(who)s removed two-factor sign-in: %(what)s"),
    "recovery_code_used": _l("%(who)s signed in with a recovery code"),
}


@dataclass
class Filters:
    user_id: int | None = None
    entity_type: str | None = None
    entity_id: str | None = None
    since: date | None = None
    until: date | None = None
    before_id: int | None = None

    def query_args(self) -> dict:
        return {k: v for k, v in (("person", self.user_id), ("type", self.entity_type), ("record", self.entity_id),
                                  ("since", self.since and self.since.isoformat()),
                                  ("until", self.until and self.until.isoformat())) if v}


def parse_filters(args) -> Filters:
    """The filters from a query string (person, type, record, since, until, before); bad input is
    refused with a message per field."""
    from ..schemas import day, load_fields

    errors: dict[str, str] = {}
    filters = Filters()
    for key, attr in (("person", "user_id"), ("before", "before_id")):
        raw = str(args.get(key) or "").strip()
        if raw:
            if raw.isdigit():
                setattr(filters, attr, int(raw))
            else:
                errors[key] = _("Choose a person from the list.") if key == "person" else _("This is not a number.")
    filters.entity_type = str(args.get("type") or "").strip()[:60] or None
    filters.entity_id = str(args.get("record") or "").strip()[:40] or None
    try:
        days = load_fields(args, since=day(), until=day())
        filters.since, filters.until = days["since"], days["until"]
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if filters.since and filters.until and filters.until < filters.since:
        errors["until"] = _("The end of the period is before its start.")
    if errors:
        raise ValidationFailed(errors)
    return filters


def _utc(day: date) -> datetime:
    """The start of that day in Albania, as the naive UTC the trail stores."""
    return datetime.combine(day, time.min, tzinfo=LOCAL_TIMEZONE).astimezone(UTC).replace(tzinfo=None)


def entries(municipality_id: int | None, filters: Filters | None = None):
    """The newest ``PAGE_SIZE`` entries (of one municipality, or all), with their author's name."""
    filters = filters or Filters()
    query = (select(AuditEntry, User.name).outerjoin(User, User.id == AuditEntry.user_id)
             .order_by(AuditEntry.id.desc()).limit(PAGE_SIZE))
    if municipality_id is not None:
        query = query.where(AuditEntry.municipality_id == municipality_id)
    if filters.before_id:
        query = query.where(AuditEntry.id < filters.before_id)
    if filters.user_id:
        query = query.where(AuditEntry.user_id == filters.user_id)
    if filters.entity_type:
        query = query.where(AuditEntry.entity_type == filters.entity_type)
    if filters.entity_id:
        query = query.where(AuditEntry.entity_id == filters.entity_id)
    if filters.since:
        query = query.where(AuditEntry.at >= _utc(filters.since))
    if filters.until:
        query = query.where(AuditEntry.at < _utc(filters.until + timedelta(days=1)))
    return db.session.execute(query).all()


def people(municipality_id: int | None) -> list[tuple[int, str]]:
    """Everyone who appears as an author in the trail (of one municipality), by name: the person filter."""
    query = (select(User.id, User.name).where(User.id.in_(select(AuditEntry.user_id).where(
        AuditEntry.user_id.is_not(None), *([AuditEntry.municipality_id == municipality_id]
                                           if municipality_id is not None else []))))
             .order_by(User.name))
    return [(row.id, row.name) for row in db.session.execute(query)]


def record_types(municipality_id: int | None) -> list[tuple[str, str]]:
    query = select(AuditEntry.entity_type).distinct()
    if municipality_id is not None:
        query = query.where(AuditEntry.municipality_id == municipality_id)
    types = db.session.execute(query).scalars().all()
    return sorted(((t, entity_label(t)) for t in types), key=lambda pair: pair[1].lower())


# --- reading an entry -----------------------------------------------------------------------------

def _models() -> dict[str, type]:
    return {m.class_.__name__: m.class_ for m in db.Model.registry.mappers}


def _split(name: str) -> str:
    words, word = [], ""
    for ch in name:
        if ch.isupper() and word:
            words.append(word)
            word = ch.lower()
        else:
            word += ch.lower()
    words.append(word)
    return " ".join(words).replace("_", " ").capitalize()


def entity_label(entity_type: str) -> str:
    label = ENTITY_LABELS.get(entity_type)
    return str(label) if label is not None else _split(entity_type)


def field_label(key: str) -> str:
    label = FIELD_LABELS.get(key)
    if label is not None:
        return str(label)
    return _split(key[:-3] if key.endswith("_id") else key)


def personal_columns(entity_type: str) -> frozenset[str]:
    """The columns of this kind of record that hold personal data, from the register (references
    to other records excepted: the id of a member is not the member's e-mail)."""
    from ..data_protection.register import by_table

    model = _models().get(entity_type)
    if model is None:
        return frozenset()
    entry = by_table().get(model.__table__.name)
    if entry is None:
        return frozenset()
    return frozenset(c for c in entry.columns if not c.endswith("_id"))


def _column_type(entity_type: str, key: str):
    model = _models().get(entity_type)
    column = model.__table__.columns.get(key) if model is not None else None
    return column.type if column is not None else None


def _value(entity_type: str, key: str, value) -> str:
    if value is None or value == "":
        return "∅"
    kind = _column_type(entity_type, key)
    try:
        if isinstance(kind, DateTime) and isinstance(value, str):
            moment = datetime.fromisoformat(value)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=LOCAL_TIMEZONE if key in LOCAL_TIMES else UTC)
            return format_datetime(moment, "medium")
        if isinstance(kind, Date) and isinstance(value, str):
            return format_date(date.fromisoformat(value[:10]), "long")
    except ValueError:
        pass
    if isinstance(kind, Boolean) or isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _target(target: dict) -> str:
    return target.get("label") or _("no. %(id)s", id=target.get("id"))


@dataclass
class Line:
    """One entry, ready to read."""

    entry: AuditEntry
    who: str
    sentence: str
    details: list[str] = field(default_factory=list)
    masked: list[str] = field(default_factory=list)  # fields hidden from this reader
    shown_personal: list[str] = field(default_factory=list)  # personal fields shown to this reader


def _names(rows) -> dict[tuple[str, str], str]:
    """Each record's name (title, name...) where the trail itself says it: the newest value of
    that field in the entries on the page, so that reading costs no query per record."""
    found: dict[tuple[str, str], str] = {}
    for entry, _who in reversed(rows):  # oldest first: newer values win
        for key in ("title", "name", "full_name"):
            change = (entry.changes or {}).get(key)
            if isinstance(change, list) and len(change) == 2:
                value = change[1] if change[1] is not None else change[0]
                if value:
                    found[(entry.entity_type, entry.entity_id)] = (key, str(value))
                    break
    return found


def _people_named(rows) -> dict[int, str]:
    """The names of the people the entries refer to (recorded by, approved by...): one query."""
    ids = {v for entry, _who in rows for k, change in (entry.changes or {}).items()
           if k.endswith("_by_id") and isinstance(change, list) for v in change if isinstance(v, int)}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())


def present(rows, *, may_see_personal: bool) -> list[Line]:
    names = _names(rows)
    persons = _people_named(rows)

    def value(entity_type, key, raw):
        if raw == MASK:
            return raw
        if key.endswith("_by_id") and raw in persons:
            return persons[raw]
        return _value(entity_type, key, raw)
    lines = []
    for entry, who_name in rows:
        personal = personal_columns(entry.entity_type)
        who = who_name or _("The system")
        name = names.get((entry.entity_type, entry.entity_id))
        what = entity_label(entry.entity_type)
        if name and (may_see_personal or name[0] not in personal):
            what = _("%(kind)s “%(name)s”", kind=what, name=name[1])
        template = ACTION_SENTENCES.get(entry.action)
        if template is not None:
            sentence = str(template) % {"who": who, "what": what}
        else:
            sentence = _("%(who)s: %(action)s, %(what)s", who=who, action=_split(entry.action), what=what)
        line = Line(entry, who, sentence)
        changes = entry.changes or {}
        if entry.action == "personal_data_viewed":
            fields = changes.get("fields") or []
            line.details.append(_("Fields: %(fields)s", fields=", ".join(field_label(f) for f in fields)))
        elif entry.action in ("create", "update", "delete"):
            for key, change in changes.items():
                if key in HIDDEN_FIELDS:
                    continue
                label = field_label(key)
                if isinstance(change, dict) and ("added" in change or "removed" in change):
                    for verb, targets in (("added", change.get("added") or []), ("removed", change.get("removed") or [])):
                        if targets:
                            items = ", ".join(_target(t) for t in targets)
                            line.details.append(_("%(field)s: added %(items)s", field=label, items=items)
                                                if verb == "added" else
                                                _("%(field)s: removed %(items)s", field=label, items=items))
                    continue
                if not (isinstance(change, list) and len(change) == 2):
                    continue
                before, after = change
                if key in personal and (before is not None or after is not None):
                    if not may_see_personal:
                        line.masked.append(key)
                        before = MASK if before is not None else None
                        after = MASK if after is not None else None
                    else:
                        line.shown_personal.append(key)
                if entry.action == "create":
                    if after is None:
                        continue
                    line.details.append(_("%(field)s: %(value)s", field=label,
                                          value=value(entry.entity_type, key, after)))
                elif entry.action == "delete":
                    if before is None:
                        continue
                    line.details.append(_("%(field)s was %(value)s", field=label,
                                          value=value(entry.entity_type, key, before)))
                else:
                    line.details.append(_("%(field)s changed from %(before)s to %(after)s", field=label,
                                          before=value(entry.entity_type, key, before),
                                          after=value(entry.entity_type, key, after)))
        lines.append(line)
    return lines


def masked_changes(entry: AuditEntry, *, may_see_personal: bool) -> tuple[dict, list[str]]:
    """The entry's changes as the API gives them: personal values replaced by the mask."""
    personal = personal_columns(entry.entity_type)
    changes, masked = {}, []
    for key, change in (entry.changes or {}).items():
        if key in personal and not may_see_personal and entry.action in ("create", "update", "delete") \
                and isinstance(change, list) and len(change) == 2:
            changes[key] = [None if v is None else MASK for v in change]
            if any(v is not None for v in change):
                masked.append(key)
        else:
            changes[key] = change
    return changes, masked


def log_unmasked(lines_or_pairs) -> None:
    """Write to the trail that personal data in these entries was shown (the caller commits)."""
    from ..data_protection.services import log_personal_data_viewed

    ids, fields = [], set()
    for entry, shown in lines_or_pairs:
        if shown:
            ids.append(entry.id)
            fields.update(shown)
    if ids:
        log_personal_data_viewed("AuditEntry", ids, sorted(fields))
