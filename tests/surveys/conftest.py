from datetime import date

import pytest
from sqlalchemy import insert, select

ALL_SAFE = {"safety_day": 4, "safety_night": 3, "problem_lighting": 4, "problem_noise": 2, "trust_police": 3,
            "victim": 0}


@pytest.fixture
def make_wave(app, in_tenant):
    """make_wave("elbasan", {"Zona A": 12, "Zona B": 5}, published=True) -> (wave id, {area name: id})."""

    def make(slug, per_area=None, *, published=False, status="open", whole=0, answers=None, starts=date(2025, 4, 1),
             title="Vala e parë 2025"):
        from safetycouncil.areas.models import Area
        from safetycouncil.surveys.models import SurveyResponse
        from safetycouncil.surveys.services import create_wave, publish

        per_area = per_area or {}
        with in_tenant(slug) as session:
            areas = {}
            for name in per_area:
                area = session.execute(select(Area).where(Area.name == name)).scalar_one_or_none()
                if area is None:
                    area = Area(name=name, kind="neighbourhood")
                    session.add(area)
                    session.flush()
                areas[name] = area.id
            wave = create_wave({"title": title, "starts_on": starts, "ends_on": date(starts.year, 5, 15),
                                "target_respondents": 100, "area_ids": list(areas.values())}, user_id=None)
            wave.status = status
            rows = [{"municipality_id": wave.municipality_id, "wave_id": wave.id, "area_id": areas[name],
                     "channel": "paper", "answers": answers or ALL_SAFE, "received_on": starts}
                    for name, n in per_area.items() for _i in range(n)]
            rows += [{"municipality_id": wave.municipality_id, "wave_id": wave.id, "area_id": None,
                      "channel": "paper", "answers": answers or ALL_SAFE, "received_on": starts} for _i in range(whole)]
            if rows:
                session.execute(insert(SurveyResponse), rows)
            if published:
                publish(wave)
            session.flush()
            return wave.id, areas

    return make


@pytest.fixture
def staff(make_user, login, client):
    user = make_user("technical_secretary", municipality="elbasan")
    login(client, user)
    return user
