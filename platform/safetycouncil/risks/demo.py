"""Demo risks: the Coordination Secretariat's risks from the accepted concerns of each category, rated
(with a reason, sometimes re-rated), with evidence for exemplary councils. Elbasan's risks are the four
issues of its plan (roadmap, Table 1).

Deterministic, idempotent (a municipality with risks is left alone), bulk inserts.
"""
from __future__ import annotations

import random
from collections import defaultdict
from datetime import timedelta
from types import SimpleNamespace

from sqlalchemy import insert, select

from ..concerns.models import Concern, RiskCategory
from ..extensions import db
from ..tenancy import read_across_tenants, tenant
from .models import Risk, RiskConcern, RiskEvidence, RiskRating

REASONS = {
    "high": ["Shqetësime të shumta nga zona të ndryshme; statistikat e policisë tregojnë rritje.",
             "Prek fëmijët dhe të rinjtë; rastet janë të përsëritura."],
    "moderate": ["Shqetësime të përsëritura, por të kufizuara në një zonë.",
                 "Policia raporton raste të qëndrueshme, pa rritje."],
    "low": ["Shqetësim i veçuar; do të ndiqet në takimin e ardhshëm.",
            "Rastet janë të pakta dhe po trajtohen nga institucionet."],
}
# Elbasan: category -> (risk title, intensity, reason, statistics)
ELBASAN = {
    "public_order": ("\"Kultura e heshtjes\" e institucioneve të \"trekëndëshit\"", "moderate",
                     "Qytetarët dhe media nuk informohen rregullisht; besimi te institucionet është i ulët.", None),
    "youth_substances": ("Përdorimi i narkotikëve, alkoolit dhe duhanit nga të rinjtë", "high",
                         "Rritje e rasteve pranë shkollave.",
                         "Gjatë vitit 2021, DVP Elbasan zbuloi 63 raste të prodhimit dhe shpërndarjes së narkotikëve, "
                         "me 102 autorë të identifikuar."),
    "domestic_violence": ("Dhuna në familje", "high", "Rastet mbeten të shumta dhe shpesh nuk raportohen.",
                          "Për vitin 2021 u raportuan 56 raste të dhunës në familje, 7 vepra penale më pak se në "
                          "vitin 2020 (DVP Elbasan)."),
    "hotspots": ("Pikat e nxehta të përdoruesve dhe shpërndarësve të drogës", "high",
                 "Shqetësime nga disa lagje; kamerat e qytetit nuk mbulojnë zonat.", None),
}


def load_demo(municipalities) -> None:
    from ..meetings.demo import council_profile

    municipalities = list(municipalities)
    if not municipalities:
        return
    categories = {c.id: SimpleNamespace(code=c.code, name_sq=c.name_sq)
                  for c in db.session.execute(select(RiskCategory)).scalars()}
    with read_across_tenants([m.id for m in municipalities]):
        have = set(db.session.execute(select(Risk.municipality_id).distinct()).scalars())
        # Plain copies: ORM objects expire at each commit and could not be reloaded outside their scope.
        concerns: dict[int, list[SimpleNamespace]] = defaultdict(list)
        for concern in db.session.execute(select(Concern).where(Concern.status == "accepted")
                                          .order_by(Concern.created_at, Concern.id)).scalars():
            concerns[concern.municipality_id].append(SimpleNamespace(
                id=concern.id, category_id=concern.category_id, created_at=concern.created_at))
    for municipality in municipalities:
        if municipality.id in have or not concerns.get(municipality.id):
            continue
        exemplary = council_profile(municipality.slug) == "exemplary"
        with tenant(municipality.id):
            _load_one(municipality, concerns[municipality.id], categories, exemplary)
        db.session.commit()


def _load_one(municipality, concerns: list, categories: dict, exemplary: bool) -> None:
    rng = random.Random(f"kvsp-risks-{municipality.slug}")
    by_category: dict[int, list] = defaultdict(list)
    for concern in concerns:
        by_category[concern.category_id].append(concern)
    mid = municipality.id
    risks, plans = [], []
    for category_id, group in sorted(by_category.items()):
        code = categories[category_id].code
        if not exemplary and rng.random() < 0.4:
            continue  # a lagging secretariat leaves some concerns unassessed
        first = group[0].created_at
        if municipality.slug == "elbasan" and code in ELBASAN:
            title, intensity, reason, statistics = ELBASAN[code]
            ratings = [(intensity, reason)]
        else:
            title, statistics = categories[category_id].name_sq, None
            intensity = rng.choice(["high", "moderate", "moderate", "low"])
            ratings = [(intensity, rng.choice(REASONS[intensity]))]
            if len(group) > 3 and intensity != "high":
                intensity = "high" if intensity == "moderate" else "moderate"
                ratings.append((intensity, rng.choice(REASONS[intensity])))
        if not exemplary and rng.random() < 0.3:
            ratings, intensity = [], None  # not rated yet
        risks.append({"municipality_id": mid, "title": title, "description": None, "category_id": category_id,
                      "area_id": None, "intensity": intensity, "intensity_reason": ratings[-1][1] if ratings else None,
                      "created_by_id": None, "created_at": first + timedelta(days=7)})
        plans.append((group, ratings, statistics, first))
    if not risks:
        return
    ids = db.session.execute(insert(Risk).returning(Risk.id, sort_by_parameter_order=True), risks).scalars().all()
    ratings_rows, links, evidence = [], [], []
    for risk_id, (group, ratings, statistics, first) in zip(ids, plans, strict=True):
        for n, (intensity, reason) in enumerate(ratings):
            ratings_rows.append({"municipality_id": mid, "risk_id": risk_id, "intensity": intensity, "reason": reason,
                                 "meeting_id": None, "rated_by_id": None,
                                 "rated_at": first + timedelta(days=7 + 60 * n)})
        links += [{"municipality_id": mid, "risk_id": risk_id, "concern_id": c.id} for c in group]
        if statistics or exemplary:
            evidence.append({"municipality_id": mid, "risk_id": risk_id, "kind": "statistics",
                             "text": statistics or f"Statistikat mujore të policisë për {municipality.name}, "
                                                   f"{first.year}.",
                             "url": "https://www.asp.gov.al", "document_id": None, "created_by_id": None,
                             "created_at": first + timedelta(days=7)})
    if ratings_rows:
        db.session.execute(insert(RiskRating), ratings_rows)
    db.session.execute(insert(RiskConcern), links)
    if evidence:
        db.session.execute(insert(RiskEvidence), evidence)
