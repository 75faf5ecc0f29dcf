"""The multi-agency plan: plans, versions, items, activities, indicators, funding; approval at a
council meeting, revisions, comparison of versions. Runs inside the tenant scope.

Only a draft version can change; an approved version is kept as it was approved. A revision is
a new draft copied from the approved version, with the same item and activity keys.
"""
from __future__ import annotations

import uuid
from datetime import date, timedelta

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..council.references import check_institution_ids
from ..errors import Conflict, ValidationFailed
from ..extensions import db
from ..meetings.models import COUNCIL_KINDS, Meeting
from ..municipalities.models import Municipality
from ..records.models import Decision
from ..risks.models import Risk
from ..schemas import parse_day
from ..tenancy.context import current_municipality_id
from .models import (
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
                         "superseded": _l("Approved, replaced by a later version"),
                         "replaced": _l("Draft set aside by an import (can be restored)")}
FUNDING_LABELS = {"municipal_budget": _l("Municipal budget"), "donor": _l("Donor"),
                  "community_grant": _l("Community grant to a civil-society organisation")}
TIMING_KIND_LABELS = {"deadline": _l("Deadline"), "period": _l("Period"), "recurrence": _l("Recurrence")}
ITEM_FIELDS = ("number", "issue", "intensity", "risk_id")
ACTIVITY_FIELDS = ("description", "partners", "timing_kind", "timing_value")
INDICATOR_FIELDS = ("name", "unit", "baseline", "target", "source")
FUNDING_FIELDS = ("source", "amount", "currency", "donor", "grantee", "title", "objective", "period", "results")


class VersionLocked(Conflict):
    """A change to a version that is no longer a draft (refused: start a revision)."""


def deadline_warnings(activity: PlanActivity, year: int | None = None) -> list[str]:
    """A warning (not a refusal) when an activity's deadline falls outside its plan's year."""
    if activity.timing_kind != "deadline" or not activity.timing_value:
        return []
    if year is None:
        year = db.session.get(Plan, version_of_activity(activity).plan_id).year
    try:
        due = date.fromisoformat(activity.timing_value)
    except ValueError:
        return []
    if due.year == year:
        return []
    from flask_babel import format_date

    return [_("The deadline %(date)s is outside the plan's year %(year)s: check it.",
              date=format_date(due, "short"), year=year)]


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
    if on is None:
        from ..timeutil import local_today

        on = local_today()
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
    """The plan's year as ``PlanSchema`` reads it (a form's or an import's), or None with its message."""
    from ..schemas import load_form
    from .schemas import PlanSchema

    try:
        return load_form(PlanSchema(only=("year",)), {"year": value if value is not None else ""})["year"]
    except ValidationFailed as exc:
        errors.update(exc.errors)
        return None


def create_plan(year: int, title: str | None = None, *, user_id: int | None) -> Plan:
    """A plan for the year (clean values, see ``PlanSchema``), with an empty draft (version 1)."""
    if plan_for_year(year) is not None:
        raise ValidationFailed({"year": _("There is already a plan for %(year)s: revise it instead.", year=year)})
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
        elif version.status == "replaced":
            message = _("Version %(number)s is a draft that an import set aside: restore it to change it.",
                        number=version.number)
        else:
            message = _("Version %(number)s was approved and later replaced; approved versions are kept as they "
                        "were approved and cannot be changed.", number=version.number)
        raise VersionLocked({"version": message})


def start_revision(plan: Plan, *, consultation_meeting_id: int | None = None, note: str | None = None,
                   user_id: int | None, copy: bool = True) -> PlanVersion:
    """A new draft copied from the version in force (after an open consultation, Art. 8.5); the clean data
    of ``RevisionSchema``."""
    errors: dict[str, str] = {}
    if consultation_meeting_id is not None:
        meeting = db.session.get(Meeting, consultation_meeting_id)
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
                          consultation_meeting_id=consultation_meeting_id, created_by_id=user_id)
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


def _local_date(moment) -> date:
    """The Albanian calendar day of a stored (naive UTC) timestamp."""
    from ..timeutil import local_day

    return local_day(moment)


def approval_not_before(version: PlanVersion) -> date:
    """The first day a council meeting can approve this draft: the day it was created, or for a
    revision after an open consultation, the day after that consultation (Art. 8.4, 8.5)."""
    earliest = _local_date(version.created_at) if version.created_at else date.min
    if version.consultation_meeting_id:
        consultation = db.session.get(Meeting, version.consultation_meeting_id)
        if consultation is not None:
            earliest = max(earliest, consultation.starts_at.date() + timedelta(days=1))
    return earliest


def _used_decision_ids(except_version_id: int | None = None) -> set[int]:
    query = select(PlanVersion.approved_decision_id).where(PlanVersion.approved_decision_id.is_not(None))
    if except_version_id is not None:
        query = query.where(PlanVersion.id != except_version_id)
    return set(db.session.execute(query).scalars())


def approval_refusal(version: PlanVersion, decision: Decision, meeting: Meeting) -> str | None:
    """Why this decision cannot approve this draft, or None."""
    if meeting.kind not in COUNCIL_KINDS:
        return _("The plan is approved at a council meeting: this decision was taken at another kind of meeting.")
    if meeting.status == "cancelled":
        return _("This decision belongs to a cancelled meeting.")
    if meeting.status != "held":
        return _("This decision belongs to a meeting that has not been held yet.")
    if decision.signed_by_chair_on is None:
        return _("Decision %(number)s is not signed by the chair yet: sign it first.", number=decision.number)
    earliest = approval_not_before(version)
    if meeting.starts_at.date() < earliest:
        from flask_babel import format_date

        if version.consultation_meeting_id and earliest > _local_date(version.created_at):
            return _("Decision %(number)s was taken on %(date)s, before the open consultation that asked for this "
                     "revision: choose a decision of a later council meeting.", number=decision.number,
                     date=format_date(meeting.starts_at.date()))
        return _("Decision %(number)s was taken on %(date)s, before this draft was created (%(created)s): choose a "
                 "decision of a later council meeting.", number=decision.number,
                 date=format_date(meeting.starts_at.date()), created=format_date(earliest))
    if decision.id in _used_decision_ids(version.id):
        return _("Decision %(number)s already approved another version of a plan: each approval has its own "
                 "decision.", number=decision.number)
    return None


def approve_version(version: PlanVersion, decision_id: int, *, user_id: int | None) -> PlanVersion:
    """Approve a draft at a council meeting (Art. 8.4), by that meeting's signed decision, taken after the
    draft was created (for a revision, after the consultation that asked for it) and not used for another
    approval. The version in force until then is kept, marked as replaced."""
    check_editable(version)
    errors: dict[str, str] = {}
    decision = db.session.get(Decision, decision_id)
    if decision is None:
        errors["decision_id"] = _("Choose a decision of this municipality's council.")
    meeting = db.session.get(Meeting, decision.meeting_id) if decision is not None else None
    if meeting is not None:
        refusal = approval_refusal(version, decision, meeting)
        if refusal:
            errors["decision_id"] = refusal
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
    from ..webhooks import emit, payloads

    plan = db.session.get(Plan, version.plan_id)
    emit("plan_version.approved", plan.municipality_id, payloads.plan_version(version, plan))
    return version


def withdraw_approval(version: PlanVersion, reason: str, *, user) -> PlanVersion:
    """The chair corrects an approval recorded by mistake: the version becomes a draft again (so that the
    right decision can be chosen), the version it had replaced is in force again, and the reason is written
    to the audit trail and the version's note."""
    from ..accounts import access
    from ..accounts.roles import Permission
    from ..audit.trail import record
    from ..errors import NotAllowed

    if not access.holds(user, version.municipality_id, Permission.CHAIR_DECISIONS):
        raise NotAllowed({"version": _("Only the chair of the council corrects an approval.")})
    errors: dict[str, str] = {}
    if version.status != "approved":
        errors["version"] = _("Only the approval of the version in force can be corrected.")
    plan = db.session.get(Plan, version.plan_id)
    if version.status == "approved" and draft_of(plan) is not None:
        errors["version"] = _("The plan has a draft already: discard it or keep working on it before the "
                              "approval is corrected.")
    if errors:
        raise ValidationFailed(errors)
    from .models import ProgressEntry

    if db.session.execute(select(ProgressEntry.id).join(PlanActivity, PlanActivity.id == ProgressEntry.activity_id)
                          .join(PlanItem, PlanItem.id == PlanActivity.item_id)
                          .where(PlanItem.version_id == version.id)).first():
        raise ValidationFailed({"version": _("Progress was recorded on this version: record the correct decision in "
                                             "a revision instead.")})
    previous = [v for v in versions_of(plan) if v.status == "superseded" and v.number < version.number]
    details = {"reason": reason, "decision_id": version.approved_decision_id,
               "meeting_id": version.approved_meeting_id,
               "approved_on": version.approved_on.isoformat() if version.approved_on else None,
               "restored_version_id": previous[-1].id if previous else None}
    if previous:
        previous[-1].status = "approved"
    version.status = "draft"
    version.approved_decision_id = version.approved_meeting_id = version.approved_on = None
    version.approved_by_id = None
    from ..timeutil import local_today

    line = _("Approval withdrawn by the chair on %(date)s: %(reason)s", date=local_today().strftime("%d.%m.%Y"),
             reason=reason)
    version.note = f"{version.note}\n{line}" if version.note else line
    record(db.session, "plan_approval_withdrawn", "PlanVersion", version.id, details=details)
    db.session.flush()
    return version


def restore_version(version: PlanVersion, *, user_id: int | None) -> PlanVersion:
    """Bring back a draft that an import set aside: it becomes the draft again, and the draft in its place
    (if any) is set aside in turn, so nothing is lost either way."""
    if version.status != "replaced":
        raise ValidationFailed({"version": _("Only a draft set aside by an import can be restored.")})
    plan = db.session.get(Plan, version.plan_id)
    current = draft_of(plan)
    if current is not None:
        current.status = "replaced"
        db.session.flush()
    version.status = "draft"
    db.session.flush()
    db.session.expire(plan, ["versions"])
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
    """The clean data of ``ItemInputSchema`` (merged over the item's on a change); without an intensity,
    the risk's."""
    values = {f: data.get(f) for f in ITEM_FIELDS}
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


def _move(item: PlanItem, position: int | None) -> None:
    if position is None:
        raise ValidationFailed({"position": _("Enter a whole number.")})
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

def _activity_values(data: dict, errors: dict) -> dict:
    """The clean data of ``ActivityInputSchema`` (merged over the activity's on a change), with a timing
    that says what it is: a deadline (a day, stored as YYYY-MM-DD), a period or a recurrence."""
    values = {f: data.get(f) for f in ACTIVITY_FIELDS}
    kind, value = values["timing_kind"], values["timing_value"]
    if kind is None and value is not None:
        errors["timing_kind"] = _("Say whether the timing is a deadline, a period or a recurrence.")
    elif kind is not None and value is None:
        errors["timing_value"] = _("Give the deadline, the period or the recurrence.")
    elif kind == "deadline":
        parsed = parse_day(value)
        values["timing_value"] = parsed.isoformat() if parsed else None
        if parsed is None:
            errors["timing_value"] = _("Enter a date as DD.MM.YYYY.")
    elif not valid_timing(kind, value):
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
    ids = check_institution_ids(data.get("institution_ids") or [], "institution_ids", errors)
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
    if "timing_kind" in data and data["timing_kind"] is None and "timing_value" not in data:
        merged["timing_value"] = None
    values = _activity_values(merged, errors)
    ids = (check_institution_ids(data["institution_ids"] or [], "institution_ids", errors)
           if "institution_ids" in data else None)
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
    """The clean data of ``IndicatorSchema`` (nothing left to check)."""
    return {f: data.get(f) for f in INDICATOR_FIELDS}


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
    """The clean data of ``FundingSchema`` (merged over the record's on a change), and what a donor's or a
    community grant's record needs."""
    values = {f: data.get(f) for f in FUNDING_FIELDS}
    values["currency"] = (values["currency"] or "ALL").upper()
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
# Matched in spreadsheet._InstitutionResolver against the institutions this municipality may name
# (council.references); an import never creates one (issue 20).


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


def decisions_for_approval(version: PlanVersion | None = None) -> list[tuple[Decision, Meeting]]:
    """The decisions that can approve ``version``: signed decisions of council meetings held after the draft
    was created (for a revision, after its consultation), not used for another approval; the latest first."""
    query = (select(Decision, Meeting).join(Meeting, Meeting.id == Decision.meeting_id)
             .where(Meeting.kind.in_(COUNCIL_KINDS), Meeting.status == "held",
                    Decision.signed_by_chair_on.is_not(None))
             .order_by(Meeting.starts_at.desc(), Decision.id.desc()))
    if version is not None:
        from datetime import datetime, time

        query = query.where(Meeting.starts_at >= datetime.combine(approval_not_before(version), time.min))
    used = _used_decision_ids(version.id if version is not None else None)
    return [(d, m) for d, m in db.session.execute(query).all() if d.id not in used]
