"""Each rule judged per period with its own due date, on the days around each deadline.

Each test quotes the article it reads. "On the due date" means any moment of that day in Albania
(a date passed as ``as_of`` is the end of that day); "the day after" is the first instant after it.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import delete, select, update

from safetycouncil.council.models import CouncilMember, CouncilSeat, MunicipalCouncilSession
from safetycouncil.meetings.models import AgendaMaterial, Attendance, Invitation, Meeting
from safetycouncil.plans.models import MonitoringReport, PlanVersion
from safetycouncil.records.models import Decision, PressRelease
from safetycouncil.timeutil import LOCAL_TIMEZONE
from tests import factories as make

from .support import YEAR, council_meeting, exemplary

NEXT_DAY = timedelta(microseconds=1)


def _at(day: date, hh=0, mm=0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=LOCAL_TIMEZONE)


def status(judge, slug, rule, when, year=YEAR):
    return judge(slug, year, as_of=when).verdicts[rule]


def test_plan_approved_by_the_ministry_date(app, in_tenant, judge):
    """Art. 6.7, 8.4 and the model: the year's plan approved at a council meeting by 31 March.
    Approved on 31 March is on time; not approved by then fails from 1 April; approved on 1 April is late."""
    with in_tenant("elbasan") as s:
        built = exemplary(s, "elb", skip=("plan",))
        v1 = built["versions"][0].id
        m1, d1 = built["meetings"][0].id, built["decisions"][0].id
    assert status(judge, "elbasan", "plan-approved", date(YEAR, 3, 31)).status == "not_yet_due"
    missed = status(judge, "elbasan", "plan-approved", date(YEAR, 4, 1))
    assert missed.status == "fail" and missed.evidence[0]["kind"] == "period_missing"
    with in_tenant("elbasan") as s:
        s.execute(update(PlanVersion).where(PlanVersion.id == v1).values(
            status="approved", approved_on=date(YEAR, 3, 31), approved_meeting_id=m1, approved_decision_id=d1))
    assert status(judge, "elbasan", "plan-approved", date(YEAR, 3, 31)).status == "pass"
    assert status(judge, "elbasan", "plan-approved", date(YEAR, 4, 1)).status == "pass"
    with in_tenant("elbasan") as s:
        s.execute(update(PlanVersion).where(PlanVersion.id == v1).values(approved_on=date(YEAR, 4, 1)))
    late = status(judge, "elbasan", "plan-approved", date(YEAR, 4, 2))
    assert late.status == "fail" and late.evidence[0]["kind"] == "period_late" and late.evidence[0]["days_late"] == 1


def test_the_coordination_secretariat_meets_every_month(app, in_tenant, judge):
    """Art. 9.2: "The Coordination Secretariat meets at least once a month". Every month counts,
    whenever the year's plan was approved; a month without a meeting fails on the 1st of the next."""
    with in_tenant("elbasan") as s:
        exemplary(s, "elb")
        s.execute(delete(Meeting).where(Meeting.kind == "secretariat_monitoring",
                                        Meeting.starts_at < datetime(YEAR, 2, 1)))
    assert status(judge, "elbasan", "monthly-monitoring", date(YEAR, 1, 31)).status == "not_yet_due"
    verdict = status(judge, "elbasan", "monthly-monitoring", date(YEAR, 2, 1))
    assert verdict.status == "fail"
    months = {e["period_start"]: e["kind"] for e in verdict.evidence}
    assert months[f"{YEAR}-01-01"] == "period_missing" and months[f"{YEAR}-02-01"] == "period_pending"
    assert months[f"{YEAR}-03-01"] == "period_pending" and len(months) == 12


def test_open_consultation_in_each_half_year_at_midnight(app, in_tenant, judge):
    """Art. 8.5: an open consultation every six months. The first half's deadline falls at the end of
    30 June in Albania: not missed at 23:59, missed at 00:00 on 1 July."""
    with in_tenant("elbasan") as s:
        exemplary(s, "elb")
        s.execute(update(Meeting).where(Meeting.kind == "open_consultation",
                                        Meeting.starts_at < datetime(YEAR, 7, 1)).values(status="cancelled"))
    assert status(judge, "elbasan", "open-consultations", _at(date(YEAR, 6, 30), 23, 59)).status == "not_yet_due"
    assert status(judge, "elbasan", "open-consultations", _at(date(YEAR, 7, 1))).status == "fail"


def test_meetings_a_year_on_31_december_at_2359_and_1_january(app, in_tenant, judge):
    """Art. 7.2: "at least two meetings a year". Judged at the year's end: at 23:59 on 31 December
    one meeting held is not yet a failure (but at risk); at midnight it is."""
    with in_tenant("elbasan") as s:
        exemplary(s, "elb", skip=("meeting2",))
    before = judge("elbasan", YEAR, as_of=_at(date(YEAR, 12, 31), 23, 59)).verdicts["meetings-per-year"]
    assert before.status == "not_yet_due" and before.at_risk
    after = judge("elbasan", YEAR, as_of=_at(date(YEAR + 1, 1, 1))).verdicts["meetings-per-year"]
    assert after.status == "fail" and not after.at_risk
    # in the spring, with the second meeting far ahead, nothing is at risk
    spring = judge("elbasan", YEAR, as_of=date(YEAR, 4, 1)).verdicts["meetings-per-year"]
    assert spring.status == "not_yet_due" and not spring.at_risk


def test_an_ad_hoc_meeting_does_not_count_unless_the_model_says(app, in_tenant, judge):
    """Art. 7.3: ad hoc meetings "with a smaller membership" for an unexpected event; they do not
    count towards the two meetings of Art. 7.2 unless the model's parameter allows it."""
    from safetycouncil.compliance import services
    from safetycouncil.extensions import db

    with in_tenant("elbasan") as s:
        built = exemplary(s, "elb")
        s.execute(update(Meeting).where(Meeting.id == built["meetings"][1].id).values(kind="council_ad_hoc"))
    verdict = judge("elbasan").verdicts["meetings-per-year"]
    assert verdict.status == "fail" and verdict.evidence[0]["count"] == 1
    with app.app_context():
        services.create_model_version(YEAR, {**services.current_parameters(YEAR), "ad_hoc_meetings_count": 1},
                                      services.current_rules(YEAR), note="Ad hoc meetings count", user_id=None)
        db.session.commit()
    assert judge("elbasan").verdicts["meetings-per-year"].status == "pass"


def test_press_release_compared_to_the_minute(app, in_tenant, judge):
    """Art. 11: "published within 24 hours of the meeting". 24 hours after the meeting's end is on
    time; 24 hours and 2 minutes is late (no rounding)."""
    with in_tenant("elbasan") as s:
        built = exemplary(s, "elb")
        m = built["meetings"][1].id  # 17 October, ends 12:00 local = 10:00 UTC
        s.execute(update(PressRelease).where(PressRelease.meeting_id == m).values(
            published_at=datetime(YEAR, 10, 18, 10, 0)))
    assert judge("elbasan").verdicts["press-release"].status == "pass"
    with in_tenant("elbasan") as s:
        s.execute(update(PressRelease).where(PressRelease.meeting_id == m).values(
            published_at=datetime(YEAR, 10, 18, 10, 2)))
    verdict = judge("elbasan").verdicts["press-release"]
    assert verdict.status == "fail"
    late = next(e for e in verdict.evidence if e["kind"] == "period_late")
    assert late["hours"] == 24.03 and late["limit"] == 24


def test_press_release_contents(app, in_tenant, judge):
    """Art. 11: the release states the time of the meeting, who took part, the agenda and the essence
    of the discussion: a "time" without a time is not one."""
    with in_tenant("elbasan") as s:
        built = exemplary(s, "elb")
        s.execute(update(PressRelease).where(PressRelease.meeting_id == built["meetings"][0].id).values(
            time_and_place="në bashki"))
    verdict = judge("elbasan").verdicts["press-release"]
    assert verdict.status == "fail"
    assert any(e.get("missing") == ["time_and_place"] for e in verdict.evidence)


def test_invitation_reaches_every_member_with_agenda_and_materials(app, in_tenant, judge):
    """Art. 7.4: "The invitation, with the agenda and the materials, reaches the members at least
    5 working days before the meeting". Sent to 1 of the members is not sent; without materials
    is not sent; the evidence names who was not invited."""
    with in_tenant("elbasan") as s:
        built = exemplary(s, "elb")
        m = built["meetings"][0].id
        members = {c: (x.id, x.full_name) for c, x in built["members"].items()}
        s.add(Invitation(meeting_id=m, member_id=members["a"][0], status="sent", sent_at=datetime(YEAR, 3, 1, 8, 0)))
    verdict = judge("elbasan").verdicts["invitation-notice"]
    assert verdict.status == "fail"
    item = next(e for e in verdict.evidence if e.get("meeting_id") == m)
    assert item["kind"] == "period_missing" and item["not_sent_count"] == 14
    assert members["b"][1] in item["not_sent_to"]
    with in_tenant("elbasan") as s:
        for c, (member_id, _name) in members.items():
            if c != "a":
                s.add(Invitation(meeting_id=m, member_id=member_id, status="sent",
                                 sent_at=datetime(YEAR, 3, 6, 8, 0)))
    assert judge("elbasan").verdicts["invitation-notice"].status == "pass"
    with in_tenant("elbasan") as s:
        s.execute(delete(AgendaMaterial))
    verdict = judge("elbasan").verdicts["invitation-notice"]
    assert verdict.status == "fail" and all(e.get("no_materials") for e in verdict.evidence)


def test_invitation_deadline_around_a_holiday(app, in_tenant, judge):
    """Art. 7.4 with the domain's example: for a meeting on Friday 17 October 2025 the deadline is
    Friday 10 October: sent then, on time; on Saturday 11 October, 1 working day late."""
    with in_tenant("elbasan") as s:
        exemplary(s, "elb", year=2025)
        meeting = s.execute(select(Meeting).where(Meeting.kind == "council",
                                                  Meeting.starts_at >= datetime(2025, 10, 1))).scalar_one()
        meeting.invitation_sent_at = datetime(2025, 10, 10, 20, 0)  # 22:00 in Tirana, 10 October
        m = meeting.id
    assert judge("elbasan", 2025).verdicts["invitation-notice"].status == "pass"
    with in_tenant("elbasan") as s:
        s.execute(update(Meeting).where(Meeting.id == m).values(invitation_sent_at=datetime(2025, 10, 10, 22, 30)))
    verdict = judge("elbasan", 2025).verdicts["invitation-notice"]
    late = next(e for e in verdict.evidence if e.get("meeting_id") == m)
    assert verdict.status == "fail" and late["kind"] == "period_late" and late["days_late"] == 1
    assert late["sent"] == "2025-10-11" and late["deadline"] == "2025-10-10"


def test_records_need_members_present_audio_and_decisions_distributed(app, in_tenant, judge):
    """Art. 7.7-7.8, 10.2: decisions by consensus of the members present, signed by the chair, a copy
    distributed to each member; the Technical Secretariat keeps the minutes, the participants' list and
    the full audio recording. A meeting with only a guest present, no audio and decisions never
    distributed does not pass."""
    with in_tenant("elbasan") as s:
        built = exemplary(s, "elb")
        m = built["meetings"][1].id
        s.execute(delete(Attendance).where(Attendance.meeting_id == m))
        s.add(Attendance(meeting_id=m, guest_name="Mysafir", guest_institution="OSBE", status="present"))
        s.execute(update(Meeting).where(Meeting.id == m).values(audio_document_id=None))
        s.execute(update(Decision).where(Decision.meeting_id == m).values(distributed_at=None))
    verdict = judge("elbasan").verdicts["records"]
    item = next(e for e in verdict.evidence if e.get("meeting_id") == m)
    assert verdict.status == "fail" and item["missing"] == ["audio", "distribution", "participants"]


def test_quorum_as_the_model_defines_it(app, in_tenant, judge):
    """Art. 7.7 and the model's quorum (50 % of the members by default)."""
    with in_tenant("elbasan") as s:
        built = exemplary(s, "elb")
        m = built["meetings"][1].id
        members = {c: x.id for c, x in built["members"].items()}
        s.execute(delete(Attendance).where(Attendance.meeting_id == m))
        for c in "abcdefg":  # 7 of 15
            s.add(Attendance(meeting_id=m, member_id=members[c], status="present"))
    item = next(e for e in judge("elbasan").verdicts["records"].evidence if e.get("meeting_id") == m)
    assert item["missing"] == ["quorum"] and item["quorum"] == 8 and item["present"] == 7
    with in_tenant("elbasan") as s:
        s.add(Attendance(meeting_id=m, member_id=members["h"], status="present"))
    assert judge("elbasan").verdicts["records"].status == "pass"


def test_seat_holders_come_from_their_institution(app, in_tenant, judge):
    """Art. 9.3: one representative each "of the municipality, the police and the prosecution";
    Art. 10.1: the Technical Secretariat is a municipal employee. The prosecution's representative in
    the municipality's seat, or the Head of Police as technical secretary, does not pass."""
    with in_tenant("elbasan") as s:
        built = exemplary(s, "elb")
        members = {c: x.id for c, x in built["members"].items()}
        s.execute(update(CouncilSeat).where(CouncilSeat.seat == "secretariat_municipality").values(
            member_id=members["d"]))
    verdict = judge("elbasan").verdicts["coordination-secretariat"]
    assert verdict.status == "fail"
    assert any(e["kind"] == "seat_wrong_institution" and e["seat"] == "secretariat_municipality"
               for e in verdict.evidence)
    with in_tenant("elbasan") as s:
        s.execute(update(CouncilSeat).where(CouncilSeat.seat == "technical_secretariat").values(
            member_id=members["c"]))
    assert judge("elbasan").verdicts["technical-secretariat"].status == "fail"


def test_seats_and_composition_on_every_day_of_the_year(app, in_tenant, judge):
    """Art. 4.1, 5.1, 9.3, 10.1 over the year, not on 31 December only: a council whose every
    mandate starts on 31 December fails, with the empty days named."""
    with in_tenant("elbasan") as s:
        exemplary(s, "elb")
        s.execute(update(CouncilMember).values(mandate_start=date(YEAR, 12, 31)))
        s.execute(update(CouncilSeat).values(started_on=date(YEAR, 12, 31)))
    result = judge("elbasan")
    for rule in ("composition", "chair", "coordination-secretariat", "technical-secretariat"):
        assert result.verdicts[rule].status == "fail", rule
    gap = next(e for e in result.verdicts["chair"].evidence if e["kind"] == "seat_gap")
    assert gap["from"] == f"{YEAR}-01-01" and gap["to"] == f"{YEAR}-12-30"


def test_plan_reviewed_at_the_next_council_meeting(app, in_tenant, judge):
    """Art. 8.5: after each open consultation, "the next council meeting" approves the revision. A
    revision approved at a later meeting is late and names that meeting; a decision of the next
    meeting that reviews the plan and confirms it counts."""
    with in_tenant("elbasan") as s:
        built = exemplary(s, "elb")
        c2, m2 = built["consultations"][1].id, built["meetings"][1].id
        v2 = built["versions"][1].id
        m3, d3 = council_meeting(s, datetime(YEAR, 12, 5, 10, 0), "x")
        s.execute(update(PlanVersion).where(PlanVersion.id == v2).values(
            approved_meeting_id=m3.id, approved_decision_id=d3.id, approved_on=date(YEAR, 12, 5)))
        m3 = m3.id
    verdict = judge("elbasan").verdicts["plan-reviewed"]
    late = next(e for e in verdict.evidence if e.get("consultation_id") == c2)
    assert verdict.status == "fail" and late["kind"] == "period_late"
    assert late["review_meeting_id"] == m3 and late["next_meeting_id"] == m2
    with in_tenant("elbasan") as s:
        s.execute(update(Decision).where(Decision.meeting_id == m2).values(reviews_plan=True))
    assert judge("elbasan").verdicts["plan-reviewed"].status == "pass"


def test_a_consultation_after_the_last_meeting_is_judged_when_the_next_one_is_held(app, in_tenant, judge):
    """Art. 8.5: a consultation held after the year's last council meeting is reviewed at the next
    meeting, in the following year: pending until then, judged once it has been held."""
    with in_tenant("elbasan") as s:
        exemplary(s, "elb")
        c_id = make.meeting(s, "open_consultation", datetime(YEAR, 12, 10, 17), title="Konsultim dhjetor",
                            location=None, deadline=date(YEAR, 12, 1)).id
    pending = judge("elbasan", as_of=date(YEAR + 1, 1, 15)).verdicts["plan-reviewed"]
    assert next(e for e in pending.evidence if e.get("consultation_id") == c_id)["kind"] == "period_pending"
    with in_tenant("elbasan") as s:
        nxt, _d = council_meeting(s, datetime(YEAR + 1, 2, 20, 10, 0), "n")
        nxt = nxt.id
    missed = judge("elbasan", as_of=date(YEAR + 1, 2, 21)).verdicts["plan-reviewed"]
    item = next(e for e in missed.evidence if e.get("consultation_id") == c_id)
    assert missed.status == "fail" and item["kind"] == "period_missing" and item["next_meeting_id"] == nxt


def test_no_consultation_in_a_closed_year_fails_the_review(app, in_tenant, judge):
    """Art. 8.5: without a consultation there is nothing the council reviewed: a closed year fails."""
    with in_tenant("elbasan") as s:
        exemplary(s, "elb")
        s.execute(update(Meeting).where(Meeting.kind == "open_consultation").values(status="cancelled"))
    assert judge("elbasan", as_of=date(YEAR, 6, 1)).verdicts["plan-reviewed"].status == "not_yet_due"
    assert judge("elbasan").verdicts["plan-reviewed"].status == "fail"


def test_monitoring_report_approved_within_its_days(app, in_tenant, judge):
    """Art. 8.6: the report "approved by the chair" for each six months, within the model's 30 days:
    approved on 30 July for the first half is on time; on 31 July it is late; 17 months later too."""
    with in_tenant("elbasan") as s:
        exemplary(s, "elb")
        s.execute(update(MonitoringReport).where(MonitoringReport.period_end == date(YEAR, 6, 30)).values(
            approved_at=datetime(YEAR, 7, 30, 20, 0)))  # 22:00 in Tirana
    assert judge("elbasan").verdicts["monitoring-report"].status == "pass"
    for approved in (datetime(YEAR, 7, 30, 22, 30), datetime(YEAR + 1, 11, 30, 9, 0)):
        with in_tenant("elbasan") as s:
            s.execute(update(MonitoringReport).where(MonitoringReport.period_end == date(YEAR, 6, 30)).values(
                approved_at=approved))
        verdict = judge("elbasan", as_of=date(YEAR + 2, 1, 1)).verdicts["monitoring-report"]
        assert verdict.status == "fail"
        assert any(e["kind"] == "period_late" and e["period_end"] == f"{YEAR}-06-30" for e in verdict.evidence)


def test_plan_published_within_its_days(app, in_tenant, judge):
    """Roadmap: "every public institution in the council publishes the plan on its website"; the
    model gives 15 days from the approval (15 March): published on 30 March is on time, on 31 March late."""
    with in_tenant("elbasan") as s:
        v1 = exemplary(s, "elb", skip=("publication",))["versions"][0].id
    assert status(judge, "elbasan", "plan-published", date(YEAR, 3, 30)).status == "not_yet_due"
    assert status(judge, "elbasan", "plan-published", date(YEAR, 3, 31)).status == "fail"
    with in_tenant("elbasan") as s:
        s.execute(update(PlanVersion).where(PlanVersion.id == v1).values(
            published_on=date(YEAR, 3, 30), published_url="https://elbasan.gov.al/plani"))
    assert status(judge, "elbasan", "plan-published", date(YEAR, 3, 31)).status == "pass"


def test_the_municipal_council_informed_can_be_recorded_for_a_past_year(app, in_tenant, judge):
    """Art. 5.2.d: the chair informs the Municipal Council at least once a year. A session of last
    year, entered today, counts for last year."""
    with in_tenant("elbasan") as s:
        exemplary(s, "elb", skip=("yearly",))
    assert judge("elbasan").verdicts["council-informed"].status == "fail"
    with in_tenant("elbasan") as s:
        s.add(MunicipalCouncilSession(held_on=date(YEAR, 11, 28), decision_number="112",
                                      report_title="Raporti vjetor"))
    assert judge("elbasan").verdicts["council-informed"].status == "pass"


def test_nothing_due_yet_is_on_track_not_complying(app, in_tenant, judge):
    """"Complies" means every due period passed: early in January, with nothing due yet, a council is
    on track and never counted as complying."""
    with in_tenant("elbasan") as s:
        exemplary(s, "elb")
    early = judge("elbasan", as_of=date(YEAR, 1, 10))
    assert early.status == "on_track" and not early.complies
    assert judge("elbasan").status == "complies"


@pytest.mark.parametrize("rule", ["plan-approved", "open-consultations", "monthly-monitoring", "monitoring-report",
                                  "plan-published", "council-informed", "press-release", "invitation-notice",
                                  "records"])
def test_done_on_the_due_date_passes_and_a_day_later_fails(app, in_tenant, municipality_id, rule):
    """One table of periods and due dates: for every dated rule, the obligation met exactly at its due
    date passes, and met just after it fails."""
    from safetycouncil.compliance.engine import evaluate

    with in_tenant("elbasan") as s:
        exemplary(s, "elb")
    mid = municipality_id("elbasan")
    with app.app_context():
        result = evaluate([mid], YEAR, date(YEAR + 1, 3, 1)).results[mid]
        dues = [d for d in result.dues if d.rule == rule and d.done_at is not None]
        assert dues, rule
        due = dues[0]
        on_time = replace(due, done_at=due.due)
        late = replace(due, done_at=due.due + timedelta(days=1))
        now = due.due + timedelta(days=2)
        assert on_time.state(now) == "met" and late.state(now) == "late"
        assert on_time.state(due.due) == "met"
        undone = replace(due, done_at=None)
        assert undone.state(due.due) == "pending" and undone.state(due.due + NEXT_DAY) == "missing"
        assert due.due.tzinfo is not None and due.due.utcoffset() in (timedelta(hours=1), timedelta(hours=2))


def test_a_meeting_entered_after_the_fact_says_so_in_the_evidence(app, in_tenant, judge):
    """Art. 7.4 evidence: a meeting recorded once it was over shows so, with its invitation's facts."""
    with in_tenant("elbasan") as s:
        built = exemplary(s, "elb")
        m = built["meetings"][0].id
        s.execute(update(Meeting).where(Meeting.id == m).values(entered_after_the_fact=True))
    item = next(e for e in judge("elbasan").verdicts["invitation-notice"].evidence if e.get("meeting_id") == m)
    assert item["entered_after_the_fact"] is True and item["recorded_outside"] is True
