"""The multi-agency plan: plans, versions, items, activities, indicators, funding; approval at a
council meeting, revisions, comparison of versions. Runs inside the tenant scope.

Only a draft version can change; an approved version is kept as it was approved. A revision is
a new draft copied from the approved version, with the same item and activity keys.
"""
from __future__ import annotations

import uuid
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..concerns.common import blank, choice, fold, integer, number, text
from ..council.models import CouncilInstitution, Institution
from ..errors import ValidationFailed
from ..extensions import db
from ..meetings.models import COUNCIL_KINDS, Meeting
from ..municipalities.models import Municipality
from ..records.models import Decision
from ..risks.models import Risk
from ..tenancy.context import current_municipality_id
from .models import (
    FUNDING_SOURCES,
    INTENSITIES,
    TIMING_KINDS,
    Plan,
    PlanActivity,
    PlanActivityInstitution,
    PlanFunding,
    PlanIndicator,
    PlanItem,
    PlanVersion,
)
from .vocabulary import due_date, valid_timing

VERSION_STATUS_LABELS = {"draft": _l("Draft"), "approved": _l("Approved, in force"),
                         "superseded": _l("Approved, replaced by a later version")}
FUNDING_LABELS = {"municipal_budget": _l("Municipal budget"), "donor": _l("Donor"),
                  "community_grant": _l("Community grant to a civil-society organisation")}
TIMING_KIND_LABELS = {"deadline": _l("Deadline"), "period": _l("Period"), "recurrence": _l("Recurrence")}
ITEM_FIELDS = ("number", "issue", "intensity", "risk_id")
ACTIVITY_FIELDS = ("description", "partners", "timing_kind", "timing_value")
INDICATOR_FIELDS = ("name", "unit", "baseline", "target", "source")
FUNDING_FIELDS = ("source", "amount", "currency", "donor", "grantee", "title", "objective", "period", "results")


class VersionLocked(ValidationFailed):
    """A change to a version that is no longer a draft (refused: start a revision)."""

    status = 409


def new_key() -> str:
    return uuid.uuid4().hex


def _municipality() -> Municipality:
    return db.session.get(Municipality, current_municipality_id())


# --- reading ------------------------------------------------------------------------------------

def list_plans() -> list[Plan]:
    """The plans with their versions, but not the versions' items (lists show no items)."""
    return list(db.session.execute(
        select(Plan).order_by(Plan.year.desc())
        .options(selectinload(Plan.versions))).scalars())


def _get(model, raw_id):
    try:
        return db.session.get(model, int(raw_id))
    except (TypeError, ValueError):
        return None


def get_plan(plan_id) -> Plan | None:
    return _get(Plan, plan_id)


def get_version(version_id) -> PlanVersion | None:
    return _get(PlanVersion, version_id)


def get_item(item_id) -> PlanItem | None:
    return _get(PlanItem, item_id)


def get_activity(activity_id) -> PlanActivity | None:
    return _get(PlanActivity, activity_id)


def get_indicator(indicator_id) -> PlanIndicator | None:
    return _get(PlanIndicator, indicator_id)


def get_funding(funding_id) -> PlanFunding | None:
    return _get(PlanFunding, funding_id)


def plan_for_year(year: int) -> Plan | None:
    return db.session.execute(select(Plan).where(Plan.year == year)).scalar_one_or_none()


def versions_of(plan: Plan) -> list[PlanVersion]:
    return list(db.session.execute(select(PlanVersion).where(PlanVersion.plan_id == plan.id)
                                   .order_by(PlanVersion.number)).scalars())


def draft_of(plan: Plan, versions: list[PlanVersion] | None = None) -> PlanVersion | None:
    """The plan's draft; ``versions`` when they are already loaded (a list of plans)."""
    return next((v for v in (versions_of(plan) if versions is None else versions) if v.status == "draft"), None)


def approved_of(plan: Plan, versions: list[PlanVersion] | None = None) -> PlanVersion | None:
    """The version in force: the latest approved one."""
    approved = [v for v in (versions_of(plan) if versions is None else versions) if v.status == "approved"]
    return approved[-1] if approved else None


def version_in_force(on: date | None = None) -> PlanVersion | None:
    """The approved version of the plan for ``on``'s year, else of the latest plan that has one."""
    on = on or date.today()
    # One query for the one version (list_plans() would eager-load every plan's versions, items and
    # activities: 0.5 s for a council with six years of plans).
    query = (select(PlanVersion).join(Plan, Plan.id == PlanVersion.plan_id)
             .where(PlanVersion.status == "approved")
             .order_by((Plan.year == on.year).desc(), Plan.year.desc(), PlanVersion.number.desc()).limit(1))
    return db.session.execute(query).scalars().first()


def activities_of(version: PlanVersion) -> list[PlanActivity]:
    return [a for item in version.items for a in item.activities]


def activity_due(activity: PlanActivity, year: int) -> date | None:
    return due_date(activity.timing_kind, activity.timing_value, year)


def item_of(activity: PlanActivity) -> PlanItem:
    return db.session.get(PlanItem, activity.item_id)


def version_of_item(item: PlanItem) -> PlanVersion:
    return db.session.get(PlanVersion, item.version_id)


def version_of_activity(activity: PlanActivity) -> PlanVersion:
    return version_of_item(item_of(activity))


# --- plans and versions -------------------------------------------------------------------------

def _year(value, errors: dict) -> int | None:
    year = integer(value, "year", errors, required=_("Enter the plan's year."))
    if year is not None and not 2000 <= year <= 2100:
        errors["year"] = _("Enter a year between 2000 and 2100.")
        return None
    return year


def create_plan(year, title: str | None = None, *, user_id: int | None) -> Plan:
    """A plan for the year, with an empty draft (version 1)."""
    errors: dict[str, str] = {}
    year = _year(year, errors)
    title = text(title, "title", errors, max_length=300)
    if year is not None and plan_for_year(year) is not None:
        errors["year"] = _("There is already a plan for %(year)s: revise it instead.", year=year)
    if errors:
        raise ValidationFailed(errors)
    municipality = _municipality()
    plan = Plan(year=year, created_by_id=user_id,
                title=title or _("Multi-agency local plan of %(name)s for %(year)s", name=municipality.name,
                                 year=year))
    db.session.add(plan)
    db.session.flush()
    db.session.add(PlanVersion(plan_id=plan.id, number=1, status="draft", created_by_id=user_id))
    db.session.flush()
    db.session.expire(plan, ["versions"])
    return plan


def check_editable(version: PlanVersion) -> None:
    if version.status != "draft":
        if version.status == "approved":
            message = _("Version %(number)s was approved on %(date)s and cannot be changed in place: start a "
                        "revision (a new draft copied from it) and change that.", number=version.number,
                        date=format_date(version.approved_on) if version.approved_on else "—")
        else:
            message = _("Version %(number)s was approved and later replaced; approved versions are kept as they "
                        "were approved and cannot be changed.", number=version.number)
        raise VersionLocked({"version": message})


def start_revision(plan: Plan, *, consultation_meeting_id=None, note: str | None = None,
                   user_id: int | None, copy: bool = True) -> PlanVersion:
    """A new draft copied from the version in force (after an open consultation, Art. 8.5)."""
    errors: dict[str, str] = {}
    note = text(note, "note", errors, max_length=4000)
    meeting_id = integer(consultation_meeting_id, "consultation_meeting_id", errors)
    if meeting_id is not None:
        meeting = db.session.get(Meeting, meeting_id)
        if meeting is None or meeting.kind != "open_consultation":
            errors["consultation_meeting_id"] = _("Choose an open consultation meeting of this municipality.")
    if draft_of(plan) is not None:
        errors["version"] = _("This plan already has a draft version: change that one.")
    base = approved_of(plan)
    if base is None and "version" not in errors:
        errors["version"] = _("The plan has no approved version yet: change its draft.")
    if errors:
        raise ValidationFailed(errors)
    number_ = (db.session.execute(select(func.max(PlanVersion.number)).where(PlanVersion.plan_id == plan.id))
               .scalar() or 0) + 1
    version = PlanVersion(plan_id=plan.id, number=number_, status="draft", based_on_id=base.id, note=note,
                          consultation_meeting_id=meeting_id, created_by_id=user_id)
    db.session.add(version)
    db.session.flush()
    if copy:
        copy_content(base, version)
    db.session.expire(plan, ["versions"])
    return version


def copy_content(source: PlanVersion, target: PlanVersion) -> None:
    """Copy every item, activity (institutions, funding) and indicator, keeping their keys."""
    for item in source.items:
        copy = PlanItem(version_id=target.id, key=item.key, position=item.position, number=item.number,
                        issue=item.issue, risk_id=item.risk_id, intensity=item.intensity)
        db.session.add(copy)
        db.session.flush()
        for activity in item.activities:
            new = PlanActivity(item_id=copy.id, key=activity.key, position=activity.position,
                               description=activity.description, partners=activity.partners,
                               timing_kind=activity.timing_kind, timing_value=activity.timing_value)
            db.session.add(new)
            db.session.flush()
            for link in activity.institution_links:
                db.session.add(PlanActivityInstitution(activity_id=new.id, institution_id=link.institution_id,
                                                       position=link.position))
            for funding in activity.funding:
                db.session.add(PlanFunding(activity_id=new.id, **{f: getattr(funding, f) for f in FUNDING_FIELDS}))
        for indicator in item.indicators:
            db.session.add(PlanIndicator(item_id=copy.id, key=indicator.key, position=indicator.position,
                                         **{f: getattr(indicator, f) for f in INDICATOR_FIELDS}))
    db.session.flush()
    db.session.expire(target, ["items"])


def approve_version(version: PlanVersion, decision_id, *, user_id: int | None) -> PlanVersion:
    """Approve a draft at a council meeting (Art. 8.4), by that meeting's decision. The version in
    force until then is kept, marked as replaced."""
    check_editable(version)
    errors: dict[str, str] = {}
    decision_id = integer(decision_id, "decision_id", errors,
                          required=_("Choose the council's decision that approves the plan."))
    decision = db.session.get(Decision, decision_id) if decision_id is not None else None
    if decision_id is not None and decision is None:
        errors["decision_id"] = _("Choose a decision of this municipality's council.")
    meeting = db.session.get(Meeting, decision.meeting_id) if decision is not None else None
    if meeting is not None and meeting.kind not in COUNCIL_KINDS:
        errors["decision_id"] = _("The plan is approved at a council meeting: this decision was taken at "
                                  "another kind of meeting.")
    if meeting is not None and meeting.status == "cancelled":
        errors["decision_id"] = _("This decision belongs to a cancelled meeting.")
    if not version.items:
        errors["version"] = _("The draft has no items: add the plan's items before it is approved.")
    if errors:
        raise ValidationFailed(errors)
    for other in versions_of(db.session.get(Plan, version.plan_id)):
        if other.status == "approved":
            other.status = "superseded"
    version.status = "approved"
    version.approved_decision_id = decision.id
    version.approved_meeting_id = meeting.id
    version.approved_on = meeting.starts_at.date()
    version.approved_by_id = user_id
    db.session.flush()
    return version


def _delete_trees(items: list[PlanItem] = (), activities: list[PlanActivity] = ()) -> None:
    """Delete items and activities with everything under them through the session, children first (one
    flush per level), so that nothing deleted by the database's cascade stays in the identity map."""
    activities = [*activities, *(a for item in items for a in item.activities)]
    for activity in activities:
        for row in (*activity.institution_links, *activity.funding):
            db.session.delete(row)
    for item in items:
        for indicator in item.indicators:
            db.session.delete(indicator)
    db.session.flush()
    for activity in activities:
        db.session.delete(activity)
    db.session.flush()
    for item in items:
        db.session.delete(item)
    db.session.flush()


def clear_content(version: PlanVersion) -> None:
    check_editable(version)
    _delete_trees(items=list(version.items))
    db.session.expire(version, ["items"])


def delete_draft(version: PlanVersion) -> None:
    """Discard a draft (an approved version is never deleted)."""
    check_editable(version)
    from .models import ProgressEntry

    used = db.session.execute(select(func.count()).select_from(ProgressEntry).join(
        PlanActivity, PlanActivity.id == ProgressEntry.activity_id).join(PlanItem, PlanItem.id == PlanActivity.item_id)
        .where(PlanItem.version_id == version.id)).scalar()
    if used:
        raise ValidationFailed({"version": _("Progress was recorded on this version: it is kept.")})
    clear_content(version)
    db.session.delete(version)
    db.session.flush()


# --- items ------------------------------------------------------------------------------------

def _item_values(data: dict, errors: dict) -> dict:
    values = {
        "number": text(data.get("number"), "number", errors, max_length=20),
        "issue": text(data.get("issue"), "issue", errors, max_length=4000,
                      required=_("Describe the identified issue.")),
        "intensity": choice(data.get("intensity"), "intensity", errors, INTENSITIES),
        "risk_id": integer(data.get("risk_id"), "risk_id", errors),
    }
    if not blank(data.get("intensity")) and values["intensity"] is None:
        errors["intensity"] = _("Choose the intensity: high, moderate or low.")
    if values["risk_id"] is not None:
        risk = db.session.get(Risk, values["risk_id"])
        if risk is None:
            errors["risk_id"] = _("Choose a risk of this municipality's register.")
        elif values["intensity"] is None and "intensity" not in errors:
            values["intensity"] = risk.intensity
    return values


def add_item(version: PlanVersion, data: dict) -> PlanItem:
    check_editable(version)
    errors: dict[str, str] = {}
    values = _item_values(data, errors)
    if errors:
        raise ValidationFailed(errors)
    position = (db.session.execute(select(func.max(PlanItem.position)).where(PlanItem.version_id == version.id))
                .scalar() or 0) + 1
    item = PlanItem(version_id=version.id, key=new_key(), position=position, **values)
    db.session.add(item)
    db.session.flush()
    db.session.expire(version, ["items"])
    return item


def _apply_changes(row, fields, parse, data: dict) -> None:
    """Merge the given fields of ``data`` over the row's current values, check them all with
    ``parse(values, errors)``, and set them only if nothing was refused."""
    errors: dict[str, str] = {}
    current = {f: getattr(row, f) for f in fields}
    values = parse({**current, **{k: v for k, v in data.items() if k in fields}}, errors)
    if errors:
        raise ValidationFailed(errors)
    for key, value in values.items():
        setattr(row, key, value)


def update_item(item: PlanItem, data: dict) -> PlanItem:
    check_editable(version_of_item(item))
    _apply_changes(item, ITEM_FIELDS, _item_values, data)
    if "position" in data:
        _move(item, data.get("position"))
    db.session.flush()
    return item


def _move(item: PlanItem, position) -> None:
    errors: dict[str, str] = {}
    position = integer(position, "position", errors)
    if errors or position is None:
        raise ValidationFailed(errors or {"position": _("Enter a whole number.")})
    siblings = [i for i in version_of_item(item).items if i.id != item.id]
    position = max(1, min(position, len(siblings) + 1))
    siblings.insert(position - 1, item)
    for i, sibling in enumerate(siblings, start=1):
        sibling.position = i


def delete_item(item: PlanItem) -> None:
    version = version_of_item(item)
    check_editable(version)
    _delete_trees(items=[item])
    db.session.expire(version, ["items"])


# --- activities -------------------------------------------------------------------------------

def _institution_ids(raw, errors: dict) -> list[int] | None:
    if raw is None:
        return None
    if isinstance(raw, int | str):
        raw = [raw]
    ids: list[int] = []
    for value in raw:
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            errors["institution_ids"] = _("Choose existing institutions.")
            return None
    ids = list(dict.fromkeys(ids))
    if ids and len(db.session.execute(select(Institution.id).where(Institution.id.in_(ids))).all()) != len(ids):
        errors["institution_ids"] = _("Choose existing institutions.")
    return ids


def _activity_values(data: dict, errors: dict) -> dict:
    values = {
        "description": text(data.get("description"), "description", errors, max_length=4000,
                            required=_("Describe the activity.")),
        "partners": text(data.get("partners"), "partners", errors, max_length=2000),
        "timing_kind": choice(data.get("timing_kind"), "timing_kind", errors, TIMING_KINDS),
        "timing_value": text(data.get("timing_value"), "timing_value", errors, max_length=40),
    }
    if values["timing_kind"] is None and values["timing_value"] is not None and "timing_kind" not in errors:
        errors["timing_kind"] = _("Say whether the timing is a deadline, a period or a recurrence.")
    elif values["timing_kind"] is not None and values["timing_value"] is None:
        errors["timing_value"] = _("Give the deadline, the period or the recurrence.")
    elif values["timing_kind"] == "deadline" and values["timing_value"]:
        from ..concerns.common import parse_date

        parsed = parse_date(values["timing_value"], "timing_value", errors)
        values["timing_value"] = parsed.isoformat() if parsed else None
    elif not valid_timing(values["timing_kind"], values["timing_value"]) and "timing_kind" not in errors:
        errors["timing_value"] = _("This period or recurrence is not known.")
    return values


def _set_institutions(activity: PlanActivity, ids: list[int]) -> None:
    for link in activity.institution_links:
        db.session.delete(link)
    db.session.flush()
    for position, institution_id in enumerate(ids, start=1):
        db.session.add(PlanActivityInstitution(activity_id=activity.id, institution_id=institution_id,
                                               position=position))
    db.session.flush()
    db.session.expire(activity, ["institution_links"])


def add_activity(item: PlanItem, data: dict) -> PlanActivity:
    version = version_of_item(item)
    check_editable(version)
    errors: dict[str, str] = {}
    values = _activity_values(data, errors)
    ids = _institution_ids(data.get("institution_ids"), errors)
    if errors:
        raise ValidationFailed(errors)
    position = (db.session.execute(select(func.max(PlanActivity.position)).where(PlanActivity.item_id == item.id))
                .scalar() or 0) + 1
    activity = PlanActivity(item_id=item.id, key=new_key(), position=position, **values)
    db.session.add(activity)
    db.session.flush()
    if ids:
        _set_institutions(activity, ids)
    db.session.expire(item, ["activities"])
    return activity


def update_activity(activity: PlanActivity, data: dict) -> PlanActivity:
    check_editable(version_of_activity(activity))
    errors: dict[str, str] = {}
    current = {f: getattr(activity, f) for f in ACTIVITY_FIELDS}
    merged = {**current, **{k: v for k, v in data.items() if k in ACTIVITY_FIELDS}}
    if "timing_kind" in data and blank(data.get("timing_kind")) and "timing_value" not in data:
        merged["timing_value"] = None
    values = _activity_values(merged, errors)
    ids = _institution_ids(data.get("institution_ids"), errors) if "institution_ids" in data else None
    if errors:
        raise ValidationFailed(errors)
    for key, value in values.items():
        setattr(activity, key, value)
    if ids is not None:
        _set_institutions(activity, ids)
    db.session.flush()
    return activity


def delete_activity(activity: PlanActivity) -> None:
    check_editable(version_of_activity(activity))
    item = item_of(activity)
    _delete_trees(activities=[activity])
    db.session.expire(item, ["activities"])


# --- indicators -------------------------------------------------------------------------------

def _indicator_values(data: dict, errors: dict) -> dict:
    return {
        "name": text(data.get("name"), "name", errors, max_length=300, required=_("Name the indicator.")),
        "unit": text(data.get("unit"), "unit", errors, max_length=60),
        "baseline": number(data.get("baseline"), "baseline", errors),
        "target": number(data.get("target"), "target", errors),
        "source": text(data.get("source"), "source", errors, max_length=300),
    }


def add_indicator(item: PlanItem, data: dict) -> PlanIndicator:
    check_editable(version_of_item(item))
    errors: dict[str, str] = {}
    values = _indicator_values(data, errors)
    if errors:
        raise ValidationFailed(errors)
    position = (db.session.execute(select(func.max(PlanIndicator.position))
                                   .where(PlanIndicator.item_id == item.id)).scalar() or 0) + 1
    indicator = PlanIndicator(item_id=item.id, key=new_key(), position=position, **values)
    db.session.add(indicator)
    db.session.flush()
    db.session.expire(item, ["indicators"])
    return indicator


def update_indicator(indicator: PlanIndicator, data: dict) -> PlanIndicator:
    item = db.session.get(PlanItem, indicator.item_id)
    check_editable(version_of_item(item))
    _apply_changes(indicator, INDICATOR_FIELDS, _indicator_values, data)
    db.session.flush()
    return indicator


def delete_indicator(indicator: PlanIndicator) -> None:
    item = db.session.get(PlanItem, indicator.item_id)
    check_editable(version_of_item(item))
    from .models import ProgressValue

    if db.session.execute(select(ProgressValue.id).where(ProgressValue.indicator_id == indicator.id)).first():
        raise ValidationFailed({"indicator": _("Values were reported for this indicator: it is kept.")})
    db.session.delete(indicator)
    db.session.flush()
    db.session.expire(item, ["indicators"])


# --- funding ------------------------------------------------------------------------------------

def _funding_values(data: dict, errors: dict) -> dict:
    values = {
        "source": choice(data.get("source"), "source", errors, FUNDING_SOURCES,
                         required=_("Choose the source: the municipality's budget, a donor or a community grant.")),
        "amount": number(data.get("amount"), "amount", errors),
        "currency": (text(data.get("currency"), "currency", errors, max_length=3) or "ALL").upper(),
        "donor": text(data.get("donor"), "donor", errors, max_length=200),
        "grantee": text(data.get("grantee"), "grantee", errors, max_length=200),
        "title": text(data.get("title"), "title", errors, max_length=300),
        "objective": text(data.get("objective"), "objective", errors, max_length=4000),
        "period": text(data.get("period"), "period", errors, max_length=120),
        "results": text(data.get("results"), "results", errors, max_length=4000),
    }
    if values["amount"] is not None and values["amount"] < 0:
        errors["amount"] = _("The amount cannot be negative.")
    if values["source"] == "donor" and not values["donor"] and "donor" not in errors:
        errors["donor"] = _("Name the donor.")
    if values["source"] == "community_grant":
        for field, message in (("grantee", _("Name the civil-society organisation that receives the grant.")),
                               ("title", _("Give the grant's title."))):
            if not values[field] and field not in errors:
                errors[field] = message
    return values


def add_funding(activity: PlanActivity, data: dict) -> PlanFunding:
    check_editable(version_of_activity(activity))
    errors: dict[str, str] = {}
    values = _funding_values(data, errors)
    if errors:
        raise ValidationFailed(errors)
    funding = PlanFunding(activity_id=activity.id, **values)
    db.session.add(funding)
    db.session.flush()
    db.session.expire(activity, ["funding"])
    return funding


def update_funding(funding: PlanFunding, data: dict) -> PlanFunding:
    """Funding records what was spent and achieved: it can be completed on an approved plan too
    (results come after approval)."""
    _apply_changes(funding, FUNDING_FIELDS, _funding_values, data)
    db.session.flush()
    return funding


def delete_funding(funding: PlanFunding) -> None:
    activity = db.session.get(PlanActivity, funding.activity_id)
    check_editable(version_of_activity(activity))
    db.session.delete(funding)
    db.session.flush()
    db.session.expire(activity, ["funding"])


# --- institutions named in a sheet --------------------------------------------------------------

_KIND_HINTS = (("polic", "police"), ("prokurori", "prosecution"), ("prosecut", "prosecution"),
               ("gjykat", "court"), ("court", "court"), ("prefekt", "prefecture"), ("bashkia", "municipality"),
               ("municipality", "municipality"), ("arsim", "education"), ("education", "education"),
               ("shkoll", "school"), ("school", "school"), ("shendet", "health"), ("health", "health"),
               ("sherbim social", "social_services"), ("social", "social_services"), ("emergjenc", "civil_emergencies"),
               ("emergenc", "civil_emergencies"), ("ojf", "civil_society"), ("ngo", "civil_society"),
               ("shoqeri civile", "civil_society"), ("civil society", "civil_society"), ("media", "media"),
               ("biznes", "business"), ("business", "business"), ("fetar", "religious_community"),
               ("religious", "religious_community"))


def guess_institution_kind(name: str) -> str:
    folded = fold(name)
    for hint, kind in _KIND_HINTS:
        if hint in folded:
            return kind
    return "other"


def institution_candidates() -> list[Institution]:
    """Institutions a sheet's names are matched against: the county's and the shared ones first."""
    county_id = _municipality().county_id
    rows = db.session.execute(select(Institution)).scalars().all()
    rank = {True: 0, False: 1}
    return sorted(rows, key=lambda i: (rank[i.county_id == county_id], rank[bool(i.shared)], i.id))


def match_institution(name: str, candidates: list[Institution]) -> Institution | None:
    key = fold(name)
    return next((i for i in candidates if fold(i.name) == key), None)


def institutions_by_name(names: list[str], *, create: bool) -> list[Institution | None]:
    """Each name matched to an existing institution (case- and diacritics-insensitive), or created
    in the municipality's county (and linked to its council) when ``create``."""
    candidates = institution_candidates()
    county_id = _municipality().county_id
    linked = set(db.session.execute(select(CouncilInstitution.institution_id)).scalars())
    found: list[Institution | None] = []
    for name in names:
        institution = match_institution(name, candidates)
        if institution is None and create:
            institution = Institution(name=" ".join(name.split())[:200], kind=guess_institution_kind(name),
                                      county_id=county_id, shared=False)
            db.session.add(institution)
            db.session.flush()
            candidates.insert(0, institution)
        if institution is not None and create and institution.id not in linked:
            db.session.add(CouncilInstitution(institution_id=institution.id))
            linked.add(institution.id)
        found.append(institution)
    if create:
        db.session.flush()
    return found


# --- content, comparison, completeness ---------------------------------------------------------------

def _funding_content(funding: PlanFunding) -> dict:
    return {"id": funding.id, **{f: getattr(funding, f) for f in FUNDING_FIELDS}}


def activity_content(activity: PlanActivity) -> dict:
    return {"id": activity.id, "key": activity.key, "position": activity.position,
            **{f: getattr(activity, f) for f in ACTIVITY_FIELDS},
            "institutions": [{"id": i.id, "name": i.name} for i in activity.institutions],
            "funding": [_funding_content(f) for f in activity.funding]}


def indicator_content(indicator: PlanIndicator) -> dict:
    return {"id": indicator.id, "key": indicator.key, "position": indicator.position,
            **{f: getattr(indicator, f) for f in INDICATOR_FIELDS}}


def item_content(item: PlanItem) -> dict:
    return {"id": item.id, "key": item.key, "position": item.position,
            **{f: getattr(item, f) for f in ITEM_FIELDS},
            "activities": [activity_content(a) for a in item.activities],
            "indicators": [indicator_content(i) for i in item.indicators]}


def _diff(before: dict, after: dict, fields) -> dict:
    return {f: {"from": before.get(f), "to": after.get(f)} for f in fields if before.get(f) != after.get(f)}


def _activity_compare(a: dict) -> dict:
    return {**{f: a[f] for f in ACTIVITY_FIELDS},
            "institutions": sorted(i["name"] for i in a["institutions"]),
            "funding": sorted(tuple(str(x[f]) for f in FUNDING_FIELDS) for x in a["funding"])}


def _compare_lists(before: list[dict], after: list[dict], fields, label_field: str, shape=None) -> list[dict]:
    shape = shape or (lambda x: x)
    old = {x["key"]: x for x in before}
    new = {x["key"]: x for x in after}
    rows = []
    for key, x in new.items():
        if key not in old:
            rows.append({"key": key, "change": "added", "label": x[label_field], "fields": {}})
        else:
            changed = _diff(shape(old[key]), shape(x), fields)
            rows.append({"key": key, "change": "changed" if changed else "unchanged", "label": x[label_field],
                         "fields": changed})
    for key, x in old.items():
        if key not in new:
            rows.append({"key": key, "change": "removed", "label": x[label_field], "fields": {}})
    return rows


def compare_versions(old: PlanVersion, new: PlanVersion) -> dict:
    """Item by item (by key): added, removed, changed (fields, activities, indicators) and unchanged."""
    before = {i.key: item_content(i) for i in old.items}
    after = {i.key: item_content(i) for i in new.items}
    rows = []
    for key in [*after, *(k for k in before if k not in after)]:
        a, b = before.get(key), after.get(key)
        current = b or a
        row = {"key": key, "number": current["number"], "issue": current["issue"], "fields": {},
               "activities": [], "indicators": []}
        if a is None:
            row["change"] = "added"
            row["activities"] = [{"key": x["key"], "change": "added", "label": x["description"], "fields": {}}
                                 for x in b["activities"]]
        elif b is None:
            row["change"] = "removed"
            row["activities"] = [{"key": x["key"], "change": "removed", "label": x["description"], "fields": {}}
                                 for x in a["activities"]]
        else:
            row["fields"] = _diff(a, b, ITEM_FIELDS)
            row["activities"] = _compare_lists(a["activities"], b["activities"],
                                               (*ACTIVITY_FIELDS, "institutions", "funding"), "description",
                                               _activity_compare)
            row["indicators"] = _compare_lists(a["indicators"], b["indicators"], INDICATOR_FIELDS, "name")
            moved = any(x["change"] != "unchanged" for x in row["activities"] + row["indicators"])
            row["change"] = "changed" if row["fields"] or moved else "unchanged"
        rows.append(row)
    summary = {c: sum(1 for r in rows if r["change"] == c) for c in ("added", "removed", "changed", "unchanged")}
    return {"from_version": {"id": old.id, "number": old.number, "status": old.status},
            "to_version": {"id": new.id, "number": new.number, "status": new.status},
            "summary": summary, "items": rows}


def completeness(version: PlanVersion) -> list[dict]:
    """What each item lacks to be complete (Art. 8.2-8.3): intensity, activities, responsible institutions,
    a deadline (timing) and a measurable indicator."""
    gaps = []
    for item in version.items:
        missing = []
        if not item.intensity:
            missing.append(str(_l("an intensity")))
        if not item.activities:
            missing.append(str(_l("activities")))
        if item.activities and any(not a.institution_links for a in item.activities):
            missing.append(str(_l("responsible institutions for every activity")))
        if item.activities and any(not a.timing_kind for a in item.activities):
            missing.append(str(_l("a timing for every activity")))
        if not item.indicators:
            missing.append(str(_l("a measurable indicator")))
        if missing:
            gaps.append({"item_id": item.id, "number": item.number, "issue": item.issue, "missing": missing})
    return gaps


def decisions_for_approval() -> list[tuple[Decision, Meeting]]:
    """Decisions of council meetings, the latest first (to link an approval to)."""
    rows = db.session.execute(select(Decision, Meeting).join(Meeting, Meeting.id == Decision.meeting_id)
                              .where(Meeting.kind.in_(COUNCIL_KINDS), Meeting.status != "cancelled")
                              .order_by(Meeting.starts_at.desc(), Decision.id.desc())).all()
    return [(d, m) for d, m in rows]
