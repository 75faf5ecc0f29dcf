"""Logs and errors: JSON lines with the request id, the municipality and the user on every line;
errors to Sentry with the municipality as a tag and personal data scrubbed."""
from __future__ import annotations

import json
import logging
from contextlib import contextmanager
from datetime import UTC, datetime

from flask import g, has_request_context, request

from .audit.trail import current_actor_id
from .tenancy.context import TenantScope, current_scope


def _context() -> dict:
    scope = current_scope()
    data = {
        "municipality_id": scope.municipality_id if isinstance(scope, TenantScope) else None,
        "user_id": current_actor_id(),
    }
    if has_request_context():
        data["request_id"] = getattr(g, "request_id", None)
        data["method"] = request.method
        data["path"] = request.path
        municipality = getattr(g, "municipality", None)
        if municipality is not None:
            data["municipality"] = municipality.slug
    return data


class ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in _context().items():
            setattr(record, key, value)
        return True


class JsonFormatter(logging.Formatter):
    FIELDS = ("request_id", "municipality", "municipality_id", "user_id", "method", "path")

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in self.FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                entry[field] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(app) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(ContextFilter())
    if app.config.get("LOG_FORMAT") == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter(
            "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(municipality)s user=%(user_id)s] %(message)s",
            defaults={"request_id": "-", "municipality": "-", "user_id": "-"}))
    root = logging.getLogger()
    if not any(getattr(h, "kvsp", False) for h in root.handlers):
        handler.kvsp = True
        root.addHandler(handler)
        root.setLevel(logging.INFO)


SCRUBBED_HEADERS = {"authorization", "cookie", "x-csrftoken", "x-api-key"}


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    """Sentry before_send: keep what helps fix the error, drop what identifies people."""
    req = event.get("request") or {}
    headers = req.get("headers") or {}
    req["headers"] = {k: ("[scrubbed]" if k.lower() in SCRUBBED_HEADERS else v) for k, v in headers.items()}
    req.pop("cookies", None)
    if req.get("data"):
        req["data"] = "[scrubbed]"
    if req.get("query_string"):
        req["query_string"] = "[scrubbed]"
    event["request"] = req
    user = event.get("user") or {}
    event["user"] = {"id": user.get("id")} if user.get("id") else {}
    context = _context() if has_request_context() else {}
    if context.get("municipality"):
        event.setdefault("tags", {})["municipality"] = context["municipality"]
    return event


@contextmanager
def job_scope(municipality_id: int | None, path: str):
    """A background job's errors reach Sentry tagged with its municipality and the job's function: a job
    has no request to take them from (the request's tags are set in ``scrub_event``). The error is
    captured here, inside the job's scope, and raised again (RQ records it; Sentry's deduplication
    drops the second report of the same exception by the RQ or Flask integration)."""
    import sentry_sdk

    if not sentry_sdk.get_client().is_active():
        yield
        return
    slug = None
    if municipality_id is not None:
        from sqlalchemy import select

        from .extensions import db
        from .municipalities.models import Municipality

        slug = db.session.execute(select(Municipality.slug).where(Municipality.id == municipality_id)).scalar()
    with sentry_sdk.isolation_scope() as scope:
        scope.set_tag("municipality", slug or "-")
        scope.set_tag("municipality_id", "-" if municipality_id is None else str(municipality_id))
        scope.set_tag("job", path)
        try:
            yield
        except Exception as exc:
            sentry_sdk.capture_exception(exc)
            raise


def init_sentry(app) -> None:
    if not app.config.get("SENTRY_DSN"):
        return
    import sentry_sdk

    sentry_sdk.init(dsn=app.config["SENTRY_DSN"], send_default_pii=False, traces_sample_rate=0.0,
                    before_send=scrub_event, environment="production" if app.config["PRODUCTION"] else "dev")
