"""Settings, read from environment variables, with an embedded default.

With nothing set the platform runs on its embedded default: SQLite in
``instance/``, background jobs run in-process, documents on local disk,
mail written to a log. Production sets DATABASE_URL, REDIS_URL, S3_BUCKET,
SMTP_HOST, SENTRY_DSN and SECRET_KEY.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(value: str | None, default: int) -> int:
    return int(value) if value not in (None, "") else default


def _persistent_secret(instance: Path) -> str:
    """A random secret kept in instance/ so sessions survive restarts of the embedded default."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def load_config(env: dict[str, str] | None = None) -> dict:
    env = dict(os.environ if env is None else env)
    instance = Path(env.get("INSTANCE_PATH") or PROJECT_ROOT / "instance")
    production = env.get("KVSP_ENV", "").lower() == "production"
    if production and not env.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set in production (KVSP_ENV=production).")
    # The public address links in e-mails are built from (never the address the server binds to).
    public_base_url = (env.get("PUBLIC_BASE_URL") or env.get("BASE_URL") or "").strip().rstrip("/")
    if production and not public_base_url:
        raise RuntimeError("PUBLIC_BASE_URL must be set in production (the address people open, "
                           "e.g. https://kvsp.example.al): links in e-mails are built from it.")
    public_base_url = public_base_url or f"http://127.0.0.1:{env.get('PORT') or 5000}"
    database_url = env.get("DATABASE_URL") or f"sqlite:///{instance / 'kvsp.sqlite3'}"
    redis_url = env.get("REDIS_URL") or None
    # Two-factor sign-in: required of these roles. Production requires it of the Ministry and the
    # administrators unless KVSP_TWO_FACTOR_ROLES says otherwise ("none" to turn it off).
    two_factor = env.get("KVSP_TWO_FACTOR_ROLES")
    if two_factor is None:
        two_factor = "admin,ministry" if production else ""
    two_factor_roles = frozenset(r.strip() for r in two_factor.split(",") if r.strip() and r.strip() != "none")
    return {
        "PRODUCTION": production,
        "INSTANCE_PATH": str(instance),
        "SECRET_KEY": env.get("SECRET_KEY") or _persistent_secret(instance),
        "SQLALCHEMY_DATABASE_URI": database_url,
        # Migrations run as the owner of the tables; the application connects as a role
        # that neither owns them nor bypasses row-level security (PostgreSQL only).
        "MIGRATION_DATABASE_URL": env.get("MIGRATION_DATABASE_URL") or database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # Read replicas (PostgreSQL streaming replicas, the application role): read-only requests
        # read from one (replicas.py); a replica further behind than MAX_LAG seconds, or down, is
        # skipped (checked every CHECK seconds per process); a client that wrote reads from the
        # primary for STICKY seconds (read-your-writes).
        "DATABASE_REPLICA_URLS": [u.strip() for u in (env.get("DATABASE_REPLICA_URLS") or "").split(",") if u.strip()],
        "DATABASE_REPLICA_MAX_LAG_SECONDS": float(env.get("DATABASE_REPLICA_MAX_LAG_SECONDS") or 5),
        "DATABASE_REPLICA_CHECK_SECONDS": float(env.get("DATABASE_REPLICA_CHECK_SECONDS") or 2),
        "DATABASE_REPLICA_STICKY_SECONDS": _int(env.get("DATABASE_REPLICA_STICKY_SECONDS"), 30),
        # The key that signs the row-level security scope (tenancy/rls.py); derived from SECRET_KEY
        # when unset. The migration stores it in the database; after changing it (or SECRET_KEY)
        # run `flask tenants rls-key` as the owner, or every tenant read comes back empty.
        "RLS_SCOPE_KEY": env.get("RLS_SCOPE_KEY") or None,
        # Backups and restores (PostgreSQL): a role that bypasses row-level security.
        "BACKUP_DATABASE_URL": env.get("BACKUP_DATABASE_URL") or None,
        "REDIS_URL": redis_url,
        "JOBS_IN_PROCESS": redis_url is None or _bool(env.get("JOBS_IN_PROCESS")),
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        # How many reverse proxies stand in front of the web processes and are trusted to say who
        # the client is (X-Forwarded-For, -Proto, -Host): 1 behind infra/nginx.conf or the
        # Kubernetes ingress, 2 with a load balancer in front of nginx, 0 when clients connect
        # directly. Rate limits and sign-in throttling key on the client address found this way;
        # too high a number lets a client choose its own address (see infra/README.md).
        "TRUSTED_PROXY_COUNT": _int(env.get("TRUSTED_PROXY_COUNT"), 0),
        "STORAGE_BACKEND": "s3" if env.get("S3_BUCKET") else "disk",
        "STORAGE_DIR": env.get("STORAGE_DIR") or str(instance / "files"),
        "S3_BUCKET": env.get("S3_BUCKET"),
        "S3_ENDPOINT_URL": env.get("S3_ENDPOINT_URL") or None,
        "S3_REGION": env.get("S3_REGION") or "eu-central-1",
        "MAIL_BACKEND": "smtp" if env.get("SMTP_HOST") else "log",
        "MAIL_LOG_PATH": env.get("MAIL_LOG_PATH") or str(instance / "mail.log"),
        "SMTP_HOST": env.get("SMTP_HOST"),
        "SMTP_PORT": _int(env.get("SMTP_PORT"), 25),
        "SMTP_USERNAME": env.get("SMTP_USERNAME"),
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD"),
        "SMTP_STARTTLS": _bool(env.get("SMTP_STARTTLS")),
        "MAIL_SENDER": env.get("MAIL_SENDER") or "KVSP <no-reply@kvsp.example>",
        "BASE_URL": public_base_url,  # from PUBLIC_BASE_URL (BASE_URL is its older name)
        "SENTRY_DSN": env.get("SENTRY_DSN") or None,
        "LOG_FORMAT": env.get("LOG_FORMAT") or ("json" if production else "text"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_NAME": "kvsp_session",
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 12,
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "sq",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Tirane",
        "LANGUAGES": ["sq", "en"],
        # How long citizens' contact details on concerns are kept before erasure (data protection):
        # the default until the Ministry sets the period on /national/data-protection.
        "CONCERN_CONTACT_RETENTION_DAYS": _int(env.get("CONCERN_CONTACT_RETENTION_DAYS"), 365),
        # How long a municipality's data archive (a zip with personal data) stays downloadable.
        "DATA_ARCHIVE_KEEP_DAYS": _int(env.get("DATA_ARCHIVE_KEEP_DAYS"), 7),
        "INVITATION_VALID_HOURS": _int(env.get("INVITATION_VALID_HOURS"), 72),
        "PASSWORD_RESET_VALID_HOURS": _int(env.get("PASSWORD_RESET_VALID_HOURS"), 2),
        "API_TOKEN_VALID_HOURS": _int(env.get("API_TOKEN_VALID_HOURS"), 12),
        "LOGIN_FAILURES_BEFORE_LOCK": _int(env.get("LOGIN_FAILURES_BEFORE_LOCK"), 5),
        "LOGIN_LOCK_MINUTES": _int(env.get("LOGIN_LOCK_MINUTES"), 15),
        # Agenda materials in invitations: attached up to this many bytes in all, otherwise a
        # personal link that needs no account, valid until this many days after the meeting.
        "MATERIALS_ATTACH_MAX_BYTES": _int(env.get("MATERIALS_ATTACH_MAX_BYTES"), 5 * 1024 * 1024),
        "MATERIAL_LINK_DAYS_AFTER_MEETING": _int(env.get("MATERIAL_LINK_DAYS_AFTER_MEETING"), 30),
        # The schedule (schedule.py) also runs in-process on the embedded default (no Redis).
        "SCHEDULE_IN_PROCESS": _bool(env.get("SCHEDULE_IN_PROCESS", "1")) and redis_url is None,
        # Wrong passwords at one address from all clients together within LOGIN_LOCK_MINUTES before
        # every attempt at it is refused (accounts/throttle.py); one client gets
        # LOGIN_FAILURES_BEFORE_LOCK.
        "LOGIN_ACCOUNT_FAILURES": _int(env.get("LOGIN_ACCOUNT_FAILURES"), 100),
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT") or "20 per minute",
        "TWO_FACTOR_ROLES": two_factor_roles,
        "TWO_FACTOR_ISSUER": env.get("TWO_FACTOR_ISSUER") or "KVSP",
        # An invitation row left 'sending' longer than this (a killed worker) is put back to
        # 'pending' when the job is retried; longer than a job may run (job_timeout, 10 minutes).
        "INVITATION_STUCK_MINUTES": _int(env.get("INVITATION_STUCK_MINUTES"), 15),
        # Webhooks: timeout of one delivery, retries (base x 4^n seconds), failures in a row before a
        # subscription is disabled, networks refused besides the non-public ones (the platform's own,
        # comma-separated CIDRs), and plain http to the loopback address (tests only, never production).
        "WEBHOOKS_TIMEOUT_SECONDS": _int(env.get("WEBHOOKS_TIMEOUT_SECONDS"), 10),
        "WEBHOOKS_MAX_ATTEMPTS": _int(env.get("WEBHOOKS_MAX_ATTEMPTS"), 6),
        "WEBHOOKS_RETRY_BASE_SECONDS": _int(env.get("WEBHOOKS_RETRY_BASE_SECONDS"), 30),
        "WEBHOOKS_DISABLE_AFTER": _int(env.get("WEBHOOKS_DISABLE_AFTER"), 10),
        "WEBHOOKS_BLOCKED_NETWORKS": [n.strip() for n in env.get("WEBHOOKS_BLOCKED_NETWORKS", "").split(",")
                                      if n.strip()],
        "WEBHOOKS_ALLOW_LOOPBACK_HTTP": (not production) and _bool(env.get("WEBHOOKS_ALLOW_LOOPBACK_HTTP")),
        # The largest request body (audio recordings); each kind of file has its own smaller limit.
        "MAX_CONTENT_LENGTH": _int(env.get("MAX_UPLOAD_BYTES"), 310 * 1024 * 1024),
        "API_TITLE": "KVSP platform API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
    }
