"""Webhooks: subscribing, emitting events, delivering them signed, retrying, replaying.

* ``emit(event_type, municipality_id, data, key=None)``: called by the services where things happen,
  inside their transaction. Writes the event (the outbox) and one delivery per active subscription
  that wants it (the municipality's own and the Ministry's); once the transaction commits, each
  delivery is handed to the job queue (``jobs.enqueue``). A ``key`` makes an event emitted once
  (an obligation found overdue again tomorrow).
* ``deliver(delivery_id)``: one attempt. The body is ``{"id", "type", "occurred_at", "municipality",
  "data"}`` (``id`` the event's, the same in every attempt and replay: receivers deduplicate by it);
  the headers carry ``X-KVSP-Timestamp`` (Unix seconds) and ``X-KVSP-Signature: sha256=<hex>``, the
  HMAC-SHA256 of ``<timestamp>.<body>`` with the subscription's secret. A 2xx answer delivers it;
  anything else (another status, a refused address, a timeout) is retried with exponential back-off
  (``WEBHOOKS_RETRY_BASE_SECONDS`` x 4^n, ``WEBHOOKS_MAX_ATTEMPTS`` in all) and counts as a failure of
  the subscription: after ``WEBHOOKS_DISABLE_AFTER`` failures in a row it is disabled, with the
  reason shown on its page and in the API, until someone enables it again.
* Addresses: only ``https`` to public addresses, checked when a subscription is saved and again at
  every delivery (the name may resolve elsewhere by then: DNS rebinding); the connection goes to the
  address that was checked. ``WEBHOOKS_ALLOW_LOOPBACK_HTTP`` (tests only) also allows ``http`` to the
  loopback address. Redirects are not followed.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import secrets
import socket
import ssl
import time
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import event as sa_event
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import jobs
from ..errors import ValidationFailed
from ..extensions import db
from ..municipalities.models import Municipality
from ..tenancy.context import current_municipality_id
from ..timeutil import utcnow
from .models import EVENT_TYPES, Attempt, Delivery, Event, NationalSubscription, Subscription

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-KVSP-Signature"
TIMESTAMP_HEADER = "X-KVSP-Timestamp"
EVENT_HEADER = "X-KVSP-Event"
EVENT_ID_HEADER = "X-KVSP-Event-Id"
DELIVERY_HEADER = "X-KVSP-Delivery"
USER_AGENT = "KVSP-Webhooks/1"
MAX_URL = 500
_PENDING = "kvsp_webhook_deliveries"


def _conf(name: str, default):
    return current_app.config.get(name, default)


# --- secrets -------------------------------------------------------------------------------------

def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def _fernet():
    from cryptography.fernet import Fernet

    key = hashlib.sha256(b"kvsp-webhook-secrets:" + str(current_app.config["SECRET_KEY"]).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt_secret(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def secret_of(subscription) -> str:
    return _fernet().decrypt(subscription.secret_encrypted.encode()).decode()


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256 of ``<timestamp>.<body>`` with the secret."""
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str, *, tolerance: int = 300,
           now: float | None = None) -> bool:
    """What a receiver does (also in the README): the signature matches and the timestamp is recent."""
    try:
        age = abs((now if now is not None else time.time()) - int(timestamp))
    except (TypeError, ValueError):
        return False
    return age <= tolerance and hmac.compare_digest(sign(secret, timestamp, body), signature or "")


# --- addresses -------------------------------------------------------------------------------------

class AddressRefused(Exception):
    """The URL is not public HTTPS (or resolves to an address that is not public)."""


def _blocked_networks():
    return [ipaddress.ip_network(n, strict=False) for n in _conf("WEBHOOKS_BLOCKED_NETWORKS", ()) or ()]


def _allowed_address(ip, allow_loopback: bool) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if allow_loopback and ip.is_loopback:
        return True
    if not ip.is_global or ip.is_multicast or ip.is_reserved or ip.is_unspecified:
        return False
    return not any(ip in network for network in _blocked_networks())


def resolve(url: str) -> tuple[str, str, int, list[str]]:
    """(scheme, host, port, the addresses to connect to) of an acceptable URL; AddressRefused otherwise."""
    allow_loopback = bool(_conf("WEBHOOKS_ALLOW_LOOPBACK_HTTP", False))
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise AddressRefused(_("This is not a valid address.")) from exc
    scheme, host = parts.scheme.lower(), parts.hostname
    if scheme != "https" and not (allow_loopback and scheme == "http"):
        raise AddressRefused(_("The address must start with https://."))
    if not host or parts.username or parts.password:
        raise AddressRefused(_("Give the address of a server, without a user name or password."))
    port = port or (443 if scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise AddressRefused(_("The server's name could not be found.")) from exc
    addresses = []
    for info in infos:
        ip = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if not _allowed_address(ip, allow_loopback):
            raise AddressRefused(_("The address leads to a private or internal network: only public servers "
                                   "can receive webhooks."))
        if scheme == "http" and not ip.is_loopback:
            raise AddressRefused(_("The address must start with https://."))
        addresses.append(str(ip))
    if not addresses:
        raise AddressRefused(_("The server's name could not be found."))
    return scheme, host, port, addresses


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to the address that was checked, with the certificate checked for the host's name."""

    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST once, to the checked address; returns the status code. Raises AddressRefused or OSError."""
    scheme, host, port, addresses = resolve(url)
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    timeout = float(_conf("WEBHOOKS_TIMEOUT_SECONDS", 10))
    cls = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = cls(host, port, addresses[0], timeout=timeout)
    try:
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        response.read(65536)
        return response.status
    finally:
        connection.close()


# --- subscriptions ---------------------------------------------------------------------------------

def _validate(url, event_types, description, *, current_url: str | None = None) -> tuple[dict, dict]:
    errors: dict[str, str] = {}
    url = (url or "").strip()
    if current_url is not None and url == current_url:
        pass  # unchanged: checked again at every delivery anyway
    elif not url:
        errors["url"] = _("Give the address that receives the events (https://...).")
    elif len(url) > MAX_URL:
        errors["url"] = _("The address is too long (at most %(max)d characters).", max=MAX_URL)
    else:
        try:
            resolve(url)
        except AddressRefused as exc:
            errors["url"] = str(exc)
    types = list(dict.fromkeys(event_types or []))
    if not types:
        errors["event_types"] = _("Choose at least one event.")
    elif any(t not in EVENT_TYPES for t in types):
        errors["event_types"] = _("Choose events from the list.")
    description = (description or "").strip() or None
    if description and len(description) > 200:
        errors["description"] = _("The description is too long (at most %(max)d characters).", max=200)
    return {"url": url, "event_types": types, "description": description}, errors


def create_subscription(*, national: bool, url, event_types, description=None,
                        user_id: int | None = None) -> tuple[Subscription | NationalSubscription, str]:
    """A new subscription and its secret (the only time the secret is shown)."""
    values, errors = _validate(url, event_types, description)
    if errors:
        raise ValidationFailed(errors)
    secret = new_secret()
    model = NationalSubscription if national else Subscription
    subscription = model(**values, secret_encrypted=encrypt_secret(secret), created_by_id=user_id, active=True)
    db.session.add(subscription)
    db.session.flush()
    return subscription, secret


def update_subscription(subscription, *, url=None, event_types=None, description=..., active=None):
    values, errors = _validate(subscription.url if url is None else url,
                               subscription.event_types if event_types is None else event_types,
                               subscription.description if description is ... else description,
                               current_url=subscription.url)
    if errors:
        raise ValidationFailed(errors)
    for key, value in values.items():
        setattr(subscription, key, value)
    if active is not None and bool(active) != subscription.active:
        subscription.active = bool(active)
        if subscription.active:
            subscription.consecutive_failures, subscription.disabled_at, subscription.disabled_reason = 0, None, None
        else:
            subscription.disabled_at, subscription.disabled_reason = utcnow(), None
    db.session.flush()
    return subscription


def rotate_secret(subscription) -> str:
    secret = new_secret()
    subscription.secret_encrypted = encrypt_secret(secret)
    subscription.secret_rotated_at = utcnow()
    db.session.flush()
    return secret


def delete_subscription(subscription) -> None:
    db.session.delete(subscription)
    db.session.flush()


def get_subscription(subscription_id: int) -> Subscription | None:
    return db.session.get(Subscription, subscription_id)


def list_subscriptions(*, national: bool) -> list:
    model = NationalSubscription if national else Subscription
    return list(db.session.execute(select(model).order_by(model.id)).scalars())


def get_delivery(delivery_id: int, subscription) -> Delivery | None:
    column = Delivery.national_subscription_id if subscription.national else Delivery.subscription_id
    return db.session.execute(select(Delivery).where(Delivery.id == delivery_id,
                                                     column == subscription.id)).scalar_one_or_none()


def deliveries_of(subscription, limit: int | None = None) -> list[Delivery]:
    column = Delivery.national_subscription_id if subscription.national else Delivery.subscription_id
    query = select(Delivery).where(column == subscription.id).order_by(Delivery.id.desc())
    if limit:
        query = query.limit(limit)
    return list(db.session.execute(query).scalars())


def attempts_of(delivery_ids) -> dict[int, list[Attempt]]:
    out: dict[int, list[Attempt]] = {i: [] for i in delivery_ids}
    if delivery_ids:
        for attempt in db.session.execute(select(Attempt).where(Attempt.delivery_id.in_(list(delivery_ids)))
                                          .order_by(Attempt.number)).scalars():
            out[attempt.delivery_id].append(attempt)
    return out


# --- emitting --------------------------------------------------------------------------------------

def _iso(value: datetime) -> str:
    return value.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")


def emit(event_type: str, municipality_id: int | None, data: dict, *, key: str | None = None) -> Event | None:
    """Record an event of ``municipality_id`` (default: the current one) and its deliveries, in the
    current transaction; they are sent once it commits. Returns the event (None when there is no
    subscriber, or when ``key`` was emitted before)."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown webhook event {event_type!r}")
    municipality_id = municipality_id or current_municipality_id()
    own = [s for s in db.session.execute(select(Subscription).where(
        Subscription.municipality_id == municipality_id, Subscription.active.is_(True))).scalars()
        if s.wants(event_type)]
    national = [s for s in db.session.execute(select(NationalSubscription).where(
        NationalSubscription.active.is_(True))).scalars() if s.wants(event_type)]
    if not own and not national:
        return None
    if key is not None and db.session.execute(select(Event.id).where(
            Event.municipality_id == municipality_id, Event.event_type == event_type,
            Event.dedup_key == key)).first():
        return None
    event = Event(uid=str(uuid.uuid4()), event_type=event_type, dedup_key=key, data=data,
                  municipality_id=municipality_id, occurred_at=utcnow())
    db.session.add(event)
    db.session.flush()
    deliveries = [Delivery(event_id=event.id, subscription_id=s.id, municipality_id=municipality_id,
                           status="pending", next_attempt_at=event.occurred_at) for s in own]
    deliveries += [Delivery(event_id=event.id, national_subscription_id=s.id, municipality_id=municipality_id,
                            status="pending", next_attempt_at=event.occurred_at) for s in national]
    db.session.add_all(deliveries)
    db.session.flush()
    db.session.info.setdefault(_PENDING, []).extend((d.id, municipality_id, False) for d in deliveries)
    return event


@sa_event.listens_for(Session, "after_commit")
def _send_after_commit(session) -> None:
    pending = session.info.pop(_PENDING, None)
    for delivery_id, municipality_id, manual in pending or ():
        try:
            jobs.enqueue(deliver_job, delivery_id, manual=manual, municipality_id=municipality_id)
        except Exception:  # the schedule's sweep (deliver_due_job) sends it later
            log.exception("webhook delivery %s not queued", delivery_id)


@sa_event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session) -> None:
    session.info.pop(_PENDING, None)


# --- delivering ------------------------------------------------------------------------------------

def envelope(event: Event, municipality: Municipality) -> dict:
    return {"id": event.uid, "type": event.event_type, "occurred_at": _iso(event.occurred_at),
            "municipality": {"slug": municipality.slug, "name": municipality.name}, "data": event.data}


def _subscription_of(delivery: Delivery):
    if delivery.subscription_id is not None:
        return db.session.get(Subscription, delivery.subscription_id)
    return db.session.get(NationalSubscription, delivery.national_subscription_id)


def backoff(attempt: int) -> timedelta:
    return timedelta(seconds=int(_conf("WEBHOOKS_RETRY_BASE_SECONDS", 30)) * 4 ** max(attempt - 1, 0))


def deliver(delivery_id: int, *, manual: bool = False) -> Attempt | None:
    """One attempt at a delivery (in its municipality's scope). Commits."""
    delivery = db.session.get(Delivery, delivery_id)
    if delivery is None or (delivery.status == "delivered" and not manual):
        return None
    subscription = _subscription_of(delivery)
    if subscription is None:
        return None
    if not subscription.active and not manual:
        delivery.status, delivery.next_attempt_at = "failed", None
        delivery.last_error = _("The subscription is disabled.")[:300]
        db.session.commit()
        return None
    municipality = db.session.get(Municipality, delivery.municipality_id)
    body = json.dumps(envelope(delivery.event, municipality), ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = str(int(time.time()))
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT,
               EVENT_HEADER: delivery.event.event_type, EVENT_ID_HEADER: delivery.event.uid,
               DELIVERY_HEADER: str(delivery.id), TIMESTAMP_HEADER: timestamp,
               SIGNATURE_HEADER: sign(secret_of(subscription), timestamp, body)}
    started, clock = utcnow(), time.monotonic()
    status_code, error = None, None
    try:
        status_code = post(subscription.url, body, headers)
        if not 200 <= status_code < 300:
            error = _("The receiver answered %(code)d.", code=status_code)
    except AddressRefused as exc:
        error = str(exc)
    except (OSError, http.client.HTTPException) as exc:
        error = (_("No answer in time.") if isinstance(exc, TimeoutError | socket.timeout)
                 else _("The connection failed: %(error)s", error=type(exc).__name__))
    ok = error is None
    delivery.attempts += 1
    attempt = Attempt(delivery_id=delivery.id, number=delivery.attempts, manual=manual, started_at=started,
                      duration_ms=int((time.monotonic() - clock) * 1000), status_code=status_code, ok=ok,
                      error=error[:300] if error else None, municipality_id=delivery.municipality_id)
    db.session.add(attempt)
    delivery.last_attempt_at, delivery.last_status_code = started, status_code
    delivery.last_error = attempt.error
    subscription.last_delivery_at = started
    retry_in = None
    if ok:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = "delivered", utcnow(), None
        subscription.consecutive_failures = 0
    else:
        subscription.consecutive_failures += 1
        if subscription.active and subscription.consecutive_failures >= int(_conf("WEBHOOKS_DISABLE_AFTER", 10)):
            subscription.active, subscription.disabled_at = False, utcnow()
            subscription.disabled_reason = _(
                "Disabled after %(n)d failed deliveries in a row. Check the receiver, then enable it again.",
                n=subscription.consecutive_failures)[:300]
            log.warning("webhook subscription %s disabled after %d failures", subscription.id,
                        subscription.consecutive_failures)
        if subscription.active and delivery.attempts < int(_conf("WEBHOOKS_MAX_ATTEMPTS", 6)):
            retry_in = backoff(delivery.attempts)
            delivery.status, delivery.next_attempt_at = "retrying", utcnow() + retry_in
        else:
            delivery.status, delivery.next_attempt_at = "failed", None
    municipality_id = delivery.municipality_id
    db.session.commit()
    if retry_in is not None:
        jobs.enqueue_in(retry_in, deliver_job, delivery_id, municipality_id=municipality_id)
    return attempt


def deliver_job(delivery_id: int, manual: bool = False) -> bool:
    """Job: one attempt, unless another run has it or it is not due. True when delivered."""
    if not _claim(delivery_id):
        return False
    attempt = deliver(delivery_id, manual=manual)
    return bool(attempt and attempt.ok)


def _claim(delivery_id: int, now: datetime | None = None) -> bool:
    """Compare-and-set to 'sending': two runs (a delayed retry and the sweep) never send at once."""
    from sqlalchemy import update

    now = now or utcnow()
    stuck = now - timedelta(minutes=int(_conf("INVITATION_STUCK_MINUTES", 15)))
    result = db.session.execute(
        update(Delivery).where(Delivery.id == delivery_id,
                               ((Delivery.status.in_(("pending", "retrying")) & (Delivery.next_attempt_at <= now))
                                | ((Delivery.status == "sending") & (Delivery.updated_at < stuck))))
        .values(status="sending", updated_at=now).execution_options(synchronize_session=False))
    db.session.commit()
    return bool(result.rowcount)


def replay(delivery: Delivery) -> None:
    """Send a delivery again by hand (the same event id), whatever its state; after commit."""
    delivery.status, delivery.next_attempt_at = "pending", utcnow()
    db.session.flush()
    db.session.info.setdefault(_PENDING, []).append((delivery.id, delivery.municipality_id, True))


def deliver_due(now: datetime | None = None) -> int:
    """Every delivery whose time has come (retries, and any that was never queued), of every
    municipality; each in its municipality's scope. Returns how many were attempted."""
    from ..tenancy import tenant
    from ..tenancy.context import read_across_tenants

    now = now or utcnow()
    with read_across_tenants():
        due = db.session.execute(select(Delivery.id, Delivery.municipality_id).where(
            Delivery.status.in_(("pending", "retrying")), Delivery.next_attempt_at <= now)
            .order_by(Delivery.next_attempt_at).limit(500)).all()
    db.session.rollback()
    attempted = 0
    for delivery_id, municipality_id in due:
        with tenant(municipality_id):
            if _claim(delivery_id, now):
                deliver(delivery_id)
                attempted += 1
    return attempted


def deliver_due_job() -> int:
    """The schedule's sweep, every few minutes."""
    return deliver_due()


# --- obligations overdue ---------------------------------------------------------------------------

def emit_overdue_obligations(now: datetime | None = None) -> int:
    """Emit ``obligation.overdue`` once per obligation that the escalation marks overdue (the
    obligation's rule and key are the event's key), for the municipalities someone listens to."""
    from ..obligations import services as obligations
    from ..tenancy import tenant
    from ..tenancy.context import read_across_tenants

    national = any(s.wants("obligation.overdue") for s in list_subscriptions(national=True))
    with read_across_tenants():
        rows = db.session.execute(select(Subscription.municipality_id, Subscription.event_types)
                                  .where(Subscription.active.is_(True))).all()
    listening = {m for m, types in rows if "obligation.overdue" in (types or [])}
    ids = list(db.session.execute(select(Municipality.id).where(Municipality.active.is_(True))).scalars()) \
        if national else sorted(listening)
    db.session.rollback()
    emitted = 0
    for municipality_id in ids:
        with tenant(municipality_id):
            municipality = db.session.get(Municipality, municipality_id)
            for ob in obligations.obligations_of(municipality_id, now=now):
                if ob.state != obligations.OVERDUE:
                    continue
                data = obligations.as_json(ob, municipality.slug)
                if emit("obligation.overdue", municipality_id, _plain(data), key=f"{ob.rule}:{ob.due.key}"[:120]):
                    emitted += 1
            db.session.commit()
    return emitted


def emit_overdue_job() -> int:
    return emit_overdue_obligations()


def _plain(value):
    """JSON-safe copy (dates and date-times as ISO text)."""
    return json.loads(json.dumps(value, default=lambda v: v.isoformat() if hasattr(v, "isoformat") else str(v)))
