from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL_TIMEZONE = ZoneInfo("Europe/Tirane")


def utcnow() -> datetime:
    """Naive UTC timestamp, the form every timestamp column stores."""
    return datetime.now(UTC).replace(tzinfo=None)


def local_today() -> date:
    """Today in Albania."""
    return datetime.now(LOCAL_TIMEZONE).date()
