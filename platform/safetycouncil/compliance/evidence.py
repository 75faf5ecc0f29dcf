"""Evidence as the reader sees it: a message in their language, and links, built at display time
from the plain facts the engine stored (so a snapshot reads in Albanian or English alike)."""
from __future__ import annotations

from datetime import date, datetime

from flask import url_for
from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..council.services import category_label, seat_label

VERDICT_LABELS = {"pass": _l("Complies"), "fail": _l("Does not comply"), "not_yet_due": _l("Not yet due")}
PLAN_FIELDS = {"intensity": _l("intensity"), "activities": _l("activities"),
               "institutions": _l("responsible institutions"), "deadline": _l("a deadline"),
               "indicator": _l("a measurable indicator")}
RELEASE_FIELDS = {"time_and_place": _l("the time of the meeting"), "participation": _l("who took part"),
                  "agenda_summary": _l("the agenda items"), "discussion_essence": _l("the essence of the discussion")}


def verdict_label(status: str) -> str:
    return str(VERDICT_LABELS.get(status, status))


def _d(value) -> str:
    if not value:
        return "—"
    try:
        return format_date(date.fromisoformat(str(value)[:10]))
    except ValueError:
        return str(value)


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
            " " + _("Regulation adopted on %(date)s.", date=_d(item["regulation"])) if item.get("regulation") else ""),
        "category_empty": lambda: (_("Category (%(c)s) %(label)s has no active member on %(date)s (always required).",
                                     c=item["category"], label=category_label(item["category"]), date=_d(item["date"]))
                                   if item.get("always") else
                                   _("Category (%(c)s) %(label)s has no active member on %(date)s.",
                                     c=item["category"], label=category_label(item["category"]),
                                     date=_d(item["date"]))),
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
    }
    make = messages.get(k)
    return make() if make else str(k)


def links(item: dict, slug: str) -> list[tuple[str, str]]:
    """(label, url) pairs for the records the evidence names, in the municipality's pages."""
    out = []
    if item.get("meeting_id"):
        out.append((_("Meeting"), url_for("meetings.detail", municipality=slug, meeting_id=item["meeting_id"])))
    if item.get("review_meeting_id"):
        out.append((_("Council meeting"), url_for("meetings.detail", municipality=slug,
                                                  meeting_id=item["review_meeting_id"])))
    if item.get("plan_id"):
        out.append((_("Plan"), url_for("plans.plan", municipality=slug, plan_id=item["plan_id"])))
    if item.get("public"):
        out.append((_("Public page"), url_for("plans.public_plan", municipality=slug)))
    if item.get("kind") in ("category_empty", "composition_complete", "seat_vacant", "seat_holder",
                            "chair_not_mayor", "seat_shared", "no_establishment", "establishment"):
        out.append((_("Council"), url_for("council.index", municipality=slug)))
    return out


def plain(items: list[dict]) -> str:
    return " ".join(describe(i) for i in items)


__all__ = ["describe", "links", "plain", "verdict_label", "datetime"]
