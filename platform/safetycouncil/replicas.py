"""Read replicas: read-only requests read from a PostgreSQL streaming replica.

``DATABASE_REPLICA_URLS`` (comma-separated, the application role on each replica) names the
replicas. Which requests may read from one is decided in one place, the endpoint's scope
declaration (``tenancy.web.reads_from_replica``): GET/HEAD of public pages, feeds and open data, the
Ministry's and Prefectures' consoles, and the API's GETs. Everything else, every write (a flush, an
INSERT/UPDATE/DELETE, ``SELECT ... FOR UPDATE``) and everything after a write in the same request
goes to the primary. The database session (``RoutingSession``) asks ``engine_for_request()`` for
each statement; the decision is taken once per request.

Read-your-writes: a request that wrote marks its client for ``DATABASE_REPLICA_STICKY_SECONDS``
(a cookie on the web, a mark in the shared cache under the bearer token's digest on the API); a
marked client reads from the primary until then, so nobody misses their own change while a replica
catches up. Fallback: a replica that does not answer, is not in recovery, or lags more than
``DATABASE_REPLICA_MAX_LAG_SECONDS`` behind (``now() - pg_last_xact_replay_timestamp()`` while it
has WAL left to replay) is skipped (checked at most every ``DATABASE_REPLICA_CHECK_SECONDS`` per
process); with none left, the primary serves.

Row-level security holds on a replica exactly as on the primary: the signed scope is written at the
start of every transaction on every connection the session uses (``tenancy/rls.py``, the
``after_begin`` event fires per connection), signed with the replica backend's own pid, and the
signing key (``kvsp_private``) is replicated with everything else.
"""
from __future__ import annotations

import hashlib
import random
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app, g, has_request_context, request
from flask_sqlalchemy.session import Session as FlaskSession

PRIMARY_COOKIE = "kvsp_primary"  # read-your-writes: this client reads from the primary until then
_EXTENSION = "kvsp_replicas"
_LAG = sa.text(
    "SELECT pg_is_in_recovery(), CASE WHEN pg_last_wal_receive_lsn() IS NULL "
    "OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0) END")


@dataclass
class Replica:
    url: str
    engine: sa.engine.Engine
    checked_at: float = 0.0
    healthy: bool = False
    lag: float | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


class Replicas:
    def __init__(self, app):
        config = app.config
        urls = config.get("DATABASE_REPLICA_URLS") or []
        if isinstance(urls, str):
            urls = [u.strip() for u in urls.split(",") if u.strip()]
        primary = str(config.get("SQLALCHEMY_DATABASE_URI", ""))
        self.enabled = bool(urls) and primary.startswith("postgresql")
        self.max_lag = float(config.get("DATABASE_REPLICA_MAX_LAG_SECONDS", 5))
        self.check_every = float(config.get("DATABASE_REPLICA_CHECK_SECONDS", 2))
        self.sticky = int(config.get("DATABASE_REPLICA_STICKY_SECONDS", 30))
        options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        connect_args = dict(options.pop("connect_args", {}) or {})
        connect_args.setdefault("connect_timeout", 2)
        self.replicas = [Replica(url, sa.create_engine(url, connect_args=connect_args, **options))
                         for url in urls] if self.enabled else []

    def usable(self) -> list[Replica]:
        now = time.monotonic()
        for replica in self.replicas:
            if now - replica.checked_at >= self.check_every:
                with replica.lock:
                    if now - replica.checked_at >= self.check_every:
                        self._check(replica)
                        replica.checked_at = time.monotonic()
        return [r for r in self.replicas if r.healthy]

    def _check(self, replica: Replica) -> None:
        try:
            with replica.engine.connect() as conn:
                in_recovery, lag = conn.execute(_LAG).one()
            replica.lag = float(lag or 0)
            replica.healthy = bool(in_recovery) and replica.lag <= self.max_lag
        except sa.exc.SQLAlchemyError as exc:
            replica.healthy, replica.lag = False, None
            replica.engine.dispose()  # connections to a stopped server are dead
            current_app.logger.warning("read replica unavailable, reading from the primary: %s",
                                       type(exc).__name__)

    def dispose(self) -> None:
        for replica in self.replicas:
            replica.engine.dispose()


def init_app(app) -> None:
    app.extensions[_EXTENSION] = Replicas(app)

    @app.after_request
    def _mark_writer(response):
        if not getattr(g, "kvsp_wrote", False) and request.method in ("GET", "HEAD", "OPTIONS"):
            return response
        state: Replicas = app.extensions[_EXTENSION]
        if not state.enabled:
            return response
        until = int(time.time()) + state.sticky
        token = _bearer_digest()
        if token:
            from .caching import cache

            cache.set(f"primary-until:{token}", until, timeout=state.sticky)
        else:
            response.set_cookie(PRIMARY_COOKIE, str(until), max_age=state.sticky, httponly=True,
                                samesite="Lax", secure=bool(app.config.get("SESSION_COOKIE_SECURE")))
        response.headers["Cache-Control"] = "private, no-store"
        return response


def configured(app=None) -> Replicas | None:
    app = app or current_app
    return app.extensions.get(_EXTENSION)


def reconfigure(app, urls, **settings) -> None:
    """Replace the replicas (tests; a configuration reload)."""
    old = configured(app)
    if old is not None:
        old.dispose()
    app.config["DATABASE_REPLICA_URLS"] = urls
    app.config.update(settings)
    app.extensions[_EXTENSION] = Replicas(app)


def _bearer_digest() -> str | None:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer ") and len(header) > 7:
        return hashlib.sha256(header[7:].strip().encode()).hexdigest()
    return None


def _marked_for_primary(state: Replicas) -> bool:
    now = time.time()
    try:
        if float(request.cookies.get(PRIMARY_COOKIE, "0")) > now:
            return True
    except ValueError:
        pass
    token = _bearer_digest()
    if token:
        from .caching import cache

        until = cache.get(f"primary-until:{token}")
        return bool(until and float(until) > now)
    return False


def _decide() -> Replica | None:
    state = configured()
    if state is None or not state.enabled or request.endpoint is None:
        return None
    from .tenancy.web import reads_from_replica

    view = current_app.view_functions.get(request.endpoint)
    if view is None or not reads_from_replica(view, request.method, request.path):
        return None
    if _marked_for_primary(state):
        return None
    usable = state.usable()
    return random.choice(usable) if usable else None  # nosec B311 - spreading load, not security


def engine_for_request() -> sa.engine.Engine | None:
    """The replica engine this request reads from, or None (the primary)."""
    if not has_request_context() or getattr(g, "kvsp_wrote", False) or getattr(g, "kvsp_on_primary", 0):
        return None
    if "kvsp_replica" not in g:
        g.kvsp_replica = None  # while deciding (the decision itself reads no table)
        g.kvsp_replica = _decide()
    replica = g.kvsp_replica
    return replica.engine if replica is not None else None


def serving() -> str:
    """'replica' or 'primary': where this request's reads go (tests, the benchmark's marker)."""
    return "replica" if engine_for_request() is not None else "primary"


@contextmanager
def on_primary():
    """Read from the primary inside this block (e.g. a token just issued, not yet replicated)."""
    if not has_request_context():
        yield
        return
    g.kvsp_on_primary = getattr(g, "kvsp_on_primary", 0) + 1
    try:
        yield
    finally:
        g.kvsp_on_primary -= 1


def _is_write(clause) -> bool:
    if clause is None:
        return False
    if getattr(clause, "is_dml", False):
        return True
    if getattr(clause, "_for_update_arg", None) is not None:
        return True
    if isinstance(clause, sa.TextClause):
        return not clause.text.lstrip().lower().startswith("select")
    return False


def _note_write() -> None:
    if has_request_context():
        g.kvsp_wrote = True


class RoutingSession(FlaskSession):
    """``db.session``: statements of a read-only request go to its replica, if it has one."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None and has_request_context():
            if self._flushing or _is_write(clause):
                _note_write()
            else:
                engine = engine_for_request()
                if engine is not None:
                    return engine
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)
