"""The plan's priorities and how far they are, on the council's public page (issue 14): each priority of
the approved plan in force with its activities done, in progress, late (delayed, or past the due date and
not done: Art. 9.2's monthly monitoring) or not started, a bar, the counts in words; cached like the other
public blocks and refreshed when progress is recorded."""
from __future__ import annotations

import re
import uuid
from datetime import datetime, time, timedelta

import pytest

from tests import factories as make


@pytest.fixture
def plan(app, in_tenant):
    from safetycouncil.plans.models import Plan, PlanActivity, PlanItem, PlanVersion, ProgressEntry
    from safetycouncil.timeutil import local_today

    today = local_today()
    past, future = (today - timedelta(days=40)).isoformat(), (today + timedelta(days=200)).isoformat()
    with in_tenant("elbasan") as session:
        plan = Plan(year=today.year, title="Plani vendor shumë-agjencior")
        session.add(plan)
        session.flush()
        approved = PlanVersion(plan_id=plan.id, number=1, status="approved", approved_on=today - timedelta(days=90))
        draft = PlanVersion(plan_id=plan.id, number=2, status="draft")
        session.add_all([approved, draft])
        session.flush()
        lights = PlanItem(version_id=approved.id, key=uuid.uuid4().hex, position=1, number="1",
                          issue="Ndriçimi i rrugëve pranë shkollave", intensity="high")
        empty = PlanItem(version_id=approved.id, key=uuid.uuid4().hex, position=2, number="2",
                         issue="Grabitjet në qendër", intensity="low")
        hidden = PlanItem(version_id=draft.id, key=uuid.uuid4().hex, position=1, number="9",
                          issue="Prioritet i fshehtë i projektit")
        session.add_all([lights, empty, hidden])
        session.flush()
        held = datetime.combine(today - timedelta(days=3), time(10))
        monthly = make.meeting(session, "secretariat_monitoring", held, title="Takim mujor", location="Salla")
        activities = {}
        # (name, deadline, latest status or None)
        for n, (name, due, status) in enumerate((
                ("done", past, "done"), ("running", future, "in_progress"), ("overdue", past, None),
                ("delayed", future, "delayed"), ("waiting", future, None), ("dropped", past, "cancelled"))):
            activity = PlanActivity(item_id=lights.id, key=uuid.uuid4().hex, position=n + 1,
                                    description=f"Aktiviteti {name}", timing_kind="deadline", timing_value=due)
            session.add(activity)
            session.flush()
            activities[name] = (activity.id, activity.key)
            if status:
                session.add(ProgressEntry(plan_id=plan.id, activity_id=activity.id, activity_key=activity.key,
                                          meeting_id=monthly.id, status=status, reported_on=today - timedelta(days=3)))
        return {"plan_id": plan.id, "activities": activities, "meeting_id": monthly.id, "today": today}


def _section(body: str) -> str:
    return body.split('id="priorities"', 1)[1].split("</section>", 1)[0]


def test_each_priority_shows_its_activities_done_in_progress_late_and_not_started(client, plan):
    client.post("/language/en")
    body = client.get("/public/elbasan/").get_data(as_text=True)
    assert body.index('id="priorities"') < body.index('id="plan"')  # before the plan in full
    assert 'href="#priorities"' in body
    section = _section(body)
    assert "Ndriçimi i rrugëve pranë shkollave" in section and "Grabitjet në qendër" in section
    assert "Prioritet i fshehtë" not in body  # a draft never shows
    first = section.split("Grabitjet", 1)[0]
    words = " ".join(re.sub(r"<[^>]+>", " ", first).split())
    assert "5 activities: 1 done · 1 in progress · 2 late · 1 not started yet (1 cancelled)" in words, words
    # the bar: done, in progress, late, not started, in that order, shares of the 5 that are not cancelled
    bar = re.search(r'<svg class="plan-progress-bar"[^>]*aria-hidden="true"[^>]*>(.*?)</svg>', first).group(1)
    segments = re.findall(r'class="plan-progress-(\w+)" x="([\d.]+)" y="0" width="([\d.]+)"', bar)
    assert [(k, float(x), float(w)) for k, x, w in segments] == [
        ("done", 0, 20), ("in_progress", 20, 20), ("late", 40, 40), ("not_started", 80, 20)]
    assert "No activities are listed for this item." in section.split("Grabitjet", 1)[1]
    assert str(plan["today"].year) in section  # "as of" today, written by Babel
    albanian = _section(client.post("/language/sq") and client.get("/public/elbasan/").get_data(as_text=True))
    assert "Sa ka ecur plani" in albanian and "2 me vonesë" in albanian and "1 i anuluar" in albanian


def test_recording_progress_refreshes_the_cached_block(client, plan, in_tenant):
    from safetycouncil.plans.models import ProgressEntry

    before = " ".join(re.sub(r"<[^>]+>", " ", _section(client.get("/public/elbasan/").get_data(as_text=True)))
                      .split())
    assert "1 e përfunduar" in before
    activity_id, key = plan["activities"]["waiting"]
    with in_tenant("elbasan") as session:
        session.add(ProgressEntry(plan_id=plan["plan_id"], activity_id=activity_id, activity_key=key,
                                  meeting_id=plan["meeting_id"], status="done", reported_on=plan["today"]))
    after = " ".join(re.sub(r"<[^>]+>", " ", _section(client.get("/public/elbasan/").get_data(as_text=True)))
                     .split())
    assert "2 të përfunduara" in after and "ende pa filluar" not in after


def test_without_an_approved_plan_the_block_says_so(client):
    section = _section(client.get("/public/elbasan/").get_data(as_text=True))
    assert "Ende nuk është publikuar asnjë plan i miratuar." in section and "plan-progress-bar" not in section
