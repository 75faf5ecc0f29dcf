"""The compliance engine: every rule of the unified model, for every council, over a year.

``evaluate(municipality_ids, year, as_of=None)`` reads everything it needs set-wise, grouped by
``municipality_id``, inside ONE ``read_across_tenants(ids)``: a fixed number of queries whatever
the number of councils (tests/compliance/test_query_count.py). It then judges each council in
Python with the model version in force that year (``ComplianceModelVersion``).

Each rule is read as dated obligations (``periods.Due``): one per meeting, month, half-year, year
or report period, with its own due date from the model in force. A rule FAILS as soon as one of its
due dates has passed without the obligation met on time (late is not on time); it PASSES when at
least one obligation was met on time and none was missed; it is NOT YET DUE while nothing has
fallen due and nothing has been met. Rules judged at the year's end (meetings a year, the Municipal
Council informed) are marked ``at_risk`` while the rest of the year cannot or is unlikely to fit
them. The structural rules (composition, chair, secretariats) are judged on every day of the year
so far: a day with a seat empty, or held by someone from the wrong institution, is a gap.

A council **complies** when every rule passes; it is **on track** when nothing failed but some rule
is not yet due; **at risk** when nothing failed but a rule is at risk; otherwise it **fails**.

Evidence is a list of plain dicts (JSON, stored in snapshots): ``{"kind": ..., <facts>}``; the
message is built at display time in the reader's language (``evidence.describe``), links from the
ids it carries (meeting_id, decision_id, plan_id...).
"""
from __future__ import annotations

import gc
import hashlib
import math
from bisect import bisect_right
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from operator import attrgetter
from pathlib import Path

from sqlalchemy import and_, func, select

from .. import timeutil, workdays
from ..council.models import CouncilEstablishment, CouncilMember, CouncilSeat, Institution, MunicipalCouncilSession
from ..council.models import MunicipalCouncilParty
from ..extensions import db
from ..meetings.models import AgendaItem, AgendaMaterial, Attendance, ExtraDayOff, Invitation, Meeting
from ..plans.models import (
    MonitoringReport,
    Plan,
    PlanActivity,
    PlanActivityInstitution,
    PlanIndicator,
    PlanItem,
    PlanVersion,
)
from ..records.models import Decision, DecisionDistribution, MinutesVersion, PressRelease
from ..tenancy import read_across_tenants
from ..unified_model import (
    ALL_CATEGORIES,
    APPROVED_VERSION,
    COUNCIL_KINDS,
    REPORT_APPROVED,
    SEAT_INSTITUTION,
    press_release_missing,
)
from .models import ComplianceModelVersion
from .periods import (
    LATE,
    MET,
    MISSING,
    Due,
    as_moment,
    day_done,
    end_of_day,
    local_naive_to_aware,
    months_of,
    period_key,
    press_release_due,
    utc_naive_to_aware,
)
from .rules import DEFAULT_PARAMETERS, DEFAULT_RULES, RULE_IDS

PASS, FAIL, NOT_YET_DUE = "pass", "fail", "not_yet_due"
COMPLIES, ON_TRACK, AT_RISK, FAILS = "complies", "on_track", "at_risk", "fails"


@dataclass
class ModelInForce:
    id: int | None
    number: int
    valid_from: int
    parameters: dict
    rules: list  # [{"id", "article"}]
    _articles: dict | None = field(default=None, repr=False, compare=False)
    _params: dict = field(default_factory=dict, repr=False, compare=False)  # read for every council and rule

    def param(self, name: str) -> int:
        try:
            return self._params[name]
        except KeyError:
            value = self._params[name] = int(self.parameters.get(name, DEFAULT_PARAMETERS[name]))
            return value

    @property
    def rule_ids(self) -> list[str]:
        return [r["id"] for r in self.rules if r["id"] in RULE_IDS]

    def article(self, rule_id: str) -> str:
        if self._articles is None:
            self._articles = {r["id"]: r.get("article", "") for r in self.rules}
        return self._articles.get(rule_id, "")


@dataclass(slots=True)
class Verdict:
    rule: str
    status: str
    evidence: list[dict] = field(default_factory=list)
    article: str = ""
    at_risk: bool = False


@dataclass
class CouncilResult:
    municipality_id: int
    verdicts: dict[str, Verdict]
    dues: list[Due] = field(default_factory=list)
    # the first moment at which this judgement can change while the records stay as they are
    valid_until: datetime | None = None

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
        """Every rule passed: nothing failed and nothing is still to come."""
        return bool(self.verdicts) and all(v.status == PASS for v in self.verdicts.values())

    @property
    def status(self) -> str:
        """complies, on_track (nothing failed, something not yet due), at_risk, or fails."""
        if self.failed:
            return FAILS
        if self.complies:
            return COMPLIES
        return AT_RISK if any(v.at_risk for v in self.verdicts.values()) else ON_TRACK


@dataclass
class Evaluation:
    year: int
    as_of: date
    model: ModelInForce
    results: dict[int, CouncilResult]
    complete: bool = True  # False while the year is not over: figures "so far"

    def rule_pass_rates(self) -> dict[str, dict]:
        rates = {}
        for rule_id in self.model.rule_ids:
            verdicts = [r.verdicts[rule_id] for r in self.results.values()]
            statuses = [v.status for v in verdicts]
            passed, failed = statuses.count(PASS), statuses.count(FAIL)
            rates[rule_id] = {"pass": passed, "fail": failed, "not_yet_due": statuses.count(NOT_YET_DUE),
                              "at_risk": sum(v.at_risk for v in verdicts),
                              "rate": None if not passed + failed else round(100 * passed / (passed + failed))}
        return rates

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results.values())

    @property
    def complying(self) -> int:
        return self.count(COMPLIES)

    @property
    def on_track(self) -> int:
        return self.count(ON_TRACK)

    @property
    def at_risk(self) -> int:
        return self.count(AT_RISK)

    @property
    def failing(self) -> int:
        return self.count(FAILS)


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


# --- time ---------------------------------------------------------------------------------------

def local_today() -> date:
    return timeutil.local_today()


def _iso(value) -> str | None:
    if value is None:
        return None
    return value.isoformat(timespec="minutes") if isinstance(value, datetime) else value.isoformat()


def _meeting_ref(m) -> dict:
    return {"meeting_id": m["id"], "title": m["title"], "date": _iso(m["starts_at"].date())}


# --- loading, set-wise ----------------------------------------------------------------------

def _rows(stmt) -> list[dict]:
    result = db.session.execute(stmt)
    keys = tuple(result.keys())
    return [dict(zip(keys, row, strict=True)) for row in result.tuples()]


_EVERY_MUNICIPALITY: frozenset[int] = frozenset()  # the ids last read by remember_municipalities()


def remember_municipalities() -> None:
    """Read the ids of every municipality of the database (``_scope_of``); the cached judgement does it
    before judging several councils, so that ``load_facts`` itself stays at its fixed statements."""
    from ..municipalities.models import Municipality

    global _EVERY_MUNICIPALITY
    with read_across_tenants():
        _EVERY_MUNICIPALITY = frozenset(db.session.execute(select(Municipality.id)).scalars())


def _scope_of(ids: list[int]) -> list[int] | None:
    """The scope to read ``ids``' records in: those ids, or — when they are every municipality of the
    database (the national judgement) — the national scope, which reads exactly the same rows.
    On PostgreSQL a scope of ids is checked on every row against the list (``= ANY``, one comparison per
    id): at 2,061 councils the national reads spent most of their time there; the national scope is
    one flag. A municipality added since the ids were remembered is not in ``ids``: its rows, if read,
    are not judged (``evaluate`` judges ``ids`` only), and the caller held every other id (national)."""
    if len(ids) < 2 or not _EVERY_MUNICIPALITY or not _EVERY_MUNICIPALITY <= set(ids):
        return ids
    return None


def load_facts(municipality_ids, year: int) -> dict:
    """Everything the rules read, for all the councils at once: one query per kind of record.
    Meetings, plans and reports of the next year are read too: a review, a report or a late
    record of this year's obligations may come after 31 December."""
    ids = sorted(int(i) for i in municipality_ids)
    start, end = datetime(year, 1, 1), datetime(year + 1, 1, 1)
    facts: dict = {"days_off": frozenset(db.session.execute(select(ExtraDayOff.day)).scalars())}
    with read_across_tenants(_scope_of(ids)):
        year_meetings = select(Meeting.id).where(Meeting.starts_at >= start, Meeting.starts_at < end)
        facts["establishments"] = _rows(select(
            CouncilEstablishment.id, CouncilEstablishment.municipality_id, CouncilEstablishment.decision_number,
            CouncilEstablishment.decision_date, CouncilEstablishment.regulation_adopted_on,
            CouncilEstablishment.adopts_unified_model, CouncilEstablishment.published_on,
            CouncilEstablishment.published_url))
        facts["parties"] = _rows(select(
            MunicipalCouncilParty.id, MunicipalCouncilParty.municipality_id, MunicipalCouncilParty.name,
            MunicipalCouncilParty.represented_from, MunicipalCouncilParty.represented_until))
        facts["members"] = _rows(select(
            CouncilMember.id, CouncilMember.municipality_id, CouncilMember.full_name, CouncilMember.category,
            CouncilMember.mandate_start, CouncilMember.mandate_end, CouncilMember.invited_kind,
            Institution.kind.label("institution_kind"), CouncilMember.party_id)
            .outerjoin(Institution, Institution.id == CouncilMember.institution_id)
            .order_by(CouncilMember.id))  # the evidence names members in one order on every database
        facts["seats"] = _rows(select(
            CouncilSeat.municipality_id, CouncilSeat.seat, CouncilSeat.member_id, CouncilSeat.started_on,
            CouncilSeat.ended_on))
        facts["meetings"] = _rows(select(
            Meeting.id, Meeting.municipality_id, Meeting.kind, Meeting.title, Meeting.starts_at, Meeting.ends_at,
            Meeting.status, Meeting.invitation_sent_at, Meeting.audio_document_id, Meeting.entered_after_the_fact)
            .where(Meeting.starts_at >= start, Meeting.starts_at < datetime(year + 2, 1, 1))
            .order_by(Meeting.starts_at))
        facts["agenda"] = dict(db.session.execute(
            select(AgendaItem.meeting_id, func.count()).where(AgendaItem.meeting_id.in_(year_meetings))
            .group_by(AgendaItem.meeting_id)).all())
        facts["materials"] = dict(db.session.execute(
            select(AgendaItem.meeting_id, func.count(AgendaMaterial.id))
            .join(AgendaMaterial, AgendaMaterial.agenda_item_id == AgendaItem.id)
            .where(AgendaItem.meeting_id.in_(year_meetings)).group_by(AgendaItem.meeting_id)).all())
        # the two largest: kept as rows (attribute access), not dicts
        facts["invitations"] = db.session.execute(select(
            Invitation.meeting_id, Invitation.member_id, Invitation.status, Invitation.sent_at)
            .where(Invitation.meeting_id.in_(year_meetings))).all()
        facts["minutes"] = dict(db.session.execute(
            select(MinutesVersion.meeting_id, func.min(MinutesVersion.created_at))
            .where(MinutesVersion.meeting_id.in_(year_meetings)).group_by(MinutesVersion.meeting_id)).all())
        facts["attendance"] = db.session.execute(select(Attendance.meeting_id, Attendance.member_id)
                                                 .where(Attendance.meeting_id.in_(year_meetings),
                                                        Attendance.status == "present")).all()
        next_meetings = select(Meeting.id).where(Meeting.starts_at >= start,
                                                 Meeting.starts_at < datetime(year + 2, 1, 1))
        facts["decisions"] = _rows(select(
            Decision.id, Decision.meeting_id, Decision.number, Decision.signed_by_chair_on,
            Decision.adopted_by_consensus, Decision.distributed_at, Decision.reviews_plan)
            .where(Decision.meeting_id.in_(next_meetings)))
        facts["distributed"] = set(db.session.execute(
            select(DecisionDistribution.decision_id).where(DecisionDistribution.sent_at.is_not(None)).distinct()
            .where(DecisionDistribution.decision_id.in_(
                select(Decision.id).where(Decision.meeting_id.in_(year_meetings))))).scalars())
        facts["releases"] = _rows(select(
            PressRelease.id, PressRelease.meeting_id, PressRelease.time_and_place, PressRelease.participation,
            PressRelease.agenda_summary, PressRelease.discussion_essence, PressRelease.published_at)
            .where(PressRelease.meeting_id.in_(year_meetings)))
        facts["versions"] = _rows(select(
            Plan.municipality_id, Plan.id.label("plan_id"), Plan.year, PlanVersion.id, PlanVersion.number,
            PlanVersion.status, PlanVersion.approved_on, PlanVersion.approved_meeting_id,
            PlanVersion.approved_decision_id, PlanVersion.consultation_meeting_id, PlanVersion.published_on,
            PlanVersion.published_url)
            .join(PlanVersion, PlanVersion.plan_id == Plan.id).where(Plan.year.in_((year, year + 1)))
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
        facts["sessions"] = _rows(select(
            MunicipalCouncilSession.id, MunicipalCouncilSession.municipality_id, MunicipalCouncilSession.held_on,
            MunicipalCouncilSession.decision_number, MunicipalCouncilSession.report_title)
            .where(MunicipalCouncilSession.held_on >= date(year, 1, 1),
                   MunicipalCouncilSession.held_on <= date(year, 12, 31)))
        facts["meeting_acts"] = load_meeting_acts(year)
    return facts


def load_meeting_acts(year: int) -> dict:
    """Art. 7.5, 9.4, 9.5: what each meeting of the year records of its agenda's approval by the chair,
    the Coordination Secretariat's prior agreement and its report to the heads (one query; inside the
    caller's ``read_across_tenants``)."""
    from ..accounts.models import User

    rows = db.session.execute(select(
        Meeting.id, Meeting.agenda_approved_on, User.name.label("approved_by"), Meeting.secretariat_agreed_on,
        Meeting.report_sent_on, Meeting.report_recipients, Meeting.report_findings, Meeting.findings_presented_by,
        Meeting.findings_presented_meeting_id, Meeting.findings_presented_on)
        .outerjoin(User, User.id == Meeting.agenda_approved_by_id)
        .where(Meeting.starts_at >= datetime(year, 1, 1), Meeting.starts_at < datetime(year + 1, 1, 1))).all()
    return {row.id: row for row in rows}


def _group(rows, key="municipality_id") -> dict:
    out = defaultdict(list)
    if rows and isinstance(rows[0], dict):  # one kind of row per list: dicts, or rows read as .all()
        for row in rows:
            out[row[key]].append(row)
    else:
        get = attrgetter(key)
        for row in rows:
            out[get(row)].append(row)
    return out


def _now() -> datetime:
    return timeutil.now_in_albania()


@contextmanager
def _without_gc_pauses():
    """Python's cyclic garbage collector paused while a judgement builds its rows, dues and evidence.
    A judgement allocates hundreds of thousands of small objects (at 2,061 councils: 85,000 dues,
    their evidence, the facts' rows), none in a reference cycle that needs the collector, and every
    pass of the collector walks the whole heap, facts included: at 2,061 councils most of the judging
    time was spent there (a due cost 13 us to build instead of 1). Memory is freed as usual by
    reference counting; the collector runs again afterwards. Process-wide: another thread's judgement
    that started while it was paused leaves it as it found it, so it is always resumed by the one that
    paused it."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def evaluate(municipality_ids, year: int, as_of: date | datetime | None = None, *,
             model: ModelInForce | None = None) -> Evaluation:
    """Judge every council in ``municipality_ids`` on every rule of the model in force in ``year``.

    ``as_of`` is the moment of the judgement (default: now in Albania). A date means the end of
    that day: a deadline falling on it is not yet missed. For a past year every due date has
    passed; obligations of the year that fall due in the next one (the second half's report, the
    review after a December consultation) are judged once their own due date has passed."""
    with _without_gc_pauses():
        return _evaluate(municipality_ids, year, as_of, model=model)


def _evaluate(municipality_ids, year: int, as_of: date | datetime | None = None, *,
              model: ModelInForce | None = None) -> Evaluation:
    """``evaluate`` itself, with the collector paused."""
    ids = sorted(int(i) for i in municipality_ids)
    now = as_moment(as_of, _now())
    model = model or model_for(year)
    facts = load_facts(ids, year)
    by = {
        "establishment": _group(facts["establishments"]),
        "parties": _group(facts["parties"]),
        "members": _group(facts["members"]),
        "seats": _group(facts["seats"]),
        "meetings": _group(facts["meetings"]),
        "decisions": _group(facts["decisions"], "meeting_id"),
        "invitations": _group(facts["invitations"], "meeting_id"),
        "attendance": _group(facts["attendance"], "meeting_id"),
        "releases": {r["meeting_id"]: r for r in facts["releases"]},
        "versions": _group(facts["versions"]),
        "items": _group(facts["items"], "version_id"),
        "activities": _group(facts["activities"], "item_id"),
        "indicators": _group(facts["indicators"], "item_id"),
        "reports": _group(facts["reports"]),
        "sessions": _group(facts["sessions"]),
    }
    # each council's terms of each seat, in order: read by several rules, sorted once
    seat_terms = defaultdict(list)
    for term in sorted(facts["seats"], key=lambda t: t["started_on"]):
        seat_terms[(term["municipality_id"], term["seat"])].append(term)
    by["seat_terms"] = seat_terms
    by["workdays"] = {}  # (function, arguments) -> result, shared by every council (``_Council._workdays``)
    results = {}
    for mid in ids:
        council = _Council(mid, year, now, model, facts, by)
        verdicts, dues = {}, []
        for rule_id in model.rule_ids:
            verdict, rule_dues = council.judge(rule_id)
            verdicts[rule_id] = verdict
            dues += rule_dues
        results[mid] = CouncilResult(mid, verdicts, dues, next_change(now, dues, by["meetings"].get(mid, [])))
    return Evaluation(year, min(now.date(), date(year, 12, 31)), model, results,
                      complete=now > end_of_day(date(year, 12, 31)))


def next_change(now: datetime, dues: list[Due], meetings: list[dict]) -> datetime:
    """The first moment after ``now`` at which a council's judgement can change while its records
    stay as they are — until then, the judgement made at ``now`` is true at every instant:

    * the next midnight in Albania: the structural rules judge every day of the year so far, a
      record dated by day counts from that day, the days left before the year's end shrink;
    * a meeting's start: a scheduled meeting becomes one that was held;
    * a due date: once it has passed, an obligation not met is missing (``Due.state``);
    * a record's own time still to come (a fulfilment dated later than ``now``).

    Nothing else in the rules reads the clock (tests/compliance/test_next_change.py judges a
    council just before and at each of these moments, and at random moments between them)."""
    now = now.astimezone(timeutil.LOCAL_TIMEZONE)
    moments = [datetime.combine(now.date() + timedelta(days=1), datetime.min.time(),
                                tzinfo=timeutil.LOCAL_TIMEZONE)]
    moments += [d.due for d in dues if d.due >= now]
    moments += [d.done_at for d in dues if d.done_at is not None and d.done_at > now]
    moments += [start for start in (local_naive_to_aware(m["starts_at"]) for m in meetings) if start > now]
    return min(moments)


# The rules' code is part of every cached verdict's key: a deployment that changes a rule never
# serves a verdict judged by the old code.
_CODE_VERSION = hashlib.sha256(b"".join(
    Path(f).read_bytes() for f in (__file__, Path(__file__).with_name("rules.py"),
                                   Path(__file__).with_name("periods.py"), workdays.__file__)
)).hexdigest()[:12]


def evaluate_cached(municipality_ids, year: int, *, evidence: bool = True) -> Evaluation:
    """``evaluate(ids, year)`` as of now, each council's result cached under the stamps of its
    data and of the national inputs (``caching``) until its ``next_change``: a change of any record
    of a council, of the Ministry's days off or of the model gives a new key at once, and a due date
    passing (a press release's deadline falls at any minute) ends the cached judgement at that very
    moment — the verdict shown is the one ``evaluate`` would give now. A council not in the cache is
    read from its stored judgement (``judgements``: the same three conditions, so an empty cache is
    not a cold start); only councils with neither are judged, set-wise, in one ``evaluate`` call.
    The pages and the API read this.

    ``evidence=False`` (lists, the console, the matrix): the verdicts only, from a second, small
    entry per council, so that a page of 2,000 councils does not load every council's evidence."""
    from ..caching import per_municipality
    from . import judgements

    ids = sorted(int(i) for i in municipality_ids)
    now = _now()
    model = model_for(year)
    namespace = f"{_CODE_VERSION}:{year}"
    as_of = min(now.date(), date(year, 12, 31))
    complete = now > end_of_day(date(year, 12, 31))
    moment = now.timestamp()

    def holds(value) -> bool:
        return value["until"] > moment

    def judged(missing: list[int], *, stored: bool = True) -> dict:
        found = judgements.lookup(missing, year, moment, evidence=True) if stored else {}
        rest = [mid for mid in missing if mid not in found]
        if not rest:
            return found
        # the lookup before (here or in ``statuses``) has read every municipality's id (``_scope_of``)
        with _without_gc_pauses():  # the judgement and the plain values built from it
            fresh = evaluate(rest, year, now, model=model)
            found.update({mid: {"until": r.valid_until.timestamp(),
                                "verdicts": {rule: (v.status, v.evidence, v.article, v.at_risk)
                                             for rule, v in r.verdicts.items()}}
                          for mid, r in fresh.results.items()})
        return found

    if evidence:
        plain = per_municipality(f"compliance:{namespace}", ids, judged, national=True, holds=holds)
        results = {mid: CouncilResult(mid, {rule: Verdict(rule, status, found, article, risk)
                                            for rule, (status, found, article, risk)
                                            in plain[mid]["verdicts"].items()})
                   for mid in ids}
        return Evaluation(year, as_of, model, results, complete)

    def statuses(missing: list[int]) -> dict:
        found = judgements.lookup(missing, year, moment, evidence=False)
        rest = [mid for mid in missing if mid not in found]
        if rest:
            full = judged(rest, stored=False)  # judged anyway: keep the evidence for the council pages too
            per_municipality(f"compliance:{namespace}", rest, lambda wanted: {i: full[i] for i in wanted},
                             national=True, holds=holds)
            found.update({mid: {"until": full[mid]["until"],
                                "verdicts": {rule: (status, risk)
                                             for rule, (status, _e, _a, risk) in full[mid]["verdicts"].items()}}
                          for mid in rest})
        return found

    plain = per_municipality(f"compliance-verdicts:{namespace}", ids, statuses, national=True, holds=holds)
    articles = {rule: model.article(rule) for rule in model.rule_ids}
    results = {mid: CouncilResult(mid, {rule: Verdict(rule, status, [], articles.get(rule, ""), risk)
                                        for rule, (status, risk) in plain[mid]["verdicts"].items()})
               for mid in ids}
    return Evaluation(year, as_of, model, results, complete)


def warm(years: list[int] | None = None) -> int:
    """Judge every active council for ``years`` (default: this year, and last year in January, when
    its year-end obligations still fall due) into the stored judgements (``judgements.refresh``: only
    those that no longer hold) and from there into the cache, so that the first person to open the
    console after midnight, a deployment or a restart of Redis does not wait for the judgement. The
    scheduler runs it just after midnight; a deployment runs it (``flask compliance warm``) before
    new web processes take traffic. Returns the number of councils ready."""
    from ..municipalities.models import Municipality
    from . import judgements

    years = years or judgements.years_judged_on(timeutil.local_today())
    judgements.refresh(years)
    ids = list(db.session.execute(select(Municipality.id).where(Municipality.active.is_(True))).scalars())
    for year in years:
        evaluate_cached(ids, year, evidence=False)
    return len(ids) * len(years)


# --- the rules ------------------------------------------------------------------------------------

ROLE_SECRETARY, ROLE_CHAIR, ROLE_COORDINATION = "technical_secretary", "chair", "coordination_secretariat"
MAX_NAMES = 12  # names listed in one piece of evidence (members not invited, ...)


def _gaps(intervals, start: date, end: date) -> list[tuple[date, date]]:
    """The days of [start, end] covered by none of ``intervals`` [(from, to or None)], as ranges."""
    gaps, cursor = [], start
    for a, b in sorted((max(a, start), min(b or end, end)) for a, b in intervals):
        if b < cursor or a > end:
            continue
        if a > cursor:
            gaps.append((cursor, a - timedelta(days=1)))
        cursor = max(cursor, b + timedelta(days=1))
    if cursor <= end:
        gaps.append((cursor, end))
    return gaps


class _Council:
    def __init__(self, mid, year, now: datetime, model, facts, by):
        self.mid, self.year, self.now, self.model, self.facts, self.by = mid, year, now, model, facts, by
        self.year_end = date(year, 12, 31)
        self.year_over = now > end_of_day(self.year_end)
        # the last day judged for the structural rules: today, at most the year's last day
        self.last_day = min(now.date(), self.year_end)
        all_meetings = by["meetings"].get(mid, [])
        self.meetings = [m for m in all_meetings if m["starts_at"].year == year]
        self.later_meetings = [m for m in all_meetings if m["starts_at"].year > year]
        self.held = [m for m in self.meetings if m["status"] == "held"
                     and local_naive_to_aware(m["starts_at"]) <= now]
        self.council_meetings = [m for m in self.meetings if m["kind"] in COUNCIL_KINDS and m["status"] != "cancelled"]
        self.held_council = [m for m in self.held if m["kind"] in COUNCIL_KINDS]
        versions = by["versions"].get(mid, [])
        self.year_versions = [v for v in versions if v["year"] == year]
        self.approved = [v for v in self.year_versions if v["status"] in APPROVED_VERSION and v["approved_on"]
                         and day_done(v["approved_on"]) <= now]
        self.grace = timedelta(days=model.param("grace_days"))
        self._members_by_id = None
        self.articles = {r["id"]: r.get("article", "") for r in model.rules}
        self._active: dict[date, list[dict]] = {}
        self._held_regular: list[dict] | None = None
        self._meeting_by_id: dict[int, dict] = {}

    # -- helpers
    def due(self, rule, key, due_at, role, kind, **kw) -> Due:
        return Due(self.mid, rule, key, self.articles[rule], due_at, role, kind, **kw)

    def _workdays(self, function, *args):
        """``function(*args, days_off)`` of ``workdays``, computed once per judgement for all the councils:
        councils meet on the same days, and the days off are the same for all (a table shared across
        councils instead of counting day by day again for each meeting)."""
        key = (function, *args)
        try:
            return self.by["workdays"][key]
        except KeyError:
            value = self.by["workdays"][key] = function(*args, self.facts["days_off"])
            return value

    def by_day(self, day: date) -> datetime:
        """A deadline on ``day`` with the Ministry's grace."""
        return end_of_day(day + self.grace)

    def judge(self, rule_id: str) -> tuple[Verdict, list[Due]]:
        method = getattr(self, "rule_" + rule_id.replace("-", "_"))
        status, dues, evidence, *at_risk = method()  # a rule judged at the year's end adds its risk
        return Verdict(rule_id, status, evidence, self.model.article(rule_id), bool(at_risk and at_risk[0])), dues

    def from_dues(self, dues: list[Due], extra: list[dict] | None = None, *, empty_status=NOT_YET_DUE):
        """A verdict from dated obligations: fail if any passed due was missed or met late."""
        states = [d.state(self.now) for d in dues]
        evidence = [d.as_evidence(self.now) for d in dues] + list(extra or [])
        if any(s in (LATE, MISSING) for s in states):
            status = FAIL
        elif any(s == MET for s in states):
            status = PASS
        else:
            status = empty_status
        return status, dues, evidence

    def _member(self, member_id):
        if self._members_by_id is None:
            self._members_by_id = {m["id"]: m for m in self.by["members"].get(self.mid, [])}
        return self._members_by_id.get(member_id)

    def _active_members(self, day: date) -> list[dict]:
        if day not in self._active:
            self._active[day] = [m for m in self.by["members"].get(self.mid, []) if m["category"] in ALL_CATEGORIES
                                 and not m["invited_kind"] and m["mandate_start"] <= day
                                 and (m["mandate_end"] is None or m["mandate_end"] >= day)]
        return self._active[day]

    def _no_meetings(self):
        """A rule about council meetings when none was held: failed once the year is over."""
        if self.year_over:
            return FAIL, [], [{"kind": "no_meetings_held", "year": self.year}]
        return NOT_YET_DUE, [], [{"kind": "no_meetings_held", "year": self.year}]

    # -- Art. 13 and the Municipal Council's decision
    def rule_established(self):
        """Decision; Art. 13: the council is established by a Municipal Council decision adopting its
        regulation — the decision in force for the year (the latest dated by the last day judged) —,
        and "this Regulation enters into force with the approval of the Municipal Council and is
        published on the official website of the municipality": its publication (day and address)
        is due the model's days after the decision, and for a decision of an earlier year by the
        start of the year; published later, the year's obligation was met late."""
        decisions = [e for e in self.by["establishment"].get(self.mid, [])
                     if e["decision_number"] and e["decision_date"] is not None]
        if not decisions:
            return FAIL, [], [{"kind": "no_establishment"}]
        current = max((e for e in decisions if e["decision_date"] <= self.last_day),
                      key=lambda e: (e["decision_date"], e["id"]), default=None)
        if current is None:
            first = min(decisions, key=lambda e: e["decision_date"])
            return FAIL, [], [{"kind": "established_later", "number": first["decision_number"],
                               "date": _iso(first["decision_date"])}]
        evidence = [{"kind": "establishment", "number": current["decision_number"],
                     "date": _iso(current["decision_date"]), "regulation": _iso(current["regulation_adopted_on"]),
                     "decision_id": current["id"], "decisions": len(decisions)}]
        due_day = max(date(self.year - 1, 12, 31),
                      current["decision_date"] + timedelta(days=self.model.param("regulation_publication_days")))
        facts = {"number": current["decision_number"], "date": _iso(current["decision_date"]),
                 "decision_id": current["id"]}
        published = current["published_on"]
        if published is not None:
            facts.update(published=_iso(published), url=current["published_url"])
        dues = [self.due("established", f"decision:{current['id']}:published", self.by_day(due_day), ROLE_SECRETARY,
                         "decision", subject_id=current["id"], done_at=day_done(published), facts=facts)]
        status, dues, period_evidence = self.from_dues(dues, empty_status=NOT_YET_DUE)
        return status, dues, evidence + period_evidence

    # -- the structural rules, judged on every day of the year so far
    def _window(self) -> tuple[date, date]:
        return date(self.year, 1, 1), self.last_day

    def _gap_dues(self, rule, key_prefix, gaps, role, kind, facts) -> list[Due]:
        out = []
        for start, end in gaps:
            filled = end < self.last_day or (self.year_over and end < self.year_end)
            out.append(self.due(rule, f"{key_prefix}:{start.isoformat()}", end_of_day(start), role, kind,
                                period_start=start, period_end=end,
                                done_at=day_done(end + timedelta(days=1)) if filled else None, facts=facts))
        return out

    def rule_composition(self):
        """Art. 4.1: every mandatory category has an active member on every day of the year so far."""
        start, end = self._window()
        mandatory = self.model.parameters.get("mandatory_categories") or list(ALL_CATEGORIES)
        always = self.model.parameters.get("always_required_categories") or ["a", "c", "d"]
        members = [m for m in self.by["members"].get(self.mid, []) if not m["invited_kind"]]
        evidence, dues = [], []
        parties = self.by["parties"].get(self.mid, [])
        for c in mandatory:
            if c == "e" and parties:  # Art. 4.1.e: one of each party represented in the Municipal Council
                party_evidence, party_dues = self._party_gaps(members, parties, start, end)
                evidence += party_evidence
                dues += party_dues
                continue
            terms = [(m["mandate_start"], m["mandate_end"]) for m in members if m["category"] == c]
            gaps = _gaps(terms, start, end)
            for g_start, g_end in gaps:
                evidence.append({"kind": "category_gap", "category": c, "always": c in always,
                                 "from": _iso(g_start), "to": _iso(g_end), "date": _iso(g_end)})
            dues += self._gap_dues("composition", f"category:{c}", gaps, ROLE_CHAIR, "category", {"category": c})
            # a mandate that ends this year with nobody after it: an obligation to renew before then
            for m in members:
                if m["category"] == c and m["mandate_end"] and self.last_day <= m["mandate_end"] < self.year_end:
                    covered = any(o["category"] == c and o["id"] != m["id"] and o["mandate_start"]
                                  <= m["mandate_end"] + timedelta(days=1)
                                  and (o["mandate_end"] is None or o["mandate_end"] > m["mandate_end"])
                                  for o in members)
                    if not covered:
                        dues.append(self.due("composition", f"mandate:{m['id']}", end_of_day(m["mandate_end"]),
                                             ROLE_CHAIR, "member", subject_id=m["id"],
                                             facts={"category": c, "name": m["full_name"],
                                                    "date": _iso(m["mandate_end"])}))
        # without the parties recorded, category (e) can only be checked as one councillor: said so
        note = [] if parties or "e" not in mandatory else [{"kind": "parties_not_recorded"}]
        if not evidence:
            active = self._active_members(end)
            evidence.append({"kind": "composition_complete", "members": len(active), "date": _iso(end)})
            return PASS, dues, evidence + note
        return FAIL, dues, evidence + note

    def _party_gaps(self, members, parties, start: date, end: date) -> tuple[list[dict], list[Due]]:
        """Art. 4.1.e: "Member of the Municipal Council who ensures the representation of each political
        party in the Municipal Council": for each party, the days it was represented in the Municipal
        Council without an active member of category (e) of that party (matched by the party's name,
        so a party recorded again for a new Municipal Council mandate keeps its councillor)."""
        names = {p["id"]: (p["name"] or "").strip().casefold() for p in parties}
        evidence, dues = [], []
        for party in sorted(parties, key=lambda p: (p["represented_from"], p["name"])):
            p_start = max(start, party["represented_from"])
            p_end = min(end, party["represented_until"] or end)
            if p_start > p_end:
                continue
            key = names[party["id"]]
            terms = [(m["mandate_start"], m["mandate_end"]) for m in members
                     if m["category"] == "e" and m.get("party_id") and names.get(m["party_id"]) == key]
            gaps = _gaps(terms, p_start, p_end)
            for g_start, g_end in gaps:
                evidence.append({"kind": "party_gap", "category": "e", "party": party["name"],
                                 "party_id": party["id"], "from": _iso(g_start), "to": _iso(g_end),
                                 "date": _iso(g_end)})
            dues += self._gap_dues("composition", f"party:{party['id']}", gaps, ROLE_CHAIR, "category",
                                   {"category": "e", "party": party["name"]})
        return evidence, dues

    def _seat_terms(self, seat: str) -> list[dict]:
        return self.by["seat_terms"].get((self.mid, seat), [])

    def _seat_check(self, rule: str, seat: str, holder_ok, wrong_kind: str, role: str):
        """One seat over the year so far: vacant days and days held by someone who may not hold it."""
        start, end = self._window()
        terms = self._seat_terms(seat)
        good, evidence = [], []
        for t in terms:
            member = self._member(t["member_id"]) or {}
            t_start, t_end = max(t["started_on"], start), min(t["ended_on"] or end, end)
            if t_end < start or t_start > end:
                continue
            if holder_ok(member):
                good.append((t["started_on"], t["ended_on"]))
                evidence.append({"kind": "seat_holder", "seat": seat, "name": member.get("full_name"),
                                 "since": _iso(t["started_on"]), "until": _iso(t["ended_on"])})
            else:
                evidence.append({"kind": wrong_kind, "seat": seat, "name": member.get("full_name"),
                                 "category": member.get("category"), "institution": member.get("institution_kind"),
                                 "since": _iso(t["started_on"]), "from": _iso(t_start), "to": _iso(t_end)})
        gaps = _gaps(good, start, end)
        held = {(e.get("from"), e.get("to")) for e in evidence if e["kind"] == wrong_kind}
        for g_start, g_end in gaps:
            if not any(a and date.fromisoformat(a) <= g_start and date.fromisoformat(b) >= g_end for a, b in held):
                evidence.append({"kind": "seat_gap", "seat": seat, "from": _iso(g_start), "to": _iso(g_end),
                                 "date": _iso(g_end)})
        dues = self._gap_dues(rule, f"seat:{seat}", gaps, role, "seat", {"seat": seat})
        return (FAIL if gaps else PASS), dues, evidence

    def rule_chair(self):
        """Art. 5.1: the Mayor chairs the council, on every day of the year so far."""
        return self._seat_check("chair", "chair", lambda m: m.get("category") == "a", "chair_not_mayor",
                                ROLE_CHAIR)

    def rule_coordination_secretariat(self):
        """Art. 9.3: one representative each of the municipality, the police and the prosecution,
        each from that institution, on every day of the year so far, three different people."""
        status, dues, evidence = PASS, [], []
        for seat in ("secretariat_municipality", "secretariat_police", "secretariat_prosecution"):
            kind = SEAT_INSTITUTION[seat]
            s, d, e = self._seat_check("coordination-secretariat", seat,
                                       lambda m, kind=kind: m.get("institution_kind") == kind,
                                       "seat_wrong_institution", ROLE_CHAIR)
            status = FAIL if s == FAIL else status
            dues += d
            evidence += e
        today = {}
        for seat in ("secretariat_municipality", "secretariat_police", "secretariat_prosecution"):
            for t in self._seat_terms(seat):
                if t["started_on"] <= self.last_day and (t["ended_on"] is None or t["ended_on"] >= self.last_day):
                    if t["member_id"] in today:
                        status = FAIL
                        evidence.append({"kind": "seat_shared", "seat": seat, "other_seat": today[t["member_id"]],
                                         "name": (self._member(t["member_id"]) or {}).get("full_name")})
                    today[t["member_id"]] = seat
        return status, dues, evidence

    def rule_technical_secretariat(self):
        """Art. 10.1: the Technical Secretariat is a municipal employee, on every day of the year so far."""
        return self._seat_check("technical-secretariat", "technical_secretariat",
                                lambda m: m.get("institution_kind") == SEAT_INSTITUTION["technical_secretariat"],
                                "seat_wrong_institution", ROLE_CHAIR)

    # -- meetings
    def _counting_kinds(self) -> tuple[str, ...]:
        """Art. 7.2-7.3: a meeting with a smaller membership for an unexpected event does not count
        towards the meetings a year, unless the model says it does."""
        return COUNCIL_KINDS if self.model.param("ad_hoc_meetings_count") else ("council",)

    def rule_meetings_per_year(self):
        """Art. 7.2: at least two council meetings a year; at risk when the rest of the year is unlikely
        to fit the meetings still missing."""
        required = self.model.param("council_meetings_per_year")
        kinds = self._counting_kinds()
        held = [m for m in self.held_council if m["kind"] in kinds]
        planned = [m for m in self.council_meetings if m["kind"] in kinds and m["status"] == "planned"
                   and local_naive_to_aware(m["starts_at"]) > self.now]
        done_at = local_naive_to_aware(held[required - 1]["starts_at"]) if required and len(held) >= required \
            else None
        missing = max(0, required - len(held))
        days_left = (self.year_end - self.now.date()).days
        at_risk = bool(missing) and not self.year_over and (
            len(planned) < missing and days_left <= 62 * (missing - len(planned)))
        facts = {"count": len(held), "required": required, "year": self.year, "at_risk": at_risk,
                 "planned": len(planned)}
        dues = [self.due("meetings-per-year", str(self.year), end_of_day(self.year_end), ROLE_CHAIR, "year",
                         period_start=date(self.year, 1, 1), period_end=self.year_end, done_at=done_at,
                         facts=facts)]
        evidence = [{"kind": "meetings_held", "count": len(held), "required": required, "year": self.year}]
        evidence += [{"kind": "meeting_held", **_meeting_ref(m)} for m in held]
        evidence += [{"kind": "meeting_planned", **_meeting_ref(m)} for m in planned]
        if at_risk:
            evidence.append({"kind": "at_risk_meetings", "missing": missing, "planned": len(planned),
                             "days_left": days_left})
        status, dues, _e = self.from_dues(dues)
        return status, dues, evidence, at_risk and status != PASS

    def _invited(self, m) -> tuple[datetime | None, dict]:
        """When every member had been sent the invitation with the agenda and the materials (Art. 7.4),
        and what is missing."""
        facts: dict = {}
        if m["entered_after_the_fact"]:
            facts["entered_after_the_fact"] = True  # entered once it was over: the platform cannot vouch for it
        if not self.facts["agenda"].get(m["id"]):
            facts["no_agenda"] = True
        if not self.facts["materials"].get(m["id"]):
            facts["no_materials"] = True
        invitations = self.by["invitations"].get(m["id"], [])
        if not invitations:
            if m["invitation_sent_at"] is None:
                facts["not_sent"] = True
                return None, facts
            facts["recorded_outside"] = True  # recorded as sent outside the platform: no list of who got it
            sent = utc_naive_to_aware(m["invitation_sent_at"])
        else:
            day = m["starts_at"].date()
            required = {x["id"]: x for x in self._active_members(day)}
            by_member = {i.member_id: i for i in invitations}
            not_sent = [x["full_name"] for mid_, x in required.items()
                        if mid_ not in by_member or by_member[mid_].status != "sent"
                        or by_member[mid_].sent_at is None]
            if not_sent:
                facts["not_sent_to"] = not_sent[:MAX_NAMES]
                facts["not_sent_count"] = len(not_sent)
                return None, facts
            times = [by_member[x].sent_at for x in required if x in by_member]
            sent = utc_naive_to_aware(max(times)) if times else utc_naive_to_aware(m["invitation_sent_at"])
            facts["members"] = len(required)
            if sent is None:
                facts["not_sent"] = True
                return None, facts
        if facts.get("no_agenda") or facts.get("no_materials"):
            return None, facts
        return sent, facts

    def rule_invitation_notice(self):
        """Art. 7.4: the invitation, with the agenda and the materials, reaches every member at least
        5 working days before the meeting."""
        notice = self.model.param("notice_working_days")
        dues = []
        for m in self.council_meetings:
            if m["status"] == "held" and local_naive_to_aware(m["starts_at"]) > self.now:
                continue
            deadline = self._workdays(workdays.invitation_deadline, m["starts_at"].date(), notice)
            done_at, facts = self._invited(m)
            facts.update(_meeting_ref(m), deadline=_iso(deadline))
            if done_at is not None:
                facts["sent"] = _iso(done_at.date())
                late = self._workdays(workdays.working_days_late, done_at.date(), m["starts_at"].date(), notice)
                if late:
                    facts["days_late"] = late  # working days
            dues.append(self.due("invitation-notice", f"meeting:{m['id']}", end_of_day(deadline), ROLE_SECRETARY,
                                 "meeting", subject_id=m["id"], done_at=done_at, facts=facts))
        if not self.held_council and not dues:
            return self._no_meetings()
        status, dues, evidence = self.from_dues(dues)
        if status != FAIL and self.year_over and not self.held_council:
            return FAIL, dues, evidence + [{"kind": "no_meetings_held", "year": self.year}]
        return status, dues, evidence

    def rule_records(self):
        """Art. 7.7-7.8, 10.2: members attended (the model's quorum), decisions adopted by consensus,
        signed by the chair and a copy distributed to each member; minutes, the participants' list and
        the audio recording archived — within the model's working days of the meeting."""
        if not self.held_council:
            return self._no_meetings()
        quorum = self.model.param("quorum_percent")
        days = self.model.param("records_working_days")
        dues = []
        for m in self.held_council:
            day = m["starts_at"].date()
            ref = _meeting_ref(m)
            problems, times = [], []
            minutes_at = self.facts["minutes"].get(m["id"])
            if minutes_at is None:
                problems.append("minutes")
            else:
                times.append(utc_naive_to_aware(minutes_at))
            active = {x["id"] for x in self._active_members(day)}
            present = {a.member_id for a in self.by["attendance"].get(m["id"], []) if a.member_id in active}
            needed = math.ceil(len(active) * quorum / 100) if active else 1
            if not present:
                problems.append("participants")
            elif len(present) < needed:
                problems.append("quorum")
            if m["audio_document_id"] is None:
                problems.append("audio")
            for d in self.by["decisions"].get(m["id"], []):
                if not d["adopted_by_consensus"]:
                    problems.append("consensus")
                if d["signed_by_chair_on"] is None:
                    problems.append("signature")
                else:
                    times.append(day_done(d["signed_by_chair_on"]))
                if d["distributed_at"] is None and d["id"] not in self.facts["distributed"]:
                    problems.append("distribution")
                elif d["distributed_at"] is not None:
                    times.append(utc_naive_to_aware(d["distributed_at"]))
            facts = {**ref, "present": len(present), "members": len(active), "quorum": needed,
                     "decisions": len(self.by["decisions"].get(m["id"], []))}
            if problems:
                facts["missing"] = sorted(set(problems))
            due_day = self._workdays(workdays.add_working_days, day, days)
            done_at = None if problems else max(times, default=local_naive_to_aware(m["ends_at"]))
            dues.append(self.due("records", f"meeting:{m['id']}", self.by_day(due_day), ROLE_SECRETARY, "meeting",
                                 subject_id=m["id"], done_at=done_at, facts=facts))
        return self.from_dues(dues)

    def rule_press_release(self):
        """Art. 11: after each meeting, a press release with the time of the meeting, who took part,
        the agenda items and the essence of the discussion, published within 24 hours."""
        if not self.held_council:
            return self._no_meetings()
        hours = self.model.param("press_release_hours")
        dues = []
        for m in self.held_council:
            release = self.by["releases"].get(m["id"])
            facts = {**_meeting_ref(m), "limit": hours}
            done_at = None
            if release is not None and release["published_at"] is not None:
                missing = press_release_missing(release)
                published = utc_naive_to_aware(release["published_at"])
                facts["hours"] = round((published - local_naive_to_aware(m["ends_at"])).total_seconds() / 3600, 2)
                if missing:
                    facts["missing"] = missing
                else:
                    done_at = published
            dues.append(self.due("press-release", f"meeting:{m['id']}", press_release_due(m["ends_at"], hours),
                                 ROLE_SECRETARY, "meeting", subject_id=m["id"], done_at=done_at, facts=facts))
        return self.from_dues(dues)

    def rule_open_consultations(self):
        """Art. 8.5: an open consultation meeting in each half-year (the model's period)."""
        months = self.model.param("consultation_interval_months")
        consultations = [m for m in self.held if m["kind"] == "open_consultation"]
        dues = []
        for start, end in months_of(self.year, months):
            inside = [m for m in consultations if start <= m["starts_at"].date() <= end]
            first = inside[0] if inside else None
            dues.append(self.due("open-consultations", period_key(start, end), self.by_day(end), ROLE_CHAIR,
                                 "half_year" if months == 6 else "period", period_start=start, period_end=end,
                                 done_at=local_naive_to_aware(first["starts_at"]) if first else None,
                                 done_record={"kind": "meeting", "id": first["id"]} if first else None,
                                 facts=_meeting_ref(first) if first else {}))
        return self.from_dues(dues)

    # -- the plan
    def _plan_due(self) -> datetime:
        """The plan of the year approved by the date the Ministry sets in the model (31 March)."""
        month, day = self.model.param("plan_approval_due_month"), self.model.param("plan_approval_due_day")
        while True:
            try:
                return self.by_day(date(self.year, month, day))
            except ValueError:
                day -= 1

    def rule_plan_approved(self):
        """Art. 6.7, 8.4: the year's plan approved at a council meeting, by the model's date."""
        at_meeting = [v for v in self.approved if v["approved_meeting_id"]]
        facts, done_at, record = {"year": self.year}, None, None
        if at_meeting:
            v = at_meeting[0]
            done_at = day_done(v["approved_on"])
            record = {"kind": "plan", "id": v["plan_id"]}
            facts.update(plan_id=v["plan_id"], version=v["number"], date=_iso(v["approved_on"]),
                         meeting_id=v["approved_meeting_id"], decision_id=v["approved_decision_id"])
        elif self.approved:
            v = self.approved[0]
            facts.update(plan_id=v["plan_id"], version=v["number"], date=_iso(v["approved_on"]),
                         without_meeting=True)
        elif self.year_versions:
            facts.update(plan_id=self.year_versions[0]["plan_id"], draft=True)
        else:
            facts["no_plan"] = True
        dues = [self.due("plan-approved", str(self.year), self._plan_due(), ROLE_CHAIR, "plan",
                         subject_id=facts.get("plan_id"), done_at=done_at, done_record=record, facts=facts)]
        return self.from_dues(dues)

    def _version_in_force(self):
        return self.approved[-1] if self.approved else None

    def rule_plan_complete(self):
        """Art. 8.2-8.3: every item of the plan in force has an intensity, activities, responsible
        institutions, a deadline and a measurable indicator."""
        version = self._version_in_force()
        if version is None:
            dues = [self.due("plan-complete", str(self.year), self._plan_due(), ROLE_COORDINATION, "plan",
                             facts={"year": self.year, "no_plan": True})]
            return self.from_dues(dues)
        items = self.by["items"].get(version["id"], [])
        if not items:
            return FAIL, [], [{"kind": "plan_empty", "plan_id": version["plan_id"], "version": version["number"]}]
        evidence, ok = [], True
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
        return (PASS if ok else FAIL), [], evidence

    def rule_plan_published(self):
        """Roadmap: the approved plan is published (on the municipality's official website; every
        member institution publishes it on its own) within the model's days of its approval."""
        first = self.approved[0] if self.approved else None
        if first is None:
            dues = [self.due("plan-published", str(self.year), self._plan_due()
                             + timedelta(days=self.model.param("plan_publication_days")), ROLE_SECRETARY, "plan",
                             facts={"year": self.year, "no_plan": True})]
            return self.from_dues(dues)
        published = [v for v in self.year_versions if v["published_on"] is not None]
        done = published[0] if published else None
        due_day = first["approved_on"] + timedelta(days=self.model.param("plan_publication_days"))
        facts = {"plan_id": first["plan_id"], "version": first["number"], "date": _iso(first["approved_on"])}
        if done:
            facts.update(published=_iso(done["published_on"]), url=done["published_url"])
        dues = [self.due("plan-published", str(self.year), self.by_day(due_day), ROLE_SECRETARY, "plan",
                         subject_id=first["plan_id"], done_at=day_done(done["published_on"]) if done else None,
                         facts=facts)]
        return self.from_dues(dues)

    def rule_plan_reviewed(self):
        """Art. 8.5: after each open consultation, the next council meeting reviews the plan: a
        revision approved there, or a decision of that meeting that reviewed (and may confirm) it."""
        consultations = [m for m in self.held if m["kind"] == "open_consultation"]
        if not consultations:
            evidence = [{"kind": "no_consultations", "year": self.year}]
            return (FAIL if self.year_over else NOT_YET_DUE), [], evidence
        council_after = [m for m in self.meetings + self.later_meetings if m["kind"] in COUNCIL_KINDS
                         and m["status"] != "cancelled"]
        versions = self.by["versions"].get(self.mid, [])
        months = self.model.param("consultation_interval_months")
        dues = []
        for c in consultations:
            after = [m for m in council_after if m["starts_at"] > c["starts_at"]]
            held_after = [m for m in after if m["status"] == "held" and local_naive_to_aware(m["starts_at"]) <= self.now]
            nxt = after[0] if after else None
            if nxt is not None:
                due_at = end_of_day(nxt["starts_at"].date())
            else:  # no meeting scheduled yet: at the latest by the next consultation
                d = c["starts_at"].date()
                month = d.month - 1 + months
                due_at = end_of_day(date(d.year + month // 12, month % 12 + 1, 1) - timedelta(days=1))
            reviewed_at, review_meeting, version_no = None, None, None
            for m in held_after:
                approving = [v for v in versions if v["status"] in APPROVED_VERSION
                             and v["approved_meeting_id"] == m["id"]]
                confirming = [d for d in self.by["decisions"].get(m["id"], []) if d["reviews_plan"]]
                if approving or confirming:
                    reviewed_at, review_meeting = local_naive_to_aware(m["starts_at"]), m
                    version_no = approving[0]["number"] if approving else None
                    break
            facts = {"consultation_id": c["id"], "consultation_date": _iso(c["starts_at"].date()),
                     "meeting_id": c["id"], "title": c["title"]}
            if nxt is not None:
                facts.update(next_meeting_id=nxt["id"], next_date=_iso(nxt["starts_at"].date()))
            if review_meeting is not None:
                facts.update(review_meeting_id=review_meeting["id"],
                             review_date=_iso(review_meeting["starts_at"].date()), version=version_no)
            dues.append(self.due("plan-reviewed", f"consultation:{c['id']}", due_at, ROLE_SECRETARY, "consultation",
                                 subject_id=c["id"], done_at=reviewed_at,
                                 done_record={"kind": "meeting", "id": review_meeting["id"]} if review_meeting
                                 else None, facts=facts))
        return self.from_dues(dues)

    def rule_monthly_monitoring(self):
        """Art. 9.2: the Coordination Secretariat meets at least every month (the model's period)."""
        months = self.model.param("monitoring_interval_months")
        periods = months_of(self.year, months)
        starts = [start for start, _end in periods]
        firsts = {}  # period index -> the first monitoring meeting held in it (meetings are in order)
        for m in self.held:
            if m["kind"] == "secretariat_monitoring":
                day = m["starts_at"].date()
                index = bisect_right(starts, day) - 1
                if index >= 0 and day <= periods[index][1]:
                    firsts.setdefault(index, m)
        dues = []
        for index, (start, end) in enumerate(periods):
            first = firsts.get(index)
            dues.append(self.due("monthly-monitoring", period_key(start, end), self.by_day(end), ROLE_COORDINATION,
                                 "month" if months == 1 else "period", period_start=start, period_end=end,
                                 done_at=local_naive_to_aware(first["starts_at"]) if first else None,
                                 done_record={"kind": "meeting", "id": first["id"]} if first else None,
                                 facts=_meeting_ref(first) if first else {}))
        return self.from_dues(dues)

    def rule_monitoring_report(self):
        """Art. 8.6: a monitoring report in the standard format, approved by the chair, for each period,
        within the model's days of the period's end."""
        months = self.model.param("monitoring_report_interval_months")
        days = self.model.param("report_due_days")
        reports = [r for r in self.by["reports"].get(self.mid, []) if r["kind"] == "monitoring"
                   and r["status"] in REPORT_APPROVED and r["approved_at"] is not None]
        dues = []
        for start, end in months_of(self.year, months):
            inside = sorted((r for r in reports if start <= r["period_end"] <= end and r["period_start"] <= end),
                            key=lambda r: r["approved_at"])
            first = inside[0] if inside else None
            facts = {}
            if first:
                facts = {"report_id": first["id"], "date": _iso(first["approved_at"].date()),
                         "report_start": _iso(first["period_start"]), "report_end": _iso(first["period_end"])}
            dues.append(self.due("monitoring-report", period_key(start, end), self.by_day(end + timedelta(days=days)),
                                 ROLE_CHAIR, "report", period_start=start, period_end=end,
                                 subject_id=first["id"] if first else None,
                                 done_at=utc_naive_to_aware(first["approved_at"]) if first else None,
                                 done_record={"kind": "report", "id": first["id"]} if first else None, facts=facts))
        return self.from_dues(dues)

    def rule_council_informed(self):
        """Art. 5.2.d: the chair informs the Municipal Council about the council's work at least once a
        year: a session of the Municipal Council (its date and decision or minute number)."""
        required = self.model.param("council_informed_per_year")
        sessions = sorted(self.by["sessions"].get(self.mid, []), key=lambda s: s["held_on"])
        done_at = day_done(sessions[required - 1]["held_on"]) if required and len(sessions) >= required else None
        if not required:
            done_at = day_done(date(self.year, 1, 1))
        days_left = (self.year_end - self.now.date()).days
        at_risk = done_at is None and not self.year_over and days_left <= 31
        facts = {"year": self.year, "required": required, "count": len(sessions), "at_risk": at_risk}
        if sessions:
            s = sessions[-1]
            facts.update(session_id=s["id"], date=_iso(s["held_on"]), number=s["decision_number"])
        dues = [self.due("council-informed", str(self.year), end_of_day(self.year_end), ROLE_CHAIR, "year",
                         period_start=date(self.year, 1, 1), period_end=self.year_end, done_at=done_at,
                         facts=facts)]
        status, dues, evidence = self.from_dues(dues)
        evidence += [{"kind": "council_session", "date": _iso(s["held_on"]), "number": s["decision_number"],
                      "report": s["report_title"]} for s in sessions]
        return status, dues, evidence, at_risk and status != PASS

    # -- Art. 7.5, 9.5, 9.4 and the attendance the texts require (Art. 8.1, 8.5, 9.6, 10.2)
    def _acts(self, m):
        return self.facts.get("meeting_acts", {}).get(m["id"])

    def rule_agenda_approved(self):
        """Art. 7.5: "The LPSC carries out the work according to the agenda approved by the chairman of the
        LPSC." The agenda goes out with the invitation (Art. 7.4), so the chair approves it by the
        invitation's deadline: the 5th working day before each council meeting."""
        notice = self.model.param("notice_working_days")
        dues = []
        for m in self.council_meetings:
            if m["status"] == "held" and local_naive_to_aware(m["starts_at"]) > self.now:
                continue
            deadline = self._workdays(workdays.invitation_deadline, m["starts_at"].date(), notice)
            acts = self._acts(m)
            facts = {**_meeting_ref(m), "deadline": _iso(deadline)}
            done_at = None
            if acts is not None and acts.agenda_approved_on is not None:
                done_at = day_done(acts.agenda_approved_on)
                facts.update(approved=_iso(acts.agenda_approved_on), approved_by=acts.approved_by)
            elif not self.facts["agenda"].get(m["id"]):
                facts["no_agenda"] = True
            dues.append(self.due("agenda-approved", f"meeting:{m['id']}", self.by_day(deadline), ROLE_CHAIR,
                                 "meeting", subject_id=m["id"], done_at=done_at, facts=facts))
        if not dues:
            return self._no_meetings()
        return self.from_dues(dues)

    def rule_public_meetings_agreed(self):
        """Art. 9.5: "The Coordinating Secretariat agrees on the agenda of public meetings and meeting dates
        beforehand": each open consultation agreed by the Coordination Secretariat by the day before it."""
        dues = []
        for m in self.meetings:
            if m["kind"] != "open_consultation" or m["status"] == "cancelled":
                continue
            if m["status"] == "held" and local_naive_to_aware(m["starts_at"]) > self.now:
                continue
            acts = self._acts(m)
            facts = dict(_meeting_ref(m))
            done_at = None
            if acts is not None and acts.secretariat_agreed_on is not None:
                done_at = day_done(acts.secretariat_agreed_on)
                facts["agreed"] = _iso(acts.secretariat_agreed_on)
            dues.append(self.due("public-meetings-agreed", f"meeting:{m['id']}",
                                 self.by_day(m["starts_at"].date() - timedelta(days=1)), ROLE_COORDINATION,
                                 "meeting", subject_id=m["id"], done_at=done_at, facts=facts))
        if not dues:
            return (FAIL if self.year_over else NOT_YET_DUE), [], [{"kind": "no_public_meetings", "year": self.year}]
        return self.from_dues(dues)

    def rule_secretariat_reports(self):
        """Art. 9.4: "The Coordination Secretariat reports to the heads of the institutions and they present
        on the findings": after each of its meetings, the report with the findings sent to the heads of the
        municipality, the police and the prosecution within the model's working days."""
        days = self.model.param("secretariat_report_working_days")
        dues = []
        for m in self.held:
            if m["kind"] != "secretariat_monitoring":
                continue
            acts = self._acts(m)
            facts = dict(_meeting_ref(m))
            done_at = None
            if acts is not None and acts.report_sent_on is not None:
                facts["sent"] = _iso(acts.report_sent_on)
                missing = [h for h in HEADS if h not in (acts.report_recipients or [])]
                if missing:
                    facts["not_sent_to"] = missing
                if not (acts.report_findings or "").strip():
                    facts["no_findings"] = True
                if not missing and not facts.get("no_findings"):
                    done_at = day_done(acts.report_sent_on)
            else:
                facts["not_sent"] = True
            due_day = self._workdays(workdays.add_working_days, m["starts_at"].date(), days)
            dues.append(self.due("secretariat-reports", f"meeting:{m['id']}", self.by_day(due_day),
                                 ROLE_COORDINATION, "meeting", subject_id=m["id"], done_at=done_at, facts=facts))
            if acts is not None and acts.report_sent_on is not None:
                presented = self._findings_presented(m, acts)
                if presented is not None:
                    dues.append(presented)
        if not dues:
            return ((FAIL if self.year_over else NOT_YET_DUE), [],
                    [{"kind": "no_secretariat_meetings", "year": self.year}])
        return self.from_dues(dues)

    def _findings_presented(self, m, acts) -> Due | None:
        """Art. 9.4, second half: "and they present the findings": the heads present the report's findings at
        the first regular council meeting held after the report was sent (due at that meeting's end of day;
        nothing is due while no such meeting has been held). Presented at that meeting, or on a day before it,
        is on time; at a later meeting or day, late."""
        sent = acts.report_sent_on
        if self._held_regular is None:  # the regular council meetings held by now, in order: once per council
            everyone = self.meetings + self.later_meetings
            self._held_regular = sorted((x for x in everyone if x["kind"] == "council" and x["status"] == "held"
                                         and local_naive_to_aware(x["starts_at"]) <= self.now),
                                        key=lambda x: x["starts_at"])
            self._meeting_by_id = {}
            for x in everyone:
                self._meeting_by_id.setdefault(x["id"], x)
        first = next((x for x in self._held_regular if x["starts_at"].date() > sent), None)
        if first is None:
            return None
        facts = {**_meeting_ref(m), "findings": True, "sent": _iso(sent),
                 "council_meeting_id": first["id"], "council_meeting_title": first["title"],
                 "council_meeting_date": _iso(first["starts_at"].date())}
        day = None
        if acts.findings_presented_by:
            if acts.findings_presented_meeting_id is not None:
                where = self._meeting_by_id.get(acts.findings_presented_meeting_id)
                day = where["starts_at"].date() if where is not None else None
                if where is not None:
                    facts["presented_at_meeting_id"] = where["id"]
            else:
                day = acts.findings_presented_on
        if day is not None:
            facts.update(presented_by=acts.findings_presented_by, presented_on=_iso(day))
        else:
            facts["not_presented"] = True
        return self.due("secretariat-reports", f"findings:{m['id']}", self.by_day(first["starts_at"].date()),
                        ROLE_COORDINATION, "meeting", subject_id=m["id"], done_at=day_done(day), facts=facts)

    def _required_people(self, m) -> tuple[list[tuple[str, dict | None]], str]:
        """Who must attend meeting ``m``: (what, the member or None when nobody holds it), and the group."""
        day = m["starts_at"].date()
        if m["kind"] == "open_consultation":  # Art. 8.1, 8.5: the heads of the three institutions
            active = self._active_members(day)
            return [(c, next((x for x in active if x["category"] == c), None)) for c in HEAD_CATEGORIES], "heads"
        out = []  # Art. 9.6, 10.2: the Coordination Secretariat and the Technical Secretariat
        for seat in REQUIRED_SEATS:
            term = next((t for t in self._seat_terms(seat) if t["started_on"] <= day
                         and (t["ended_on"] is None or t["ended_on"] >= day)), None)
            out.append((seat, self._member(term["member_id"]) if term else None))
        return out, "secretariats"

    def rule_required_attendance(self):
        """Art. 8.1 and 8.5: the head of the Municipality, of the Police and of the Prosecution hold the open
        consultations with the community; Art. 9.6: "The Coordination Secretariat participates in LPSC
        meetings"; Art. 10.2: the Technical Secretariat records the minutes and keeps the list of participants
        of the meeting. Each meeting held is judged once its records are due (the model's working days)."""
        days = self.model.param("records_working_days")
        dues = []
        for m in self.held:
            if m["kind"] not in ("open_consultation", "council"):
                continue
            present = {a.member_id for a in self.by["attendance"].get(m["id"], [])}
            required, group = self._required_people(m)
            missing, vacant = [], []
            for what, member in required:
                if member is None:
                    vacant.append(what)
                elif member["id"] not in present:
                    missing.append(member["full_name"])
            facts = {**_meeting_ref(m), "group": group}
            if missing:
                facts["missing"] = missing
            if vacant:
                facts["vacant"] = vacant
            if not present:
                facts["no_attendance"] = True
            done_at = None if (missing or vacant) else local_naive_to_aware(m["starts_at"])
            due_day = self._workdays(workdays.add_working_days, m["starts_at"].date(), days)
            dues.append(self.due("required-attendance", f"meeting:{m['id']}", self.by_day(due_day),
                                 ROLE_SECRETARY, "meeting", subject_id=m["id"], done_at=done_at, facts=facts))
        if not dues:
            return self._no_meetings()
        return self.from_dues(dues)


# Art. 9.4: the heads the Coordination Secretariat reports to; Art. 8.1, 8.5: the categories of the heads of the
# municipality (the Mayor), the police and the prosecution; Art. 9.6, 10.2: the seats present at council meetings.
HEADS = ("municipality", "police", "prosecution")
HEAD_CATEGORIES = ("a", "c", "d")
REQUIRED_SEATS = ("secretariat_municipality", "secretariat_police", "secretariat_prosecution",
                  "technical_secretariat")
