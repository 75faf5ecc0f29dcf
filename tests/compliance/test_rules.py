"""Each rule of the unified model: a council built to pass it and one built to fail it, with the
evidence the Ministry sees."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import delete, update

from safetycouncil.compliance.rules import RULE_IDS
from safetycouncil.extensions import db
from safetycouncil.council.models import CouncilMember, CouncilSeat
from safetycouncil.meetings.models import Meeting
from safetycouncil.plans.models import PlanVersion
from safetycouncil.records.models import Decision, PressRelease

from .support import council_meeting, exemplary


def test_an_exemplary_council_passes_every_rule(app, in_tenant, judge):
    with in_tenant("elbasan") as s:
        exemplary(s, "elb")
    result = judge("elbasan")
    failing = {r: (v.status, v.evidence) for r, v in result.verdicts.items() if v.status != "pass"}
    assert failing == {}
    assert set(result.verdicts) == set(RULE_IDS) and result.score == 100 and result.complies
    assert result.verdicts["invitation-notice"].article == "Art. 7.4"


def test_an_empty_council_fails_with_evidence(app, judge):
    result = judge("fier")
    assert all(v.status == "fail" for v in result.verdicts.values())
    assert result.verdicts["plan-reviewed"].status == "fail"
    assert result.verdicts["plan-reviewed"].evidence == [{"kind": "no_consultations", "year": 2024}]
    assert result.verdicts["established"].evidence == [{"kind": "no_establishment"}]
    empty = {e["category"] for e in result.verdicts["composition"].evidence if e["kind"] == "category_gap"}
    assert empty == set("abcdefghijklmno")


def _set(s, model, values, *where):
    s.execute(update(model).where(*where).values(**values))


def _break_chair(s, built):
    s.execute(delete(CouncilSeat).where(CouncilSeat.seat == "chair"))
    s.add(CouncilSeat(seat="chair", member_id=built["members"]["b"].id, started_on=date(2019, 3, 1)))


def _late_invitation(s, built):
    m1 = built["meetings"][0]  # Friday 15 March 2024; deadline Thursday 7 March (14 March is Summer Day)
    m1.invitation_sent_at = datetime(2024, 3, 12, 8, 0)  # Tuesday: 3 working days late (8, 11, 12 March)


CASES = [
    ("established", {"skip": ("establishment",)}, None, {"kind": "no_establishment"}),
    ("composition", {}, lambda s, b: _set(s, CouncilMember, {"mandate_end": date(2024, 6, 30)},
                                          CouncilMember.category == "f"),
     {"kind": "category_gap", "category": "f", "always": False, "from": "2024-07-01", "to": "2024-12-31"}),
    ("chair", {}, _break_chair, {"kind": "chair_not_mayor", "seat": "chair", "category": "b"}),
    ("coordination-secretariat", {"skip": ("secretariat_police",)}, None,
     {"kind": "seat_gap", "seat": "secretariat_police", "from": "2024-01-01", "to": "2024-12-31"}),
    ("technical-secretariat", {"skip": ("technical_secretariat",)}, None,
     {"kind": "seat_gap", "seat": "technical_secretariat", "from": "2024-01-01"}),
    ("meetings-per-year", {"skip": ("meeting2",)}, None,
     {"kind": "meetings_held", "count": 1, "required": 2, "year": 2024}),
    ("invitation-notice", {}, _late_invitation,
     {"kind": "period_late", "date": "2024-03-15", "deadline": "2024-03-07", "sent": "2024-03-12",
      "days_late": 3}),
    ("records", {}, lambda s, b: _set(s, Decision, {"signed_by_chair_on": None}, Decision.id == b["decisions"][1].id),
     {"kind": "period_missing", "date": "2024-10-17", "missing": ["signature"]}),
    ("press-release", {}, lambda s, b: _set(s, PressRelease, {"published_at": datetime(2024, 10, 18, 16, 0)},
                                            PressRelease.meeting_id == b["meetings"][1].id),
     {"kind": "period_late", "date": "2024-10-17", "hours": 30.0, "limit": 24}),
    ("open-consultations", {"skip": ("consultation2",)}, None,
     {"kind": "period_missing", "period_start": "2024-07-01", "period_end": "2024-12-31"}),
    ("plan-approved", {}, lambda s, b: _set(s, PlanVersion, {"approved_meeting_id": None, "approved_decision_id": None,
                                                             "consultation_meeting_id": None}),
     {"kind": "period_missing", "version": 1, "date": "2024-03-15", "without_meeting": True}),
    ("plan-complete", {"skip": ("target",)}, None, {"kind": "item_incomplete", "item": "1", "missing": ["indicator"]}),
    ("plan-reviewed", {}, lambda s, b: _set(s, PlanVersion, {"approved_meeting_id": None,
                                                             "consultation_meeting_id": None},
                                            PlanVersion.id == b["versions"][1].id),
     {"kind": "period_missing", "consultation_date": "2024-09-20", "next_date": "2024-10-17"}),
    ("monthly-monitoring", {"skip": ("july",)}, None,
     {"kind": "period_missing", "period_start": "2024-07-01", "period_end": "2024-07-31"}),
    ("monitoring-report", {"skip": ("h2report",)}, None,
     {"kind": "period_missing", "period_start": "2024-07-01", "period_end": "2024-12-31"}),
    ("plan-published", {"skip": ("publication",)}, None, {"kind": "period_missing", "version": 1,
                                                          "date": "2024-03-15"}),
    ("council-informed", {"skip": ("yearly",)}, None, {"kind": "period_missing", "year": 2024, "required": 1}),
]


@pytest.mark.parametrize("rule,build,mutate,expected", CASES, ids=[c[0] for c in CASES])
def test_each_rule_passes_and_fails_with_its_evidence(app, in_tenant, judge, rule, build, mutate, expected):
    with in_tenant("elbasan") as s:
        exemplary(s, "elb")
    with in_tenant("fier") as s:
        built = exemplary(s, "fie", **build)
        if mutate:
            mutate(s, built)
    good, bad = judge("elbasan"), judge("fier")
    assert good.verdicts[rule].status == "pass"
    assert bad.verdicts[rule].status == "fail", bad.verdicts[rule]
    assert any(all(item.get(k) == v for k, v in expected.items()) for item in bad.verdicts[rule].evidence), \
        bad.verdicts[rule].evidence
    assert good.score == 100 and bad.score < 100 and not bad.complies
    if "meeting_id" in str(bad.verdicts[rule].evidence):
        assert all("meeting_id" in i for i in bad.verdicts[rule].evidence if i.get("date") and "title" in i)


@pytest.mark.parametrize("sent_on,status,late", [(date(2025, 6, 5), "pass", 0), (date(2025, 6, 6), "fail", 1),
                                                 (date(2025, 6, 4), "pass", 0), (date(2025, 6, 9), "fail", 1)])
def test_the_invitation_rule_around_eid_al_adha_2025(app, in_tenant, judge, sent_on, status, late):
    """Meeting on Friday 13 June 2025: the deadline is Thursday 5 June, since 6 June is Eid al-Adha."""
    from safetycouncil import workdays

    assert workdays.invitation_deadline(date(2025, 6, 13), 5) == date(2025, 6, 5)
    with in_tenant("elbasan") as s:
        exemplary(s, "elb", year=2025)
        s.execute(update(Meeting).where(Meeting.kind == "council").values(status="cancelled"))
        m, _ = council_meeting(s, datetime(2025, 6, 13, 10, 0), "q")
        m.invitation_sent_at = datetime(sent_on.year, sent_on.month, sent_on.day, 7, 0)  # 09:00 in Tirana
    verdict = judge("elbasan", 2025).verdicts["invitation-notice"]
    assert verdict.status == status
    item = next(e for e in verdict.evidence if e.get("date") == "2025-06-13")
    assert item["deadline"] == "2025-06-05" and item["sent"] == sent_on.isoformat()
    if late:
        assert item["kind"] == "period_late" and item["days_late"] == late
    else:
        assert item["kind"] == "period_met"


def test_so_far_this_year_gives_not_yet_due(app, in_tenant, judge):
    with in_tenant("elbasan") as s:
        exemplary(s, "elb", skip=("meeting2", "consultation2"))
    result = judge("elbasan", 2024, as_of=date(2024, 5, 1))
    assert result.verdicts["meetings-per-year"].status == "not_yet_due"
    # the first half's consultation was held: passed so far; the second half is not due yet
    assert result.verdicts["open-consultations"].status == "pass"
    assert result.verdicts["council-informed"].status == "not_yet_due"
    assert not result.complies and result.status == "on_track"
    assert result.verdicts["chair"].status == "pass"
    late = judge("elbasan", 2024)
    assert late.verdicts["meetings-per-year"].status == "fail"


def test_a_later_model_version_judges_its_years_with_its_numbers(app, in_tenant, judge):
    from safetycouncil.compliance import services

    with in_tenant("elbasan") as s:
        exemplary(s, "elb", year=2024)
    with app.app_context():
        services.create_model_version(2024, {**services.current_parameters(2024), "council_meetings_per_year": 3},
                                      [r for r in services.current_rules(2024) if r["id"] != "council-informed"],
                                      note="Three meetings a year", user_id=None)
        db.session.commit()
    result = judge("elbasan", 2024)
    assert result.verdicts["meetings-per-year"].status == "fail"
    assert result.verdicts["meetings-per-year"].evidence[0]["required"] == 3
    assert "council-informed" not in result.verdicts
    assert judge("elbasan", 2023).verdicts["meetings-per-year"].evidence[0]["required"] == 2
