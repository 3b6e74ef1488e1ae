"""Date bounds from the command line (`--since 7d`, `--until 2024-03`), as aware UTC datetimes."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from store.filters import FilterError

WIB = timezone(timedelta(hours=7))    # dates without a zone are read as Western Indonesia Time


def parse_when(value: str, *, end: bool = False, now: datetime | None = None) -> datetime:
    """A date bound from the command line, as an aware UTC datetime.

    Accepts YYYY-MM-DD, YYYY-MM (a month), YYYY, an ISO datetime (its offset respected), `today`,
    `yesterday`, or Nd / Nw (N days / weeks ago). Dates without a zone are days in WIB (UTC+07:00).
    With end=True a date means "up to the end of that day/month/year" (the bound is exclusive).
    """
    raw = value.strip().lower()
    now = (now or datetime.now(timezone.utc)).astimezone(WIB)
    today = now.date()
    m = re.fullmatch(r"(\d+)([dw])", raw)
    if raw in ("today", "yesterday") or m:
        days = 0 if raw == "today" else 1 if raw == "yesterday" else int(m.group(1)) * (7 if m.group(2) == "w" else 1)
        day = today - timedelta(days=days)
        return _day_bound(day + timedelta(days=1) if end else day)
    try:
        if re.fullmatch(r"\d{4}", raw):
            year = int(raw)
            return _day_bound(date(year + 1 if end else year, 1, 1))
        if re.fullmatch(r"\d{4}-\d{2}", raw):
            year, month = map(int, raw.split("-"))
            start = date(year, month, 1)
            if end:
                start = date(year + (month == 12), month % 12 + 1, 1)
            return _day_bound(start)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            day = date.fromisoformat(raw)
            return _day_bound(day + timedelta(days=1) if end else day)
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise FilterError(f"cannot read date {value!r}: use YYYY-MM-DD, YYYY-MM, an ISO datetime, "
                          "today, yesterday, or Nd / Nw (days / weeks ago)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=WIB)
    return moment.astimezone(timezone.utc)


def _day_bound(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=WIB).astimezone(timezone.utc)
