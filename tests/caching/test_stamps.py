"""Cached results follow the data: every write gives its municipality a new stamp in the same
transaction, reads change nothing, and the console shows a change at the next request."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select, update

from safetycouncil.caching import stamps
from safetycouncil.compliance import engine
from safetycouncil.council.models import CouncilMember, CouncilSeat
from safetycouncil.extensions import db
from safetycouncil.meetings.models import ExtraDayOff, Meeting

from ..compliance.support import YEAR, exemplary


def _stamps(app, *slugs_or_keys, municipality_id):
    keys = [k if k == stamps.NATIONAL else stamps.municipality_key(municipality_id(k)) for k in slugs_or_keys]
    with app.app_context():
        found = stamps.read(keys)
    return [found.get(k) for k in keys]


def test_every_municipality_has_a_stamp_from_provisioning(app, municipality_id):
    elbasan, fier = _stamps(app, "elbasan", "fier", municipality_id=municipality_id)
    assert elbasan and fier and elbasan != fier


def test_a_write_changes_only_its_municipalitys_stamp(app, in_tenant, municipality_id):
    before = _stamps(app, "elbasan", "fier", stamps.NATIONAL, municipality_id=municipality_id)
    with in_tenant("elbasan") as s:
        s.add(CouncilMember(full_name="Anëtar i ri", category="b", mandate_start=date(2024, 1, 1)))
    after_insert = _stamps(app, "elbasan", "fier", stamps.NATIONAL, municipality_id=municipality_id)
    assert after_insert[0] != before[0] and after_insert[1:] == before[1:]

    with in_tenant("elbasan") as s:  # an ORM update
        member = s.execute(select(CouncilMember).where(CouncilMember.full_name == "Anëtar i ri")).scalar_one()
        member.position = "Drejtor"
    after_update = _stamps(app, "elbasan", "fier", municipality_id=municipality_id)
    assert after_update[0] != after_insert[0] and after_update[1] == before[1]

    with in_tenant("elbasan") as s:  # a bulk statement
        s.execute(update(CouncilMember).values(position="Zv. drejtor"))
    after_bulk = _stamps(app, "elbasan", "fier", municipality_id=municipality_id)
    assert after_bulk[0] != after_update[0] and after_bulk[1] == before[1]

    with in_tenant("elbasan") as s:  # a delete
        s.delete(s.execute(select(CouncilMember).where(CouncilMember.full_name == "Anëtar i ri")).scalar_one())
    after_delete = _stamps(app, "elbasan", "fier", municipality_id=municipality_id)
    assert after_delete[0] != after_bulk[0] and after_delete[1] == before[1]


def test_a_survey_write_changes_the_shared_stamp_of_surveys_too(app, in_tenant):
    """The national comparison on every council's page reads every council's published surveys: a wave
    or an answer written anywhere (ORM or bulk) changes the surveys' shared stamp; other records do not."""
    from sqlalchemy import insert

    from safetycouncil.areas.models import Area
    from safetycouncil.surveys.models import SurveyResponse
    from safetycouncil.surveys.services import create_wave

    def shared():
        with app.app_context():
            return stamps.read([stamps.shared_key("surveys")]).get(stamps.shared_key("surveys"))

    with in_tenant("fier") as s:
        s.add(Area(name="Qendra", kind="administrative_unit"))
    first = shared()
    with in_tenant("fier") as s:
        area = s.execute(select(Area)).scalar_one()
        wave = create_wave({"title": "Vala", "starts_on": date(2025, 4, 1), "ends_on": date(2025, 5, 1),
                            "target_respondents": 50, "area_ids": [area.id]}, user_id=None)
        s.flush()
        ids = {"municipality_id": wave.municipality_id, "wave_id": wave.id, "area_id": area.id}
    after_wave = shared()
    assert after_wave is not None and after_wave != first
    with in_tenant("fier") as s:
        s.execute(insert(SurveyResponse), [{**ids, "channel": "paper", "answers": {},
                                            "received_on": date(2025, 4, 2)}])
    after_answers = shared()
    assert after_answers != after_wave
    with in_tenant("fier") as s:
        s.add(CouncilMember(full_name="Anëtar", category="b", mandate_start=date(2024, 1, 1)))
    assert shared() == after_answers


def test_a_rolled_back_write_and_a_read_change_nothing(app, in_tenant, municipality_id, make_user, login):
    before = _stamps(app, "elbasan", municipality_id=municipality_id)
    with app.app_context():
        from safetycouncil.tenancy import tenant

        with tenant(municipality_id("elbasan")):
            db.session.add(CouncilMember(full_name="Nuk ruhet", category="b", mandate_start=date(2024, 1, 1)))
            db.session.flush()
            db.session.rollback()
    assert _stamps(app, "elbasan", municipality_id=municipality_id) == before
    client = app.test_client()
    login(client, make_user("technical_secretary", municipality="elbasan"))
    for path in ("/elbasan/council/", "/elbasan/meetings/", "/elbasan/plans/", "/public/elbasan/"):
        assert client.get(path).status_code == 200
    assert _stamps(app, "elbasan", municipality_id=municipality_id) == before


def test_a_national_input_changes_the_national_stamp(app, municipality_id):
    before = _stamps(app, "elbasan", stamps.NATIONAL, municipality_id=municipality_id)
    with app.app_context():
        db.session.add(ExtraDayOff(day=date(YEAR, 6, 2), reason="Ditë pushimi e shpallur"))
        db.session.commit()
    after = _stamps(app, "elbasan", stamps.NATIONAL, municipality_id=municipality_id)
    assert after[0] == before[0] and after[1] != before[1]


def _computed(monkeypatch):
    """The ids each real evaluation judged (the cache computes only what it lacks)."""
    calls = []
    real = engine.evaluate

    def spy(ids, *args, **kwargs):
        calls.append(sorted(ids))
        return real(ids, *args, **kwargs)

    monkeypatch.setattr(engine, "evaluate", spy)
    return calls


def test_the_cached_evaluation_equals_the_evaluation_and_follows_each_change(app, in_tenant, municipality_id,
                                                                             monkeypatch):
    with in_tenant("elbasan") as s:
        exemplary(s, "elb")
    with in_tenant("fier") as s:
        exemplary(s, "fie", skip=("secretariat_police",))
    elbasan, fier = municipality_id("elbasan"), municipality_id("fier")
    calls = _computed(monkeypatch)
    with app.app_context():
        ids = [elbasan, fier, municipality_id("berat")]
        first = engine.evaluate_cached(ids, YEAR)
        assert calls == [sorted(ids)]
        second = engine.evaluate_cached(ids, YEAR)
        assert calls == [sorted(ids)], "nothing changed: nothing judged again"
        for mid in ids:
            assert {r: (v.status, v.evidence) for r, v in second.results[mid].verdicts.items()} == \
                   {r: (v.status, v.evidence) for r, v in first.results[mid].verdicts.items()}
        assert first.results[fier].verdicts["coordination-secretariat"].status == "fail"
    # Fier fills the police seat of its Coordination Secretariat
    with in_tenant("fier") as s:
        police = s.execute(select(CouncilMember).where(CouncilMember.full_name == "Anëtar C fie")).scalar_one()
        s.add(CouncilSeat(seat="secretariat_police", member_id=police.id, started_on=date(2019, 3, 1)))
    with app.app_context():
        third = engine.evaluate_cached(ids, YEAR)
    assert calls[-1] == [fier], "only the council that changed is judged again"
    assert third.results[fier].verdicts["coordination-secretariat"].status == "pass"
    assert third.results[fier].complies


def test_the_console_shows_a_change_at_the_next_request(app, in_tenant, make_user, login, municipality_id):
    with in_tenant("fier") as s:
        exemplary(s, "fie", skip=("secretariat_police",))
    client = app.test_client()
    login(client, make_user("ministry", locale="en"))
    page = client.get(f"/national/?year={YEAR}").get_data(as_text=True)
    assert "0 of 61 councils comply fully" in page
    with in_tenant("fier") as s:
        police = s.execute(select(CouncilMember).where(CouncilMember.full_name == "Anëtar C fie")).scalar_one()
        s.add(CouncilSeat(seat="secretariat_police", member_id=police.id, started_on=date(2019, 3, 1)))
    page = client.get(f"/national/?year={YEAR}").get_data(as_text=True)
    assert "1 of 61 councils comply fully" in page


def test_a_declared_day_off_is_seen_by_the_cached_verdicts(app, in_tenant, municipality_id):
    """Invitation notice counts working days: an invitation sent on the last allowed day becomes
    late when the Ministry later declares a day off between it and the meeting; the cached
    verdict follows at once (the national stamp is part of its key)."""
    from safetycouncil import workdays

    with in_tenant("fier") as s:
        exemplary(s, "fie")
        meeting = s.execute(select(Meeting).where(Meeting.kind == "council").order_by(Meeting.starts_at)
                            .limit(1)).scalar_one()
        day = meeting.starts_at.date()
        deadline = workdays.invitation_deadline(day)
        meeting.invitation_sent_at = meeting.invitation_sent_at.replace(
            year=deadline.year, month=deadline.month, day=deadline.day, hour=8)
    between = next(d for d in (deadline + timedelta(days=n) for n in range(1, 10))
                   if d < day and workdays.is_working_day(d))
    fier = municipality_id("fier")
    with app.app_context():
        assert engine.evaluate_cached([fier], YEAR).results[fier].verdicts["invitation-notice"].status == "pass"
        db.session.add(ExtraDayOff(day=between, reason="Ditë e shpallur"))
        db.session.commit()
        verdict = engine.evaluate_cached([fier], YEAR).results[fier].verdicts["invitation-notice"]
    assert verdict.status == "fail"
    assert any(e["kind"] == "period_late" and e["days_late"] == 1 for e in verdict.evidence)


def test_the_public_page_shows_a_change_at_the_next_request(app, in_tenant, client):
    """The public page's plan, "you said, we did", survey and statistics blocks are cached per
    municipality: a concern accepted by the council is on the page at the next request."""
    from safetycouncil.concerns.models import Concern

    from ..plans.support import area, category

    with in_tenant("elbasan") as s:
        s.add(Concern(text="Ndriçimi i rrugës pranë shkollës mungon", source_kind="school",
                      area_id=area(s).id, category_id=category(s).id, status="pending"))
    assert "Ndriçimi i rrugës" not in client.get("/public/elbasan/").get_data(as_text=True)
    assert "Ndriçimi i rrugës" not in client.get("/public/elbasan/").get_data(as_text=True)  # from the cache
    with in_tenant("elbasan") as s:
        concern = s.execute(select(Concern)).scalar_one()
        concern.status = "accepted"
    assert "Ndriçimi i rrugës" in client.get("/public/elbasan/").get_data(as_text=True)
    assert "Ndriçimi i rrugës" not in client.get("/public/fier/").get_data(as_text=True)


def test_storing_snapshots_changes_no_stamp_and_warms_the_cache(app, in_tenant, municipality_id, monkeypatch):
    """Snapshots are computed from the records: writing them must not make the cached verdicts
    stale, and the nightly job leaves the day's verdicts cached for the first readers."""
    from safetycouncil.compliance import services

    with in_tenant("fier") as s:
        exemplary(s, "fie")
    with app.app_context():  # the model's first version is a national input: in place before
        services.ensure_version_one()
        db.session.commit()
    before = _stamps(app, "fier", "elbasan", municipality_id=municipality_id)
    with app.app_context():
        assert services.take_snapshots(YEAR, municipality_ids=[municipality_id("fier"), municipality_id("elbasan")])
    assert _stamps(app, "fier", "elbasan", municipality_id=municipality_id) == before
    calls = _computed(monkeypatch)
    with app.app_context():
        engine.evaluate_cached([municipality_id("fier"), municipality_id("elbasan")], YEAR)
    assert calls == [], "the snapshot job left the verdicts in the cache"


def test_the_monitoring_board_shows_new_progress_at_the_next_request(app, in_tenant, make_user, login):
    """The board is cached per municipality and person: progress reported is on it at once."""
    from safetycouncil.plans.models import PlanActivity, ProgressEntry

    from ..plans.support import plan_graph

    with in_tenant("elbasan") as s:
        plan_graph(s, "elb")
    client = app.test_client()
    login(client, make_user("technical_secretary", municipality="elbasan", locale="en"))
    page = client.get("/elbasan/plans/monitoring").get_data(as_text=True)
    assert "40%" in page and "100%" not in page
    assert "100%" not in client.get("/elbasan/plans/monitoring").get_data(as_text=True)  # from the cache
    with in_tenant("elbasan") as s:
        activity = s.execute(select(PlanActivity)).scalars().first()
        first = s.execute(select(ProgressEntry)).scalars().first()
        s.add(ProgressEntry(plan_id=first.plan_id, activity_id=activity.id, activity_key=activity.key,
                            meeting_id=first.meeting_id, status="completed", progress=100, comment="Përfunduar",
                            reported_on=date(2025, 4, 2)))
    page = client.get("/elbasan/plans/monitoring").get_data(as_text=True)
    assert "100%" in page


def test_the_public_survey_block_follows_the_national_average(app, in_tenant, client):
    """Elbasan's public page compares its survey with the national average: when Fier publishes a
    wave, the average moves and the cached block on Elbasan's page follows at the next request."""
    import re

    from sqlalchemy import insert

    from safetycouncil.areas.models import Area
    from safetycouncil.surveys.models import SurveyResponse
    from safetycouncil.surveys.services import create_wave, publish

    from ..surveys.support import ANSWERS, public_and_unpublished_waves

    for slug in ("elbasan", "fier", "cerrik"):
        with in_tenant(slug) as s:
            s.add(Area(name=f"Qendra {slug}", kind="administrative_unit"))
    public_and_unpublished_waves(in_tenant, "elbasan", "Vala e fshehtë")

    def published_wave(slug, title, answer):
        with in_tenant(slug) as s:
            area = s.execute(select(Area)).scalars().first()
            wave = create_wave({"title": title, "starts_on": date(2025, 4, 1), "ends_on": date(2025, 5, 1),
                                "target_respondents": 50, "area_ids": [area.id]}, user_id=None)
            wave.status = "closed"
            s.execute(insert(SurveyResponse), [
                {"municipality_id": wave.municipality_id, "wave_id": wave.id, "area_id": area.id, "channel": "paper",
                 "answers": {k: answer for k in ANSWERS}, "received_on": date(2025, 4, 2)} for _i in range(12)])
            publish(wave)

    # the national figure compared with Elbasan reads the other municipalities, at least two of them
    published_wave("cerrik", "Vala e Cërrikut", 4)

    def summary() -> str:
        page = client.get("/public/elbasan/").get_data(as_text=True)
        return re.search(r'<table class="survey-table" id="survey-summary">.*?</table>', page, re.S).group(0)

    before = summary()
    assert summary() == before
    etag = client.get("/public/elbasan/").headers["ETag"]
    published_wave("fier", "Vala e Fierit", 1)
    # the page's tag follows the other councils it shows: no 304, nor the kept page, after Fier's wave
    assert client.get("/public/elbasan/", headers={"If-None-Match": etag}).status_code == 200
    after = summary()
    assert after != before, "the national average on Elbasan's page did not follow Fier's new wave"
