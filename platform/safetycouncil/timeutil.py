"""The one clock and the one zone (Europe/Tirane). Nothing else asks the system for the time or
names the zone: ruff's DTZ and banned-api rules (pyproject.toml) fail the tests on a new one.

Stored timestamps are naive UTC; a meeting's own times (``starts_at``/``ends_at``) are naive local."""
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL_TIMEZONE = ZoneInfo("Europe/Tirane")


def utcnow() -> datetime:
    """Naive UTC timestamp, the form every timestamp column stores."""
    return datetime.now(UTC).replace(tzinfo=None)


def now_in_albania() -> datetime:
    """Now, aware, in Albania's zone."""
    return datetime.now(LOCAL_TIMEZONE)


def local_now() -> datetime:
    """Now in Albania, naive and to the second (the form of ``Meeting.starts_at``)."""
    return now_in_albania().replace(tzinfo=None, microsecond=0)


def local_today() -> date:
    """Today in Albania."""
    return now_in_albania().date()


def utc_to_local(value: datetime) -> datetime:
    """A naive UTC time to naive local (Albanian) time."""
    return value.replace(tzinfo=UTC).astimezone(LOCAL_TIMEZONE).replace(tzinfo=None)


def local_to_utc(value: datetime) -> datetime:
    """A naive local (Albanian) time to naive UTC."""
    return value.replace(tzinfo=LOCAL_TIMEZONE).astimezone(UTC).replace(tzinfo=None)


def local_day(value: datetime) -> date:
    """The Albanian calendar day of a stored (naive UTC) timestamp."""
    return utc_to_local(value).date()
