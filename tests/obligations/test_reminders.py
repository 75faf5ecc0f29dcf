"""Reminders by e-mail: one digest per person per day at the Ministry's lead times (working days), in the
person's language first; idempotent when the job runs twice or is killed half-way; the weekly digest
for the Prefectures and the Ministry; the private calendar feed."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update

from safetycouncil.extensions import db
from safetycouncil.obligations import reminders
from safetycouncil.obligations.models import ReminderSent


def _body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _to(outbox) -> list[str]:
    return sorted(m["To"] for m in outbox)


@pytest.fixture
def october(planned_meeting, make_user):
    """Elbasan's council meets on Friday 17 October 2025: the invitation is due by Friday 10 October
    (Art. 7.4). Two technical secretaries (one reads English), a chair and a member."""
    meeting = planned_meeting("elbasan", datetime(2025, 10, 17, 10, 0), title="Mbledhja e tetorit")
    people = {
        "sq": make_user("technical_secretary", municipality="elbasan", email="sekretari@elbasan.example"),
        "en": make_user("technical_secretary", municipality="elbasan", email="secretary@elbasan.example",
                        locale="en"),
        "chair": make_user("chair", municipality="elbasan", email="kryetari@elbasan.example"),
        "member": make_user("member", municipality="elbasan", email="anetari@elbasan.example"),
    }
    return meeting, people


def test_the_digest_goes_at_each_lead_time_in_working_days_and_the_day_after(app, october, outbox):
    meeting, _people = october
    with app.app_context():
        # Friday 3 October: 5 working days before the 10th
        assert reminders.send_reminders_job("2025-10-03") >= 2
    secretaries = [m for m in outbox if m["To"] in ("sekretari@elbasan.example", "secretary@elbasan.example")]
    assert len(secretaries) == 2 and "anetari@elbasan.example" not in _to(outbox)
    sq = next(m for m in outbox if m["To"] == "sekretari@elbasan.example")
    body = _body(sq)
    assert "Dërgoni ftesën për mbledhjen e 17 tetor deri më 10 tetor" in body
    assert f"http://localhost/elbasan/meetings/{meeting}" in body
    # Albanian first, English second; the other way round for the secretary who reads English
    assert body.index("Dërgoni ftesën") < body.index("Send the invitation for the meeting of 17 October by 10 October")
    assert sq["Subject"].startswith("KVSP: detyrime për të kryer")
    en = _body(next(m for m in outbox if m["To"] == "secretary@elbasan.example"))
    assert en.index("Send the invitation for the meeting of 17 October") < en.index("Dërgoni ftesën")
    outbox.clear()
    with app.app_context():
        reminders.send_reminders_job("2025-10-06")   # 4 working days before: not a lead time
    assert not [m for m in outbox if "ftesën për mbledhjen e 17 tetor" in _body(m)]
    with app.app_context():
        reminders.send_reminders_job("2025-10-09")   # 1 working day before
        reminders.send_reminders_job("2025-10-13")   # Monday: the working day after it was missed
        assert reminders.send_reminders_job("2025-10-11") == 0   # a Saturday: nothing at all
    days = [m for m in outbox if m["To"] == "sekretari@elbasan.example" and "ftesën për mbledhjen e 17 tetor" in _body(m)]
    assert len(days) == 2
    assert "[E vonuar]" not in _body(days[0]) and "[Të vonuara]" in _body(days[1])


def test_a_job_run_twice_sends_nothing_twice(app, october, outbox):
    with app.app_context():
        first = reminders.send_reminders_job("2025-10-03")
        assert first >= 2
        assert reminders.send_reminders_job("2025-10-03") == 0
    assert len(outbox) == first
    assert len(set(_to(outbox))) == len(outbox)  # one digest per person per day
    with app.app_context():
        rows = db.session.execute(select(ReminderSent)).scalars().all()
        assert {r.status for r in rows} == {"sent"} and len(rows) == first


class Killed(BaseException):
    """A worker killed in the middle of the job (not an error the job could catch)."""


def test_a_job_killed_half_way_sends_the_rest_later_and_nothing_twice(app, october, outbox, monkeypatch):
    from safetycouncil import mail

    real_send = mail.send
    calls = {"n": 0}

    def dies_on_the_second(message):
        calls["n"] += 1
        if calls["n"] == 2:
            raise Killed()
        return real_send(message)

    monkeypatch.setattr(mail, "send", dies_on_the_second)
    with app.app_context(), pytest.raises(Killed):
        reminders.send_reminders_job("2025-10-03")
    monkeypatch.setattr(mail, "send", real_send)
    assert len(outbox) == 1
    first_person = outbox[0]["To"]
    with app.app_context():
        # run again at once (the retry of the queue): the claim of the killed worker may still be in flight
        reminders.send_reminders_job("2025-10-03")
    sent_now = _to(outbox)
    with app.app_context():
        # after INVITATION_STUCK_MINUTES the claim left 'sending' is taken up again
        db.session.execute(update(ReminderSent).where(ReminderSent.status == "sending")
                           .values(claimed_at=ReminderSent.claimed_at - timedelta(hours=1)))
        db.session.commit()
        reminders.send_reminders_job("2025-10-03")
        reminders.send_reminders_job("2025-10-03")
        rows = db.session.execute(select(ReminderSent)).scalars().all()
        assert {r.status for r in rows} == {"sent"}
    recipients = _to(outbox)
    assert len(recipients) == len(set(recipients)), "someone got the same digest twice"
    assert first_person in recipients and len(recipients) >= len(sent_now) and len(recipients) == len(rows)


def test_a_refused_mail_is_sent_by_the_next_run(app, october, outbox, monkeypatch):
    import smtplib

    from safetycouncil import mail

    real_send = mail.send

    def refuse(message):
        raise smtplib.SMTPRecipientsRefused({})

    monkeypatch.setattr(mail, "send", refuse)
    with app.app_context():
        assert reminders.send_reminders_job("2025-10-03") == 0
    monkeypatch.setattr(mail, "send", real_send)
    with app.app_context():
        assert reminders.send_reminders_job("2025-10-03") >= 2
    assert len(outbox) == len(set(_to(outbox)))


def test_a_waived_obligation_is_not_reminded(app, october, in_tenant, outbox):
    from safetycouncil.obligations.models import Waiver

    meeting, _people = october
    with in_tenant("elbasan") as s:
        s.add(Waiver(rule="invitation-notice", key=f"meeting:{meeting}", reason="Mbledhja u shty"))
    with app.app_context():
        reminders.send_reminders_job("2025-10-03")
    assert not [m for m in outbox if "ftesën për mbledhjen e 17 tetor" in _body(m)]


def test_the_reminders_go_through_the_job_queue(app, october, outbox, run_jobs):
    from safetycouncil import jobs

    with app.test_request_context():
        jobs.enqueue("safetycouncil.obligations.reminders.send_reminders_job", "2025-10-03")
    run_jobs()
    assert "sekretari@elbasan.example" in _to(outbox)


def test_the_weekly_digest_for_each_prefecture_and_the_ministry(app, planned_meeting, make_user, outbox):
    planned_meeting("elbasan", datetime(2025, 10, 17, 10, 0), title="Mbledhja e tetorit")   # due 10 Oct
    planned_meeting("fier", datetime(2025, 10, 17, 10, 0), title="Mbledhja e Fierit")
    make_user("prefecture", county="elbasan", email="prefektura@elbasan.example")
    make_user("ministry", email="ministria@kvsp.example", locale="en")
    with app.app_context():
        assert reminders.send_weekly_digest_job("2025-10-13") == 2
        assert reminders.send_weekly_digest_job("2025-10-14") == 0  # the same week: once
    assert _to(outbox) == ["ministria@kvsp.example", "prefektura@elbasan.example"]
    prefecture = _body(next(m for m in outbox if m["To"] == "prefektura@elbasan.example"))
    assert "U vonuan" in prefecture and "Elbasan: Dërgoni ftesën për mbledhjen e 17 tetor" in prefecture
    assert "Fier:" not in prefecture
    assert "http://localhost/prefecture/elbasan/obligations" in prefecture
    ministry = _body(next(m for m in outbox if m["To"] == "ministria@kvsp.example"))
    assert ministry.index("Became overdue") < ministry.index("U vonuan")
    assert "Fier: Send the invitation" in ministry and "Elbasan: Send the invitation" in ministry


def test_the_private_calendar_feed_of_obligations(app, make_user, login, planned_meeting):
    from safetycouncil import workdays
    from safetycouncil.timeutil import local_today

    soon = workdays.add_working_days(local_today(), 10)
    meeting = planned_meeting("elbasan", datetime.combine(soon, datetime.min.time()).replace(hour=10))
    secretary = make_user("technical_secretary", municipality="elbasan")
    web = app.test_client()
    login(web, secretary)
    page = web.post("/elbasan/obligations/calendar", data={"action": "create"}).get_data(as_text=True)
    import re

    url = re.search(r'value="(http://localhost/elbasan/obligations/feed/[^"]+\.ics)"', page).group(1)
    path = url.replace("http://localhost", "")
    anonymous = app.test_client()
    response = anonymous.get(path)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    body = response.get_data(as_text=True)
    assert "BEGIN:VCALENDAR" in body and "SUMMARY:Dërgoni ftesën" in body.replace("\r\n ", "")
    assert f"/elbasan/meetings/{meeting}" in body.replace("\r\n ", "")
    assert anonymous.get(path.replace("/elbasan/", "/fier/")).status_code == 404  # another council's address
    assert anonymous.get("/elbasan/obligations/feed/not-a-token.ics").status_code == 404
    # only the hash is stored
    from safetycouncil.obligations.models import CalendarFeed
    from safetycouncil.tenancy import read_across_tenants

    token = path.rsplit("/", 1)[1][:-4]
    with app.app_context(), read_across_tenants():
        assert token not in str(db.session.execute(select(CalendarFeed.token_hash)).scalars().all())
    web.post("/elbasan/obligations/calendar", data={"action": "revoke"})
    assert anonymous.get(path).status_code == 404
