"""Survey waves for other areas' tests (the public leak sweep)."""
from datetime import date

from sqlalchemy import insert, select

ANSWERS = {"safety_day": 3, "safety_night": 2, "problem_lighting": 4, "trust_police": 3}


def public_and_unpublished_waves(in_tenant, slug: str, secret_title: str) -> list[int]:
    """A published wave with 12 answers, and a closed, unpublished one titled ``secret_title`` with
    12 answers of its own (all 1s: its figures must never show)."""
    from safetycouncil.areas.models import Area
    from safetycouncil.surveys.models import SurveyResponse
    from safetycouncil.surveys.services import create_wave, publish

    ids = []
    with in_tenant(slug) as session:
        area = session.execute(select(Area).order_by(Area.id)).scalars().first()
        for title, published, answers in (("Vala publike", True, ANSWERS),
                                          (secret_title, False, {k: 1 for k in ANSWERS})):
            wave = create_wave({"title": title, "starts_on": date(2025, 4, 1) if published else date(2026, 4, 1),
                                "ends_on": date(2026, 5, 1), "target_respondents": 50,
                                "area_ids": [area.id] if area else []}, user_id=None)
            wave.status = "closed"
            session.execute(insert(SurveyResponse), [
                {"municipality_id": wave.municipality_id, "wave_id": wave.id, "area_id": area.id if area else None,
                 "channel": "paper", "answers": answers, "received_on": date(2025, 4, 2)} for _i in range(12)])
            if published:
                publish(wave)
            session.flush()
            ids.append(wave.id)
    return ids
