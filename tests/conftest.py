"""Test setup shared by every area's tests.

The suite runs twice (see scripts/test): KVSP_TEST_BACKEND=sqlite is the embedded default
(SQLite, jobs in-process, files on disk); KVSP_TEST_BACKEND=postgresql uses the PostgreSQL
server started by scripts/services.py with the application connecting as a role subject to
row-level security, Redis with a real RQ worker, and an S3 emulator over HTTP. Mail always
goes through a real SMTP server started here.
"""
from __future__ import annotations

import email
import email.policy
import os
import shutil
import socket
import tempfile
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest

BACKEND = os.environ.get("KVSP_TEST_BACKEND", "sqlite")
PG = BACKEND == "postgresql"
REQUIRE_SERVICES = os.environ.get("KVSP_REQUIRE_SERVICES") == "1"
TEST_PASSWORD = "correct-horse-battery-staple"
_TMP = Path(tempfile.mkdtemp(prefix="kvsp-tests-"))
# Nothing in the tests may touch the developer's instance/ folder.
os.environ["INSTANCE_PATH"] = str(_TMP / "instance")
os.environ.setdefault("SECRET_KEY", "test-secret-key")
for key in ("DATABASE_URL", "REDIS_URL", "S3_BUCKET", "SMTP_HOST", "SENTRY_DSN", "MIGRATION_DATABASE_URL"):
    os.environ.pop(key, None)
if PG:
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "test")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "test")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

REFERENCE_TABLES = {"counties", "municipalities", "alembic_version"}


def pytest_sessionstart(session):
    """The message catalogs are compiled at install time; make sure they are current here too."""
    import subprocess

    root = Path(__file__).resolve().parents[1]
    subprocess.run([str(root / "scripts" / "i18n"), "compile"], check=True, cwd=root,
                   env={**os.environ, "PYBABEL": str(Path(os.sys.executable).parent / "pybabel")})


def pytest_collection_modifyitems(config, items):
    skip_pg = pytest.mark.skip(reason="runs in the PostgreSQL pass of ./scripts/test")
    skip_browser_pg = pytest.mark.skip(reason="browser journeys run in the SQLite pass")
    for item in items:
        if "postgres" in item.keywords and not PG:
            item.add_marker(skip_pg)
        if "browser" in item.keywords and PG:
            item.add_marker(skip_browser_pg)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- mail: a real SMTP server in this process ------------------------------------------

class _Inbox:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted"


@pytest.fixture(scope="session")
def smtp_server():
    from aiosmtpd.controller import Controller

    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield SimpleNamespace(host="127.0.0.1", port=controller.port, inbox=inbox)
    controller.stop()


@pytest.fixture
def outbox(smtp_server):
    """Messages received by the SMTP server during this test."""
    smtp_server.inbox.messages.clear()
    return smtp_server.inbox.messages


# --- the application ----------------------------------------------------------------------

def _service_env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.exit(f"{name} is not set: run the PostgreSQL pass through ./scripts/test", returncode=3)
    return value


@pytest.fixture(scope="session")
def base_config(smtp_server):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "WTF_CSRF_ENABLED": False,
        "MAIL_BACKEND": "smtp",
        "SMTP_HOST": smtp_server.host,
        "SMTP_PORT": smtp_server.port,
        "BASE_URL": "http://localhost",
        "STORAGE_DIR": str(_TMP / "files"),
        "LOGIN_RATE_LIMIT": "1000 per minute",
    }
    if PG:
        bucket = "kvsp-test"
        import boto3

        endpoint = _service_env("KVSP_TEST_S3_ENDPOINT")
        s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
        if bucket not in [b["Name"] for b in s3.list_buckets().get("Buckets", [])]:
            s3.create_bucket(Bucket=bucket)
        redis_url = _service_env("KVSP_TEST_REDIS_URL")
        config.update({
            "SQLALCHEMY_DATABASE_URI": _service_env("KVSP_TEST_PG_APP_URL"),
            "MIGRATION_DATABASE_URL": _service_env("KVSP_TEST_PG_OWNER_URL"),
            "REDIS_URL": redis_url, "JOBS_IN_PROCESS": False, "RATELIMIT_STORAGE_URI": redis_url,
            "STORAGE_BACKEND": "s3", "S3_BUCKET": bucket, "S3_ENDPOINT_URL": endpoint, "S3_REGION": "us-east-1",
        })
    else:
        url = f"sqlite:///{_TMP / 'test.sqlite3'}"
        config.update({"SQLALCHEMY_DATABASE_URI": url, "MIGRATION_DATABASE_URL": url, "JOBS_IN_PROCESS": True})
    return config


def _drop_everything(owner_url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(owner_url)
    with engine.begin() as conn:
        tables = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars().all()
        for table in tables:
            conn.execute(text(f'DROP TABLE IF EXISTS "{table}" CASCADE'))
    engine.dispose()


@pytest.fixture(scope="session")
def app(base_config):
    from flask_migrate import upgrade

    from safetycouncil.app import create_app
    from safetycouncil.municipalities.provisioning import provision

    if PG:
        _drop_everything(base_config["MIGRATION_DATABASE_URL"])
    application = create_app(base_config)
    with application.app_context():
        upgrade()
        provision()
    yield application
    shutil.rmtree(_TMP, ignore_errors=True)


@pytest.fixture(autouse=True)
def _clean_state(request):
    """After each test: empty every table but the reference ones, the limiter, the queue."""
    yield
    if "app" not in request.fixturenames:
        return
    application = request.getfixturevalue("app")
    from sqlalchemy import create_engine, text

    from safetycouncil.extensions import db, limiter

    with application.app_context():
        tables = [t.name for t in reversed(db.metadata.sorted_tables) if t.name not in REFERENCE_TABLES]
        if PG:
            engine = create_engine(application.config["MIGRATION_DATABASE_URL"])
            with engine.begin() as conn:
                conn.execute(text("TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY CASCADE"))
            engine.dispose()
            from safetycouncil.jobs import redis_connection

            redis_connection(application).flushdb()
        else:
            # Foreign keys off while emptying: ON DELETE RESTRICT is checked row by row in SQLite,
            # so a table that refers to itself (areas.parent_id) cannot be emptied in one statement.
            raw = db.engine.raw_connection()
            try:
                cursor = raw.cursor()
                cursor.execute("PRAGMA foreign_keys=OFF")
                for table in tables:
                    cursor.execute(f"DELETE FROM {table}")
                raw.commit()
                cursor.execute("PRAGMA foreign_keys=ON")
            finally:
                raw.close()
        db.session.remove()
        _fresh_data_stamps(db)
        limiter.reset()


def _fresh_data_stamps(db) -> None:
    """Every municipality starts each test with a stamp, as after provisioning, and an empty cache:
    cached results are then exercised in every test, and never served across tests."""
    from sqlalchemy import select

    from safetycouncil.caching import cache, stamps
    from safetycouncil.municipalities.models import Municipality

    cache.clear()
    ids = db.session.execute(select(Municipality.id)).scalars().all()
    stamps.write(db.session, [stamps.municipality_key(i) for i in ids] + [stamps.NATIONAL])
    db.session.commit()
    db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def run_jobs(app):
    """Run queued background jobs: a real RQ worker on Redis (PostgreSQL pass); in-process jobs
    have already run on the embedded default."""

    def run() -> int:
        if not PG:
            return 0
        from rq import SimpleWorker

        from safetycouncil.jobs import queue

        with app.app_context():
            q = queue(app)
            pending = q.count
            SimpleWorker([q], connection=q.connection).work(burst=True)
            return pending

    return run


# --- people and records ----------------------------------------------------------------------

@pytest.fixture(scope="session")
def _password_hash():
    from argon2 import PasswordHasher

    return PasswordHasher().hash(TEST_PASSWORD)


@pytest.fixture
def make_user(app, _password_hash):
    """make_user("technical_secretary", municipality="elbasan") -> a person with that role."""
    counter = {"n": 0}

    def make(*roles_and_places, role=None, municipality=None, county=None, email=None, locale="sq",
             active=True, name=None):
        from sqlalchemy import select

        from safetycouncil.accounts.models import User
        from safetycouncil.accounts.services import grant_role
        from safetycouncil.extensions import db
        from safetycouncil.municipalities.models import County, Municipality

        grants = list(roles_and_places) or [(role, municipality, county)]
        grants = [g if isinstance(g, tuple) else (g, municipality, county) for g in grants]
        counter["n"] += 1
        address = email or f"{grants[0][0]}.{grants[0][1] or grants[0][2] or 'x'}.{counter['n']}@test.kvsp.al"
        with app.app_context():
            user = User(email=address, name=name or address.split("@")[0], password_hash=_password_hash,
                        locale=locale, active=active)
            db.session.add(user)
            db.session.flush()
            for role_name, m_slug, c_slug in grants:
                m = db.session.execute(select(Municipality).where(Municipality.slug == m_slug)).scalar_one() \
                    if m_slug else None
                c = db.session.execute(select(County).where(County.slug == c_slug)).scalar_one() if c_slug else None
                grant_role(user, role_name, municipality=m, county=c)
            db.session.commit()
            return SimpleNamespace(id=user.id, email=user.email, password=TEST_PASSWORD)

    return make


@pytest.fixture
def login():
    def do(client, user, password=None):
        response = client.post("/login", data={"email": user.email, "password": password or user.password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return do


@pytest.fixture
def api_token(client):
    def get(user) -> dict:
        response = client.post("/api/v1/auth/token", json={"email": user.email, "password": user.password})
        assert response.status_code == 201, response.get_json()
        return {"Authorization": f"Bearer {response.get_json()['token']}"}

    return get


@pytest.fixture
def municipality_id(app):
    def get(slug: str) -> int:
        from sqlalchemy import select

        from safetycouncil.extensions import db
        from safetycouncil.municipalities.models import Municipality

        with app.app_context():
            return db.session.execute(select(Municipality.id).where(Municipality.slug == slug)).scalar_one()

    return get


@pytest.fixture
def in_tenant(app, municipality_id):
    """``with in_tenant("elbasan") as session:`` to create records inside a municipality."""

    @contextmanager
    def scope(slug: str):
        from safetycouncil.extensions import db
        from safetycouncil.tenancy import tenant

        with app.app_context(), tenant(municipality_id(slug)):
            yield db.session
            db.session.commit()

    return scope
