"""The ``data`` of each event: what a receiver needs to find the record (ids, the public address when
there is one) and its main facts, never personal data. Date-times of the platform's clock are UTC
with ``Z``; meeting times are Albanian local times with their offset, as in the API."""
from __future__ import annotations

from datetime import UTC, date, datetime

from ..timeutil import LOCAL_TIMEZONE


def _utc(value: datetime | None) -> str | None:
    return value.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z") if value is not None else None


def _local(value: datetime | None) -> str | None:
    return value.replace(tzinfo=LOCAL_TIMEZONE).isoformat() if value is not None else None


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def meeting(m) -> dict:
    return {"meeting_id": m.id, "kind": m.kind, "title": m.title, "status": m.status,
            "starts_at": _local(m.starts_at), "ends_at": _local(m.ends_at), "location": m.location,
            "cancelled_reason": getattr(m, "cancelled_reason", None)}


def invitations(m, sent: int) -> dict:
    return {**meeting(m), "invitations_sent": sent, "invitation_sent_at": _utc(m.invitation_sent_at)}


def press_release(release, m) -> dict:
    return {"press_release_id": release.id, "meeting_id": m.id, "title": release.title,
            "published_at": _utc(release.published_at), "published_late": release.published_late,
            "hours_after_meeting": release.hours_after_meeting}


def plan_version(version, plan) -> dict:
    return {"plan_id": plan.id, "plan_version_id": version.id, "year": plan.year, "title": plan.title,
            "number": version.number, "approved_on": _day(version.approved_on),
            "approved_decision_id": version.approved_decision_id, "approved_meeting_id": version.approved_meeting_id}


def monitoring_report(report) -> dict:
    return {"report_id": report.id, "kind": report.kind, "plan_id": report.plan_id,
            "period_start": _day(report.period_start), "period_end": _day(report.period_end),
            "language": report.language, "published_at": _utc(report.published_at)}
