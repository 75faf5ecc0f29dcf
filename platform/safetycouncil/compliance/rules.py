"""The rules of the unified model ("What complies with the unified model means"), with their
default article and the default numbers of version 1. Labels are translated at display time."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

# (id, article, label)
RULES = (
    ("established", "Decision; Art. 13", _l("Council established by a Municipal Council decision")),
    ("composition", "Art. 4.1", _l("Every mandatory member category filled")),
    ("chair", "Art. 5.1", _l("The chair is the Mayor")),
    ("coordination-secretariat", "Art. 9.3", _l("Coordination Secretariat: municipality, police, prosecution")),
    ("technical-secretariat", "Art. 10.1", _l("Technical Secretariat appointed")),
    ("meetings-per-year", "Art. 7.2", _l("Council meetings held in the year")),
    ("invitation-notice", "Art. 7.4", _l("Invitations sent on time")),
    ("records", "Art. 7.8, 10.2", _l("Minutes, participants and signed decisions")),
    ("press-release", "Art. 11", _l("Press release within the deadline")),
    ("open-consultations", "Art. 8.5", _l("Open consultation in each half-year")),
    ("plan-approved", "Art. 6.7, 8.4", _l("Plan for the year approved at a council meeting")),
    ("plan-complete", "Art. 8.2-8.3", _l("Plan items complete")),
    ("plan-reviewed", "Art. 8.5", _l("Plan reviewed after each open consultation")),
    ("monthly-monitoring", "Art. 9.2", _l("Coordination Secretariat met every month")),
    ("monitoring-report", "Art. 8.6", _l("Monitoring report approved by the chair")),
    ("plan-published", "roadmap", _l("Approved plan published")),
    ("council-informed", "Art. 5.2.d", _l("Municipal Council informed")),
    ("agenda-approved", "Art. 7.5", _l("Council meeting agendas approved by the chair")),
    ("public-meetings-agreed", "Art. 9.5", _l("Public meetings agreed by the Coordination Secretariat beforehand")),
    ("secretariat-reports", "Art. 9.4", _l("Coordination Secretariat reported to the heads after each meeting")),
    ("required-attendance", "Art. 8.1, 8.5, 9.6, 10.2", _l("The attendance the regulation requires")),
)
RULE_IDS = tuple(r[0] for r in RULES)
RULE_LABELS = {r[0]: r[2] for r in RULES}
DEFAULT_ARTICLES = {r[0]: r[1] for r in RULES}

# Version 1 of the model (seeded by migration 0008 from 2020 on).
DEFAULT_PARAMETERS = {
    "council_meetings_per_year": 2,        # Art. 7.2
    "notice_working_days": 5,              # Art. 7.4
    "press_release_hours": 24,             # Art. 11
    "consultation_interval_months": 6,     # Art. 8.5: one in every period of this many months
    "monitoring_interval_months": 1,       # Art. 9.2: the Coordination Secretariat meets in every such period
    "monitoring_report_interval_months": 6,  # Art. 8.6
    "council_informed_per_year": 1,        # Art. 5.2.d
    "plan_approval_due_month": 3,          # Art. 6.7, 8.4: the year's plan approved by 31 March
    "plan_approval_due_day": 31,
    "plan_publication_days": 15,           # roadmap: published within this many days of approval
    "records_working_days": 10,            # Art. 10.2: minutes, participants, decisions signed and sent
    "report_due_days": 30,                 # Art. 8.6: the period's report approved within this many days
    "quorum_percent": 50,                  # Art. 7.7: share of the members present for a valid meeting
    "ad_hoc_meetings_count": 0,            # Art. 7.3: 1 = ad hoc meetings count towards Art. 7.2
    "grace_days": 0,                       # days the Ministry allows after each period's deadline
    "secretariat_report_working_days": 5,  # Art. 9.4: the report to the heads within this many working days
    "regulation_publication_days": 15,     # Art. 13: the regulation published on the official website
    "crime_statistics_publication_day": 15,  # Open Government: a month's crime statistics published by this
                                             # day of the following month
}
PARAMETER_LABELS = {
    "council_meetings_per_year": _l("Council meetings a year (at least)"),
    "notice_working_days": _l("Working days of notice for an invitation"),
    "press_release_hours": _l("Hours to publish the press release"),
    "consultation_interval_months": _l("An open consultation every ... months"),
    "monitoring_interval_months": _l("A Coordination Secretariat meeting every ... months"),
    "monitoring_report_interval_months": _l("A monitoring report every ... months"),
    "council_informed_per_year": _l("Reports to the Municipal Council a year (at least)"),
    "plan_approval_due_month": _l("The year's plan approved by: month"),
    "plan_approval_due_day": _l("The year's plan approved by: day"),
    "plan_publication_days": _l("Days to publish the plan after its approval"),
    "records_working_days": _l("Working days to complete a meeting's records"),
    "report_due_days": _l("Days after a period's end to approve its monitoring report"),
    "quorum_percent": _l("Members present for a valid meeting (per cent)"),
    "ad_hoc_meetings_count": _l("Ad hoc meetings count towards the meetings a year (1 yes, 0 no)"),
    "grace_days": _l("Days of grace after each period's deadline"),
    "secretariat_report_working_days": _l("Working days for the Coordination Secretariat to report to the heads "
                                          "after its meeting"),
    "regulation_publication_days": _l("Days to publish the regulation on the official website after the "
                                      "Municipal Council's decision"),
    "crime_statistics_publication_day": _l("A month's crime statistics published by this day of the following "
                                           "month"),
}
# How each rule is judged, for the model page (and README): what is checked, per which period, due when.
RULE_JUDGEMENT = {
    "established": _l("Checked every day: the Municipal Council decision in force (the latest of the recorded "
                      "decisions dated by that day: number and date) that established the council or re-adopted its "
                      "regulation. Art. 13: the regulation's publication on the municipality's official website "
                      "(day and address) is due the model's days after the decision (for a decision of an earlier "
                      "year, by the start of the year); the evidence names what is missing."),
    "composition": _l("Every day of the year so far: each mandatory category has an active member; the empty days "
                      "are named. Category (e) (Art. 4.1.e): a Municipal Council member of each political party "
                      "represented in the Municipal Council on that day (the parties recorded with their dates); "
                      "the parties without one are named. Until the parties are recorded, one councillor is "
                      "checked and the evidence says so."),
    "chair": _l("Every day of the year so far: the chair seat is held by the Mayor (category a)."),
    "coordination-secretariat": _l("Every day of the year so far: three different people hold the municipality's, "
                                   "the police's and the prosecution's seats, each from that institution."),
    "technical-secretariat": _l("Every day of the year so far: the seat is held by a municipal employee."),
    "meetings-per-year": _l("Judged at the end of 31 December; passed as soon as the required council meetings are "
                            "held; at risk when the rest of the year is unlikely to fit the missing ones. Ad hoc "
                            "meetings count only if the model says so."),
    "invitation-notice": _l("Each council meeting: due at the end of the 5th working day before it (holidays, "
                            "observed days and declared days off skipped); met when every member was sent the "
                            "invitation with the agenda and materials."),
    "records": _l("Each held council meeting: due the model's working days after it; minutes, participants with "
                  "the quorum, the audio recording, decisions by consensus, signed and sent to every member."),
    "press-release": _l("Each held council meeting: due exactly the model's hours after it ends; the release must "
                        "state the time, who took part, the agenda and the essence of the discussion."),
    "open-consultations": _l("Each half-year: due at the end of its last day; met by an open consultation held in it."),
    "plan-approved": _l("Due on the date the model sets (31 March): the year's plan approved at a council meeting."),
    "plan-complete": _l("The plan in force: every item with an intensity, activities, responsible institutions, a "
                        "deadline and a measurable indicator."),
    "plan-reviewed": _l("Each open consultation: due at the next council meeting after it, which approves a revision "
                        "or records a decision that reviewed the plan; a later meeting is late."),
    "monthly-monitoring": _l("Each month: due at the end of its last day; met by a Coordination Secretariat meeting "
                             "held in it."),
    "monitoring-report": _l("Each six-month period: due the model's days after it ends; met by a report approved by "
                            "the chair by then."),
    "plan-published": _l("Due the model's days after the plan's approval: its publication on the official website "
                         "(day and address) recorded."),
    "council-informed": _l("Judged at the end of 31 December; met by a session of the Municipal Council (date and "
                           "number) at which the chair reported; at risk in the year's last month."),
    "agenda-approved": _l("Each council meeting: due at the end of its invitation deadline (the 5th working day "
                          "before it); met when the chair approved its agenda by then (the day and who)."),
    "public-meetings-agreed": _l("Each open consultation: due at the end of the day before it; met when the "
                                 "Coordination Secretariat agreed its agenda and date by then."),
    "secretariat-reports": _l("Each Coordination Secretariat meeting held: due the model's working days after it; "
                              "met when its report, with the findings, was sent to the heads of the municipality, "
                              "the police and the prosecution by then. Each report sent: the heads present its "
                              "findings at the first regular council meeting held after it was sent (due at the end "
                              "of that meeting's day; nothing due while none has been held)."),
    "required-attendance": _l("Each meeting held, once its records are due: the heads of the municipality, the "
                              "police and the prosecution present at each open consultation; the Coordination "
                              "Secretariat and the Technical Secretariat present at each regular council meeting. The "
                              "evidence names who was missing."),
}
JUDGEMENT_NOTE = _l("Late is not on time: an obligation met after its due date fails its period, with how late. "
                    "A due date falls at the end of its day in Albanian time. A council complies when every rule "
                    "has passed; it is on track when nothing has been missed but something is still to come.")

DEFAULT_RULES = [{"id": rule_id, "article": article} for rule_id, article, _label in RULES]


def rule_label(rule_id: str) -> str:
    return str(RULE_LABELS.get(rule_id, rule_id))
