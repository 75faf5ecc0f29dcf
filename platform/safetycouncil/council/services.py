"""The council: how it was established, its composition by the categories of Art. 4, its seats,
and the institutions it works with. Runs inside the municipality's tenant scope.

Other areas (meetings, compliance) call:

* ``active_members(on)``: the members (not invited participants) active that day;
* ``invited_participants(on)``: the advisory participants of Art. 4.2 active that day;
* ``current_seat_holder(seat, on=None)`` and ``current_seats(on=None)``: who holds the chair,
  the Coordination Secretariat's three seats and the Technical Secretariat;
* ``composition_gaps(on)``: the mandatory categories (a)-(o) with no active member.

Each takes an optional ``municipality_id`` so that a read across tenants (the Ministry's
compliance overview) can ask about one municipality at a time.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError

from ..documents.models import Document
from ..documents.services import store_document
from ..errors import ValidationFailed
from ..extensions import db
from ..meetings.models import Attendance, Invitation
from ..municipalities.models import County, Municipality
from ..tenancy.context import current_municipality_id
from ..timeutil import local_today
from ..uploads import check_upload
from .models import (
    ALWAYS_REQUIRED_CATEGORIES,
    INVITED,
    INVITED_KINDS,
    MEMBER_CATEGORIES,
    SEATS,
    CouncilEstablishment,
    CouncilInstitution,
    CouncilMember,
    CouncilSeat,
    Institution,
)
from .schemas import CATEGORIES, STAFF

CATEGORY_LABELS = {
    "a": _l("Mayor"),
    "b": _l("Chair of the Municipal Council"),
    "c": _l("Head of the Police Commissariat"),
    "d": _l("Head of the District Prosecutor's Office"),
    "e": _l("Municipal Council member per political party"),
    "f": _l("Head of the Local Education Office"),
    "g": _l("Head of the Local Directorate of Public Health"),
    "h": _l("Regional Directorate of Social Services"),
    "i": _l("Religious communities"),
    "j": _l("Chamber of Commerce and Industry"),
    "k": _l("Civil society"),
    "l": _l("Head of Civil Emergencies"),
    "m": _l("Head of the municipal Social Services unit"),
    "n": _l("Child protection and domestic violence unit"),
    "o": _l("Heads of educational institutions"),
    STAFF: _l("Secretariat staff (outside the categories of Art. 4)"),
    INVITED: _l("Invited participant (advisory)"),
}
INVITED_KIND_LABELS = {
    "prefect": _l("Prefect of the County"),
    "chief_judge": _l("Chief Judge of the Court of General Jurisdiction"),
    "topic_guest": _l("Guest on a topic"),
}
SEAT_LABELS = {
    "chair": _l("Chair (the Mayor)"),
    "secretariat_municipality": _l("Coordination Secretariat: municipality"),
    "secretariat_police": _l("Coordination Secretariat: police"),
    "secretariat_prosecution": _l("Coordination Secretariat: prosecution"),
    "technical_secretariat": _l("Technical Secretariat"),
}
INSTITUTION_KIND_LABELS = {
    "municipality": _l("Municipality"),
    "municipal_council": _l("Municipal Council"),
    "police": _l("Police"),
    "prosecution": _l("Prosecution"),
    "court": _l("Court"),
    "prefecture": _l("Prefecture"),
    "education": _l("Education"),
    "health": _l("Public health"),
    "social_services": _l("Social services"),
    "civil_emergencies": _l("Civil emergencies"),
    "chamber_of_commerce": _l("Chamber of Commerce"),
    "religious_community": _l("Religious community"),
    "civil_society": _l("Civil society"),
    "school": _l("School"),
    "media": _l("Media"),
    "business": _l("Business"),
    "national_agency": _l("National agency"),
    "other": _l("Other"),
}

# Art. 9.3: three members, one each of the municipality, the police and the prosecution.
COORDINATION_SEATS = ("secretariat_municipality", "secretariat_police", "secretariat_prosecution")

MEMBER_FIELDS = ("full_name", "category", "invited_kind", "institution_id", "position", "email", "phone",
                 "mandate_start", "mandate_end", "substitute_name", "substitute_email", "substitute_phone",
                 "party_id")
# A member's contact details: personal data, every display of them to staff is logged.
CONTACT_FIELDS = ("email", "phone", "substitute_email", "substitute_phone")
ESTABLISHMENT_FIELDS = ("decision_number", "decision_date", "regulation_adopted_on", "notes",
                        "decision_document_id", "regulation_document_id")

_ALBANIAN_DIGRAPHS = ("dh", "gj", "ll", "nj", "rr", "sh", "th", "xh", "zh")


def today() -> date:
    """Today in Albania."""
    return local_today()


def category_label(code: str) -> str:
    return str(CATEGORY_LABELS.get(code, code))


def seat_label(seat: str) -> str:
    return str(SEAT_LABELS.get(seat, seat))


def name_key(name: str) -> str:
    """Sort key in Albanian alphabetical order: c < ç < d < dh < e < ë ... (digraphs are letters)."""
    key = (name or "").casefold()
    for digraph in _ALBANIAN_DIGRAPHS:
        key = key.replace(digraph, digraph[0] + "\uffff")
    return key.replace("ç", "c\uffff").replace("ë", "e\uffff")


def _by_category_and_name(members):
    return sorted(members, key=lambda m: (CATEGORIES.index(m.category) if m.category in CATEGORIES else 99,
                                          name_key(m.full_name), m.id or 0))


# --- input (clean data from ``schemas``) ------------------------------------------------------

def _merge(current: dict, data: Mapping, fields: tuple[str, ...]) -> dict:
    """The record's current values, overridden by the fields present in ``data`` (a partial change)."""
    return {**current, **{key: data[key] for key in fields if key in data}}


def _municipality(municipality_id: int | None = None) -> Municipality:
    municipality = db.session.get(Municipality, municipality_id or current_municipality_id())
    if municipality is None:
        raise RuntimeError("the council's services run inside one municipality's scope")
    return municipality


def _only(stmt, model, municipality_id: int | None):
    """Narrow to one municipality when reading across tenants; the scope already narrows otherwise."""
    return stmt if municipality_id is None else stmt.where(model.municipality_id == municipality_id)


# --- establishment --------------------------------------------------------------------------

def get_establishment(*, municipality_id: int | None = None) -> CouncilEstablishment | None:
    """The decision in force today: the latest dated on or before today (a municipality keeps every
    decision, see ``establishments``)."""
    stmt = _only(select(CouncilEstablishment), CouncilEstablishment, municipality_id).order_by(
        CouncilEstablishment.decision_date.desc(), CouncilEstablishment.id.desc())
    decisions = list(db.session.execute(stmt).scalars())
    return next((d for d in decisions if d.decision_date <= today()), decisions[0] if decisions else None)


def save_establishment(data: Mapping, *, decision_file: tuple[str, bytes] | None = None,
                       regulation_file: tuple[str, bytes] | None = None, uploaded_by_id: int | None = None,
                       on: date | None = None) -> CouncilEstablishment:
    """Record (or correct) the Municipal Council decision that established the council.

    ``data`` may be partial when a record exists. Uploaded files (name, content) are checked
    before anything is stored, stored as documents and linked; the caller commits.
    """
    on = on or today()
    establishment = get_establishment()
    current = {key: getattr(establishment, key) for key in ESTABLISHMENT_FIELDS} if establishment else {}
    values = _merge(current, data, ESTABLISHMENT_FIELDS)
    errors: dict[str, str] = {}
    if not values.get("decision_number"):
        errors["decision_number"] = _("Enter the number of the Municipal Council's decision.")
    if not values.get("decision_date"):
        errors["decision_date"] = _("Enter the date of the Municipal Council's decision.")
    elif values["decision_date"] > on:
        errors["decision_date"] = _("The decision cannot be dated in the future.")
    if values.get("regulation_adopted_on") and values["regulation_adopted_on"] > on:
        errors["regulation_adopted_on"] = _("The regulation cannot be adopted in the future.")
    uploads = {"decision_document_id": decision_file, "regulation_document_id": regulation_file}
    for field, upload in uploads.items():
        if upload and upload[0]:
            try:
                check_upload(upload[0], upload[1], field=field)
            except ValidationFailed as exc:
                errors.update(exc.errors)
        elif values.get(field) is not None and db.session.get(Document, values[field]) is None:
            errors[field] = _("There is no such document in this municipality.")
    if errors:
        raise ValidationFailed(errors)
    titles = {"decision_document_id": _("Municipal Council decision no. %(number)s",
                                        number=values["decision_number"]),
              "regulation_document_id": _("Regulation of the Local Public Safety Council")}
    for field, upload in uploads.items():
        if upload and upload[0]:
            values[field] = store_document(titles[field], upload[0], upload[1], uploaded_by_id=uploaded_by_id).id
    if establishment is None:
        establishment = CouncilEstablishment(**values)
        db.session.add(establishment)
    else:
        for key, value in values.items():
            setattr(establishment, key, value)
    db.session.flush()
    return establishment


# --- members ----------------------------------------------------------------------------------

def list_members() -> list[CouncilMember]:
    """Every member and invited participant, past and present."""
    return _by_category_and_name(db.session.execute(select(CouncilMember)).scalars())


def get_member(member_id) -> CouncilMember | None:
    try:
        return db.session.get(CouncilMember, int(member_id))
    except (TypeError, ValueError):
        return None


def _active_on(on: date):
    return (CouncilMember.mandate_start <= on) & (
        CouncilMember.mandate_end.is_(None) | (CouncilMember.mandate_end >= on))


def active_members(on: date, *, municipality_id: int | None = None) -> list[CouncilMember]:
    """The members (every category but invited participants) whose mandate covers ``on``,
    ordered by category, then name in Albanian alphabetical order."""
    stmt = _only(select(CouncilMember).where(_active_on(on), CouncilMember.category != INVITED),
                 CouncilMember, municipality_id)
    return _by_category_and_name(db.session.execute(stmt).scalars())


def invited_participants(on: date, *, municipality_id: int | None = None) -> list[CouncilMember]:
    """The advisory participants of Art. 4.2 (the Prefect, the Chief Judge, guests) active on ``on``."""
    stmt = _only(select(CouncilMember).where(_active_on(on), CouncilMember.category == INVITED),
                 CouncilMember, municipality_id)
    kinds = {kind: i for i, kind in enumerate(INVITED_KINDS)}
    return sorted(db.session.execute(stmt).scalars(),
                  key=lambda m: (kinds.get(m.invited_kind, 99), name_key(m.full_name)))


@dataclass
class CategoryRow:
    code: str
    label: str
    members: list[CouncilMember]
    always_required: bool

    @property
    def empty(self) -> bool:
        return not self.members


def composition(on: date, *, municipality_id: int | None = None) -> list[CategoryRow]:
    """Each category (a)-(o) with its active members on ``on``; then the secretariat staff."""
    members = active_members(on, municipality_id=municipality_id)
    return [CategoryRow(code, category_label(code), [m for m in members if m.category == code],
                        code in ALWAYS_REQUIRED_CATEGORIES)
            for code in (*MEMBER_CATEGORIES, STAFF)]


def composition_gaps(on: date, *, municipality_id: int | None = None) -> list[str]:
    """The mandatory categories (a)-(o) with no active member on ``on``, in order (Art. 4.1)."""
    stmt = _only(select(CouncilMember.category).where(_active_on(on)).distinct(), CouncilMember, municipality_id)
    filled = set(db.session.execute(stmt).scalars())
    return [code for code in MEMBER_CATEGORIES if code not in filled]


def _member_values(data: Mapping, member: CouncilMember | None) -> dict:
    """The member's values: the record's, changed by the clean ``data``; then what the fields must say
    together and what only the database knows (the institution, the party, the seats held)."""
    current = {key: getattr(member, key) for key in MEMBER_FIELDS} if member else {}
    values = {key: None for key in MEMBER_FIELDS} | _merge(current, data, MEMBER_FIELDS)
    errors: dict[str, str] = {}
    category = values["category"]
    if category == INVITED and values["invited_kind"] not in INVITED_KINDS:
        errors["invited_kind"] = _("Say who is invited: the Prefect, the Chief Judge, or a guest on a topic.")
    if category != INVITED:
        values["invited_kind"] = None
    institution_id = values["institution_id"]
    if institution_id is not None and db.session.get(Institution, institution_id) is None:
        errors["institution_id"] = _("There is no such institution.")
    elif institution_id is not None and institution_id != (member.institution_id if member else None):
        from .references import check_institution_id

        check_institution_id(institution_id, "institution_id", errors)
    _check_party(values["party_id"], category, errors)
    if not values["mandate_start"]:
        errors["mandate_start"] = _("Enter the day the mandate starts.")
    elif values["mandate_end"] and values["mandate_end"] < values["mandate_start"]:
        errors["mandate_end"] = _("The mandate cannot end before it starts.")
    if not values["substitute_name"] and (values["substitute_email"] or values["substitute_phone"]):
        errors["substitute_name"] = _("Enter the substitute's name.")
    if member is not None and not errors:
        _check_against_seats(member, values, errors)
    if errors:
        raise ValidationFailed(errors)
    return values


def _check_party(party_id: int | None, category: str, errors: dict) -> None:
    """Art. 4.1.e: the party a Municipal Council member of category (e) represents (one recorded in
    this municipality); only category (e) names one."""
    from .models import MunicipalCouncilParty

    if party_id is None:
        return
    if db.session.get(MunicipalCouncilParty, party_id) is None:
        errors["party_id"] = _("There is no such party among those recorded in the Municipal Council.")
    elif category != "e":
        errors["party_id"] = _("Only a member of category (e) represents a party of the Municipal Council.")


def seats_of(member: CouncilMember) -> list[CouncilSeat]:
    """The seats a member holds or held, oldest first."""
    return list(db.session.execute(
        select(CouncilSeat).where(CouncilSeat.member_id == member.id).order_by(CouncilSeat.started_on)).scalars())


def _check_against_seats(member: CouncilMember, values: dict, errors: dict) -> None:
    """A change of category or mandate must agree with the seats the member holds or held."""
    seats = seats_of(member)
    if not seats:
        return
    on = today()
    open_seats = [s for s in seats if s.ended_on is None or s.ended_on >= on]  # current or still to come
    if values["category"] == INVITED and open_seats:
        errors["category"] = _("This member holds a seat (%(seat)s); an invited participant cannot. "
                               "Give the seat to someone else first.", seat=seat_label(open_seats[0].seat))
    elif values["category"] != "a" and any(s.seat == "chair" for s in open_seats):
        errors["category"] = _("This member chairs the council, and the chair must be the Mayor, category (a).")
    first = seats[0].started_on
    if values["mandate_start"] > first:
        errors["mandate_start"] = _("This member has held a seat since %(day)s: the mandate cannot start after "
                                    "that.", day=format_date(first))
    last = max(s.started_on for s in seats)
    if values["mandate_end"] and values["mandate_end"] < last:
        errors["mandate_end"] = _("This member took a seat on %(day)s: the mandate cannot end before that.",
                                  day=format_date(last))


def _apply_member(member: CouncilMember, values: dict) -> None:
    for key, value in values.items():
        setattr(member, key, value)
    if values["institution_id"] is not None:
        link_institution(values["institution_id"])
    if member.id is not None and values["mandate_end"]:
        # The seats end with the mandate.
        for seat in seats_of(member):
            if seat.ended_on is None or seat.ended_on > values["mandate_end"]:
                seat.ended_on = values["mandate_end"]


def create_member(data: Mapping) -> CouncilMember:
    """Add a member or an invited participant. The caller commits."""
    values = _member_values(data, None)
    member = CouncilMember()
    db.session.add(member)
    _apply_member(member, values)
    db.session.flush()
    return member


def update_member(member: CouncilMember, data: Mapping) -> CouncilMember:
    """Change the fields present in ``data``; setting ``mandate_end`` ends the mandate and the
    seats the member holds. The caller commits."""
    values = _member_values(data, member)
    _apply_member(member, values)
    db.session.flush()
    return member


def end_mandate(member: CouncilMember, on: date) -> CouncilMember:
    """End a member's mandate on ``on`` (the last day) instead of deleting them: history is kept."""
    return update_member(member, {"mandate_end": on})


def delete_member(member: CouncilMember) -> None:
    """Remove a member recorded by mistake; refused once the member has any history. On refusal
    the caller rolls back (as after every ValidationFailed)."""
    def count(model, column) -> int:
        return db.session.execute(select(func.count()).select_from(model).where(column == member.id)).scalar()

    if count(CouncilSeat, CouncilSeat.member_id):
        raise ValidationFailed({"member": _(
            "%(name)s holds or held a seat on the council. End the mandate instead of deleting, so the history "
            "is kept.", name=member.full_name)})
    if count(Attendance, Attendance.member_id) or count(Invitation, Invitation.member_id):
        raise ValidationFailed({"member": _(
            "%(name)s was invited to or attended meetings. End the mandate instead of deleting, so the meeting "
            "records stay complete.", name=member.full_name)})
    db.session.delete(member)
    try:
        db.session.flush()
    except IntegrityError as exc:  # other records refer to the member (a decision's copy, a plan...)
        raise ValidationFailed({"member": _(
            "Other records of the council refer to %(name)s. End the mandate instead of deleting, so they stay "
            "complete.", name=member.full_name)}) from exc


# --- seats ------------------------------------------------------------------------------------

def seat_history(seat: str | None = None) -> list[CouncilSeat]:
    """Every holder of every seat (or of one), the current ones first, then the most recent."""
    stmt = select(CouncilSeat)
    if seat is not None:
        stmt = stmt.where(CouncilSeat.seat == seat)
    rows = list(db.session.execute(stmt).scalars())
    return sorted(rows, key=lambda s: (SEATS.index(s.seat) if s.seat in SEATS else 99, s.ended_on is not None,
                                       -s.started_on.toordinal()))


def current_seat(seat: str, on: date | None = None, *, municipality_id: int | None = None) -> CouncilSeat | None:
    """The seat's term that covers ``on`` (today by default)."""
    on = on or today()
    stmt = _only(select(CouncilSeat).where(
        CouncilSeat.seat == seat, CouncilSeat.started_on <= on,
        CouncilSeat.ended_on.is_(None) | (CouncilSeat.ended_on >= on)).order_by(CouncilSeat.started_on.desc()),
        CouncilSeat, municipality_id)
    return db.session.execute(stmt).scalars().first()


def current_seat_holder(seat: str, on: date | None = None, *,
                        municipality_id: int | None = None) -> CouncilMember | None:
    """Who holds ``seat`` on ``on`` (today by default), or None when it is vacant."""
    term = current_seat(seat, on, municipality_id=municipality_id)
    return term.member if term else None


def current_seats(on: date | None = None, *, municipality_id: int | None = None) -> dict[str, CouncilSeat | None]:
    """Every seat with its term covering ``on`` (today by default), None when vacant."""
    on = on or today()
    stmt = _only(select(CouncilSeat).where(
        CouncilSeat.started_on <= on, CouncilSeat.ended_on.is_(None) | (CouncilSeat.ended_on >= on)),
        CouncilSeat, municipality_id)
    terms: dict[str, CouncilSeat | None] = dict.fromkeys(SEATS)
    for term in sorted(db.session.execute(stmt).scalars(), key=lambda s: s.started_on):
        terms[term.seat] = term
    return terms


def assign_seat(seat: str, member_id: int | None, started_on: date | None) -> CouncilSeat:
    """Give ``seat`` to a member from ``started_on``; the current holder's term ends the day before.

    Refused with a message: an unknown seat, a member who is not active that day or is an invited
    participant, a chair who is not the Mayor (category a), the member who already holds the seat
    (or the same member twice in the same seat), one person in two of the Coordination Secretariat's
    seats at once, a start that does not come after the current holder's. The caller commits.
    """
    errors: dict[str, str] = {}
    if seat not in SEATS:
        errors["seat"] = _("Choose one of the council's seats.")
    if started_on is None:
        errors["started_on"] = _("Enter the day the term starts.")
    member = get_member(member_id) if member_id is not None else None
    if member is None:
        errors["member_id"] = _("Choose a member of this council.")
    elif member.category == INVITED:
        errors["member_id"] = _("%(name)s is an invited participant: only members can hold a seat.",
                                name=member.full_name)
    elif started_on and not member.active_on(started_on):
        errors["member_id"] = _("%(name)s's mandate does not cover %(day)s: a seat holder must be an active "
                                "member.", name=member.full_name, day=format_date(started_on))
    elif seat == "chair" and member.category != "a":
        errors["member_id"] = _("The chair is the Mayor (Art. 5.1): choose the member of category (a), not "
                                "%(name)s.", name=member.full_name)
    if errors:
        raise ValidationFailed(errors)
    terms = seat_history(seat)
    holder = next((t for t in terms if t.ended_on is None), None)
    if any(t.member_id == member.id and (t.ended_on is None or t.ended_on >= started_on) for t in terms):
        raise ValidationFailed({"member_id": _(
            "%(name)s already holds this seat: a member cannot be given the same seat twice.",
            name=member.full_name)})
    if seat in COORDINATION_SEATS:
        other = next((t for t in db.session.execute(select(CouncilSeat).where(
            CouncilSeat.member_id == member.id, CouncilSeat.seat.in_(COORDINATION_SEATS), CouncilSeat.seat != seat))
            .scalars() if t.ended_on is None or t.ended_on >= started_on), None)
        if other is not None:
            raise ValidationFailed({"member_id": _(
                "%(name)s already sits in the Coordination Secretariat (%(seat)s): it has one representative each "
                "of the municipality, the police and the prosecution.", name=member.full_name,
                seat=seat_label(other.seat))})
    overlapping = [t for t in terms if t.ended_on is not None and t.ended_on >= started_on]
    if overlapping:
        raise ValidationFailed({"started_on": _(
            "%(name)s held this seat until %(day)s: the new term must start after that.",
            name=overlapping[0].member.full_name, day=format_date(overlapping[0].ended_on))})
    if holder is not None:
        if holder.started_on >= started_on:
            raise ValidationFailed({"started_on": _(
                "%(name)s has held this seat since %(day)s: the new term must start after that day.",
                name=holder.member.full_name, day=format_date(holder.started_on))})
        holder.ended_on = started_on - timedelta(days=1)
        db.session.flush()
    # A mandate already known to end ends the term with it.
    term = CouncilSeat(seat=seat, member_id=member.id, started_on=started_on, ended_on=member.mandate_end)
    db.session.add(term)
    try:
        db.session.flush()
    except IntegrityError as exc:  # someone else gave the seat at the same moment
        raise ValidationFailed({"seat": _("Someone else changed this seat at the same time. Reload and try "
                                          "again.")}) from exc
    return term


def end_seat(seat: str, on: date) -> CouncilSeat:
    """Leave a seat vacant after ``on`` (the last day of the current term)."""
    holder = next((t for t in seat_history(seat) if t.ended_on is None), None)
    if holder is None:
        raise ValidationFailed({"seat": _("Nobody holds this seat.")})
    if on < holder.started_on:
        raise ValidationFailed({"ended_on": _("The term started on %(day)s: it cannot end before that.",
                                              day=format_date(holder.started_on))})
    holder.ended_on = on
    db.session.flush()
    return holder


# --- institutions -------------------------------------------------------------------------------

def linked_institutions() -> list[Institution]:
    rows = db.session.execute(select(CouncilInstitution)).scalars()
    return sorted((row.institution for row in rows), key=lambda i: name_key(i.name))


def get_linked_institution(institution_id) -> Institution | None:
    """An institution, only if this municipality's council is linked to it."""
    try:
        institution_id = int(institution_id)
    except (TypeError, ValueError):
        return None
    link = db.session.execute(
        select(CouncilInstitution).where(CouncilInstitution.institution_id == institution_id)).scalar_one_or_none()
    return link.institution if link else None


def linked_institution_ids() -> set[int]:
    return set(db.session.execute(select(CouncilInstitution.institution_id)).scalars())


def _like_pattern(query: str, *, anywhere: bool = True) -> str:
    """A LIKE pattern that ignores case and Albanian diacritics: e/ë and c/ç match each other."""
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = re.sub(r"[eëcçEËCÇ]", "_", escaped)
    return f"%{pattern}%" if anywhere else pattern


def search_institutions(query: str = "", *, limit: int = 30) -> list[Institution]:
    """Institutions to link, by name: the shared ones of the municipality's county first, then the
    county's others, then the shared ones elsewhere, then the rest."""
    from .references import usable_clause

    county_id = _municipality().county_id
    stmt = select(Institution).where(usable_clause())
    query = (query or "").strip()
    if query:
        stmt = stmt.where(Institution.name.ilike(_like_pattern(query), escape="\\"))
    rank = case((Institution.county_id == county_id, case((Institution.shared.is_(True), 0), else_=1)),
                else_=case((Institution.shared.is_(True), 2), else_=3))
    return list(db.session.execute(stmt.order_by(rank, Institution.name).limit(limit)).scalars())


def institution_choices() -> tuple[list[Institution], list[Institution]]:
    """For a member's form: the linked institutions, and the county's other ones (linked on choice)."""
    linked = linked_institutions()
    linked_ids = {i.id for i in linked}
    county_id = _municipality().county_id
    others = db.session.execute(select(Institution).where(Institution.county_id == county_id)).scalars()
    return linked, sorted((i for i in others if i.id not in linked_ids), key=lambda i: name_key(i.name))


def link_institution(institution_id: int | None) -> CouncilInstitution:
    """Link an existing institution to this municipality's council (nothing happens if it is)."""
    institution = db.session.get(Institution, institution_id) if institution_id is not None else None
    if institution is None:
        raise ValidationFailed({"institution_id": _("Choose an existing institution.")})
    from .references import check_institution_id

    errors: dict[str, str] = {}
    check_institution_id(institution.id, "institution_id", errors, linked=False)
    if errors:
        raise ValidationFailed(errors)
    link = db.session.execute(
        select(CouncilInstitution).where(CouncilInstitution.institution_id == institution.id)).scalar_one_or_none()
    if link is None:
        link = CouncilInstitution(institution=institution)
        db.session.add(link)
        db.session.flush()
    return link


def create_institution(data: Mapping) -> Institution:
    """Create an institution in the municipality's county and link it; other municipalities can then
    link the same one. A name already used in the county is refused. The caller commits."""
    municipality = _municipality()
    errors: dict[str, str] = {}
    name, kind = data["name"], data["kind"]
    values = {key: data.get(key) for key in ("email", "phone", "address")}
    if name:
        clash = db.session.execute(select(Institution).where(
            Institution.county_id == municipality.county_id,
            func.lower(Institution.name) == name.lower())).scalars().first()
        if clash is None:  # lower() of SQLite leaves Ë and Ç as they are
            candidates = db.session.execute(select(Institution).where(
                Institution.county_id == municipality.county_id,
                Institution.name.ilike(_like_pattern(name, anywhere=False), escape="\\"))).scalars()
            clash = next((c for c in candidates if c.name.casefold() == name.casefold()), None)
        if clash is not None:
            county = db.session.get(County, municipality.county_id)
            errors["name"] = _("%(name)s already exists in the county of %(county)s: link it instead of creating "
                               "it again.", name=clash.name, county=county.name)
    if errors:
        raise ValidationFailed(errors)
    institution = Institution(name=name, kind=kind, county_id=municipality.county_id, shared=False, **values)
    db.session.add(institution)
    try:
        db.session.flush()
    except IntegrityError as exc:
        raise ValidationFailed({"name": _("This institution already exists in the county: link it instead.")}) \
            from exc
    link_institution(institution.id)
    return institution


def unlink_institution(institution_id) -> None:
    """Stop working with an institution; refused while a member of this council belongs to it."""
    institution = get_linked_institution(institution_id)
    if institution is None:
        raise ValidationFailed({"institution_id": _("This institution is not linked to the council.")})
    used = db.session.execute(select(func.count()).select_from(CouncilMember)
                              .where(CouncilMember.institution_id == institution.id)).scalar()
    if used:
        raise ValidationFailed({"institution_id": _(
            "Members of the council belong to %(name)s: it stays linked while they are recorded.",
            name=institution.name)})
    link = db.session.execute(
        select(CouncilInstitution).where(CouncilInstitution.institution_id == institution.id)).scalar_one()
    db.session.delete(link)
    db.session.flush()
