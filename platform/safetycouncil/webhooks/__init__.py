"""Webhooks: a council's administrators and the Ministry subscribe an HTTPS endpoint to events.

``emit(event_type, municipality_id, payload)`` is called by the services where things happen; it
writes the event and one delivery per matching subscription in the same transaction (an outbox),
and the deliveries are sent by the job queue once that transaction commits.
"""
from .services import emit  # noqa: F401
