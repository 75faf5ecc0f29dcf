#!/usr/bin/env python3
"""Generate a realistic national dataset for the performance benchmark, straight into PostgreSQL.

    scripts/generate_dataset.py --database-url URL [--owner-url URL] [--scale N] [--seed S]

What it makes, for the 61 municipalities (and, with ``--scale N``, N synthetic ones of the same shape,
slugs ``synthetic-0001``..., in synthetic counties):

* people in every role of every municipality (61 only; synthetic ones have none);
* areas: the administrative units plus neighbourhoods (about 6 per municipality);
* the council: about 30 members by category, seats, institutions, establishment;
* six years (2021-2026) of meetings: council meetings with agenda, invitations (on time or late),
  attendance, minutes, decisions and press releases; open consultations every six months with the
  citizens' concerns they gathered; monthly Coordination Secretariat monitoring meetings;
* risks and their ratings; a plan a year with about 20 items and 50-60 activities, revised after the
  consultation, with monthly progress entries;
* monthly crime statistics for every area and offence category over the six years;
* compliance snapshots for every year; varied compliance: exemplary councils (every rule met),
  lagging ones (late invitations, no consultations, no plan, missing seats);
* survey data only if the survey tables exist (another area; skipped with a message otherwise).

It reuses the platform's demo builders (``safetycouncil.<area>.demo``), which build every row in
memory and load it with bulk ``insert(table)`` executemany statements per municipality, and widens
them to the national shape above (more areas, plan items, crime months). Deterministic: the demo
builders are seeded per municipality slug; ``--seed`` seeds everything this script adds on top
(areas, plan widening, synthetic names), so the same seed gives the same dataset.

Connects as the backup role (BYPASSRLS) or the owner, from ``--database-url`` (default
``$KVSP_BENCH_DATABASE_URL``); ``--owner-url`` (default ``$KVSP_BENCH_OWNER_URL``) runs the
migrations first (``flask db upgrade``), so it works on a fresh database. Municipalities that already
have data are left alone, so running it again (e.g. with a larger ``--scale``) only adds.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "platform"))

CHUNK = 8  # municipalities per loader call (one transaction per municipality inside the loaders)
EXTRA_AREAS = ["Lagjja 1", "Lagjja 2", "Lagjja 3", "Lagjja Qendër", "Zona Industriale"]
PLAN_ITEMS = (18, 22)
CRIME_MONTHS = 72


class Progress:
    """tqdm when installed, else a plain text bar on stderr."""

    def __init__(self, total: int, label: str):
        self.total, self.label, self.done, self.started = total, label, 0, time.monotonic()
        try:
            from tqdm import tqdm
        except ImportError:
            self.bar = None
        else:
            self.bar = tqdm(total=total, desc=label, unit="mun", file=sys.stderr)
        self._draw()

    def update(self, n: int = 1) -> None:
        self.done += n
        if self.bar is not None:
            self.bar.update(n)
        else:
            self._draw()

    def _draw(self) -> None:
        if self.bar is not None:
            return
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        elapsed = time.monotonic() - self.started
        sys.stderr.write(f"\r{self.label:22} [{'#' * filled}{'.' * (width - filled)}] "
                         f"{self.done}/{self.total} {elapsed:6.1f}s")
        sys.stderr.flush()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        else:
            sys.stderr.write("\n")


def make_app(database_url: str, owner_url: str | None):
    from safetycouncil.app import create_app

    instance = Path(tempfile.mkdtemp(prefix="kvsp-generate-"))
    os.environ.setdefault("INSTANCE_PATH", str(instance))
    os.environ.setdefault("SECRET_KEY", "generate-dataset")
    return create_app({
        "SQLALCHEMY_DATABASE_URI": database_url, "MIGRATION_DATABASE_URL": owner_url or database_url,
        "SECRET_KEY": "generate-dataset", "JOBS_IN_PROCESS": True, "MAIL_BACKEND": "log",
        # the key that signs the row-level security scope, shared with scripts/benchmark.py's gunicorn
        "RLS_SCOPE_KEY": os.environ.get("RLS_SCOPE_KEY") or "kvsp-dataset",
        "STORAGE_DIR": str(instance / "files"), "TESTING": False,
    })


def synthetic(scale: int, rng: random.Random) -> None:
    """Counties and municipalities rows for the synthetic tenants (bulk, idempotent)."""
    from sqlalchemy import insert, select

    from safetycouncil.extensions import db
    from safetycouncil.municipalities.models import County, Municipality

    have = set(db.session.execute(select(Municipality.slug).where(Municipality.slug.like("synthetic-%"))).scalars())
    counties = {c.slug: c.id for c in db.session.execute(select(County)).scalars()}
    per_county = 40
    wanted = [(f"synthetic-{i:04d}", f"synthetic-county-{(i - 1) // per_county + 1:03d}") for i in range(1, scale + 1)]
    new_counties = sorted({c for _, c in wanted} - set(counties))
    if new_counties:
        db.session.execute(insert(County), [
            {"slug": c, "name": f"Qarku Sintetik {c[-3:]}", "iso_code": f"S{c[-3:]}"} for c in new_counties])
        counties = {c.slug: c.id for c in db.session.execute(select(County)).scalars()}
    syllables = ["ba", "be", "da", "dri", "ku", "la", "li", "me", "na", "pe", "ra", "se", "ti", "va", "zo"]
    rows = []
    for slug, county in wanted:
        if slug in have:
            continue
        name = "".join(rng.choice(syllables) for _ in range(3)).capitalize() + f" {slug[-4:]}"
        rows.append({"slug": slug, "name": name, "county_id": counties[county], "active": True})
    for start in range(0, len(rows), 1000):
        db.session.execute(insert(Municipality), rows[start:start + 1000])
    db.session.commit()


def add_areas(municipalities, rng: random.Random) -> None:
    """The administrative unit named after the municipality plus 4-5 neighbourhoods: one bulk
    insert per municipality, inside its tenant scope (so RLS holds even when run as the owner)."""
    from sqlalchemy import func, insert, select

    from safetycouncil.areas.models import Area
    from safetycouncil.extensions import db
    from safetycouncil.tenancy import tenant
    from safetycouncil.timeutil import utcnow

    now = utcnow()
    for m in municipalities:
        with tenant(m.id):
            count = db.session.execute(select(func.count()).select_from(Area)).scalar()
            if count > 1:
                continue
            names = ([] if count else [("administrative_unit", m.name)]) + \
                [("neighbourhood", f"{n}, {m.name}") for n in rng.sample(EXTRA_AREAS, rng.randint(4, 5))]
            db.session.execute(insert(Area), [{"municipality_id": m.id, "name": n, "kind": k, "parent_id": None,
                                               "created_at": now} for k, n in names])
    db.session.commit()


def widen_the_demo(rng: random.Random) -> None:
    """National shape: plans of about 20 items (2-3 activities each), crime statistics over six years."""
    from safetycouncil.crime_statistics import demo as crime_demo
    from safetycouncil.plans import demo as plans_demo

    crime_demo.DEMO_MONTHS = CRIME_MONTHS
    original = plans_demo._Context._items
    if getattr(original, "widened", False):
        return

    def items(self, year: int) -> list[dict]:
        first = original(self, year)
        if self.m.slug == "elbasan" and year == 2022:
            return first  # the real plan of 2022, as it was
        wanted = rng.randint(*PLAN_ITEMS)
        out = list(first)
        while len(out) < wanted:
            out += original(self, year)
        out = out[:wanted]
        for number, item in enumerate(out, start=1):
            item["number"] = str(number)
        return out

    items.widened = True
    plans_demo._Context._items = items


def surveys_present() -> bool:
    from sqlalchemy import inspect

    from safetycouncil.extensions import db

    return inspect(db.engine).has_table("survey_waves")


def generate(app, scale: int, seed: int, national: bool = True) -> dict:
    import importlib

    from sqlalchemy import select

    from safetycouncil.audit.trail import acting_as
    from safetycouncil.demo import DEMO_AREAS
    from safetycouncil.extensions import db
    from safetycouncil.municipalities.models import Municipality
    from safetycouncil.municipalities.provisioning import provision

    rng = random.Random(seed)
    started = time.monotonic()
    with app.app_context(), acting_as(None, request_id="generate-dataset"):
        provision()
        if national:
            # people in every role and the areas of the 61: the platform's own demo, minus its
            # per-area loaders (run below, a few municipalities at a time, with a progress bar)
            import safetycouncil.demo as root_demo

            saved, root_demo.DEMO_AREAS = root_demo.DEMO_AREAS, ()
            try:
                root_demo.load_demo()
            finally:
                root_demo.DEMO_AREAS = saved
        if scale:
            synthetic(scale, random.Random(f"{seed}-synthetic"))
        all_m = db.session.execute(select(Municipality).order_by(Municipality.id)).scalars().all()
        real = [m for m in all_m if not m.slug.startswith("synthetic-")]
        fake = [m for m in all_m if m.slug.startswith("synthetic-")][:scale]
        targets = (real if national else []) + fake
        add_areas(targets, random.Random(f"{seed}-areas"))
        widen_the_demo(rng)
        plain = [area for area in DEMO_AREAS if area != "compliance"]
        progress = Progress(len(targets), "municipalities")
        for start in range(0, len(targets), CHUNK):
            chunk = targets[start:start + CHUNK]
            for area in plain:
                importlib.import_module(f"safetycouncil.{area}.demo").load_demo(chunk)
                db.session.commit()
            progress.update(len(chunk))
        progress.close()
        print("compliance snapshots, 2021-2026 ...", file=sys.stderr)
        importlib.import_module("safetycouncil.compliance.demo").load_demo(targets)
        db.session.commit()
        if surveys_present():
            try:
                survey_demo = importlib.import_module("safetycouncil.surveys.demo")
            except ImportError:
                print("survey tables exist but the surveys area has no demo builder yet: no survey data",
                      file=sys.stderr)
            else:
                survey_demo.load_demo(targets)
                db.session.commit()
        else:
            print("no survey tables: no survey data", file=sys.stderr)
        counts = table_counts()
    return {"municipalities": len(targets), "seconds": round(time.monotonic() - started, 1), "rows": counts}


def table_counts() -> dict[str, int]:
    from sqlalchemy import text

    from safetycouncil.extensions import db

    names = ["council_members", "meetings", "agenda_items", "invitations", "attendances", "minutes_versions",
             "decisions", "press_releases", "concerns", "risks", "plans", "plan_items", "plan_activities",
             "progress_entries", "crime_counts", "compliance_snapshots", "areas", "municipalities"]
    with db.engine.connect() as conn:  # the owner is subject to forced RLS: read across all tenants
        conn.execute(text("SELECT set_config('app.read_all', 'on', true)"))
        return {n: conn.execute(text(f"SELECT count(*) FROM {n}")).scalar() for n in names}


def migrate(app) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("KVSP_BENCH_DATABASE_URL"),
                        help="the backup role (BYPASSRLS) or the owner (default $KVSP_BENCH_DATABASE_URL)")
    parser.add_argument("--owner-url", default=os.environ.get("KVSP_BENCH_OWNER_URL"),
                        help="the owner: migrate first (default $KVSP_BENCH_OWNER_URL)")
    parser.add_argument("--scale", type=int, default=0, help="add N synthetic municipalities of the same shape")
    parser.add_argument("--only-synthetic", action="store_true",
                        help="do not (re)visit the 61 municipalities, only add the synthetic ones")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("--database-url (or KVSP_BENCH_DATABASE_URL) is required")
    if args.owner_url:
        migrate(make_app(args.owner_url, args.owner_url))
    app = make_app(args.database_url, args.owner_url)
    result = generate(app, args.scale, args.seed, national=not args.only_synthetic)
    print(f"{result['municipalities']} municipalities in {result['seconds']} s")
    for name, count in result["rows"].items():
        print(f"  {name:22} {count:>10,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
