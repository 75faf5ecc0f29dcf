#!/usr/bin/env python3
"""The compliance engine at scale, in-process: how long judging every council takes with an empty
cache, how long the console's read takes from a warm one, and how many councils are judged again
as time passes (a judgement holds until the council's next change, not for an hour).

    scripts/benchmark_compliance.py --database-url URL [--rls-key KEY] [--year 2026] [--runs 5] [--profile N]

Run it against a database made by ``scripts/generate_dataset.py`` (61 municipalities, or 61 + N
with ``--scale N``), as the application role, with the RLS key the dataset was made with
(``kvsp-dataset`` for the benchmark's). It prints medians of ``--runs`` runs, at 61 councils and at
every council in the database. ``--profile N`` adds, for every council in the database, one cold
judgement under cProfile: the time spent loading the facts (SQL and rows) apart from the judging
(Python), and the N functions that cost most, so that a change to the engine starts from a profile.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "platform"))


def console_floor(year: int, runs: int) -> float | None:
    """The console's floor: its hand-written SQL (``scripts/benchmark.py``'s FLOORS["console"], the counts
    of every council in one query) run here in the national scope, median of ``runs``; PostgreSQL only
    (None on SQLite)."""
    import importlib.util

    from sqlalchemy import text

    from safetycouncil.extensions import db
    from safetycouncil.tenancy import read_across_tenants

    if db.engine.dialect.name != "postgresql":
        return None
    spec = importlib.util.spec_from_file_location("kvsp_benchmark", ROOT / "scripts" / "benchmark.py")
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    sql = text(benchmark.FLOORS["console"].replace("%(year)s", ":year"))

    def once():
        with read_across_tenants():
            db.session.execute(sql, {"year": year}).all()

    once()
    return median_ms(once, runs)


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--rls-key", default=os.environ.get("RLS_SCOPE_KEY", "kvsp-dataset"))
    parser.add_argument("--year", type=int, default=None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="profile one cold judgement of every council; print the N costliest functions")
    args = parser.parse_args(argv)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ["RLS_SCOPE_KEY"] = args.rls_key
    os.environ.pop("REDIS_URL", None)  # the in-process cache: nothing shared with a running platform

    from safetycouncil.app import create_app
    from safetycouncil.caching import cache
    from safetycouncil.compliance import engine
    from safetycouncil.extensions import db
    from safetycouncil.municipalities.models import Municipality
    from safetycouncil.tenancy import read_across_tenants

    app = create_app()
    rows = []
    with app.app_context():
        year = args.year or engine.local_today().year
        with read_across_tenants():
            every = sorted(db.session.execute(db.select(Municipality.id)).scalars())
        sizes = [("61 councils", every[:61])] + ([(f"{len(every)} councils", every)] if len(every) > 61 else [])
        for label, ids in sizes:
            now = engine._now()
            load = median_ms(lambda: engine.load_facts(ids, year), args.runs)
            full = median_ms(lambda: engine.evaluate(ids, year, now), args.runs)

            def cold():
                cache.clear()
                engine.evaluate_cached(ids, year, evidence=False)

            cold_ms = median_ms(cold, args.runs)
            warm_ms = median_ms(lambda: engine.evaluate_cached(ids, year, evidence=False), args.runs)
            judged = engine.evaluate(ids, year, now).results
            later = {h: sum(r.valid_until <= now + timedelta(hours=h) for r in judged.values()) for h in (1, 6)}
            rows.append((label, load, full, cold_ms, warm_ms, later[1], later[6], len(ids)))
        floor_ms = console_floor(year, args.runs)
        if args.profile:
            profile(every, year, args.profile)
    print(f"Medians of {args.runs} runs, {year}; floor: the console's hand-written SQL over every council "
          + (f"({floor_ms:.1f} ms)" if floor_ms else "(PostgreSQL only)"))
    print(f"| councils | load (ms) | judge all (ms) | console read, empty cache (ms) | empty cache / floor "
          f"| console read, warm (ms) | judged again within 1 h | within 6 h |")
    print("|---|---|---|---|---|---|---|---|")

    def ratio(ms: float) -> str:
        return f"x{ms / floor_ms:.1f}" if floor_ms else "-"

    for label, load, full, cold_ms, warm_ms, h1, h6, n in rows:
        print(f"| {label} | {load:.0f} | {full:.0f} | {cold_ms:.0f} | {ratio(cold_ms)} | {warm_ms:.1f} "
              f"| {h1} of {n} (was {n}: the hour) | {h6} of {n} |")
    return 0


def profile(ids, year: int, top: int) -> None:
    """One cold judgement of ``ids`` under cProfile: fact loading (SQL) apart from judging (Python)."""
    from safetycouncil.compliance import engine

    profiler = cProfile.Profile()
    profiler.enable()
    engine.evaluate(ids, year)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    total = stats.total_tt * 1000
    loading = next((ct for (path, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.stats.items()
                    if name == "load_facts" and path.endswith("engine.py")), 0.0) * 1000
    print(f"\nProfile of one cold judgement of {len(ids)} councils (cProfile slows it down): {total:.0f} ms, "
          f"of which loading the facts {loading:.0f} ms ({100 * loading / total:.0f} %), "
          f"judging {total - loading:.0f} ms")
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(top)
        print(f"\n-- by {order}\n" + out.getvalue().split("\n\n", 2)[-1].strip())


if __name__ == "__main__":
    sys.exit(main())
