#!/usr/bin/env python3
"""Benchmark the platform against its own floor, at national scale (61) and beyond (--scale).

    scripts/benchmark.py [--reuse-env FILE] [--skip-generate] [--scale-url URL] [--duration S]

1. starts PostgreSQL 15 and Redis with scripts/services.py (or reuses the servers of an env file it
   printed), migrates and generates the national dataset (scripts/generate_dataset.py) unless
   --skip-generate;
2. runs the platform under gunicorn (2 workers x 4 threads) as the application role (RLS) with Redis;
3. drives it from other processes with a small multi-process HTTP client (http.client, keep-alive,
   one connection per client process): no dependency to install, works offline, and measures
   each request's latency on the client side;
4. measures each operation's floor: the same data read with one hand-written SQL query through
   psycopg directly (as the owner, reading across tenants), without the framework;
5. prints p50/p95 latency, throughput and the ratio to the floor; writes instance/benchmark/
   results.json and results.md; with --scale-url (a database with 61 + N municipalities made by
   generate_dataset.py --scale N) repeats the console and the public page there.

Everything listens on 127.0.0.1; request counts and durations are bounded; it stops what it started.
"""
from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
PY = str(ROOT / ".venv" / "bin" / "python")
PASSWORD = "demo-password-2026"
YEAR = 2025
SLUG = "elbasan"
KEEP_ALIVE = False  # --keep-alive


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_file(path: str) -> dict:
    out = {}
    for line in Path(path).read_text().splitlines():
        m = re.match(r"export (\w+)=(.*)", line)
        if m:
            out[m.group(1)] = m.group(2).strip("'\"")
    return out


# --- the HTTP client -----------------------------------------------------------------------------

def sign_in(port: int, email: str) -> str:
    """The session cookie of a signed-in person (the login form's CSRF token included)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/login")
    r = conn.getresponse()
    html = r.read().decode()
    cookie = "; ".join(c.split(";")[0] for k, c in r.getheaders() if k.lower() == "set-cookie")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    body = urlencode({"email": email, "password": PASSWORD, **({"csrf_token": token.group(1)} if token else {})})
    conn.request("POST", "/login", body=body, headers={"Content-Type": "application/x-www-form-urlencoded",
                                                      "Cookie": cookie})
    r = conn.getresponse()
    r.read()
    assert r.status == 302, f"sign-in of {email} failed: {r.status}"
    cookies = dict(c.split(";")[0].split("=", 1) for k, c in r.getheaders() if k.lower() == "set-cookie")
    conn.close()
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def api_token(port: int, email: str) -> str:
    """A bearer token for the API (POST /api/v1/auth/token)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("POST", "/api/v1/auth/token", body=json.dumps({"email": email, "password": PASSWORD}),
                 headers={"Content-Type": "application/json"})
    r = conn.getresponse()
    body = r.read()
    assert r.status == 201, f"token for {email} refused: {r.status}"
    conn.close()
    return json.loads(body)["token"]


def _client(port, path, headers, deadline, max_requests, out, keep_alive=False):
    """One client process. With several clients, each request opens its own connection: two kept-alive
    connections could land on the same gunicorn worker for the whole run and halve the throughput by
    chance (runs differed by up to 2x). A client alone keeps its connection alive, as a browser does."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    latencies, errors = [], 0
    while time.monotonic() < deadline and len(latencies) < max_requests:
        t = time.perf_counter()
        conn.request("GET", path, headers=headers if keep_alive else {**headers, "Connection": "close"})
        r = conn.getresponse()
        r.read()
        if not keep_alive:
            conn.close()
        latencies.append(time.perf_counter() - t)
        if r.status not in (200, 304):  # 304: a conditional request answered (the rush section)
            errors += 1
    conn.close()
    out.put((latencies, errors))


def drive(port: int, path: str, headers: dict, *, clients: int, duration: float, max_requests: int,
          warmup: int = 3) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    first = None
    for _ in range(warmup):
        t = time.perf_counter()
        conn.request("GET", path, headers=headers)
        r = conn.getresponse()
        r.read()
        first = first if first is not None else time.perf_counter() - t
        assert r.status in (200, 304), f"{path}: {r.status}"
    conn.close()
    # latency: one client process alone (what a person waits for); then throughput: ``clients``
    # processes at once (what the two cores serve), with the latency under that load reported too
    alone = _run_clients(port, path, headers, 1, duration / 2, max_requests // 2)
    loaded = _run_clients(port, path, headers, clients, duration / 2, max_requests // 2)
    return {"requests": alone["requests"] + loaded["requests"], "errors": alone["errors"] + loaded["errors"],
            "p50_ms": alone["p50_ms"], "p95_ms": alone["p95_ms"],
            "rps": loaded["rps"], "loaded_p50_ms": loaded["p50_ms"], "loaded_p95_ms": loaded["p95_ms"],
            # the first request, before anything is cached (the cache is empty at start)
            "first_ms": 1000 * first}


COLD_RUNS = 5


def cold(port: int, path: str, headers: dict, redis_url: str, runs: int = COLD_RUNS,
         forget_stored: str | None = None) -> dict:
    """The answer with an empty cache (issue 16: no cold cliff): ``runs`` times, the application cache's
    entries are deleted from Redis (only those: sessions and rate limits stay) and the page is requested
    once; the median and the best of those cold answers. The councils' stored judgements
    (``compliance_judgements``, kept by the schedule) are read then; with ``forget_stored`` (the owner's
    DSN) they are deleted too before each request: every council judged again, the cliff without them."""
    import psycopg
    import redis

    r = redis.Redis.from_url(redis_url)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    times = []
    for _ in range(runs):
        keys = list(r.scan_iter("kvsp:cache:*", count=5000))
        for start in range(0, len(keys), 5000):
            r.delete(*keys[start:start + 5000])
        if forget_stored:
            with psycopg.connect(forget_stored) as c:
                c.execute("TRUNCATE compliance_judgements")
        t = time.perf_counter()
        conn.request("GET", path, headers=headers)
        answer = conn.getresponse()
        answer.read()
        times.append(1000 * (time.perf_counter() - t))
        assert answer.status == 200, f"{path}: {answer.status}"
    conn.close()
    return {"cold_p50_ms": statistics.median(times), "cold_min_ms": min(times)}


def _run_clients(port: int, path: str, headers: dict, clients: int, duration: float, max_requests: int,
                 keep_alive: bool = False) -> dict:
    out: mp.Queue = mp.Queue()
    started = time.monotonic()
    deadline = started + duration
    keep_alive = keep_alive or KEEP_ALIVE or clients == 1
    procs = [mp.Process(target=_client, args=(port, path, headers, deadline, max(1, max_requests // clients), out,
                                              keep_alive))
             for _ in range(clients)]
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    elapsed = time.monotonic() - started
    latencies = sorted(x for r in results for x in r[0])
    return {"requests": len(latencies), "errors": sum(r[1] for r in results),
            "p50_ms": 1000 * statistics.median(latencies),
            "p95_ms": 1000 * latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))],
            "rps": len(latencies) / elapsed}


# --- the floors: one hand-written query each -----------------------------------------------------

FLOORS = {
    "console": """
        SELECT m.id, m.slug, m.name, c.name,
          (SELECT count(*) FROM meetings x WHERE x.municipality_id = m.id AND x.kind = 'council'
             AND x.status = 'held' AND extract(year FROM x.starts_at) = %(year)s),
          (SELECT count(*) FROM meetings x WHERE x.municipality_id = m.id AND x.kind = 'open_consultation'
             AND x.status = 'held' AND extract(year FROM x.starts_at) = %(year)s),
          (SELECT count(*) FROM meetings x WHERE x.municipality_id = m.id AND x.kind = 'secretariat_monitoring'
             AND x.status = 'held' AND extract(year FROM x.starts_at) = %(year)s),
          (SELECT count(*) FROM meetings x WHERE x.municipality_id = m.id AND x.invitation_working_days_late > 0
             AND extract(year FROM x.starts_at) = %(year)s),
          (SELECT count(*) FROM press_releases p JOIN meetings x ON x.id = p.meeting_id
             WHERE p.municipality_id = m.id AND extract(year FROM x.starts_at) = %(year)s),
          (SELECT count(*) FROM plan_versions v JOIN plans p ON p.id = v.plan_id
             WHERE p.municipality_id = m.id AND p.year = %(year)s AND v.status = 'approved'),
          (SELECT count(*) FROM council_seats s WHERE s.municipality_id = m.id AND s.ended_on IS NULL)
        FROM municipalities m JOIN counties c ON c.id = m.county_id ORDER BY c.name, m.name""",
    "council_compliance": """
        SELECT x.id, x.kind, x.status, x.starts_at, x.invitation_sent_at, x.invitation_working_days_late,
          (SELECT count(*) FROM agenda_items a WHERE a.meeting_id = x.id),
          (SELECT count(*) FROM attendances a WHERE a.meeting_id = x.id AND a.status = 'present'),
          (SELECT max(v.version) FROM minutes_versions v WHERE v.meeting_id = x.id),
          (SELECT count(*) FROM decisions d WHERE d.meeting_id = x.id),
          (SELECT min(p.published_at) FROM press_releases p WHERE p.meeting_id = x.id)
        FROM meetings x JOIN municipalities m ON m.id = x.municipality_id
        WHERE m.slug = %(slug)s AND extract(year FROM x.starts_at) = %(year)s ORDER BY x.starts_at""",
    "plans_monitoring": """
        WITH v AS (SELECT v.id, v.plan_id FROM plan_versions v JOIN plans p ON p.id = v.plan_id
                   JOIN municipalities m ON m.id = p.municipality_id
                   WHERE m.slug = %(slug)s AND v.status = 'approved' ORDER BY p.year DESC, v.number DESC LIMIT 1),
             latest AS (SELECT DISTINCT ON (e.activity_key) e.activity_key, e.status, e.progress
                        FROM progress_entries e JOIN v ON v.plan_id = e.plan_id
                        ORDER BY e.activity_key, e.reported_on DESC, e.id DESC)
        SELECT i.number, i.issue, a.description, a.timing_kind, a.timing_value, l.status, l.progress
        FROM v JOIN plan_items i ON i.version_id = v.id JOIN plan_activities a ON a.item_id = i.id
        LEFT JOIN latest l ON l.activity_key = a.key ORDER BY i.position, a.position""",
    "survey_results": """
        SELECT r.area_id, r.answers, w.title, w.starts_on, w.ends_on FROM survey_responses r
        JOIN survey_waves w ON w.id = r.wave_id WHERE r.wave_id = %(wave)s""",
    "public_page": """
        WITH m AS (SELECT id FROM municipalities WHERE slug = %(slug)s)
        SELECT 'meeting', x.title, x.starts_at::text FROM meetings x, m
          WHERE x.municipality_id = m.id AND x.kind IN ('council', 'open_consultation') AND x.starts_at > now()
        UNION ALL
        (SELECT 'press', p.title, p.published_at::text FROM press_releases p, m
          WHERE p.municipality_id = m.id AND p.published_at IS NOT NULL ORDER BY p.published_at DESC)
        UNION ALL
        (SELECT 'concern', c.text, c.created_at::text FROM concerns c, m
          WHERE c.municipality_id = m.id AND c.status = 'accepted' ORDER BY c.created_at DESC LIMIT 10)""",
    "crime_area": """
        SELECT k.month, o.code, k.count FROM crime_counts k JOIN offence_categories o ON o.id = k.category_id
        WHERE k.area_id = %(area)s AND k.is_current ORDER BY k.month, o.position""",
}


def floor(owner_dsn: str, name: str, params: dict, runs: int = 30) -> dict:
    import psycopg

    with psycopg.connect(owner_dsn) as conn:
        conn.execute("SELECT set_config('app.read_all', 'on', false)")
        times, rows = [], 0
        for _ in range(runs + 3):
            t = time.perf_counter()
            rows = len(conn.execute(FLOORS[name], params).fetchall())
            times.append(time.perf_counter() - t)
        times = sorted(times[3:])
    return {"p50_ms": 1000 * statistics.median(times), "p95_ms": 1000 * times[int(0.95 * len(times)) - 1],
            "rows": rows}


# --- servers -------------------------------------------------------------------------------------

def app_env(app_url: str, redis_url: str, instance: Path, extra_env: dict | None = None) -> dict:
    env = {**os.environ, **(extra_env or {}), "DATABASE_URL": app_url, "REDIS_URL": redis_url,
           "SECRET_KEY": "bench-secret",
           # the row-level security key stored when generate_dataset.py migrated the database
           "RLS_SCOPE_KEY": os.environ.get("RLS_SCOPE_KEY") or "kvsp-dataset",
           "INSTANCE_PATH": str(instance), "KVSP_ENV": "development", "PYTHONPATH": str(ROOT / "platform")}
    env.pop("MIGRATION_DATABASE_URL", None)
    return env


def judge_every_council(app_url: str, redis_url: str, instance: Path) -> None:
    """``flask compliance warm --year YEAR`` as the application role: every council's judgement stored
    (``compliance_judgements``), as the schedule keeps it in production."""
    t = time.perf_counter()
    subprocess.run([str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi", "compliance", "warm", "--year", str(YEAR)],
                   cwd=ROOT, env=app_env(app_url, redis_url, instance), check=True, capture_output=True)
    print(f"  (every council judged and stored in {time.perf_counter() - t:.1f} s)", flush=True)


def start_gunicorn(app_url: str, redis_url: str, port: int, instance: Path, extra_env: dict | None = None
                   ) -> subprocess.Popen:
    env = app_env(app_url, redis_url, instance, extra_env)
    proc = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "-w", "2", "--threads", "4",
                             "-b", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(instance / "gunicorn.log", "w"),
                            start_new_session=True)
    for _ in range(150):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/healthz")
            if c.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start; see " + str(instance / "gunicorn.log"))


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def plain_dsn(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def ids(owner_dsn: str) -> dict:
    import psycopg

    with psycopg.connect(owner_dsn) as conn:
        conn.execute("SELECT set_config('app.read_all', 'on', false)")
        mid = conn.execute("SELECT id FROM municipalities WHERE slug = %s", (SLUG,)).fetchone()[0]
        area = conn.execute("SELECT id FROM areas WHERE municipality_id = %s ORDER BY id LIMIT 1", (mid,)).fetchone()[0]
        plan = conn.execute("SELECT id FROM plans WHERE municipality_id = %s ORDER BY year DESC LIMIT 1",
                            (mid,)).fetchone()[0]
        wave = conn.execute("SELECT id FROM survey_waves WHERE municipality_id = %s AND published_at IS NOT NULL "
                            "ORDER BY starts_on DESC LIMIT 1", (mid,)).fetchone()
    return {"area": area, "plan": plan, "wave": wave[0] if wave else None}


def operations(found: dict) -> list[tuple]:
    """(name, who, path, floor)."""
    ops = [
        ("Ministry console /national/", "ministry", f"/national/?year={YEAR}", "console"),
        ("Council compliance /national/compliance/<slug>", "ministry",
         f"/national/compliance/{SLUG}?year={YEAR}", "council_compliance"),
        ("Plans /<slug>/plans/", "staff", f"/{SLUG}/plans/", "plans_monitoring"),
        ("Plan /<slug>/plans/<id>", "staff", f"/{SLUG}/plans/{found['plan']}", "plans_monitoring"),
        ("Monitoring /<slug>/plans/monitoring", "staff", f"/{SLUG}/plans/monitoring", "plans_monitoring"),
        ("Public page /public/<slug>/", None, f"/public/{SLUG}/", "public_page"),
        ("Crime statistics of an area", None, f"/public/{SLUG}/crime-statistics/{found['area']}", "crime_area"),
        ("API: plans (JSON)", "staff-api", f"/api/v1/municipalities/{SLUG}/plans", "plans_monitoring"),
        ("API: compliance of all councils (JSON)", "ministry-api", f"/api/v1/compliance?year={YEAR}", "console"),
        ("API: compliance of a council (JSON)", "ministry-api", f"/api/v1/compliance/{SLUG}?year={YEAR}",
         "council_compliance"),
    ]
    if found.get("wave"):
        ops.append(("Survey results /public/<slug>/surveys/<id>", None, f"/public/{SLUG}/surveys/{found['wave']}",
                    "survey_results"))
    return ops


def measure(port, owner_dsn, ops, cookies, args, redis_url=None, rewarm=None) -> list[dict]:
    rows = []
    for name, who, path, floor_name in ops:
        try:
            load = drive(port, path, cookies[who], clients=args.clients, duration=args.duration,
                         max_requests=args.max_requests)
        except AssertionError as exc:
            print(f"  {name}: skipped ({exc})")
            continue
        fl = floor(owner_dsn, floor_name, {"year": YEAR, "slug": SLUG, "area": ids_cache["area"],
                                           "wave": ids_cache.get("wave") or 0})
        row = {"operation": name, "path": path, **{k: round(v, 2) if isinstance(v, float) else v
                                                   for k, v in load.items()},
               "floor_p50_ms": round(fl["p50_ms"], 2), "floor_rows": fl["rows"],
               "ratio_p50": round(load["p50_ms"] / fl["p50_ms"], 1)}
        if floor_name == "console" and redis_url:  # every council judged: the cold cliff of issue 16
            found = cold(port, path, cookies[who], redis_url)
            row.update({k: round(v, 1) for k, v in found.items()},
                       cold_ratio=round(found["cold_p50_ms"] / fl["p50_ms"], 1))
            print(f"  {name:48} empty cache: p50 {row['cold_p50_ms']:8.1f} ms (best {row['cold_min_ms']:.1f}) "
                  f"of {COLD_RUNS}  floor {row['floor_p50_ms']:6.2f} ms  x{row['cold_ratio']}", flush=True)
            if rewarm is not None:
                bare = cold(port, path, cookies[who], redis_url, forget_stored=owner_dsn)
                row.update(unstored_p50_ms=round(bare["cold_p50_ms"], 1), unstored_min_ms=round(bare["cold_min_ms"], 1))
                print(f"  {name:48} nothing stored either: p50 {row['unstored_p50_ms']:8.1f} ms "
                      f"(best {row['unstored_min_ms']:.1f})", flush=True)
                rewarm()
        rows.append(row)
        print(f"  {name:48} p50 {row['p50_ms']:8.1f} ms  p95 {row['p95_ms']:8.1f} ms  {row['rps']:6.1f} req/s"
              f" (p95 {row['loaded_p95_ms']:6.1f} ms under load)  floor {row['floor_p50_ms']:6.2f} ms"
              f"  x{row['ratio_p50']}", flush=True)
    return rows


ids_cache: dict = {}


def run_against(app_url, owner_url, redis_url, args, label, only=None) -> list[dict]:
    instance = Path(tempfile.mkdtemp(prefix="kvsp-bench-"))
    port = free_port()
    import redis

    def rewarm():  # the councils' stored judgements, as the schedule keeps them (flask compliance warm)
        judge_every_council(app_url, redis_url, instance)

    rewarm()
    redis.Redis.from_url(redis_url).flushdb()  # an empty cache: "first request" is a cold one
    server = start_gunicorn(app_url, redis_url, port, instance)
    try:
        owner_dsn = plain_dsn(owner_url)
        ids_cache.clear()
        ids_cache.update(ids(owner_dsn))
        cookies = {None: {}, "ministry": {"Cookie": sign_in(port, "ministria@demo.kvsp.al")},
                   "staff": {"Cookie": sign_in(port, f"sekretari.{SLUG}@demo.kvsp.al")},
                   "ministry-api": {"Authorization": "Bearer " + api_token(port, "ministria@demo.kvsp.al")},
                   "staff-api": {"Authorization": "Bearer " + api_token(port, f"sekretari.{SLUG}@demo.kvsp.al")}}
        ops = operations(ids_cache)
        if only:
            ops = [o for o in ops if o[3] in only]
        print(f"== {label}")
        return measure(port, owner_dsn, ops, cookies, args, redis_url, rewarm)
    finally:
        stop(server)


# --- a rush on the public page (issue 16): replica, 304, micro-cache ------------------------------

def wait_replica(owner_url: str, replica_url: str, timeout: float = 300) -> None:
    import psycopg

    with psycopg.connect(plain_dsn(owner_url)) as c:
        lsn = c.execute("SELECT pg_current_wal_lsn()::text").fetchone()[0]
    deadline = time.monotonic() + timeout
    with psycopg.connect(plain_dsn(replica_url), autocommit=True) as c:
        while time.monotonic() < deadline:
            if c.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (lsn,)).fetchone()[0]:
                return
            time.sleep(0.2)
    raise RuntimeError("the replica did not catch up")


def start_nginx(upstream_port: int, port: int, work: Path) -> subprocess.Popen:
    """nginx with the shipped site (infra/nginx.conf: the micro-cache), in front of ``upstream_port``."""
    site = (ROOT / "infra" / "nginx.conf").read_text()
    cache = Path(tempfile.mkdtemp(prefix="kvsp-bench-cache-"))
    os.chmod(cache, 0o777)
    site = re.sub(r"server\s+web:8000;", f"server 127.0.0.1:{upstream_port};", site)
    site = re.sub(r"listen\s+80;", f"listen 127.0.0.1:{port} reuseport backlog=4096;", site)
    site = re.sub(r"proxy_cache_path\s+\S+", f"proxy_cache_path {cache}", site)
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (work / sub).mkdir(parents=True, exist_ok=True)
        os.chmod(work / sub, 0o777)
    os.chmod(work, 0o755)
    (work / "site.conf").write_text(site)
    (work / "nginx.conf").write_text(f"""
daemon off;
worker_processes 2;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {work}/body;
  proxy_temp_path {work}/proxy;
  fastcgi_temp_path {work}/fastcgi;
  uwsgi_temp_path {work}/uwsgi;
  scgi_temp_path {work}/scgi;
  include {work}/site.conf;
}}
""")
    nginx = subprocess.Popen(["/usr/sbin/nginx", "-p", str(work), "-c", str(work / "nginx.conf")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    for _ in range(100):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/healthz")
            if c.getresponse().status == 200:
                return nginx
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("nginx did not start; see " + str(work / "error.log"))


def etag_of(port: int, path: str) -> str:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("GET", path)
    r = c.getresponse()
    r.read()
    return r.getheader("ETag") or ""


def rush(app_url, owner_url, replica_url, redis_url, args) -> list[dict]:
    """The public page read from the primary and from the replica; its 304; then 8 and 32 clients at once
    (kept-alive connections, as browsers) straight to gunicorn and through nginx with its micro-cache."""
    import redis

    path = f"/public/{SLUG}/"
    rows = []
    owner_dsn = plain_dsn(owner_url)
    floor_primary = floor(owner_dsn, "public_page", {"slug": SLUG})
    floor_replica = floor(plain_dsn(replica_url).replace("kvsp_app:app-pass", "kvsp_owner:owner-pass"),
                          "public_page", {"slug": SLUG})

    def row(name, load, fl, clients=None):
        r = {"operation": name, "path": path, "clients": clients,
             **{k: round(v, 2) if isinstance(v, float) else v for k, v in load.items()},
             "floor_p50_ms": round(fl["p50_ms"], 2), "ratio_p50": round(load["p50_ms"] / fl["p50_ms"], 1)}
        rows.append(r)
        print(f"  {name:58} p50 {r['p50_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms  {r['rps']:7.1f} req/s"
              f"  floor {r['floor_p50_ms']:5.2f} ms  x{r['ratio_p50']}", flush=True)

    print("== a rush on the public page")
    for label, extra, fl in (("primary", {}, floor_primary),
                             ("replica", {"DATABASE_REPLICA_URLS": replica_url}, floor_replica)):
        instance = Path(tempfile.mkdtemp(prefix="kvsp-bench-"))
        port = free_port()
        redis.Redis.from_url(redis_url).flushdb()
        server = start_gunicorn(app_url, redis_url, port, instance, extra)
        try:
            row(f"Public page, reads on the {label}", drive(port, path, {}, clients=args.clients,
                                                              duration=args.duration, max_requests=args.max_requests), fl)
            if label != "replica":
                continue
            etag = etag_of(port, path)
            row("Public page, 304 Not Modified (If-None-Match)",
                drive(port, path, {"If-None-Match": etag}, clients=args.clients, duration=args.duration,
                      max_requests=args.max_requests), fl)
            nginx_port = free_port()
            nginx = start_nginx(port, nginx_port, Path(tempfile.mkdtemp(prefix="kvsp-bench-nginx-")))
            try:
                for clients in (8, 32):
                    for where, target in (("straight to gunicorn", port), ("through nginx's micro-cache", nginx_port)):
                        load = _run_clients(target, path, {}, clients, args.duration / 2, 1_000_000, keep_alive=True)
                        load["first_ms"] = 0.0
                        row(f"Public page, {clients} clients, {where}", load, fl, clients)
            finally:
                stop(nginx)
        finally:
            stop(server)
    return rows


def markdown(results: dict) -> str:
    lines = [f"Measured {results['when']} on {results['cpus']} CPUs; gunicorn 2 workers x 4 threads; "
             f"per operation {results['duration'] / 2:g} s with one client process on a kept-alive connection "
             f"(latency), then {results['duration'] / 2:g} s with {results['clients']} at once, "
             f"{'kept alive' if KEEP_ALIVE else 'a connection per request'} (throughput, and latency under "
             f"that load).", "",
             "| operation | p50 ms | p95 ms | floor p50 ms | p50 / floor | req/s | p50 / p95 ms under load "
             "| first request ms |",
             "|---|---|---|---|---|---|---|---|"]
    for r in results["national"]:
        lines.append(f"| {r['operation']} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['floor_p50_ms']:.2f} | "
                     f"{r['ratio_p50']} | {r['rps']:.1f} | {r['loaded_p50_ms']:.1f} / {r['loaded_p95_ms']:.1f} | "
                     f"{r['first_ms']:.0f} |")
    colds = [(label, r) for label, key in (("61", "national"), (str(results.get("scaled_municipalities", "")), "scaled"))
             for r in results.get(key) or [] if "cold_p50_ms" in r]
    if colds:
        lines += ["", f"Every council with an empty cache (issue 16; {COLD_RUNS} requests, the application "
                  "cache's entries deleted from Redis before each, so the councils' stored judgements are read; "
                  "then with those deleted too, so every council is judged again; floor: the console's "
                  "hand-written SQL):", "",
                  "| operation | councils | empty cache p50 ms | best ms | floor p50 ms | p50 / floor | warm p50 ms "
                  "| nothing stored p50 ms | best ms |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for label, r in colds:
            lines.append(f"| {r['operation']} | {label} | {r['cold_p50_ms']:.0f} | {r['cold_min_ms']:.0f} | "
                         f"{r['floor_p50_ms']:.2f} | {r['cold_ratio']} | {r['p50_ms']:.1f} | "
                         f"{r.get('unstored_p50_ms', float('nan')):.0f} | {r.get('unstored_min_ms', float('nan')):.0f} |")
    if results.get("scaled"):
        lines += ["", f"At {results['scaled_municipalities']} municipalities:", "",
                  "| operation | p50 ms (61) | p50 ms (scaled) | p95 ms (scaled) | growth | first request ms (scaled) |",
                  "|---|---|---|---|---|---|"]
        base = {r["operation"]: r for r in results["national"]}
        for r in results["scaled"]:
            b = base.get(r["operation"])
            lines.append(f"| {r['operation']} | {b['p50_ms']:.1f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | "
                         f"x{r['p50_ms'] / b['p50_ms']:.1f} | {r['first_ms']:.0f} |" if b else "")
    if results.get("rush"):
        lines += ["", "A rush on the public page (issue 16): reads on the primary and on the replica, the 304, then "
                  "8 and 32 client processes at once on kept-alive connections, straight to gunicorn and through "
                  "nginx with its micro-cache (floor: the page's SQL on the same server):", "",
                  "| operation | p50 ms | p95 ms | req/s | floor p50 ms | p50 / floor |", "|---|---|---|---|---|---|"]
        for r in results["rush"]:
            lines.append(f"| {r['operation']} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['rps']:.0f} | "
                         f"{r['floor_p50_ms']:.2f} | {r['ratio_p50']} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reuse-env", help="an env file printed by scripts/services.py: reuse its servers")
    parser.add_argument("--database", default="kvsp_test", help="which database of the servers (kvsp_test)")
    parser.add_argument("--skip-generate", action="store_true", help="reuse the dataset already loaded")
    parser.add_argument("--scale-app-url", help="app-role URL of a database with 61 + N municipalities")
    parser.add_argument("--scale-owner-url", help="owner URL of that database")
    parser.add_argument("--duration", type=float, default=8.0)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--max-requests", type=int, default=400)
    parser.add_argument("--skip-rush", action="store_true", help="leave out the rush on the public page")
    parser.add_argument("--only-rush", action="store_true", help="only the rush on the public page")
    parser.add_argument("--out", default=str(ROOT / "instance" / "benchmark"))
    parser.add_argument("--keep-alive", action="store_true",
                        help="under load too, one kept-alive connection per client process (default: a connection "
                             "per request under load; the single client always keeps its connection)")
    args = parser.parse_args(argv)
    global KEEP_ALIVE
    KEEP_ALIVE = args.keep_alive

    started_services = None
    if args.reuse_env:
        env = env_file(args.reuse_env)
    else:
        started_services = Path(tempfile.mkdtemp(prefix="kvsp-bench-svc-"))
        out = subprocess.run([PY, str(ROOT / "scripts" / "services.py"), "start", "--dir", str(started_services),
                              "--python", PY], check=True, capture_output=True, text=True).stdout
        env = {m.group(1): m.group(2) for m in re.finditer(r"export (\w+)=(\S+)", out)}
    prefix = "KVSP_TEST_PG" if args.database == "kvsp_test" else "KVSP_TEST_PG_RESTORE"
    owner_url, app_url, redis_url = env[f"{prefix}_OWNER_URL"], env[f"{prefix}_APP_URL"], env["KVSP_TEST_REDIS_URL"]
    try:
        if not args.skip_generate:
            subprocess.run([PY, str(ROOT / "scripts" / "generate_dataset.py"), "--database-url", owner_url,
                            "--owner-url", owner_url], check=True)
        results = {"when": time.strftime("%Y-%m-%d %H:%M"), "cpus": os.cpu_count(), "clients": args.clients,
                   "duration": args.duration, "national": [] if args.only_rush else run_against(
                       app_url, owner_url, redis_url, args, "61 municipalities")}
        if not args.skip_rush and env.get("KVSP_TEST_PG_REPLICA_APP_URL") and args.database == "kvsp_test":
            wait_replica(owner_url, env["KVSP_TEST_PG_REPLICA_APP_URL"])
            results["rush"] = rush(app_url, owner_url, env["KVSP_TEST_PG_REPLICA_APP_URL"], redis_url, args)
        if args.scale_app_url:
            import psycopg

            with psycopg.connect(plain_dsn(args.scale_owner_url)) as c:
                results["scaled_municipalities"] = c.execute("SELECT count(*) FROM municipalities").fetchone()[0]
            results["scaled"] = run_against(args.scale_app_url, args.scale_owner_url, redis_url, args,
                                            f"{results['scaled_municipalities']} municipalities",
                                            only={"console", "public_page"})
        out_dir = Path(args.out)
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "results.json").write_text(json.dumps(results, indent=2))
        (out_dir / "results.md").write_text(markdown(results))
        print(markdown(results))
        print(f"written to {out_dir}/results.json and results.md")
    finally:
        if started_services:
            subprocess.run([PY, str(ROOT / "scripts" / "services.py"), "stop", "--dir", str(started_services)],
                           check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
