"""Ids for the isolation sweep (tests/tenancy/test_isolation_sweep.py): a webhook subscription, and a
delivery (of its own subscription and event). Runs inside the current tenant scope."""
import uuid

from safetycouncil.webhooks.models import Delivery, Event, Subscription


def _subscription(session, tag):
    row = Subscription(url=f"https://hooks.example.org/{tag}", event_types=["meeting.scheduled"],
                       secret_encrypted="x", active=True)
    session.add(row)
    session.flush()
    return row.id


def _delivery(session, tag):
    subscription = Subscription(url=f"https://hooks.example.org/{tag}/d", event_types=["meeting.scheduled"],
                                secret_encrypted="x", active=False)
    event = Event(uid=str(uuid.uuid4()), event_type="meeting.scheduled", data={})
    session.add_all([subscription, event])
    session.flush()
    row = Delivery(event_id=event.id, subscription_id=subscription.id, status="failed")
    session.add(row)
    session.flush()
    return row.id


ID_FACTORIES = {"subscription_id": _subscription, "delivery_id": _delivery}
