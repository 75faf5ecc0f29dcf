"""What citizens may read about a council: only what the council has published.

Every function here runs in the public, read-only scope of one municipality (``/public/<slug>/...``)
unless it says otherwise, and is the ONE place the public pages, feeds, downloads and the public
API take their content from. The rules:

* the council's composition: names, categories, positions and institutions; never an e-mail or a phone;
* meetings: only council meetings and open consultations, planned or held (never cancelled ones,
  never secretariat or task-force meetings), with their agenda titles (no presenters, no materials);
* press releases: published ones (``published_at`` set);
* the plan: approved versions (in force, or approved and later replaced); never a draft;
* monitoring reports: published ones;
* concerns: accepted ones, without who sent them or how to reach them, with the risks and the
  activities of approved plans that answer them;
* crime statistics: through ``crime_statistics.publication`` only (suppression applies).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import lazyload

from ..concerns.models import Concern
from ..extensions import db
from ..meetings.models import Meeting
from ..plans.models import MonitoringReport, Plan, PlanItem, PlanVersion
from ..records.models import PressRelease
from ..risks.models import Risk, RiskConcern
from ..timeutil import local_day, local_now  # noqa: F401 (local_now read as services.local_now)

PUBLIC_MEETING_KINDS = ("council", "open_consultation")
PUBLIC_MEETING_STATUSES = ("planned", "held")
PUBLIC_VERSION_STATUSES = ("approved", "superseded")  # approved at a council meeting; never "draft"
CONCERNS_ON_PAGE = 20


# --- the council ------------------------------------------------------------------------------------

@dataclass
class PublicMember:
    name: str
    category: str
    category_label: str
    position: str | None
    institution: str | None
    seats: list[str] = field(default_factory=list)


@dataclass
class PublicCategory:
    code: str
    label: str
    members: list[PublicMember]


def composition() -> list[PublicCategory]:
    """The active members by category (a)-(o), then the secretariat staff: no contact details are
    copied out of the member records, so no template can show them."""
    from ..council import services as council

    on = council.today()
    seats: dict[int, list[str]] = {}
    for seat, term in council.current_seats(on).items():
        if term is not None:
            seats.setdefault(term.member_id, []).append(council.seat_label(seat))
    rows = []
    for row in council.composition(on):
        members = [PublicMember(m.full_name, m.category, row.label, m.position,
                                m.institution.name if m.institution else None, seats.get(m.id, []))
                   for m in row.members]
        if members:
            rows.append(PublicCategory(row.code, row.label, members))
    return rows


# --- meetings -----------------------------------------------------------------------------------------

def _public_meetings():
    return (select(Meeting).where(Meeting.kind.in_(PUBLIC_MEETING_KINDS),
                                  Meeting.status.in_(PUBLIC_MEETING_STATUSES)))


def upcoming_meetings(now: datetime | None = None) -> list[Meeting]:
    """Planned council meetings and open consultations that have not started yet, soonest first."""
    now = now or local_now()
    query = _public_meetings().where(Meeting.status == "planned", Meeting.starts_at >= now)
    return list(db.session.execute(query.order_by(Meeting.starts_at, Meeting.id)).scalars())


def public_meetings() -> list[Meeting]:
    """Every public meeting, planned (once the public page has shown it) or held, the latest first (the open
    data)."""
    from sqlalchemy import or_

    query = _public_meetings().where(or_(Meeting.status == "held", Meeting.announced_at.is_not(None)))
    return list(db.session.execute(query.order_by(Meeting.starts_at.desc(), Meeting.id.desc())).scalars())


def calendar_meetings() -> list[Meeting]:
    """The public calendar: what the public page has published, and nothing before it did. Planned
    meetings once shown as upcoming (``announced_at``), held meetings, and meetings cancelled after they
    were shown (kept, as cancelled, so that calendars remove them), the latest first."""
    from sqlalchemy import and_, or_

    query = select(Meeting).where(Meeting.kind.in_(PUBLIC_MEETING_KINDS), or_(
        Meeting.status == "held",
        and_(Meeting.status.in_(("planned", "cancelled")), Meeting.announced_at.is_not(None))))
    return list(db.session.execute(query.order_by(Meeting.starts_at.desc(), Meeting.id.desc())).scalars())


def agenda_titles(meeting: Meeting) -> list[str]:
    return [item.title for item in meeting.agenda_items]


# --- press releases -----------------------------------------------------------------------------------

def press_releases(limit: int | None = None) -> list[tuple[PressRelease, Meeting]]:
    from ..records.services import published_press_releases

    return published_press_releases(limit)


# --- the plan -----------------------------------------------------------------------------------------

def approved_versions() -> list[PlanVersion]:
    """Every approved version (in force, or replaced by a later one), the latest plan and version first."""
    query = (select(PlanVersion).join(Plan, Plan.id == PlanVersion.plan_id)
             .where(PlanVersion.status.in_(PUBLIC_VERSION_STATUSES))
             .order_by(Plan.year.desc(), PlanVersion.number.desc())
             .options(lazyload(PlanVersion.items)))  # the list shows titles; items load only for the one shown
    return list(db.session.execute(query).scalars())


def current_version() -> PlanVersion | None:
    """The approved version in force (the plans area decides which), never a draft."""
    from ..plans.services import version_in_force

    version = version_in_force()
    return version if version is not None and version.status == "approved" else None


PROGRESS_KINDS = ("done", "in_progress", "late", "not_started")  # in this order in the bar


def plan_progress(version: PlanVersion) -> dict:
    """How far each priority (item) of the approved plan in force is, for the public page: its activities
    counted as done, in progress, late (delayed, or past their due date and not done: plans.monitoring's
    one computation of lateness, as of Albania's today) or not started; cancelled ones apart, outside the
    bar. Each share is the percentage of the item's activities that are not cancelled.
    ``{"as_of": today, "priorities": [{"item", "counts", "total", "shares"}]}``"""
    from ..plans.monitoring import board
    from ..timeutil import local_today

    today = local_today()
    rows = []
    for row in board(version, today=today):
        counts = dict.fromkeys((*PROGRESS_KINDS, "cancelled"), 0)
        for activity in row["activities"]:
            status = activity["status"]
            if status in ("done", "cancelled"):
                kind = status
            elif activity["overdue"] or status == "delayed":
                kind = "late"
            else:
                kind = "in_progress" if status == "in_progress" else "not_started"
            counts[kind] += 1
        total = sum(counts[k] for k in PROGRESS_KINDS)
        shares, start = [], 0.0
        for kind in PROGRESS_KINDS:
            share = 100.0 * counts[kind] / total if total else 0.0
            if share:
                shares.append({"kind": kind, "start": round(start, 3), "width": round(share, 3)})
            start += share
        rows.append({"item": row["item"], "counts": counts, "total": total, "shares": shares})
    return {"as_of": today, "priorities": rows}


def get_approved_version(version_id: int) -> PlanVersion | None:
    version = db.session.get(PlanVersion, version_id)
    return version if version is not None and version.status in PUBLIC_VERSION_STATUSES else None


# --- monitoring reports -------------------------------------------------------------------------------

def published_reports() -> list[MonitoringReport]:
    query = (select(MonitoringReport).where(MonitoringReport.published_at.is_not(None))
             .order_by(MonitoringReport.period_end.desc(), MonitoringReport.id.desc()))
    return list(db.session.execute(query).scalars())


# --- "you said, we did" -------------------------------------------------------------------------------

@dataclass
class Answer:
    plan: Plan
    version: PlanVersion
    item: PlanItem
    activities: list[dict]  # {"activity", "status"}


@dataclass
class RiskAnswer:
    risk: Risk
    answers: list[Answer]
    earlier: bool = False  # the plan answered the risk only before the concern was raised (not shown)


@dataclass
class SaidDid:
    concern: Concern
    risks: list[RiskAnswer]


def you_said_we_did(limit: int | None = CONCERNS_ON_PAGE) -> list[SaidDid]:
    """Accepted concerns, the latest first, each with what answers it (``answers_to``)."""
    query = select(Concern).where(Concern.status == "accepted").order_by(Concern.created_at.desc(),
                                                                         Concern.id.desc())
    if limit:
        query = query.limit(limit)
    return answers_to(list(db.session.execute(query).scalars()))


def raised_on(concern: Concern) -> date:
    """The day (in Albania) the concern was raised."""
    return local_day(concern.created_at)


def answers_to(concerns: list[Concern]) -> list[SaidDid]:
    """Each concern with the risks it fed and, for each risk, what the council decided or did about it
    AFTER the concern was raised, or what is linked to the concern explicitly (issue 18): the item of a
    plan version approved on or after the day the concern was raised, or drafted with the consultation
    where it was raised (all its activities); of a version approved before, only the activities whose
    progress was reported on or after that day. The version of each plan is the one in force, else the
    latest approved one, with each activity's latest status. Drafts are never looked at. A risk the plan
    answered only before the concern says so (``earlier``) instead of showing old work as the answer."""
    from ..plans.monitoring import latest_entries_of

    if not concerns:
        return []
    links = db.session.execute(
        select(RiskConcern.concern_id, Risk).join(Risk, Risk.id == RiskConcern.risk_id)
        .where(RiskConcern.concern_id.in_([c.id for c in concerns])).order_by(Risk.id)).all()
    risk_ids = {risk.id for _, risk in links}
    chosen: dict[tuple[int, int], tuple[PlanItem, PlanVersion]] = {}
    if risk_ids:
        # choose on plain columns (every version's item for these risks), then load only the chosen
        # items with their activities: not every old version's whole tree
        rank = {"approved": 1, "superseded": 0}
        best: dict[tuple[int, int], tuple] = {}
        for item_id, risk_id, version_id, plan_id, status, number in db.session.execute(
                select(PlanItem.id, PlanItem.risk_id, PlanVersion.id, PlanVersion.plan_id, PlanVersion.status,
                       PlanVersion.number).join(PlanVersion, PlanVersion.id == PlanItem.version_id)
                .where(PlanItem.risk_id.in_(risk_ids), PlanVersion.status.in_(PUBLIC_VERSION_STATUSES))).all():
            key, candidate = (risk_id, plan_id), (rank[status], number, item_id, version_id)
            if key not in best or candidate[:2] > best[key][:2]:
                best[key] = candidate
        item_ids = sorted({b[2] for b in best.values()})
        version_ids = sorted({b[3] for b in best.values()})
        items = {i.id: i for i in db.session.execute(select(PlanItem).where(PlanItem.id.in_(item_ids))).scalars()}
        versions = {v.id: v for v in db.session.execute(
            select(PlanVersion).where(PlanVersion.id.in_(version_ids))).scalars()}
        chosen = {key: (items[b[2]], versions[b[3]]) for key, b in best.items()}
    plan_ids = sorted({plan_id for _risk, plan_id in chosen})
    plans = {p.id: p for p in db.session.execute(select(Plan).where(Plan.id.in_(plan_ids))).scalars()} \
        if plan_ids else {}
    entries = latest_entries_of(plan_ids) if plan_ids else {}
    candidates: dict[int, list[tuple]] = {}
    for (risk_id, plan_id), (item, version) in sorted(chosen.items(), key=lambda kv: kv[0]):
        latest = entries.get(plan_id, {})
        activities = [{"activity": a, "status": latest[a.key].status if a.key in latest else "not_started",
                       "reported_on": latest[a.key].reported_on if a.key in latest else None}
                      for a in item.activities]
        candidates.setdefault(risk_id, []).append((plans[plan_id], version, item, activities))
    result = []
    for concern in concerns:
        day = raised_on(concern)
        risks = []
        for concern_id, risk in links:
            if concern_id != concern.id:
                continue
            answers, earlier = [], False
            for plan, version, item, activities in candidates.get(risk.id, []):
                linked = concern.meeting_id is not None and version.consultation_meeting_id == concern.meeting_id
                if linked or (version.approved_on is not None and version.approved_on >= day):
                    shown = activities
                else:
                    shown = [a for a in activities if a["reported_on"] is not None and a["reported_on"] >= day]
                    if not shown:
                        earlier = True
                        continue
                answers.append(Answer(plan, version, item, shown))
            risks.append(RiskAnswer(risk, sorted(answers, key=lambda a: -a.plan.year), earlier and not answers))
        result.append(SaidDid(concern, risks))
    return result


# --- crime statistics ---------------------------------------------------------------------------------

@dataclass
class CrimeHeadline:
    month: date | None
    total: object | None  # disclosure.Figure: the categories that are not sensitive, never a hidden count
    shown: str
    chart: object | None


def crime_headline() -> CrimeHeadline:
    """The latest month's headline and the 24-month chart, through crime_statistics' public
    service: figures come already made safe to publish."""
    from flask import g
    from flask_babel import gettext as _

    from ..crime_statistics import charts
    from ..crime_statistics.publication import month_label, public_view

    view = public_view()
    if not view.has_figures:
        return CrimeHeadline(None, None, "", None)
    labels = [month_label(m, short=True) for m in view.window]
    marks = [(view.status_of(m).status if view.status_of(m) else "") for m in view.window]
    chart = charts.trend_columns(
        labels, view.totals, marks=marks, show=view.show,
        title=_("Offences in %(place)s per month over 24 months, without the protected categories",
                place=g.municipality.name))
    return CrimeHeadline(view.month, view.total_this_month, view.show(view.total_this_month), chart)
