"""Column helpers shared by the models."""
from datetime import datetime, timezone


def utcnow() -> datetime:
    """Timezone-naive UTC now: stored the same way on SQLite and PostgreSQL."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
