"""Community grants: the work, with explicit arguments (views and the API stay thin).

Calls are drafted, opened (then public), closed; applications come through the public form until the
close date (a day in Albania, through ``timeutil``); eligibility is recorded per criterion; the
scoring committee's members score through their private link after declaring no conflict of
interest; the ranking is weighted, with ties explained; the committee's proposal is approved by a
council decision (the meeting's decision register); awards carry tranches, disbursements and the
grantee's reports, reviewed by staff.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..errors import Conflict, ValidationFailed
from ..extensions import db
from ..schemas import too_long
from ..timeutil import local_today, utcnow
from .models import (
    GrantApplication,
    GrantAttachment,
    GrantAward,
    GrantBudgetLine,
    GrantCall,
    GrantCallActivity,
    GrantCommitteeMember,
    GrantConflict,
    GrantCriterion,
    GrantEligibilityCheck,
    GrantReport,
    GrantScore,
    GrantTranche,
    new_token,
    token_hash,
)

log = logging.getLogger(__name__)

ATTACHMENT_TYPES = {"pdf", "docx", "odt", "xlsx", "ods", "doc", "xls", "png", "jpg", "jpeg"}
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


def money(amount) -> str:
    """An amount in lek, in the reader's locale: "150 000 lekë" / "150,000 lek"."""
    return _("%(amount)s lek", amount=format_decimal(amount or 0, "#,##0"))


def status_labels() -> dict[str, str]:
    return {"draft": _("Draft"), "open": _("Open for applications"), "closed": _("Closed, being assessed"),
            "decided": _("Decided")}


def application_labels() -> dict[str, str]:
    return {"draft": _("Draft"), "submitted": _("Submitted"), "eligible": _("Eligible"),
            "ineligible": _("Not eligible"), "proposed": _("Proposed for funding"), "awarded": _("Awarded"),
            "not_funded": _("Not funded")}


def report_labels() -> dict[str, str]:
    return {"narrative": _("Narrative report"), "financial": _("Financial report"), "final": _("Final report"),
            "submitted": _("Waiting for review"), "accepted": _("Accepted"), "returned": _("Returned with comments")}


# --- calls -------------------------------------------------------------------------------------

def list_calls(*, status: str | None = None) -> list[GrantCall]:
    query = select(GrantCall).order_by(GrantCall.opens_on.desc(), GrantCall.id.desc())
    if status:
        query = query.where(GrantCall.status == status)
    return list(db.session.execute(query).scalars())


def get_call(call_id: int) -> GrantCall | None:
    return db.session.get(GrantCall, call_id)


def _activity_ids_exist(ids: list[int]) -> bool:
    from ..plans.models import PlanActivity

    if not ids:
        return True
    found = db.session.execute(select(func.count()).select_from(PlanActivity).where(PlanActivity.id.in_(ids)))
    return found.scalar_one() == len(set(ids))


def _set_criteria(call: GrantCall, eligibility: list[str], scoring: list[dict]) -> None:
    for old in db.session.execute(select(GrantCriterion).where(GrantCriterion.call_id == call.id)).scalars():
        db.session.delete(old)
    db.session.flush()
    for position, text in enumerate(eligibility):
        db.session.add(GrantCriterion(call_id=call.id, kind="eligibility", text=text, position=position))
    for position, row in enumerate(scoring):
        db.session.add(GrantCriterion(call_id=call.id, kind="scoring", text=row["text"], weight=row["weight"],
                                      max_score=row.get("max_score") or 10, position=100 + position))


def _set_activities(call: GrantCall, ids: list[int]) -> None:
    if not _activity_ids_exist(ids):
        raise ValidationFailed({"activity_ids": _("Choose activities of this municipality's plan.")})
    current = {link.activity_id: link for link in db.session.execute(
        select(GrantCallActivity).where(GrantCallActivity.call_id == call.id)).scalars()}
    for activity_id, link in current.items():
        if activity_id not in ids:
            db.session.delete(link)
    for activity_id in dict.fromkeys(ids):
        if activity_id not in current:
            db.session.add(GrantCallActivity(call_id=call.id, activity_id=activity_id))


CALL_FIELDS = ("title", "objectives", "budget", "max_per_grant", "cofinancing_percent", "opens_on", "closes_on",
               "decision_on")


def create_call(data: dict, *, user_id: int | None) -> GrantCall:
    """A draft call from the schema's clean data (the caller commits)."""
    call = GrantCall(**{k: data.get(k) for k in CALL_FIELDS}, created_by_id=user_id, status="draft")
    if call.cofinancing_percent is None:
        call.cofinancing_percent = 0
    db.session.add(call)
    db.session.flush()
    _set_activities(call, data.get("activity_ids") or [])
    _set_criteria(call, data.get("eligibility_criteria") or [], data.get("scoring_criteria") or [])
    db.session.flush()
    db.session.refresh(call)
    return call


def update_call(call: GrantCall, data: dict) -> GrantCall:
    if call.status != "draft":
        raise ValidationFailed({"status": _("Only a draft call can be changed: this one is already open.")})
    for key in CALL_FIELDS:
        if key in data:
            setattr(call, key, data[key])
    if "activity_ids" in data:
        _set_activities(call, data["activity_ids"] or [])
    if "eligibility_criteria" in data or "scoring_criteria" in data:
        _set_criteria(call, data.get("eligibility_criteria", [c.text for c in call.eligibility_criteria]),
                      data.get("scoring_criteria", [{"text": c.text, "weight": c.weight, "max_score": c.max_score}
                                                    for c in call.scoring_criteria]))
    db.session.flush()
    db.session.refresh(call)
    return call


def open_call(call: GrantCall) -> GrantCall:
    """Publish the call: on the public page and in the open data from now on."""
    if call.status != "draft":
        raise ValidationFailed({"status": _("This call is already open or closed.")})
    if not call.scoring_criteria:
        raise ValidationFailed({"scoring_criteria": _("Add the scoring criteria before opening the call.")})
    if sum(c.weight or 0 for c in call.scoring_criteria) != 100:
        raise ValidationFailed({"scoring_criteria": _("The weights of the scoring criteria must add up to 100.")})
    if call.closes_on < local_today():
        raise ValidationFailed({"closes_on": _("The closing date has passed: change it before opening the call.")})
    call.status, call.opened_at = "open", utcnow()
    db.session.flush()
    return call


def close_call(call: GrantCall) -> GrantCall:
    if call.status != "open":
        raise ValidationFailed({"status": _("Only an open call can be closed.")})
    call.status, call.closed_at = "closed", utcnow()
    db.session.flush()
    return call


def accepting(call: GrantCall, today=None) -> bool:
    """Whether the call takes applications (and changes to them) today, a day in Albania."""
    today = today or local_today()
    return call.status == "open" and call.opens_on <= today <= call.closes_on


def refuse_if_not_accepting(call: GrantCall) -> None:
    today = local_today()
    if call.status == "open" and today < call.opens_on:
        raise ValidationFailed({"call": _("This call opens on %(day)s: applications are accepted from that day.",
                                          day=format_date(call.opens_on, "long"))})
    if not accepting(call, today):
        raise ValidationFailed({"call": _(
            "This call closed on %(day)s: applications and changes are no longer accepted. What you wrote is "
            "still on this page; keep a copy and contact the municipality if you think this is wrong.",
            day=format_date(call.closes_on, "long"))})


def public_calls() -> list[GrantCall]:
    """Calls the public sees: opened once (open, closed or decided), newest first."""
    return [c for c in list_calls() if c.status != "draft"]


# --- applications ------------------------------------------------------------------------------

def list_applications(call: GrantCall) -> list[GrantApplication]:
    return list(db.session.execute(select(GrantApplication).where(GrantApplication.call_id == call.id)
                                   .order_by(GrantApplication.submitted_at, GrantApplication.id)).scalars())


def get_application(application_id: int) -> GrantApplication | None:
    return db.session.get(GrantApplication, application_id)


def application_by_token(raw: str) -> GrantApplication | None:
    if not raw or len(raw) > 100:
        return None
    return db.session.execute(select(GrantApplication).where(
        GrantApplication.token_hash == token_hash(raw))).scalar_one_or_none()


def _check_against_call(call: GrantCall, data: dict) -> None:
    errors = {}
    requested = data.get("amount_requested") or 0
    if requested > call.max_per_grant:
        errors["amount_requested"] = _("At most %(amount)s per grant in this call.", amount=money(call.max_per_grant))
    total = requested + (data.get("cofinancing") or 0)
    if call.cofinancing_percent and total and (data.get("cofinancing") or 0) * 100 < call.cofinancing_percent * total:
        errors["cofinancing"] = _("This call asks the organisation to bring at least %(percent)s%% of the project's "
                                  "cost.", percent=call.cofinancing_percent)
    lines = data.get("budget_lines") or []
    if lines and sum(line["amount"] for line in lines) != requested:
        errors["budget_lines"] = _("The budget lines asked from the grant add up to %(sum)s, not the amount "
                                   "requested (%(amount)s).", sum=money(sum(line["amount"] for line in lines)),
                                   amount=money(requested))
    activity_id = data.get("activity_id")
    if activity_id is not None and call.activity_ids and activity_id not in call.activity_ids:
        errors["activity_id"] = _("Choose one of the plan activities this call serves.")
    if errors:
        raise ValidationFailed(errors)


def _set_lines(application: GrantApplication, lines: list[dict]) -> None:
    for old in db.session.execute(select(GrantBudgetLine).where(
            GrantBudgetLine.application_id == application.id)).scalars():
        db.session.delete(old)
    db.session.flush()
    for position, line in enumerate(lines):
        db.session.add(GrantBudgetLine(application_id=application.id, position=position,
                                       description=line["description"], amount=line["amount"],
                                       cofinanced=line.get("cofinanced") or 0))


APPLICATION_FIELDS = ("organisation", "nipt", "contact_name", "contact_email", "contact_phone", "project_title",
                      "summary", "activity_id", "amount_requested", "cofinancing")


def submit_application(call: GrantCall, data: dict, files=()) -> tuple[GrantApplication, str]:
    """An application from the public form (clean data); returns it with the private link's token, which
    exists only here and in the e-mail (the caller commits, then sends the confirmation)."""
    refuse_if_not_accepting(call)
    _check_against_call(call, data)
    from ..concerns.models import new_reference

    token = new_token()
    application = GrantApplication(call_id=call.id, reference=new_reference(), token_hash=token_hash(token),
                                   status="submitted", **{k: data.get(k) for k in APPLICATION_FIELDS})
    if application.cofinancing is None:
        application.cofinancing = 0
    db.session.add(application)
    db.session.flush()
    _set_lines(application, data.get("budget_lines") or [])
    for filename, stream in files:
        add_attachment(application, filename, stream)
    db.session.flush()
    db.session.refresh(application)
    return application, token


def update_application(application: GrantApplication, data: dict, files=()) -> GrantApplication:
    """The applicant completes or corrects the application through the private link, until the call closes."""
    refuse_if_not_accepting(application.call)
    merged = {k: getattr(application, k) for k in APPLICATION_FIELDS}
    merged.update({k: v for k, v in data.items() if k in APPLICATION_FIELDS})
    merged["budget_lines"] = data.get("budget_lines") or [
        {"description": b.description, "amount": b.amount, "cofinanced": b.cofinanced} for b in application.budget_lines]
    _check_against_call(application.call, merged)
    for key in APPLICATION_FIELDS:
        setattr(application, key, merged[key])
    if data.get("budget_lines"):
        _set_lines(application, data["budget_lines"])
    for filename, stream in files:
        add_attachment(application, filename, stream)
    db.session.flush()
    db.session.refresh(application)
    return application


def add_attachment(application: GrantApplication, filename: str, stream, *, report: GrantReport | None = None,
                   field_name: str = "attachments") -> GrantAttachment:
    """A file checked by its content, stored under the municipality's prefix."""
    from ..storage import object_key, safe_filename, storage
    from ..uploads import check_upload, size_of

    content_type = check_upload(filename, stream, max_bytes=ATTACHMENT_MAX_BYTES, allowed=ATTACHMENT_TYPES,
                                field=field_name)
    key = object_key(application.municipality_id, "grants", filename)
    size = size_of(stream)
    if isinstance(stream, bytes | bytearray):
        storage().put(key, bytes(stream), content_type)
    else:
        storage().put_stream(key, stream, content_type)
    attachment = GrantAttachment(application_id=application.id, report_id=report.id if report else None,
                                 filename=safe_filename(filename), content_type=content_type, size=size,
                                 storage_key=key)
    db.session.add(attachment)
    db.session.flush()
    return attachment


def get_attachment(attachment_id: int) -> GrantAttachment | None:
    return db.session.get(GrantAttachment, attachment_id)


def reissue_application_token(application: GrantApplication) -> str:
    """A new private link for the application: the old one stops working. Returns the raw token, which
    exists only in the caller's hands (the e-mail job, ``grants.notifications``)."""
    token = new_token()
    application.token_hash = token_hash(token)
    db.session.flush()
    return token


# --- eligibility -------------------------------------------------------------------------------

def eligibility_checks(application: GrantApplication) -> dict[int, GrantEligibilityCheck]:
    return {c.criterion_id: c for c in db.session.execute(select(GrantEligibilityCheck).where(
        GrantEligibilityCheck.application_id == application.id)).scalars()}


def record_eligibility(application: GrantApplication, results: dict[int, tuple[bool, str | None]], *,
                       user_id: int | None) -> GrantApplication:
    """One result per eligibility criterion of the call; eligible when every one is met."""
    call = application.call
    if call.status not in ("closed",):
        raise ValidationFailed({"status": _("Eligibility is checked once the call is closed and before the "
                                            "decision.")})
    criteria = call.eligibility_criteria
    missing = [c for c in criteria if c.id not in results]
    if missing:
        raise ValidationFailed({f"criterion_{missing[0].id}": _("Say for every criterion whether it is met.")})
    current = eligibility_checks(application)
    for criterion in criteria:
        met, note = results[criterion.id]
        if not met and not note:
            raise ValidationFailed({f"note_{criterion.id}": _("Say why the criterion is not met.")})
        check = current.get(criterion.id) or GrantEligibilityCheck(application_id=application.id,
                                                                   criterion_id=criterion.id, met=met)
        check.met, check.note, check.checked_by_id, check.checked_at = met, note, user_id, utcnow()
        db.session.add(check)
    application.status = "eligible" if all(results[c.id][0] for c in criteria) else "ineligible"
    db.session.flush()
    return application


# --- the scoring committee ---------------------------------------------------------------------

def committee(call: GrantCall) -> list[GrantCommitteeMember]:
    return list(db.session.execute(select(GrantCommitteeMember).where(GrantCommitteeMember.call_id == call.id)
                                   .order_by(GrantCommitteeMember.id)).scalars())


def member_by_token(raw: str) -> GrantCommitteeMember | None:
    if not raw or len(raw) > 100:
        return None
    return db.session.execute(select(GrantCommitteeMember).where(
        GrantCommitteeMember.token_hash == token_hash(raw))).scalar_one_or_none()


def add_member(call: GrantCall, *, name: str | None, email: str | None,
               council_member_id: int | None) -> GrantCommitteeMember:
    """Name a scorer (a council member, or anyone by e-mail). Their private scoring link is issued and
    e-mailed by a job after the commit (``notifications.send_scorer_link``): no usable token is made here."""
    from ..council.models import CouncilMember

    if call.status == "decided":
        raise ValidationFailed({"status": _("The call is decided: its committee no longer changes.")})
    if council_member_id:
        member = db.session.get(CouncilMember, council_member_id)
        if member is None:
            raise ValidationFailed({"council_member_id": _("Choose a member of this council.")})
        name = name or member.full_name
        email = email or getattr(member, "email", None)
    if not name or not email or "@" not in email:
        raise ValidationFailed({"email": _("Enter the scorer's name and e-mail address.")})
    name, email = name.strip(), email.strip().lower()
    if len(name) > 200:
        raise ValidationFailed({"name": str(too_long(200))})
    if len(email) > 254:
        raise ValidationFailed({"email": str(too_long(254))})
    if any(m.email == email for m in committee(call)):
        raise ValidationFailed({"email": _("This person is already on the committee.")})
    scorer = GrantCommitteeMember(call_id=call.id, council_member_id=council_member_id, name=name,
                                  email=email, token_hash=token_hash(new_token()))  # replaced by the job's link
    db.session.add(scorer)
    db.session.flush()
    return scorer


def get_member(member_id: int) -> GrantCommitteeMember | None:
    return db.session.get(GrantCommitteeMember, member_id)


def remove_member(scorer: GrantCommitteeMember) -> None:
    """Take a scorer off the committee (their link stops working with them). Refused once the call is
    decided, and for a scorer who has already scored: their scores are part of the ranking."""
    call = db.session.get(GrantCall, scorer.call_id)
    if call.status == "decided":
        raise Conflict({"status": _("The call is decided: its committee no longer changes.")})
    if scores_of(scorer):
        raise Conflict({"member": _("This scorer has already scored applications: their scores count in the "
                                    "ranking, so they stay on the committee.")})
    for conflict in db.session.execute(select(GrantConflict).where(GrantConflict.member_id == scorer.id)).scalars():
        db.session.delete(conflict)
    db.session.delete(scorer)
    db.session.flush()


def reissue_member_token(scorer: GrantCommitteeMember) -> str:
    """A new private scoring link: the old one stops working. Returns the raw token (for the e-mail job)."""
    token = new_token()
    scorer.token_hash = token_hash(token)
    db.session.flush()
    return token


def holders_of(call: GrantCall, email: str) -> tuple[list[GrantApplication], list[GrantCommitteeMember]]:
    """The applications and committee seats of a call under an e-mail address (for "send my link again")."""
    email = (email or "").strip().lower()
    if not email or "@" not in email or len(email) > 254:
        return [], []
    applications = list(db.session.execute(select(GrantApplication).where(
        GrantApplication.call_id == call.id, func.lower(GrantApplication.contact_email) == email)).scalars())
    members = list(db.session.execute(select(GrantCommitteeMember).where(
        GrantCommitteeMember.call_id == call.id, GrantCommitteeMember.email == email)).scalars())
    return applications, members


def declare_no_conflict(scorer: GrantCommitteeMember) -> None:
    scorer.declared_at = scorer.declared_at or utcnow()
    db.session.flush()


def conflicts_of(scorer: GrantCommitteeMember) -> set[int]:
    return set(db.session.execute(select(GrantConflict.application_id).where(
        GrantConflict.member_id == scorer.id)).scalars())


def declare_conflict(scorer: GrantCommitteeMember, application: GrantApplication, reason: str) -> None:
    if application.call_id != scorer.call_id:
        raise ValidationFailed({"application_id": _("There is no such application in this call.")})
    if not (reason or "").strip():
        raise ValidationFailed({"reason": _("Say briefly what the conflict of interest is.")})
    if len(reason.strip()) > 500:
        raise ValidationFailed({"reason": str(too_long(500))})
    if application.id in conflicts_of(scorer):
        return
    db.session.add(GrantConflict(member_id=scorer.id, application_id=application.id, reason=reason.strip()))
    for score in db.session.execute(select(GrantScore).where(GrantScore.member_id == scorer.id,
                                                            GrantScore.application_id == application.id)).scalars():
        db.session.delete(score)
    db.session.flush()


def applications_for_scorer(scorer: GrantCommitteeMember) -> list[GrantApplication]:
    """What a scorer sees: nothing before the declaration; then the call's eligible applications, except
    those they declared a conflict with."""
    if scorer.declared_at is None:
        return []
    call = db.session.get(GrantCall, scorer.call_id)
    excluded = conflicts_of(scorer)
    return [a for a in list_applications(call) if a.status in ("eligible", "proposed", "awarded", "not_funded")
            and a.id not in excluded]


def scores_of(scorer: GrantCommitteeMember) -> dict[tuple[int, int], GrantScore]:
    return {(s.application_id, s.criterion_id): s for s in db.session.execute(
        select(GrantScore).where(GrantScore.member_id == scorer.id)).scalars()}


def record_scores(scorer: GrantCommitteeMember, application: GrantApplication,
                  values: dict[int, tuple[int | None, str | None]]) -> None:
    call = db.session.get(GrantCall, scorer.call_id)
    if scorer.declared_at is None:
        raise ValidationFailed({"declaration": _("Declare first that you have no conflict of interest.")})
    if call.status != "closed":
        raise ValidationFailed({"status": _("Scores are given while the call is closed and not yet decided.")})
    if application not in applications_for_scorer(scorer):
        raise ValidationFailed({"application_id": _("You do not score this application.")})
    errors = {}
    for criterion in call.scoring_criteria:
        score, _comment = values.get(criterion.id, (None, None))
        if score is None or not 0 <= score <= (criterion.max_score or 10):
            errors[f"score_{criterion.id}"] = _("Give a score from 0 to %(max)s.", max=criterion.max_score or 10)
    if errors:
        raise ValidationFailed(errors)
    current = scores_of(scorer)
    for criterion in call.scoring_criteria:
        score, comment = values[criterion.id]
        row = current.get((application.id, criterion.id)) or GrantScore(
            member_id=scorer.id, application_id=application.id, criterion_id=criterion.id, score=score)
        row.score, row.comment = score, (comment or "").strip() or None
        db.session.add(row)
    db.session.flush()


# --- ranking, proposal, decision ---------------------------------------------------------------

@dataclass
class Ranked:
    application: GrantApplication
    total: float                      # 0..100, weighted
    by_criterion: dict[int, float]    # criterion id -> mean score
    scorers: int
    rank: int = 0
    tie_note: str | None = None
    proposed: bool = False
    comments: list[tuple[str, str]] = field(default_factory=list)


def ranking(call: GrantCall) -> list[Ranked]:
    """The eligible applications by weighted score: for each criterion the mean of the scorers who scored
    it (a scorer with a conflict never did), weighted to a total out of 100. Equal totals are ordered by
    the score on the heaviest criterion, then by the smaller amount requested; each tie says which rule
    ordered it, or that it remains for the committee."""
    criteria = call.scoring_criteria
    apps = [a for a in list_applications(call) if a.status in ("eligible", "proposed", "awarded", "not_funded")]
    scores = list(db.session.execute(select(GrantScore).where(
        GrantScore.application_id.in_([a.id for a in apps]))).scalars()) if apps else []
    names = {m.id: m.name for m in committee(call)}
    rows = []
    for application in apps:
        own = [s for s in scores if s.application_id == application.id]
        means = {}
        for criterion in criteria:
            values = [s.score for s in own if s.criterion_id == criterion.id]
            means[criterion.id] = sum(values) / len(values) if values else 0.0
        total = sum((criterion.weight or 0) * means[criterion.id] / (criterion.max_score or 10) for criterion in criteria)
        rows.append(Ranked(application, round(total, 2), means, len({s.member_id for s in own}),
                           comments=[(names.get(s.member_id, ""), s.comment) for s in own if s.comment]))
    heaviest = max(criteria, key=lambda c: (c.weight or 0, -c.position)) if criteria else None

    def key(r: Ranked):
        return (-r.total, -(r.by_criterion.get(heaviest.id, 0) if heaviest else 0), r.application.amount_requested)

    rows.sort(key=lambda r: (key(r), r.application.id))
    for index, row in enumerate(rows):
        row.rank = index + 1
        if index and key(rows[index - 1]) == key(row):
            row.rank = rows[index - 1].rank
    for index, row in enumerate(rows):
        tied = [other for other in rows if other is not row and other.total == row.total]
        if not tied:
            continue
        if any(key(other) == key(row) for other in tied):
            row.tie_note = _("Tied with %(others)s on every rule (total, the heaviest criterion, the amount): the "
                             "committee's proposal decides.",
                             others=", ".join(o.application.reference for o in tied if key(o) == key(row)))
        elif heaviest and any(other.by_criterion.get(heaviest.id) != row.by_criterion.get(heaviest.id)
                              for other in tied):
            row.tie_note = _("Same total as %(others)s (%(total)s): ordered by the score on the heaviest "
                             "criterion, “%(criterion)s”.", others=", ".join(o.application.reference for o in tied),
                             total=format_decimal(row.total, "0.00"), criterion=heaviest.text)
        else:
            row.tie_note = _("Same total as %(others)s (%(total)s) and the same score on the heaviest criterion: "
                             "ordered by the smaller amount requested.",
                             others=", ".join(o.application.reference for o in tied),
                             total=format_decimal(row.total, "0.00"))
    remaining = call.budget
    for row in rows:
        if row.application.status in ("proposed", "awarded"):
            row.proposed = True
            remaining -= row.application.amount_requested
    if not any(r.proposed for r in rows):
        remaining = call.budget
        for row in rows:
            if row.scorers and row.application.amount_requested <= remaining:
                row.proposed = True
                remaining -= row.application.amount_requested
    return rows


def propose(call: GrantCall) -> list[GrantApplication]:
    """The committee's proposal: the ranked applications funded in order while the budget allows."""
    if call.status != "closed":
        raise ValidationFailed({"status": _("The proposal is made once the call is closed and before the decision.")})
    rows = ranking(call)
    if not rows or not any(r.scorers for r in rows):
        raise ValidationFailed({"ranking": _("No eligible application has been scored yet.")})
    for row in rows:
        if row.application.status == "proposed":
            row.application.status = "eligible"
    db.session.flush()
    chosen = [r.application for r in ranking(call) if r.proposed]
    for application in chosen:
        application.status = "proposed"
    db.session.flush()
    return chosen


def approve_proposal(call: GrantCall, decision_id: int | None) -> GrantCall:
    """The council approved the committee's proposal by a decision of one of its meetings."""
    from ..records.models import Decision

    if call.status != "closed":
        raise ValidationFailed({"status": _("Only a closed call's proposal can be approved.")})
    decision = db.session.get(Decision, decision_id) if decision_id else None
    if decision is None:
        raise ValidationFailed({"decision_id": _("Choose the council's decision that approved the proposal.")})
    proposed = [a for a in list_applications(call) if a.status == "proposed"]
    if not proposed:
        raise ValidationFailed({"ranking": _("Make the committee's proposal first.")})
    call.decision_id, call.status = decision.id, "decided"
    for application in list_applications(call):
        if application.status in ("eligible", "submitted"):
            application.status = "not_funded"
    db.session.flush()
    return call


def decision_choices() -> list:
    from ..records.models import Decision

    return list(db.session.execute(select(Decision).order_by(Decision.created_at.desc())).scalars())


# --- awards, tranches, disbursements, reports --------------------------------------------------

def list_awards(call: GrantCall | None = None) -> list[GrantAward]:
    query = select(GrantAward).order_by(GrantAward.signed_on.desc(), GrantAward.id.desc())
    if call is not None:
        query = query.where(GrantAward.call_id == call.id)
    return list(db.session.execute(query).scalars())


def get_award(award_id: int) -> GrantAward | None:
    return db.session.get(GrantAward, award_id)


def award_of(application: GrantApplication) -> GrantAward | None:
    return db.session.execute(select(GrantAward).where(GrantAward.application_id == application.id)
                              ).scalar_one_or_none()


def create_award(application: GrantApplication, data: dict) -> GrantAward:
    """The contract: amount, number, date and tranches (their amounts add up to the amount)."""
    call = application.call
    if call.status != "decided" or application.status != "proposed":
        raise ValidationFailed({"status": _("An award is made for an application the council's decision approved.")})
    tranches = data.get("tranches") or []
    errors = {}
    if data["amount"] > call.max_per_grant:
        errors["amount"] = _("At most %(amount)s per grant in this call.", amount=money(call.max_per_grant))
    if not tranches:
        errors["tranches"] = _("Enter at least one tranche.")
    elif sum(t["amount"] for t in tranches) != data["amount"]:
        errors["tranches"] = _("The tranches add up to %(sum)s, not the contract's amount (%(amount)s).",
                               sum=money(sum(t["amount"] for t in tranches)), amount=money(data["amount"]))
    if errors:
        raise ValidationFailed(errors)
    from .programmes import check_lot_cap  # a Ministry lot's budget, shared by its calls

    check_lot_cap(call, data["amount"])
    award = GrantAward(application_id=application.id, call_id=call.id, contract_number=data["contract_number"],
                       signed_on=data["signed_on"], amount=data["amount"], status="running")
    db.session.add(award)
    db.session.flush()
    for position, tranche in enumerate(tranches, start=1):
        db.session.add(GrantTranche(award_id=award.id, position=position, amount=tranche["amount"],
                                    due_on=tranche["due_on"], condition=tranche.get("condition")))
    application.status = "awarded"
    db.session.flush()
    db.session.refresh(award)
    return award


def disburse(tranche: GrantTranche, *, on, amount: int | None, user_id: int | None) -> GrantTranche:
    if tranche.disbursed_on is not None:
        raise ValidationFailed({"tranche": _("This tranche was already disbursed.")})
    if on is None or on > local_today():
        raise ValidationFailed({"disbursed_on": _("Enter the day the money was paid (not in the future).")})
    amount = tranche.amount if amount is None else amount
    if not 0 < amount <= tranche.amount:
        raise ValidationFailed({"disbursed_amount": _("Enter an amount up to the tranche's %(amount)s.",
                                                      amount=money(tranche.amount))})
    tranche.disbursed_on, tranche.disbursed_amount, tranche.disbursed_by_id = on, amount, user_id
    db.session.flush()
    return tranche


def get_tranche(tranche_id: int) -> GrantTranche | None:
    return db.session.get(GrantTranche, tranche_id)


def submit_report(award: GrantAward, *, kind: str, text: str, spent: int | None, files=()) -> GrantReport:
    """A report from the grantee (private link)."""
    errors = {}
    if kind not in ("narrative", "financial", "final"):
        errors["kind"] = _("Choose the kind of report.")
    if not (text or "").strip():
        errors["text"] = _("Write what was done and what it achieved.")
    elif len(text) > 20000:
        errors["text"] = str(too_long(20000))
    if kind in ("financial", "final") and spent is None:
        errors["spent"] = _("Enter the amount spent.")
    if award.status == "completed":
        errors["kind"] = _("The grant is completed: its final report was accepted.")
    if errors:
        raise ValidationFailed(errors)
    report = GrantReport(award_id=award.id, kind=kind, text=text.strip(), spent=spent, status="submitted")
    db.session.add(report)
    db.session.flush()
    for filename, stream in files:
        add_attachment(award.application, filename, stream, report=report)
    db.session.refresh(report)
    return report


def get_report(report_id: int) -> GrantReport | None:
    return db.session.get(GrantReport, report_id)


def review_report(report: GrantReport, *, decision: str, comment: str | None, user_id: int | None) -> GrantReport:
    if report.status != "submitted":
        raise ValidationFailed({"decision": _("This report was already reviewed.")})
    if decision not in ("accepted", "returned"):
        raise ValidationFailed({"decision": _("Accept the report or return it with comments.")})
    if decision == "returned" and not (comment or "").strip():
        raise ValidationFailed({"comment": _("Say what the grantee must complete or correct.")})
    report.status, report.review_comment = decision, (comment or "").strip() or None
    report.reviewed_at, report.reviewed_by_id = utcnow(), user_id
    if decision == "accepted" and report.kind == "final":
        award = db.session.get(GrantAward, report.award_id)
        award.status, award.results = "completed", report.text
    db.session.flush()
    return report


def progress(award: GrantAward) -> dict:
    """Where a grant stands: paid out of the amount, reports accepted, completed or not."""
    accepted = [r for r in award.reports if r.status == "accepted"]
    return {"disbursed": award.disbursed, "amount": award.amount,
            "percent": round(100 * award.disbursed / award.amount) if award.amount else 0,
            "reports_accepted": len(accepted), "reports": len(award.reports),
            "completed": award.status == "completed"}


def grants_for_activities(activity_ids) -> dict[int, list[GrantAward]]:
    """Awards funding each plan activity (the activity's monitoring shows their progress)."""
    ids = list(activity_ids)
    if not ids:
        return {}
    rows = db.session.execute(select(GrantAward).join(GrantApplication, GrantAward.application_id == GrantApplication.id)
                              .where(GrantApplication.activity_id.in_(ids))).scalars()
    out: dict[int, list[GrantAward]] = {}
    for award in rows:
        out.setdefault(award.application.activity_id, []).append(award)
    return out


def activity_label(activity_id: int | None) -> str:
    from ..plans.models import PlanActivity

    activity = db.session.get(PlanActivity, activity_id) if activity_id else None
    return activity.description if activity else ""


def activity_choices(call: GrantCall | None = None) -> list:
    """Activities of the plans (the call's own, when it names some)."""
    from ..plans.models import PlanActivity

    query = select(PlanActivity).order_by(PlanActivity.id.desc())
    if call is not None and call.activity_ids:
        query = query.where(PlanActivity.id.in_(call.activity_ids))
    seen, out = set(), []
    for activity in db.session.execute(query.limit(200)).scalars():
        if activity.description not in seen:
            seen.add(activity.description)
            out.append(activity)
    return out


def public_register() -> list[dict]:
    """Every award: organisation, amount, purpose, activity, results; what the public page and open data show."""
    rows = []
    for award in list_awards():
        application = award.application
        rows.append({"id": award.id, "call": application.call.title, "organisation": application.organisation,
                     "nipt": application.nipt, "project": application.project_title,
                     "purpose": application.summary, "activity": activity_label(application.activity_id),
                     "amount": award.amount, "disbursed": award.disbursed, "signed_on": award.signed_on,
                     "status": award.status, "results": award.results, "updated_at": award.updated_at})
    return rows
