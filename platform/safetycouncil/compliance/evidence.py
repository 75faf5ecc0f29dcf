"""Evidence as the reader sees it: a message in their language, and links, built at display time
from the plain facts the engine stored (so a snapshot reads in Albanian or English alike)."""
from __future__ import annotations

from datetime import date, datetime

from flask import url_for
from flask_babel import format_date, format_datetime, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..council.services import category_label, seat_label
from ..unified_model import SEAT_INSTITUTION

VERDICT_LABELS = {"pass": _l("Complies"), "fail": _l("Does not comply"), "not_yet_due": _l("Not yet due")}
# a council as a whole (engine.CouncilResult.status)
COUNCIL_STATUS_LABELS = {"complies": _l("Complies with every rule"), "on_track": _l("On track: nothing missed so far"),
                         "at_risk": _l("At risk before the year ends"), "fails": _l("Missed at least one obligation")}
PLAN_FIELDS = {"intensity": _l("intensity"), "activities": _l("activities"),
               "institutions": _l("responsible institutions"), "deadline": _l("a deadline"),
               "indicator": _l("a measurable indicator")}
RELEASE_FIELDS = {"time_and_place": _l("the time of the meeting"), "participation": _l("who took part"),
                  "agenda_summary": _l("the agenda items"), "discussion_essence": _l("the essence of the discussion")}


def verdict_label(status: str) -> str:
    return str(VERDICT_LABELS.get(status, status))


def council_status_label(status: str) -> str:
    return str(COUNCIL_STATUS_LABELS.get(status, status))


def headline_sentence(evaluation) -> str:
    """The four kinds of council in one sentence: complying is never mixed with "nothing due yet"."""
    text = _("%(ok)d comply with every rule, %(track)d are on track (nothing missed so far), %(risk)d are at "
             "risk before the year ends and %(fail)d have missed at least one obligation.",
             ok=evaluation.complying, track=evaluation.on_track, risk=evaluation.at_risk, fail=evaluation.failing)
    if not evaluation.complete:
        text += " " + _("The year is not over: figures so far, judged on %(day)s.", day=format_date(evaluation.as_of))
    return text


def _d(value) -> str:
    if not value:
        return "—"
    try:
        return format_date(date.fromisoformat(str(value)[:10]))
    except ValueError:
        return str(value)


RECORD_PARTS = {"minutes": _l("the minutes"), "participants": _l("the list of participants"),
                "quorum": _l("the quorum of members present"), "audio": _l("the audio recording"),
                "consensus": _l("decisions adopted by consensus"), "signature": _l("the chair's signature"),
                "distribution": _l("a copy of each decision sent to every member")}
INSTITUTION_KINDS = {"municipality": _l("the municipality"), "police": _l("the State Police"),
                     "prosecution": _l("the prosecution office")}


def _dt(value) -> str:
    if not value:
        return "—"
    try:
        return format_datetime(datetime.fromisoformat(str(value)), "short")
    except ValueError:
        return str(value)


def _period_line(item: dict, meeting: str, period: str) -> str | None:
    """A dated obligation of a rule (``periods.Due.as_evidence``): met, late, missing or pending."""
    kind, rule = item.get("kind"), item.get("rule")
    state = kind.removeprefix("period_")
    due = _d(item.get("due"))
    if rule == "established" or item.get("party"):
        return _rules_a_line(item, state, due)
    if rule == "invitation-notice":
        if state in ("met", "late"):
            text = (_("%(meeting)s: invitation with the agenda and materials sent to every member on %(sent)s, "
                      "deadline %(deadline)s: on time.", meeting=meeting, sent=_d(item.get("sent")),
                      deadline=_d(item.get("deadline"))) if state == "met" else
                    _("%(meeting)s: invitation sent on %(sent)s, deadline %(deadline)s: %(days)d working day(s) "
                      "late.", meeting=meeting, sent=_d(item.get("sent")), deadline=_d(item.get("deadline")),
                      days=item.get("days_late", 0)))
            if item.get("recorded_outside"):
                text += " " + _("Recorded as sent outside the platform, without a list of who received it.")
            if item.get("entered_after_the_fact"):
                text += " " + _("The meeting was entered in the platform after it took place.")
            return text
        reasons = []
        if item.get("no_agenda"):
            reasons.append(_("there is no agenda"))
        if item.get("no_materials"):
            reasons.append(_("no materials are attached to the agenda"))
        if item.get("not_sent"):
            reasons.append(_("no invitation was sent"))
        if item.get("not_sent_to"):
            reasons.append(_("not sent to %(n)d member(s): %(names)s", n=item.get("not_sent_count", 0),
                             names=", ".join(item["not_sent_to"])))
        if state == "pending":
            return _("%(meeting)s: the invitation with the agenda and materials is due by %(deadline)s.",
                     meeting=meeting, deadline=_d(item.get("deadline")))
        return _("%(meeting)s: deadline %(deadline)s: %(reasons)s.", meeting=meeting,
                 deadline=_d(item.get("deadline")), reasons="; ".join(reasons) or _("not sent"))
    if rule == "press-release":
        if state == "met":
            return _("%(meeting)s: press release published %(h)s hours after the meeting.", meeting=meeting,
                     h=format_decimal(item.get("hours")))
        if state == "late":
            return _("%(meeting)s: press release published %(h)s hours after the meeting (limit %(limit)d).",
                     meeting=meeting, h=format_decimal(item.get("hours")), limit=item.get("limit", 0))
        if state == "pending":
            return _("%(meeting)s: the press release is due by %(due)s.", meeting=meeting, due=_dt(item.get("due")))
        if item.get("missing"):
            return _("%(meeting)s: the press release does not say %(missing)s.", meeting=meeting, missing=", ".join(
                str(RELEASE_FIELDS.get(f, f)) for f in item["missing"]))
        return _("%(meeting)s: no press release was published.", meeting=meeting)
    if rule == "records":
        if state == "met":
            return _("%(meeting)s: minutes, participants (%(p)d of %(m)d members), the audio recording and "
                     "%(n)d decision(s) signed and distributed.", meeting=meeting, p=item.get("present", 0),
                     m=item.get("members", 0), n=item.get("decisions", 0))
        if state == "late":
            return _("%(meeting)s: records completed after their due date, %(due)s.", meeting=meeting, due=due)
        missing = ", ".join(str(RECORD_PARTS.get(f, f)) for f in item.get("missing", []))
        if state == "pending":
            return _("%(meeting)s: due by %(due)s: %(missing)s.", meeting=meeting, due=due, missing=missing)
        return _("%(meeting)s: missing after %(due)s: %(missing)s.", meeting=meeting, due=due, missing=missing)
    if rule == "open-consultations":
        if state == "met":
            return _("Open consultation %(meeting)s (period %(period)s).", meeting=meeting, period=period)
        if state == "pending":
            return _("The period %(period)s has not ended yet.", period=period)
        return _("No open consultation meeting in %(period)s.", period=period)
    if rule == "monthly-monitoring":
        if state == "met":
            return _("%(period)s: the Coordination Secretariat met (%(meeting)s).", period=period, meeting=meeting)
        if state == "pending":
            return _("The period %(period)s has not ended yet.", period=period)
        return _("No Coordination Secretariat monitoring meeting in %(period)s.", period=period)
    if rule == "monitoring-report":
        if state == "met":
            return _("Monitoring report for %(period)s approved on %(date)s.", period=period, date=_d(item.get("date")))
        if state == "late":
            return _("Monitoring report for %(period)s approved on %(date)s, after its due date %(due)s.",
                     period=period, date=_d(item.get("date")), due=due)
        if state == "pending":
            return _("The monitoring report for %(period)s is due by %(due)s.", period=period, due=due)
        return _("No approved monitoring report for %(period)s (due %(due)s).", period=period, due=due)
    if rule in ("plan-approved", "plan-complete", "plan-published"):
        year = item.get("year") or (item.get("date") or "")[:4]
        if item.get("no_plan"):
            return (_("No plan for %(year)s has been approved yet; it is due by %(due)s.", year=year, due=due)
                    if state == "pending" else _("No plan for %(year)s was approved by %(due)s.", year=year, due=due))
        if rule == "plan-published":
            if state == "met":
                return _("Plan approved on %(date)s, published on the official website on %(published)s.",
                         date=_d(item.get("date")), published=_d(item.get("published")))
            if state == "late":
                return _("Plan approved on %(date)s, published on %(published)s, after its due date %(due)s.",
                         date=_d(item.get("date")), published=_d(item.get("published")), due=due)
            if state == "pending":
                return _("The plan approved on %(date)s is to be published on the official website by %(due)s.",
                         date=_d(item.get("date")), due=due)
            return _("The plan approved on %(date)s was not recorded as published on the official website by "
                     "%(due)s.", date=_d(item.get("date")), due=due)
        if state == "met":
            return _("Plan version %(v)s approved on %(date)s at a council meeting.", v=item.get("version"),
                     date=_d(item.get("date")))
        if state == "late":
            return _("Plan version %(v)s approved on %(date)s at a council meeting, after its due date %(due)s.",
                     v=item.get("version"), date=_d(item.get("date")), due=due)
        if item.get("without_meeting"):
            return _("Plan version %(v)s approved on %(date)s, but not at a council meeting.", v=item.get("version"),
                     date=_d(item.get("date")))
        if item.get("draft"):
            return _("The plan for %(year)s is still a draft (due %(due)s).", year=year, due=due)
        return _("The plan for %(year)s is due by %(due)s.", year=year, due=due)
    if rule == "plan-reviewed":
        c = _d(item.get("consultation_date"))
        if state == "met":
            return _("Open consultation of %(date)s: the plan was reviewed at the council meeting of %(review)s.",
                     date=c, review=_d(item.get("review_date")))
        if state == "late":
            return _("Open consultation of %(date)s: the plan was reviewed only at the council meeting of "
                     "%(review)s, not at the next one (%(next)s).", date=c, review=_d(item.get("review_date")),
                     next=_d(item.get("next_date")))
        if state == "pending":
            return _("Open consultation of %(date)s: the plan is to be reviewed at the next council meeting "
                     "(by %(due)s).", date=c, due=due)
        if item.get("next_date"):
            return _("Open consultation of %(date)s: the next council meeting, on %(review)s, did not review the "
                     "plan.", date=c, review=_d(item.get("next_date")))
        return _("Open consultation of %(date)s: no council meeting reviewed the plan by %(due)s.", date=c, due=due)
    if rule == "council-informed":
        if state in ("met", "late"):
            return _("The Municipal Council was informed at its session of %(date)s (no. %(n)s).",
                     date=_d(item.get("date")), n=item.get("number") or "—")
        if state == "pending":
            return _("The Municipal Council is to be informed by %(due)s.", due=due)
        return _("The Municipal Council was not informed in %(year)s.", year=item.get("year"))
    if rule == "meetings-per-year":
        return _("%(n)d council meeting(s) held in %(year)s; at least %(r)d required.", n=item.get("count", 0),
                 year=item.get("year"), r=item.get("required", 0))
    if rule in ("composition", "chair", "coordination-secretariat", "technical-secretariat"):
        if item.get("category"):
            label = _("Category (%(c)s) %(label)s", c=item["category"], label=category_label(item["category"]))
        else:
            label = seat_label(item.get("seat", ""))
        if item.get("name") and state == "pending":
            return _("%(label)s: the mandate of %(name)s ends on %(date)s; nobody follows yet.", label=label,
                     name=item["name"], date=_d(item.get("date")))
        return _("%(label)s: empty from %(start)s.", label=label, start=_d(item.get("period_start")))
    if rule in ACT_RULES:
        return _act_line(item, meeting, state, due)
    return None


# Art. 7.5, 9.5, 9.4 and the attendance the texts require (Art. 8.1, 8.5, 9.6, 10.2)
ACT_RULES = ("agenda-approved", "public-meetings-agreed", "secretariat-reports", "required-attendance")
HEAD_NAMES = {"municipality": _l("the Mayor"), "police": _l("the head of the police"),
              "prosecution": _l("the head of the prosecution office")}
REQUIRED_PLACES = {"a": _l("the Mayor"), "c": _l("the head of the police"), "d": _l("the head of the prosecution "
                                                                                     "office"),
                   "secretariat_municipality": _l("the Coordination Secretariat's municipality seat"),
                   "secretariat_police": _l("the Coordination Secretariat's police seat"),
                   "secretariat_prosecution": _l("the Coordination Secretariat's prosecution seat"),
                   "technical_secretariat": _l("the Technical Secretariat")}


def _act_line(item: dict, meeting: str, state: str, due: str) -> str:
    rule = item.get("rule")
    if rule == "agenda-approved":
        if state == "met":
            return _("%(meeting)s: agenda approved by the chair (%(who)s) on %(date)s, by the invitation deadline "
                     "%(deadline)s.", meeting=meeting, who=item.get("approved_by") or "—",
                     date=_d(item.get("approved")), deadline=_d(item.get("deadline")))
        if state == "late":
            return _("%(meeting)s: agenda approved by the chair on %(date)s, after the invitation deadline "
                     "%(deadline)s.", meeting=meeting, date=_d(item.get("approved")), deadline=_d(item.get("deadline")))
        if state == "pending":
            return _("%(meeting)s: the chair is to approve the agenda by %(deadline)s.", meeting=meeting,
                     deadline=_d(item.get("deadline")))
        if item.get("no_agenda"):
            return _("%(meeting)s: there is no agenda for the chair to approve (deadline %(deadline)s).",
                     meeting=meeting, deadline=_d(item.get("deadline")))
        return _("%(meeting)s: the agenda was not approved by the chair by %(deadline)s.", meeting=meeting,
                 deadline=_d(item.get("deadline")))
    if rule == "public-meetings-agreed":
        if state == "met":
            return _("%(meeting)s: agenda and date agreed by the Coordination Secretariat on %(date)s.",
                     meeting=meeting, date=_d(item.get("agreed")))
        if state == "late":
            return _("%(meeting)s: agreed by the Coordination Secretariat only on %(date)s, not beforehand.",
                     meeting=meeting, date=_d(item.get("agreed")))
        if state == "pending":
            return _("%(meeting)s: the Coordination Secretariat is to agree its agenda and date by %(due)s.",
                     meeting=meeting, due=due)
        return _("%(meeting)s: the Coordination Secretariat did not agree its agenda and date beforehand.",
                 meeting=meeting)
    if rule == "secretariat-reports" and item.get("findings"):
        return _findings_line(item, meeting, state, due)
    if rule == "secretariat-reports":
        if state == "met":
            return _("%(meeting)s: report with the findings sent to the three heads on %(date)s.", meeting=meeting,
                     date=_d(item.get("sent")))
        if state == "late":
            return _("%(meeting)s: report sent to the heads on %(date)s, after its due date %(due)s.",
                     meeting=meeting, date=_d(item.get("sent")), due=due)
        reasons = []
        if item.get("not_sent"):
            reasons.append(_("no report to the heads is recorded"))
        if item.get("not_sent_to"):
            reasons.append(_("not sent to %(heads)s", heads=", ".join(str(HEAD_NAMES.get(h, h))
                                                                       for h in item["not_sent_to"])))
        if item.get("no_findings"):
            reasons.append(_("the findings are missing"))
        if state == "pending":
            return _("%(meeting)s: the report to the heads is due by %(due)s.", meeting=meeting, due=due)
        return _("%(meeting)s: due %(due)s: %(reasons)s.", meeting=meeting, due=due, reasons="; ".join(reasons))
    if rule == "required-attendance":
        who = (_("the heads of the municipality, the police and the prosecution") if item.get("group") == "heads"
               else _("the Coordination Secretariat and the Technical Secretariat"))
        if state in ("met", "late"):
            return _("%(meeting)s: %(who)s were present.", meeting=meeting, who=who)
        absent = list(item.get("missing") or []) + [str(REQUIRED_PLACES.get(v, v)) + " " + _("(nobody holds it)")
                                                    for v in item.get("vacant") or []]
        if state == "pending":
            return _("%(meeting)s: the attendance of %(who)s is checked on %(due)s; not present so far: "
                     "%(absent)s.", meeting=meeting, who=who, due=due, absent=", ".join(absent))
        return _("%(meeting)s: not present: %(absent)s.", meeting=meeting, absent=", ".join(absent))
    return None


def _findings_line(item: dict, meeting: str, state: str, due: str) -> str:
    """Art. 9.4, second half: the heads present the findings of the report at the first regular council
    meeting held after it was sent."""
    council = _("the council meeting of %(date)s", date=_d(item.get("council_meeting_date")))
    if state in ("met", "late"):
        who = str(HEAD_NAMES.get(item.get("presented_by"), item.get("presented_by") or "—"))
        if state == "met":
            return _("%(meeting)s: the findings of the report were presented by %(who)s on %(date)s.",
                     meeting=meeting, who=who, date=_d(item.get("presented_on")))
        return _("%(meeting)s: the findings of the report were presented by %(who)s only on %(date)s, after "
                 "%(council)s.", meeting=meeting, who=who, date=_d(item.get("presented_on")), council=council)
    if state == "pending":
        return _("%(meeting)s: the heads are to present the findings of the report at %(council)s.",
                 meeting=meeting, council=council)
    return _("%(meeting)s: the findings of the report sent on %(sent)s were not presented at %(council)s.",
             meeting=meeting, sent=_d(item.get("sent")), council=council)


def _rules_a_line(item: dict, state: str, due: str) -> str:
    """Art. 13 (the regulation published on the official website) and Art. 4.1.e (a Municipal Council
    member of each party represented in it)."""
    if item.get("party"):
        if state == "pending" and item.get("name"):
            return _("Category (e), %(party)s: the mandate of %(name)s ends on %(date)s; nobody follows yet.",
                     party=item["party"], name=item["name"], date=_d(item.get("date")))
        return _("Category (e): no Municipal Council member of %(party)s, a party represented in the Municipal "
                 "Council, from %(start)s.", party=item["party"], start=_d(item.get("period_start")))
    decision = _("decision no. %(n)s of %(date)s", n=item.get("number") or "—", date=_d(item.get("date")))
    if state == "met":
        return _("Art. 13: the regulation (%(decision)s) was published on the official website on %(published)s.",
                 decision=decision, published=_d(item.get("published")))
    if state == "late":
        return _("Art. 13: the regulation (%(decision)s) was published on the official website on %(published)s, "
                 "after its due date %(due)s.", decision=decision, published=_d(item.get("published")), due=due)
    if state == "pending":
        return _("Art. 13: the regulation (%(decision)s) is to be published on the official website by %(due)s.",
                 decision=decision, due=due)
    return _("Art. 13: the regulation (%(decision)s) was not recorded as published on the municipality's official "
             "website by %(due)s: the day and the address of the publication are missing.", decision=decision,
             due=due)


def describe(item: dict) -> str:
    """One line of evidence in the reader's language."""
    k = item.get("kind")
    meeting = _("“%(title)s” of %(date)s", title=item.get("title", ""), date=_d(item.get("date")))
    period = _("%(start)s – %(end)s", start=_d(item.get("period_start")), end=_d(item.get("period_end")))
    messages = {
        "no_establishment": lambda: _("No Municipal Council decision establishing the council is recorded."),
        "established_later": lambda: _("Established by decision no. %(n)s of %(date)s, after the period.",
                                       n=item["number"], date=_d(item["date"])),
        "establishment": lambda: _("Established by Municipal Council decision no. %(n)s of %(date)s.",
                                   n=item["number"], date=_d(item["date"])) + (
            " " + _("Regulation adopted on %(date)s.", date=_d(item["regulation"])) if item.get("regulation") else "") + (
            " " + _("It is the decision in force of the %(n)d recorded.", n=item["decisions"]) if item.get("decisions", 1) > 1
            else ""),
        "party_gap": lambda: _("Category (e): no Municipal Council member of %(party)s (represented in the Municipal "
                               "Council) from %(start)s to %(end)s.", party=item["party"], start=_d(item["from"]),
                               end=_d(item["to"])),
        "parties_not_recorded": lambda: _("Category (e): the political parties represented in the Municipal Council "
                                          "are not recorded, so only one councillor could be checked, not one of "
                                          "each party."),
        "category_empty": lambda: (_("Category (%(c)s) %(label)s has no active member on %(date)s (always required).",
                                     c=item["category"], label=category_label(item["category"]), date=_d(item["date"]))
                                   if item.get("always") else
                                   _("Category (%(c)s) %(label)s has no active member on %(date)s.",
                                     c=item["category"], label=category_label(item["category"]),
                                     date=_d(item["date"]))),
        "category_gap": lambda: (_("Category (%(c)s) %(label)s had no active member from %(start)s to %(end)s "
                                   "(always required).", c=item["category"], label=category_label(item["category"]),
                                   start=_d(item["from"]), end=_d(item["to"])) if item.get("always") else
                                 _("Category (%(c)s) %(label)s had no active member from %(start)s to %(end)s.",
                                   c=item["category"], label=category_label(item["category"]),
                                   start=_d(item["from"]), end=_d(item["to"]))),
        "seat_gap": lambda: _("%(seat)s: vacant from %(start)s to %(end)s.", seat=seat_label(item["seat"]),
                              start=_d(item["from"]), end=_d(item["to"])),
        "seat_wrong_institution": lambda: _("%(seat)s: held by %(name)s from %(start)s to %(end)s, who does not "
                                            "come from %(institution)s.", seat=seat_label(item["seat"]),
                                            name=item.get("name") or "—", start=_d(item["from"]), end=_d(item["to"]),
                                            institution=INSTITUTION_KINDS.get(
                                                SEAT_INSTITUTION.get(item["seat"], ""), "—")),
        "at_risk_meetings": lambda: _("At risk: %(m)d council meeting(s) still missing, %(p)d planned, %(d)d days "
                                      "left in the year.", m=item["missing"], p=item["planned"], d=item["days_left"]),
        "council_session": lambda: _("Municipal Council session of %(date)s (no. %(n)s): %(report)s.",
                                     date=_d(item["date"]), n=item.get("number") or "—", report=item.get("report") or ""),
        "composition_complete": lambda: _("Every mandatory category has an active member (%(n)d members on %(date)s).",
                                          n=item["members"], date=_d(item["date"])),
        "seat_vacant": lambda: _("%(seat)s: vacant on %(date)s.", seat=seat_label(item["seat"]),
                                 date=_d(item["date"])),
        "seat_holder": lambda: _("%(seat)s: %(name)s, since %(date)s.", seat=seat_label(item["seat"]),
                                 name=item.get("name") or "—", date=_d(item.get("since"))),
        "seat_shared": lambda: _("%(name)s holds both %(seat)s and %(other)s.", name=item.get("name") or "—",
                                 seat=seat_label(item["seat"]), other=seat_label(item["other_seat"])),
        "chair_not_mayor": lambda: _("The chair is %(name)s, of category (%(c)s), not the Mayor.",
                                     name=item.get("name") or "—", c=item.get("category") or "?"),
        "no_meetings_held": lambda: _("No council meeting was held in %(year)d.", year=item["year"]),
        "meetings_held": lambda: _("%(n)d council meeting(s) held in %(year)d; at least %(r)d required.",
                                   n=item["count"], year=item["year"], r=item["required"]),
        "meeting_held": lambda: _("Held: %(meeting)s.", meeting=meeting),
        "meeting_planned": lambda: _("Planned: %(meeting)s.", meeting=meeting),
        "no_agenda": lambda: _("%(meeting)s: the invitation had no agenda.", meeting=meeting),
        "invitation_not_sent": lambda: _("%(meeting)s: no invitation was recorded as sent (deadline %(deadline)s).",
                                         meeting=meeting, deadline=_d(item["deadline"])),
        "invitation_late": lambda: _("%(meeting)s: invitation sent on %(sent)s, deadline %(deadline)s: "
                                     "%(days)d working day(s) late.", meeting=meeting, sent=_d(item["sent"]),
                                     deadline=_d(item["deadline"]), days=item["days_late"]),
        "invitation_on_time": lambda: _("%(meeting)s: invitation sent on %(sent)s, deadline %(deadline)s: on time.",
                                        meeting=meeting, sent=_d(item["sent"]), deadline=_d(item["deadline"])),
        "minutes_missing": lambda: _("%(meeting)s: no minutes.", meeting=meeting),
        "participants_missing": lambda: _("%(meeting)s: no list of participants.", meeting=meeting),
        "decision_unsigned": lambda: _("%(meeting)s: decision no. %(n)s is not signed by the chair.",
                                       meeting=meeting, n=item["number"]),
        "records_complete": lambda: _("%(meeting)s: minutes, participants and %(n)d signed decision(s).",
                                      meeting=meeting, n=item["decisions"]),
        "press_release_missing": lambda: _("%(meeting)s: no press release was published.", meeting=meeting),
        "press_release_incomplete": lambda: _("%(meeting)s: the press release does not say %(missing)s.",
                                              meeting=meeting, missing=", ".join(
                                                  str(RELEASE_FIELDS.get(f, f)) for f in item["missing"])),
        "press_release_late": lambda: _("%(meeting)s: press release published %(h)s hours after the meeting "
                                        "(limit %(limit)d).", meeting=meeting, h=format_decimal(item["hours"]), limit=item["limit"]),
        "press_release_on_time": lambda: _("%(meeting)s: press release published %(h)s hours after the meeting.",
                                           meeting=meeting, h=format_decimal(item["hours"])),
        "consultation_held": lambda: _("Open consultation %(meeting)s (period %(period)s).", meeting=meeting,
                                       period=period),
        "consultation_missing": lambda: _("No open consultation meeting in %(period)s.", period=period),
        "period_not_ended": lambda: _("The period %(period)s has not ended yet.", period=period),
        "plan_approved": lambda: _("Plan version %(v)s approved on %(date)s at a council meeting.",
                                   v=item["version"], date=_d(item["date"])),
        "plan_approved_without_meeting": lambda: _("Plan version %(v)s approved on %(date)s, but not at a council "
                                                   "meeting.", v=item["version"], date=_d(item["date"])),
        "plan_draft": lambda: _("The plan for %(year)d is still a draft.", year=item["year"]),
        "plan_missing": lambda: _("There is no plan for %(year)d.", year=item["year"]),
        "no_approved_plan": lambda: _("No plan for %(year)d has been approved.", year=item["year"]),
        "plan_empty": lambda: _("The approved plan (version %(v)s) has no items.", v=item["version"]),
        "item_incomplete": lambda: _("Item %(n)s (“%(issue)s”) lacks %(missing)s.", n=item["item"],
                                     issue=item.get("issue", ""), missing=", ".join(
                                         str(PLAN_FIELDS.get(f, f)) for f in item["missing"])),
        "plan_items_complete": lambda: _("All %(n)d items of version %(v)s are complete.", n=item["items"],
                                         v=item["version"]),
        "no_consultations": lambda: _("No open consultation was held yet in %(year)d: nothing to review.",
                                      year=item["year"]),
        "review_pending": lambda: _("Open consultation of %(date)s: no council meeting has followed yet.",
                                    date=_d(item["consultation_date"])),
        "plan_reviewed": lambda: _("Open consultation of %(date)s: the plan was reviewed at the council meeting of "
                                   "%(review)s (version %(v)s).", date=_d(item["consultation_date"]),
                                   review=_d(item["review_date"]), v=item["version"]),
        "plan_not_reviewed": lambda: _("Open consultation of %(date)s: the next council meeting, on %(review)s, did "
                                       "not review the plan.", date=_d(item["consultation_date"]),
                                       review=_d(item["review_date"])),
        "no_plan_in_force": lambda: _("No plan was in force in %(year)d.", year=item["year"]),
        "monitoring_held": lambda: _("%(n)d monitoring meeting(s) held; the plan has been in force since %(date)s.",
                                     n=item["count"], date=_d(item["since"])),
        "monitoring_missing": lambda: _("No Coordination Secretariat monitoring meeting in %(period)s.",
                                        period=period),
        "report_approved": lambda: _("Monitoring report for %(period)s approved on %(date)s.", period=period,
                                     date=_d(item.get("date"))),
        "report_missing": lambda: _("No approved monitoring report for %(period)s.", period=period),
        "plan_public": lambda: _("Plan version %(v)s, approved on %(date)s, is on the council's public page.",
                                 v=item["version"], date=_d(item["date"])),
        "council_informed": lambda: _("Report to the Municipal Council approved on %(date)s.", date=_d(item["date"])),
        "council_not_informed": lambda: _("The Municipal Council was not informed in %(year)d.", year=item["year"]),
        "no_public_meetings": lambda: _("No open consultation was planned or held in %(year)d.", year=item["year"]),
        "no_secretariat_meetings": lambda: _("No Coordination Secretariat meeting was held in %(year)d.",
                                             year=item["year"]),
    }
    make = messages.get(k)
    if make:
        return make()
    if k and k.startswith("period_"):
        line = _period_line(item, meeting, period)
        if line:
            return line
    return str(k)


def links(item: dict, slug: str) -> list[tuple[str, str]]:
    """(label, url) pairs for the records the evidence names, in the municipality's pages."""
    out = []
    if item.get("meeting_id"):
        out.append((_("Meeting"), url_for("meetings.detail", municipality=slug, meeting_id=item["meeting_id"])))
    if item.get("review_meeting_id") or item.get("next_meeting_id"):
        item = {**item, "review_meeting_id": item.get("review_meeting_id") or item.get("next_meeting_id")}
    if item.get("review_meeting_id"):
        out.append((_("Council meeting"), url_for("meetings.detail", municipality=slug,
                                                  meeting_id=item["review_meeting_id"])))
    if item.get("kind") == "establishment" or item.get("rule") == "established":
        out.append((_("Establishment decisions"), url_for("council.establishments", municipality=slug)))
    if item.get("plan_id"):
        out.append((_("Plan"), url_for("plans.plan", municipality=slug, plan_id=item["plan_id"])))
    if item.get("public"):
        out.append((_("Public page"), url_for("plans.public_plan", municipality=slug)))
    if item.get("kind") in ("category_empty", "composition_complete", "seat_vacant", "seat_holder",
                            "chair_not_mayor", "seat_shared", "no_establishment", "establishment", "category_gap",
                            "seat_gap", "seat_wrong_institution", "party_gap", "parties_not_recorded"):
        out.append((_("Council"), url_for("council.index", municipality=slug)))
    return out


def plain(items: list[dict]) -> str:
    return " ".join(describe(i) for i in items)


__all__ = ["describe", "links", "plain", "verdict_label", "datetime"]
