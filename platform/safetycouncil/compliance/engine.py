"""The compliance engine: every rule of the unified model, for every council, over a year.

``evaluate(municipality_ids, year, as_of=None)`` reads everything it needs set-wise, grouped by
``municipality_id``, inside ONE ``read_across_tenants(ids)``: a fixed number of queries whatever
the number of councils (tests/compliance/test_query_count.py). It then judges each council in
Python with the model version in force that year (``ComplianceModelVersion``).

A verdict is ``pass``, ``fail`` or ``not_yet_due`` (the period the rule needs has not ended
and the rule is not met yet). Its evidence is a list of plain dicts (JSON, stored in snapshots):
``{"kind": ..., <facts>}``; the message is built at display time in the reader's language
(``evidence.describe``), links from the ids it carries (meeting_id, decision_id, plan_id...).
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, select

from .. import timeutil, workdays
from ..council.models import CouncilEstablishment, CouncilMember, CouncilSeat
from ..extensions import db
from ..meetings.models import AgendaItem, Attendance, ExtraDayOff, Meeting
from ..plans.models import (
    MonitoringReport,
    Plan,
    PlanActivity,
    PlanActivityInstitution,
    PlanIndicator,
    PlanItem,
    PlanVersion,
)
from ..records.models import Decision, MinutesVersion, PressRelease
from ..tenancy import read_across_tenants
from .models import ComplianceModelVersion
from .rules import DEFAULT_PARAMETERS, DEFAULT_RULES, RULE_IDS

TIMEZONE = ZoneInfo("Europe/Tirane")
UTC = ZoneInfo("UTC")
PASS, FAIL, NOT_YET_DUE = "pass", "fail", "not_yet_due"
COUNCIL_KINDS = ("council", "council_ad_hoc")
APPROVED = ("approved", "superseded")
REPORT_APPROVED = ("approved", "published")
ALL_CATEGORIES = tuple("abcdefghijklmno")


@dataclass
class ModelInForce:
    id: int | None
    number: int
    valid_from: int
    parameters: dict
    rules: list  # [{"id", "article"}]

    def param(self, name: str) -> int:
        return int(self.parameters.get(name, DEFAULT_PARAMETERS[name]))

    @property
    def rule_ids(self) -> list[str]:
        return [r["id"] for r in self.rules if r["id"] in RULE_IDS]

    def article(self, rule_id: str) -> str:
        return next((r.get("article", "") for r in self.rules if r["id"] == rule_id), "")


@dataclass(slots=True)
class Verdict:
    rule: str
    status: str
    evidence: list[dict] = field(default_factory=list)
    article: str = ""


@dataclass
class CouncilResult:
    municipality_id: int
    verdicts: dict[str, Verdict]

    @property
    def passed(self) -> int:
        return sum(v.status == PASS for v in self.verdicts.values())

    @property
    def failed(self) -> int:
        return sum(v.status == FAIL for v in self.verdicts.values())

    @property
    def score(self) -> int:
        """Percent of the rules that are due and passed (100 when nothing is due yet)."""
        due = self.passed + self.failed
        return 100 if not due else round(100 * self.passed / due)

    @property
    def complies(self) -> bool:
        return self.failed == 0


@dataclass
class Evaluation:
    year: int
    as_of: date
    model: ModelInForce
    results: dict[int, CouncilResult]

    def rule_pass_rates(self) -> dict[str, dict]:
        rates = {}
        for rule_id in self.model.rule_ids:
            statuses = [r.verdicts[rule_id].status for r in self.results.values()]
            passed, failed = statuses.count(PASS), statuses.count(FAIL)
            rates[rule_id] = {"pass": passed, "fail": failed, "not_yet_due": statuses.count(NOT_YET_DUE),
                              "rate": None if not passed + failed else round(100 * passed / (passed + failed))}
        return rates

    @property
    def complying(self) -> int:
        return sum(r.complies for r in self.results.values())


# --- the model in force -----------------------------------------------------------------------

def default_model() -> ModelInForce:
    return ModelInForce(None, 1, 2020, dict(DEFAULT_PARAMETERS), [dict(r) for r in DEFAULT_RULES])


def model_versions() -> list[ComplianceModelVersion]:
    return list(db.session.execute(select(ComplianceModelVersion).order_by(ComplianceModelVersion.valid_from))
                .scalars())


def model_for(year: int, versions: list[ComplianceModelVersion] | None = None) -> ModelInForce:
    """The version in force in ``year``: the latest one whose ``valid_from`` is not after it."""
    versions = model_versions() if versions is None else versions
    chosen = None
    for version in versions:
        if version.valid_from <= year:
            chosen = version
    if chosen is None:
        return default_model()
    return ModelInForce(chosen.id, chosen.number, chosen.valid_from, dict(chosen.parameters or {}),
                        list(chosen.rules or []))


# --- periods ----------------------------------------------------------------------------------

def local_today() -> date:
    return timeutil.local_today()


def periods(year: int, months: int) -> list[tuple[date, date]]:
    """The year cut into periods of ``months`` months (6: the two halves; 1: the months)."""
    months = max(1, min(12, months))
    out, start = [], 1
    while start <= 12:
        end_month = min(12, start + months - 1)
        end = date(year, 12, 31) if end_month == 12 else date(year, end_month + 1, 1) - timedelta(days=1)
        out.append((date(year, start, 1), end))
        start += months
    return out


def _iso(value) -> str | None:
    if value is None:
        return None
    return value.isoformat(timespec="minutes") if isinstance(value, datetime) else value.isoformat()


def _meeting_ref(m) -> dict:
    return {"meeting_id": m["id"], "title": m["title"], "date": _iso(m["starts_at"].date())}


# --- loading, set-wise ----------------------------------------------------------------------

def _rows(stmt) -> list[dict]:
    return [dict(row._mapping) for row in db.session.execute(stmt)]


def load_facts(municipality_ids, year: int) -> dict:
    """Everything the rules read, for all the councils at once: one query per kind of record."""
    ids = sorted(int(i) for i in municipality_ids)
    start, end = datetime(year, 1, 1), datetime(year + 1, 1, 1)
    facts: dict = {"days_off": frozenset(db.session.execute(select(ExtraDayOff.day)).scalars())}
    with read_across_tenants(ids):
        year_meetings = select(Meeting.id).where(Meeting.starts_at >= start, Meeting.starts_at < end)
        facts["establishments"] = _rows(select(
            CouncilEstablishment.municipality_id, CouncilEstablishment.decision_number,
            CouncilEstablishment.decision_date, CouncilEstablishment.regulation_adopted_on))
        facts["members"] = _rows(select(
            CouncilMember.id, CouncilMember.municipality_id, CouncilMember.full_name, CouncilMember.category,
            CouncilMember.mandate_start, CouncilMember.mandate_end))
        facts["seats"] = _rows(select(
            CouncilSeat.municipality_id, CouncilSeat.seat, CouncilSeat.member_id, CouncilSeat.started_on,
            CouncilSeat.ended_on))
        facts["meetings"] = _rows(select(
            Meeting.id, Meeting.municipality_id, Meeting.kind, Meeting.title, Meeting.starts_at, Meeting.ends_at,
            Meeting.status, Meeting.invitation_sent_at, Meeting.invitation_deadline)
            .where(Meeting.starts_at >= start, Meeting.starts_at < end).order_by(Meeting.starts_at))
        facts["agenda"] = dict(db.session.execute(
            select(AgendaItem.meeting_id, func.count()).where(AgendaItem.meeting_id.in_(year_meetings))
            .group_by(AgendaItem.meeting_id)).all())
        facts["minutes"] = set(db.session.execute(
            select(MinutesVersion.meeting_id).where(MinutesVersion.meeting_id.in_(year_meetings)).distinct())
            .scalars())
        facts["present"] = dict(db.session.execute(
            select(Attendance.meeting_id, func.count()).where(
                Attendance.meeting_id.in_(year_meetings), Attendance.status == "present")
            .group_by(Attendance.meeting_id)).all())
        facts["decisions"] = _rows(select(
            Decision.id, Decision.meeting_id, Decision.number, Decision.signed_by_chair_on)
            .where(Decision.meeting_id.in_(year_meetings)))
        facts["releases"] = _rows(select(
            PressRelease.id, PressRelease.meeting_id, PressRelease.time_and_place, PressRelease.participation,
            PressRelease.agenda_summary, PressRelease.discussion_essence, PressRelease.published_at,
            PressRelease.hours_after_meeting).where(PressRelease.meeting_id.in_(year_meetings)))
        facts["versions"] = _rows(select(
            Plan.municipality_id, Plan.id.label("plan_id"), Plan.year, PlanVersion.id, PlanVersion.number,
            PlanVersion.status, PlanVersion.approved_on, PlanVersion.approved_meeting_id,
            PlanVersion.approved_decision_id, PlanVersion.consultation_meeting_id)
            .join(PlanVersion, PlanVersion.plan_id == Plan.id).where(Plan.year == year)
            .order_by(PlanVersion.number))
        year_versions = select(PlanVersion.id).join(Plan, PlanVersion.plan_id == Plan.id).where(Plan.year == year)
        facts["items"] = _rows(select(
            PlanItem.id, PlanItem.version_id, PlanItem.number, PlanItem.issue, PlanItem.intensity,
            PlanItem.position).where(PlanItem.version_id.in_(year_versions)).order_by(PlanItem.position))
        year_items = select(PlanItem.id).where(PlanItem.version_id.in_(year_versions))
        facts["activities"] = _rows(select(
            PlanActivity.id, PlanActivity.item_id, PlanActivity.timing_kind, PlanActivity.timing_value,
            func.count(PlanActivityInstitution.id).label("institutions"))
            .outerjoin(PlanActivityInstitution, PlanActivityInstitution.activity_id == PlanActivity.id)
            .where(PlanActivity.item_id.in_(year_items)).group_by(
                PlanActivity.id, PlanActivity.item_id, PlanActivity.timing_kind, PlanActivity.timing_value))
        facts["indicators"] = _rows(select(
            PlanIndicator.item_id, PlanIndicator.name, PlanIndicator.unit, PlanIndicator.target)
            .where(PlanIndicator.item_id.in_(year_items)))
        facts["reports"] = _rows(select(
            MonitoringReport.id, MonitoringReport.municipality_id, MonitoringReport.kind,
            MonitoringReport.period_start, MonitoringReport.period_end, MonitoringReport.status,
            MonitoringReport.approved_at, MonitoringReport.published_at)
            .where(and_(MonitoringReport.period_end >= date(year - 1, 1, 1),
                        MonitoringReport.period_start <= date(year, 12, 31))))
    return facts


def _group(rows, key="municipality_id") -> dict:
    out = defaultdict(list)
    for row in rows:
        out[row[key]].append(row)
    return out


def evaluate(municipality_ids, year: int, as_of: date | None = None, *, model: ModelInForce | None = None
             ) -> Evaluation:
    """Judge every council in ``municipality_ids`` on every rule of the model in force in ``year``.

    ``as_of`` (default: today, but not after the year's end) is the day the judgement is made:
    "so far this year" for the current year."""
    ids = sorted(int(i) for i in municipality_ids)
    end_of_year = date(year, 12, 31)
    as_of = min(as_of or local_today(), end_of_year)
    model = model or model_for(year)
    facts = load_facts(ids, year)
    by = {
        "establishment": {r["municipality_id"]: r for r in facts["establishments"]},
        "members": _group(facts["members"]),
        "seats": _group(facts["seats"]),
        "meetings": _group(facts["meetings"]),
        "decisions": defaultdict(list),
        "releases": {r["meeting_id"]: r for r in facts["releases"]},
        "versions": _group(facts["versions"]),
        "items": _group(facts["items"], "version_id"),
        "activities": _group(facts["activities"], "item_id"),
        "indicators": _group(facts["indicators"], "item_id"),
        "reports": _group(facts["reports"]),
    }
    for d in facts["decisions"]:
        by["decisions"][d["meeting_id"]].append(d)
    results = {}
    for mid in ids:
        council = _Council(mid, year, as_of, model, facts, by)
        verdicts = {}
        for rule_id in model.rule_ids:
            status, evidence = getattr(council, "rule_" + rule_id.replace("-", "_"))()
            verdicts[rule_id] = Verdict(rule_id, status, evidence, model.article(rule_id))
        results[mid] = CouncilResult(mid, verdicts)
    return Evaluation(year, as_of, model, results)


def evaluate_one(municipality_id: int, year: int, as_of: date | None = None) -> CouncilResult:
    return evaluate([municipality_id], year, as_of).results[municipality_id]


# The rules' code is part of every cached verdict's key: a deployment that changes a rule never
# serves a verdict judged by the old code.
_CODE_VERSION = hashlib.sha256(b"".join(
    Path(f).read_bytes() for f in (__file__, Path(__file__).with_name("rules.py"), workdays.__file__)
)).hexdigest()[:12]


def evaluate_cached(municipality_ids, year: int, *, evidence: bool = True) -> Evaluation:
    """``evaluate(ids, year)`` as of today, each council's result cached under the stamps of its
    data and of the national inputs (``caching``): a change of any record of a council, of the
    Ministry's days off or of the model gives a new key at once; only councils without a cached
    result are judged, set-wise, in one ``evaluate`` call. The pages and the API read this.

    ``evidence=False`` (lists, the console, the matrix): the verdicts only, from a second, small
    entry per council, so that a page of 2,000 councils does not load every council's evidence."""
    from ..caching import per_municipality

    ids = sorted(int(i) for i in municipality_ids)
    as_of = min(local_today(), date(year, 12, 31))
    model = model_for(year)
    namespace = f"{_CODE_VERSION}:{year}:{as_of.isoformat()}"

    def judged(missing: list[int]) -> dict:
        fresh = evaluate(missing, year, as_of, model=model)
        return {mid: {rule: (v.status, v.evidence, v.article) for rule, v in r.verdicts.items()}
                for mid, r in fresh.results.items()}

    if evidence:
        plain = per_municipality(f"compliance:{namespace}", ids, judged, national=True)
        results = {mid: CouncilResult(mid, {rule: Verdict(rule, status, found, article)
                                            for rule, (status, found, article) in plain[mid].items()})
                   for mid in ids}
        return Evaluation(year, as_of, model, results)

    def statuses(missing: list[int]) -> dict:
        full = judged(missing)  # judged anyway: keep the evidence for the council pages too
        per_municipality(f"compliance:{namespace}", missing, lambda wanted: {i: full[i] for i in wanted},
                         national=True)
        return {mid: {rule: status for rule, (status, _e, _a) in full[mid].items()} for mid in missing}

    plain = per_municipality(f"compliance-verdicts:{namespace}", ids, statuses, national=True)
    articles = {rule: model.article(rule) for rule in model.rule_ids}
    results = {mid: CouncilResult(mid, {rule: Verdict(rule, status, [], articles.get(rule, ""))
                                        for rule, status in plain[mid].items()})
               for mid in ids}
    return Evaluation(year, as_of, model, results)


# --- the rules ------------------------------------------------------------------------------------

class _Council:
    def __init__(self, mid, year, as_of, model, facts, by):
        self.mid, self.year, self.as_of, self.model, self.facts, self.by = mid, year, as_of, model, facts, by
        self.year_over = as_of >= date(year, 12, 31)
        self.meetings = [m for m in by["meetings"].get(mid, []) if m["starts_at"].date() <= as_of]
        self.held = [m for m in self.meetings if m["status"] == "held"]
        self.held_council = [m for m in self.held if m["kind"] in COUNCIL_KINDS]
        versions = by["versions"].get(mid, [])
        self.approved = [v for v in versions if v["status"] in APPROVED and v["approved_on"]
                         and v["approved_on"] <= as_of]

    # helpers
    def _due(self, period_end: date) -> bool:
        return period_end <= self.as_of

    def _seat(self, seat: str):
        terms = [t for t in self.by["seats"].get(self.mid, []) if t["seat"] == seat and t["started_on"] <= self.as_of
                 and (t["ended_on"] is None or t["ended_on"] >= self.as_of)]
        return max(terms, key=lambda t: t["started_on"]) if terms else None

    def _member(self, member_id):
        return next((m for m in self.by["members"].get(self.mid, []) if m["id"] == member_id), None)

    def _no_meetings(self, kind="no_meetings_held"):
        return (FAIL if self.year_over else NOT_YET_DUE), [{"kind": kind, "year": self.year}]

    def _plan_start(self) -> date | None:
        """The first day a plan for the year was in force (its first approval, at the earliest 1 January)."""
        if not self.approved:
            return None
        return max(date(self.year, 1, 1), min(v["approved_on"] for v in self.approved))

    # Art. 13 and the Municipal Council's decision
    def rule_established(self):
        e = self.by["establishment"].get(self.mid)
        if e is None or not e["decision_number"] or e["decision_date"] is None:
            return FAIL, [{"kind": "no_establishment"}]
        if e["decision_date"] > self.as_of:
            return FAIL, [{"kind": "established_later", "number": e["decision_number"],
                           "date": _iso(e["decision_date"])}]
        return PASS, [{"kind": "establishment", "number": e["decision_number"], "date": _iso(e["decision_date"]),
                       "regulation": _iso(e["regulation_adopted_on"])}]

    def rule_composition(self):
        day = self.as_of
        active = [m for m in self.by["members"].get(self.mid, []) if m["category"] in ALL_CATEGORIES
                  and m["mandate_start"] <= day and (m["mandate_end"] is None or m["mandate_end"] >= day)]
        filled = {m["category"] for m in active}
        mandatory = self.model.parameters.get("mandatory_categories") or list(ALL_CATEGORIES)
        always = self.model.parameters.get("always_required_categories") or ["a", "c", "d"]
        empty = [c for c in mandatory if c not in filled]
        evidence = [{"kind": "category_empty", "category": c, "always": c in always, "date": _iso(day)}
                    for c in empty]
        if not empty:
            evidence.append({"kind": "composition_complete", "members": len(active), "date": _iso(day)})
        return (FAIL if empty else PASS), evidence

    def rule_chair(self):
        term = self._seat("chair")
        if term is None:
            return FAIL, [{"kind": "seat_vacant", "seat": "chair", "date": _iso(self.as_of)}]
        member = self._member(term["member_id"]) or {}
        ref = {"seat": "chair", "name": member.get("full_name"), "category": member.get("category"),
               "since": _iso(term["started_on"])}
        if member.get("category") != "a":
            return FAIL, [{"kind": "chair_not_mayor", **ref}]
        return PASS, [{"kind": "seat_holder", **ref}]

    def rule_coordination_secretariat(self):
        evidence, ok, seen = [], True, {}
        for seat in ("secretariat_municipality", "secretariat_police", "secretariat_prosecution"):
            term = self._seat(seat)
            if term is None:
                ok = False
                evidence.append({"kind": "seat_vacant", "seat": seat, "date": _iso(self.as_of)})
                continue
            member = self._member(term["member_id"]) or {}
            if term["member_id"] in seen:
                ok = False
                evidence.append({"kind": "seat_shared", "seat": seat, "other_seat": seen[term["member_id"]],
                                 "name": member.get("full_name")})
            seen[term["member_id"]] = seat
            evidence.append({"kind": "seat_holder", "seat": seat, "name": member.get("full_name"),
                             "since": _iso(term["started_on"])})
        return (PASS if ok else FAIL), evidence

    def rule_technical_secretariat(self):
        term = self._seat("technical_secretariat")
        if term is None:
            return FAIL, [{"kind": "seat_vacant", "seat": "technical_secretariat", "date": _iso(self.as_of)}]
        member = self._member(term["member_id"]) or {}
        return PASS, [{"kind": "seat_holder", "seat": "technical_secretariat", "name": member.get("full_name"),
                       "since": _iso(term["started_on"])}]

    # meetings
    def rule_meetings_per_year(self):
        required = self.model.param("council_meetings_per_year")
        held = self.held_council
        evidence = [{"kind": "meetings_held", "count": len(held), "required": required, "year": self.year}]
        evidence += [{"kind": "meeting_held", **_meeting_ref(m)} for m in held]
        if len(held) >= required:
            return PASS, evidence
        planned = [m for m in self.by["meetings"].get(self.mid, []) if m["kind"] in COUNCIL_KINDS
                   and m["status"] == "planned" and m["starts_at"].date() > self.as_of]
        evidence += [{"kind": "meeting_planned", **_meeting_ref(m)} for m in planned]
        return (FAIL if self.year_over else NOT_YET_DUE), evidence

    def rule_invitation_notice(self):
        if not self.held_council:
            return self._no_meetings()
        notice = self.model.param("notice_working_days")
        days_off = self.facts["days_off"]
        evidence, ok = [], True
        for m in self.held_council:
            day = m["starts_at"].date()
            deadline = workdays.invitation_deadline(day, notice, days_off)
            ref = {**_meeting_ref(m), "deadline": _iso(deadline)}
            if not self.facts["agenda"].get(m["id"]):
                ok = False
                evidence.append({"kind": "no_agenda", **ref})
            if m["invitation_sent_at"] is None:
                ok = False
                evidence.append({"kind": "invitation_not_sent", **ref})
                continue
            sent = m["invitation_sent_at"].replace(tzinfo=UTC).astimezone(TIMEZONE).date()
            late = workdays.working_days_late(sent, day, notice, days_off)
            if late:
                ok = False
                evidence.append({"kind": "invitation_late", **ref, "sent": _iso(sent), "days_late": late})
            else:
                evidence.append({"kind": "invitation_on_time", **ref, "sent": _iso(sent)})
        return (PASS if ok else FAIL), evidence

    def rule_records(self):
        if not self.held_council:
            return self._no_meetings()
        evidence, ok = [], True
        for m in self.held_council:
            ref = _meeting_ref(m)
            problems = 0
            if m["id"] not in self.facts["minutes"]:
                problems += 1
                evidence.append({"kind": "minutes_missing", **ref})
            if not self.facts["present"].get(m["id"]):
                problems += 1
                evidence.append({"kind": "participants_missing", **ref})
            for d in self.by["decisions"].get(m["id"], []):
                if d["signed_by_chair_on"] is None:
                    problems += 1
                    evidence.append({"kind": "decision_unsigned", **ref, "decision_id": d["id"],
                                     "number": d["number"]})
            if not problems:
                evidence.append({"kind": "records_complete", **ref,
                                 "decisions": len(self.by["decisions"].get(m["id"], []))})
            ok = ok and not problems
        return (PASS if ok else FAIL), evidence

    def rule_press_release(self):
        if not self.held_council:
            return self._no_meetings()
        limit = self.model.param("press_release_hours")
        evidence, ok = [], True
        for m in self.held_council:
            ref = _meeting_ref(m)
            release = self.by["releases"].get(m["id"])
            if release is None or release["published_at"] is None:
                ok = False
                evidence.append({"kind": "press_release_missing", **ref})
                continue
            missing = [f for f in ("time_and_place", "participation", "agenda_summary", "discussion_essence")
                       if not (release[f] or "").strip()]
            ends_utc = m["ends_at"].replace(tzinfo=TIMEZONE).astimezone(UTC).replace(tzinfo=None)
            hours = round((release["published_at"] - ends_utc).total_seconds() / 3600, 1)
            if missing:
                ok = False
                evidence.append({"kind": "press_release_incomplete", **ref, "missing": missing})
            if hours > limit:
                ok = False
                evidence.append({"kind": "press_release_late", **ref, "hours": hours, "limit": limit})
            elif not missing:
                evidence.append({"kind": "press_release_on_time", **ref, "hours": hours, "limit": limit})
        return (PASS if ok else FAIL), evidence

    def rule_open_consultations(self):
        months = self.model.param("consultation_interval_months")
        consultations = [m for m in self.held if m["kind"] == "open_consultation"]
        evidence, status = [], PASS
        for start, end in periods(self.year, months):
            inside = [m for m in consultations if start <= m["starts_at"].date() <= end]
            if inside:
                evidence += [{"kind": "consultation_held", **_meeting_ref(m), "period_start": _iso(start),
                              "period_end": _iso(end)} for m in inside]
            elif self._due(end):
                status = FAIL
                evidence.append({"kind": "consultation_missing", "period_start": _iso(start), "period_end": _iso(end)})
            else:
                if status == PASS:
                    status = NOT_YET_DUE
                evidence.append({"kind": "period_not_ended", "period_start": _iso(start), "period_end": _iso(end)})
        return status, evidence

    # the plan
    def rule_plan_approved(self):
        at_meeting = [v for v in self.approved if v["approved_meeting_id"]]
        if at_meeting:
            v = at_meeting[0]
            return PASS, [{"kind": "plan_approved", "plan_id": v["plan_id"], "version": v["number"],
                           "date": _iso(v["approved_on"]), "meeting_id": v["approved_meeting_id"],
                           "decision_id": v["approved_decision_id"]}]
        if self.approved:
            v = self.approved[0]
            return FAIL, [{"kind": "plan_approved_without_meeting", "plan_id": v["plan_id"], "version": v["number"],
                           "date": _iso(v["approved_on"])}]
        versions = self.by["versions"].get(self.mid, [])
        evidence = [{"kind": "plan_draft", "plan_id": versions[0]["plan_id"], "year": self.year}] if versions else \
            [{"kind": "plan_missing", "year": self.year}]
        return (FAIL if self.year_over else NOT_YET_DUE), evidence

    def _version_in_force(self):
        return self.approved[-1] if self.approved else None

    def rule_plan_complete(self):
        version = self._version_in_force()
        if version is None:
            return (FAIL if self.year_over else NOT_YET_DUE), [{"kind": "no_approved_plan", "year": self.year}]
        items = self.by["items"].get(version["id"], [])
        evidence, ok = [], True
        if not items:
            return FAIL, [{"kind": "plan_empty", "plan_id": version["plan_id"], "version": version["number"]}]
        for item in items:
            activities = self.by["activities"].get(item["id"], [])
            indicators = self.by["indicators"].get(item["id"], [])
            missing = []
            if not item["intensity"]:
                missing.append("intensity")
            if not activities:
                missing.append("activities")
            if activities and any(not a["institutions"] for a in activities):
                missing.append("institutions")
            if activities and any(not (a["timing_kind"] and a["timing_value"]) for a in activities):
                missing.append("deadline")
            if not any(i["target"] is not None for i in indicators):
                missing.append("indicator")
            if missing:
                ok = False
                evidence.append({"kind": "item_incomplete", "plan_id": version["plan_id"],
                                 "version": version["number"], "item": item["number"] or str(item["position"]),
                                 "issue": (item["issue"] or "")[:120], "missing": missing})
        if ok:
            evidence.append({"kind": "plan_items_complete", "plan_id": version["plan_id"],
                             "version": version["number"], "items": len(items)})
        return (PASS if ok else FAIL), evidence

    def rule_plan_reviewed(self):
        consultations = [m for m in self.held if m["kind"] == "open_consultation"]
        if not consultations:
            return NOT_YET_DUE, [{"kind": "no_consultations", "year": self.year}]
        versions = self.by["versions"].get(self.mid, [])
        evidence, status = [], PASS
        for c in consultations:
            after = [m for m in self.held_council if m["starts_at"] > c["starts_at"]]
            ref = {"consultation_id": c["id"], "consultation_date": _iso(c["starts_at"].date()),
                   "meeting_id": c["id"], "title": c["title"]}
            if not after:
                if status == PASS:
                    status = NOT_YET_DUE
                evidence.append({"kind": "review_pending", **ref})
                continue
            nxt = after[0]
            reviewed = [v for v in versions if v["status"] in APPROVED and (
                v["approved_meeting_id"] == nxt["id"] or v["consultation_meeting_id"] == c["id"]
                and v["approved_meeting_id"] is not None)]
            if reviewed:
                evidence.append({"kind": "plan_reviewed", **ref, "review_meeting_id": nxt["id"],
                                 "review_date": _iso(nxt["starts_at"].date()), "version": reviewed[0]["number"],
                                 "plan_id": reviewed[0]["plan_id"]})
            else:
                status = FAIL
                evidence.append({"kind": "plan_not_reviewed", **ref, "review_meeting_id": nxt["id"],
                                 "review_date": _iso(nxt["starts_at"].date())})
        return status, evidence

    def rule_monthly_monitoring(self):
        start = self._plan_start()
        if start is None:
            return (FAIL if self.year_over else NOT_YET_DUE), [{"kind": "no_plan_in_force", "year": self.year}]
        months = self.model.param("monitoring_interval_months")
        monitoring = [m for m in self.held if m["kind"] == "secretariat_monitoring"]
        evidence, status, met = [], PASS, 0
        for p_start, p_end in periods(self.year, months):
            if p_end < start:
                continue
            inside = [m for m in monitoring if p_start <= m["starts_at"].date() <= p_end]
            if inside:
                met += 1
                continue
            if self._due(p_end):
                status = FAIL
                evidence.append({"kind": "monitoring_missing", "period_start": _iso(p_start),
                                 "period_end": _iso(p_end)})
            elif p_start <= self.as_of and status == PASS:
                status = NOT_YET_DUE
        evidence.insert(0, {"kind": "monitoring_held", "count": len(monitoring), "periods": met,
                            "since": _iso(start)})
        return status, evidence

    def rule_monitoring_report(self):
        start = self._plan_start()
        if start is None:
            return (FAIL if self.year_over else NOT_YET_DUE), [{"kind": "no_plan_in_force", "year": self.year}]
        months = self.model.param("monitoring_report_interval_months")
        reports = [r for r in self.by["reports"].get(self.mid, []) if r["kind"] == "monitoring"
                   and r["status"] in REPORT_APPROVED]
        evidence, status = [], PASS
        for p_start, p_end in periods(self.year, months):
            if p_end < start:
                continue
            inside = [r for r in reports if p_start <= r["period_end"] <= p_end]
            if inside:
                evidence += [{"kind": "report_approved", "report_id": r["id"], "period_start": _iso(r["period_start"]),
                              "period_end": _iso(r["period_end"]), "date": _iso(r["approved_at"])} for r in inside]
            elif self._due(p_end):
                status = FAIL
                evidence.append({"kind": "report_missing", "period_start": _iso(p_start), "period_end": _iso(p_end)})
            elif status == PASS:
                status = NOT_YET_DUE
                evidence.append({"kind": "period_not_ended", "period_start": _iso(p_start), "period_end": _iso(p_end)})
        return status, evidence

    def rule_plan_published(self):
        version = self._version_in_force()
        if version is None:
            return (FAIL if self.year_over else NOT_YET_DUE), [{"kind": "no_approved_plan", "year": self.year}]
        return PASS, [{"kind": "plan_public", "plan_id": version["plan_id"], "version": version["number"],
                       "date": _iso(version["approved_on"]), "public": True}]

    def rule_council_informed(self):
        required = self.model.param("council_informed_per_year")
        yearly = [r for r in self.by["reports"].get(self.mid, []) if r["kind"] == "yearly"
                  and r["status"] in REPORT_APPROVED and r["approved_at"] is not None
                  and r["approved_at"].year == self.year and r["approved_at"].date() <= self.as_of]
        evidence = [{"kind": "council_informed", "report_id": r["id"], "date": _iso(r["approved_at"].date()),
                     "period_start": _iso(r["period_start"]), "period_end": _iso(r["period_end"])} for r in yearly]
        if len(yearly) >= required:
            return PASS, evidence
        evidence.append({"kind": "council_not_informed", "year": self.year, "required": required})
        return (FAIL if self.year_over else NOT_YET_DUE), evidence
