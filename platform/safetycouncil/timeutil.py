from datetime import UTC, datetime


def utcnow() -> datetime:
    """Naive UTC timestamp, the form every timestamp column stores."""
    return datetime.now(UTC).replace(tzinfo=None)
