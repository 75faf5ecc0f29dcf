"""Demo surveys: Elbasan has two published waves (a year apart) over four areas, with plausible answers,
and an open third wave with invitation codes; a few other municipalities have one published wave, so
that the national average means something (Cërrik's has too few answers to show, and so counts in no
national figure). Deterministic (seeded), idempotent (a municipality that
already has waves is left alone)."""
from __future__ import annotations

import random
from datetime import date

from sqlalchemy import insert, select

from ..areas.models import Area
from ..extensions import db
from ..tenancy import tenant
from ..timeutil import utcnow
from .models import SurveyResponse, SurveyWave
from .questions import VERSION_1
from .services import create_wave, ensure_questionnaire, generate_codes, publish

OTHERS = ("tirane", "durres", "fier", "korce", "shkoder", "cerrik")


def _answers(rng: random.Random, mood: float) -> dict:
    """One respondent: ``mood`` from 0 (worried) to 1 (at ease)."""
    answers = {}
    for code, _section, scale, index, only_if, _sq, _en in VERSION_1:
        if rng.random() < 0.04:
            continue  # skipped
        if scale == "yesno":
            if only_if and answers.get(only_if) != 1:
                continue
            answers[code] = 1 if rng.random() < (0.15 if code == "victim" else 0.45) else 0
            continue
        lean = mood if scale in ("safety4", "trust4") else 1 - mood
        if code == "safety_night":
            lean -= 0.15
        value = 1 + lean * 3 + rng.gauss(0, 0.8)
        answers[code] = max(1, min(4, round(value)))
    return answers


def _fill(wave: SurveyWave, areas: list[Area], rng: random.Random, n_per_area: int, mood: dict, *,
          small_last: bool = True) -> None:
    """``small_last``: the last area gets few answers (its figures hidden; the whole wave's too when it is
    the only area)."""
    municipality_id = wave.municipality_id
    rows = []
    for area in areas:
        for _i in range(n_per_area if area is not areas[-1] or not small_last else max(4, n_per_area // 6)):
            rows.append({"municipality_id": municipality_id, "wave_id": wave.id, "area_id": area.id,
                         "channel": rng.choice(("online", "online", "paper", "telephone")),
                         "answers": _answers(rng, mood.get(area.id, 0.5)), "received_on": wave.starts_on})
    if rows:
        db.session.execute(insert(SurveyResponse), rows)
    db.session.flush()


def load_demo(municipalities) -> None:
    ensure_questionnaire()
    db.session.flush()
    by_slug = {m.slug: m for m in municipalities}
    year = utcnow().year
    for slug in ("elbasan", *OTHERS):
        m = by_slug.get(slug)
        if m is None:
            continue
        rng = random.Random(f"survey-{slug}")
        with tenant(m.id):
            if db.session.execute(select(SurveyWave.id).limit(1)).first():
                continue
            areas = list(db.session.execute(select(Area).order_by(Area.kind, Area.name)).scalars())[:4]
            mood = {a.id: rng.uniform(0.35, 0.7) for a in areas}
            waves = [(year - 2, "Vala e parë"), (year - 1, "Vala e dytë")] if slug == "elbasan" \
                else [(year - 1, "Vala e parë")]
            for y, title in waves:
                wave = create_wave({"title": f"{title} {y}", "starts_on": date(y, 4, 1), "ends_on": date(y, 5, 15),
                                    "target_respondents": 400, "area_ids": [a.id for a in areas]}, user_id=None)
                wave.status = "closed"
                # Cërrik's wave is published with too few answers to show (it counts in no national figure);
                # the other municipalities' are shown, so Elbasan is compared with them, not with itself
                _fill(wave, areas, rng, 60 if slug == "elbasan" else 30, mood,
                      small_last=len(areas) > 1 or slug == "cerrik")
                publish(wave)
                mood = {k: min(0.9, v + 0.05) for k, v in mood.items()}
            if slug == "elbasan":
                wave = create_wave({"title": f"Vala e tretë {year}", "starts_on": date(year, 4, 1),
                                    "ends_on": date(year, 12, 31), "target_respondents": 400,
                                    "area_ids": [a.id for a in areas]}, user_id=None)
                wave.status = "open"
                generate_codes(wave, 50)
            db.session.flush()
