"""Read replicas, for real: scripts/services.py starts a streaming replica of the test cluster
(pg_basebackup -R, hot standby); read-only requests read from it, under the same row-level security,
fall back to the primary when it is stopped or lags, and a person reads their own writes."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, text

from safetycouncil import replicas
from safetycouncil.caching import cache
from safetycouncil.extensions import db
from safetycouncil.tenancy.context import TenantScope

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]
REPLICA_URL = os.environ.get("KVSP_TEST_PG_REPLICA_APP_URL")
SUPERUSER_DSN = os.environ.get("KVSP_TEST_PG_REPLICA_SUPERUSER_DSN")


def _superuser(sql: str):
    import psycopg

    with psycopg.connect(SUPERUSER_DSN, autocommit=True) as conn:
        return conn.execute(sql).fetchone()


def _caught_up(app, timeout: float = 60.0) -> None:  # a restarted replica on a loaded CI machine is slow
    """Wait until the replica has replayed everything the primary wrote so far."""
    engine = create_engine(app.config["MIGRATION_DATABASE_URL"])
    with engine.connect() as conn:
        lsn = conn.execute(text("SELECT pg_current_wal_lsn()::text")).scalar_one()
    engine.dispose()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _superuser(f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn")[0]:
            return
        time.sleep(0.05)
    raise AssertionError("the replica did not catch up")


def _services(action: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "scripts" / "services.py"), "replica", action,
                    "--dir", os.environ["KVSP_TEST_SERVICES_DIR"]], check=True, timeout=120)


@pytest.fixture
def replica(app):
    if not REPLICA_URL:
        pytest.skip("no replica: scripts/services.py was started with --no-replica")
    # a generous lag allowance: WAL written between the catch-up and the request (a checkpoint, a
    # standby snapshot) counts as lag since the last replayed commit; the lag fallback has its own test
    replicas.reconfigure(app, [REPLICA_URL], DATABASE_REPLICA_CHECK_SECONDS=0,
                         DATABASE_REPLICA_MAX_LAG_SECONDS=300, DATABASE_REPLICA_STICKY_SECONDS=30)
    yield replicas.configured(app).replicas[0].engine
    replicas.reconfigure(app, [])
    if _superuser("SELECT pg_is_wal_replay_paused()")[0]:
        _superuser("SELECT pg_wal_replay_resume()")


@contextmanager
def statements(engine):
    """The statements run on ``engine`` (a list that grows), apart from the replica's health check."""
    seen = []

    def note(conn, cursor, statement, *args):
        if "pg_last_wal_replay_lsn" not in statement:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def _on(app, replica_engine, call):
    """(response, statements on the replica, statements on the primary) of one request."""
    with app.app_context():
        primary_engine = db.engine
    with statements(replica_engine) as on_replica, statements(primary_engine) as on_primary:
        response = call()
    return response, len(on_replica), len(on_primary)


def test_public_pages_and_the_consoles_read_from_the_replica_under_rls(app, client, replica, seeded, make_user,
                                                                        login):
    elbasan, fier = seeded
    _caught_up(app)
    response, on_replica, on_primary = _on(app, replica, lambda: client.get("/public/elbasan/"))
    assert response.status_code == 200
    assert on_replica > 0 and on_primary == 0
    # the request's own connection is the replica's, and row-level security holds there: raw SQL
    # (no ORM filter) in Elbasan's public scope sees Elbasan's areas only (the page kept by the request
    # above is forgotten, so that this one runs its view)
    with app.app_context():
        cache.clear()
    with app.test_request_context("/public/elbasan/"):
        assert app.preprocess_request() is None
        assert replicas.serving() == "replica"
        assert db.session.execute(text("SELECT pg_is_in_recovery()")).scalar_one() is True
        assert db.session.execute(text("SELECT name FROM areas")).scalars().all() == ["Gjergjan"]
        assert db.session.execute(text("SELECT count(*) FROM areas WHERE municipality_id = :f"),
                                  {"f": fier}).scalar_one() == 0
    # a page of a council's own people reads from the primary
    login(client, make_user("technical_secretary", municipality="elbasan"))
    response, on_replica, on_primary = _on(app, replica, lambda: client.get("/elbasan/areas/"))
    assert response.status_code == 200 and on_replica == 0 and on_primary > 0


def test_the_application_role_on_the_replica_sees_only_its_scope(app, replica, seeded):
    elbasan, fier = seeded
    _caught_up(app)
    from safetycouncil.tenancy import rls

    with replica.connect() as conn:
        assert conn.execute(text("SELECT pg_is_in_recovery()")).scalar_one() is True
        assert conn.execute(text("SELECT count(*) FROM areas")).scalar_one() == 0  # no scope, no rows
        conn.execute(text("SELECT set_config('app.scope', :s, true)"),
                     {"s": f"{conn.execute(text('SELECT pg_backend_pid()')).scalar_one()}||{fier}|off|forged"})
        assert conn.execute(text("SELECT count(*) FROM areas")).scalar_one() == 0  # unsigned: nothing
        conn.rollback()
        with app.app_context():
            rls.apply(conn, TenantScope(elbasan, read_only=True))
        assert conn.execute(text("SELECT name FROM areas")).scalars().all() == ["Gjergjan"]


def test_reads_fall_back_to_the_primary_when_the_replica_is_stopped(app, client, replica, seeded):
    _caught_up(app)
    _services("stop")
    try:
        response, on_replica, on_primary = _on(app, replica, lambda: client.get("/public/elbasan/"))
        assert response.status_code == 200
        assert on_replica == 0 and on_primary > 0
    finally:
        _services("start")
    _caught_up(app)
    response, on_replica, on_primary = _on(app, replica, lambda: client.get("/public/elbasan/"))
    assert response.status_code == 200 and on_replica > 0 and on_primary == 0  # back on the replica


def test_reads_fall_back_to_the_primary_when_the_replica_lags(app, client, replica, seeded, in_tenant):
    from safetycouncil.areas.models import Area

    _caught_up(app)
    _superuser("SELECT pg_wal_replay_pause()")
    with in_tenant("elbasan") as s:
        s.add(Area(name="Shirgjan", kind="administrative_unit"))
    replicas.reconfigure(app, [REPLICA_URL], DATABASE_REPLICA_CHECK_SECONDS=0, DATABASE_REPLICA_MAX_LAG_SECONDS=0.2)
    engine = replicas.configured(app).replicas[0].engine
    time.sleep(0.5)
    response, on_replica, on_primary = _on(app, engine, lambda: client.get("/public/elbasan/"))
    assert response.status_code == 200 and on_replica == 0 and on_primary > 0
    assert replicas.configured(app).replicas[0].lag > 0.2


def test_a_person_reads_their_own_write_while_the_replica_is_behind(app, client, replica, seeded, make_user,
                                                                   api_token):
    from sqlalchemy import select

    from safetycouncil.areas.models import Area
    from safetycouncil.concerns.models import RiskCategory
    from safetycouncil.concerns.services import ensure_default_categories
    from safetycouncil.tenancy import tenant

    with app.app_context():
        ensure_default_categories()
        db.session.commit()
        category = db.session.execute(select(RiskCategory.id)).scalars().first()
        with tenant(seeded[0]):
            area = db.session.execute(select(Area.id)).scalar_one()
    _caught_up(app)
    _superuser("SELECT pg_wal_replay_pause()")  # the replica stays behind, yet within the lag allowed
    replicas.reconfigure(app, [REPLICA_URL], DATABASE_REPLICA_CHECK_SECONDS=0,
                         DATABASE_REPLICA_MAX_LAG_SECONDS=3600)
    engine = replicas.configured(app).replicas[0].engine
    # a citizen sends a concern and follows it at once: their browser reads from the primary
    sent = client.post("/public/elbasan/concern", data={
        "text": "Ndriçimi i rrugës mungon prej një muaji te shkolla.", "area_id": area, "category_id": category})
    assert sent.status_code == 302, sent.get_data(as_text=True)[:300]
    assert replicas.PRIMARY_COOKIE in sent.headers.get("Set-Cookie", "")
    reference = sent.headers["Location"].split("reference=")[1]
    follow = f"/public/elbasan/concern/follow?reference={reference}"
    response, on_replica, on_primary = _on(app, engine, lambda: client.get(follow))
    assert response.status_code == 200 and on_replica == 0
    # someone else reads from the replica, which has not replayed it yet
    stranger = app.test_client()
    response, on_replica, on_primary = _on(app, engine, lambda: stranger.get(follow))
    assert response.status_code == 404 and on_replica > 0 and on_primary == 0
    # the API: a token's own writes are read back from the primary
    headers = api_token(make_user("technical_secretary", municipality="elbasan"))
    api = app.test_client()  # no cookie: the mark is kept under the token
    created = api.post("/api/v1/municipalities/elbasan/areas", headers=headers,
                          json={"name": "Bradashesh", "kind": "administrative_unit"})
    assert created.status_code == 201
    listed, on_replica, _ = _on(app, engine, lambda: api.get("/api/v1/municipalities/elbasan/areas", headers=headers))
    assert "Bradashesh" in [a["name"] for a in listed.get_json()] and on_replica == 0
    # another client of the API, without that token's mark, reads from the replica (Ministry's read)
    ministry = api_token(make_user("ministry"))
    listed, on_replica, _ = _on(app, engine, lambda: app.test_client().get(
        "/api/v1/municipalities/elbasan/areas", headers=ministry))
    assert listed.status_code == 200 and on_replica > 0
    assert "Bradashesh" not in [a["name"] for a in listed.get_json()]
    # once the replica has caught up, reads go back to it (another client, no mark)
    _superuser("SELECT pg_wal_replay_resume()")
    _caught_up(app)
    response, on_replica, on_primary = _on(app, engine, lambda: stranger.get(follow))
    assert response.status_code == 200 and on_replica > 0 and on_primary == 0
