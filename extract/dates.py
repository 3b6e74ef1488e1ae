"""Publication dates: Indonesian formats, WIB/WITA/WIT, day-first numbers."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

WIB = timezone(timedelta(hours=7), "WIB")


def parse_published(html: str, trafilatura_date: str | None, *, date_hint: datetime | None = None,
                    fetched_at: datetime | None = None) -> datetime | None:
    """Best publication time for a page (aware datetime), or None."""
    if trafilatura_date:
        try:
            value = datetime.fromisoformat(trafilatura_date)
        except ValueError:
            value = None
        if value is not None:
            return value if value.tzinfo else value.replace(tzinfo=WIB)
    return date_hint
