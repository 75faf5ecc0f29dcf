"""Demo webhooks: Elbasan's website receives the council's meetings and press releases, with a delivery
log (one event delivered at once, one delivered after the receiver failed once). The address is an example
one: on the embedded default new events are tried there, fail and are retried, as with any receiver that
does not answer. Idempotent: a subscription already there is left as it is."""
from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from ..accounts.models import User
from ..extensions import db
from ..tenancy import tenant
from ..timeutil import utcnow
from . import services
from .models import Attempt, Delivery, Event, Subscription

DEMO_IN = "elbasan"
DEMO_URL = "https://webhooks.example.org/kvsp/elbasan"


def load_demo(municipalities) -> None:
    from ..demo import DEMO_DOMAIN

    municipality = next((m for m in municipalities if m.slug == DEMO_IN), None)
    if municipality is None:
        return
    secretary = db.session.execute(select(User.id).where(User.email == f"sekretari.{DEMO_IN}@{DEMO_DOMAIN}")).scalar()
    with tenant(municipality.id):
        if db.session.execute(select(Subscription.id).where(Subscription.url == DEMO_URL)).first():
            return
        # Saved directly: the demo's example address is not looked up (the embedded default may be offline).
        subscription = Subscription(url=DEMO_URL, description="Faqja zyrtare e Bashkisë Elbasan",
                                    event_types=["meeting.scheduled", "meeting.changed", "press_release.published",
                                                 "plan_version.approved", "monitoring_report.published"],
                                    secret_encrypted=services.encrypt_secret(services.new_secret()),
                                    created_by_id=secretary, active=True)
        db.session.add(subscription)
        db.session.flush()
        now = utcnow().replace(microsecond=0)
        for days, event_type, data, codes in (
                (9, "meeting.scheduled", {"meeting_id": None, "kind": "council", "title": "Mbledhja e Këshillit",
                                          "status": "planned"}, [200]),
                (2, "press_release.published", {"press_release_id": None, "title": "Njoftim për shtyp"}, [500, 200])):
            at = now - timedelta(days=days)
            event = Event(uid=str(uuid.uuid4()), event_type=event_type, data=data, occurred_at=at)
            db.session.add(event)
            db.session.flush()
            delivery = Delivery(event_id=event.id, subscription_id=subscription.id, status="delivered",
                                attempts=len(codes), created_at=at, last_attempt_at=at, delivered_at=at,
                                last_status_code=codes[-1])
            db.session.add(delivery)
            db.session.flush()
            for number, code in enumerate(codes, start=1):
                started = at + services.backoff(number - 1) * (number - 1)
                db.session.add(Attempt(delivery_id=delivery.id, number=number, started_at=started,
                                       duration_ms=180 + 40 * number, status_code=code, ok=code == 200,
                                       error=None if code == 200 else f"The receiver answered {code}."))
            delivery.last_attempt_at = delivery.delivered_at = started
        subscription.last_delivery_at = now - timedelta(days=2)
        db.session.commit()
