"""Publication dates: structured metadata first (JSON-LD, Open Graph, <time>), checked against the date
the page prints ("Rabu, 19 Juli 2023 14:30 WIB", "19/07/2023", "2 jam lalu"), then the news-sitemap
date, then htmldate's guess. Indonesian strings are read by dateparser told the language (day first).
Times carry the page's offset (WIB +7, WITA +8, WIT +9); the store turns them into UTC and keeps it.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache

WIB = timezone(timedelta(hours=7), "WIB")
WITA = timezone(timedelta(hours=8), "WITA")
WIT = timezone(timedelta(hours=9), "WIT")
ZONES = {"WIB": WIB, "WITA": WITA, "WIT": WIT}
EARLIEST = datetime(1995, 1, 1, tzinfo=timezone.utc)

_MONTH = (r"(?:januari|februari|pebruari|maret|april|mei|juni|juli|agustus|september|oktober|nopember|november|"
          r"desember|january|february|march|may|june|july|august|october|december|"
          r"jan|feb|peb|mar|apr|jun|jul|agu|agt|ags|agus|aug|sep|sept|okt|oct|nov|nop|des|dec)\.?")
_WEEKDAY = r"(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_TIME = r"(?:\s*[,|/\-–]?\s*(?:pukul|jam|pkl\.?)?\s*\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:WIB|WITA|WIT)?)?"
VISIBLE_DATE = re.compile(
    rf"(?:{_WEEKDAY}\s*,?\s*)?(?:\d{{1,2}}\s+{_MONTH}\s+\d{{4}}|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}/\d{{1,2}}/\d{{4}}|"
    rf"\d{{4}}-\d{{2}}-\d{{2}}){_TIME}"
    r"|\b\d{1,3}\s+(?:detik|menit|jam|hari|minggu|bulan)\s+(?:yang\s+)?lalu\b",
    re.I)
_ZONE_WORD = re.compile(r"\b(WIB|WITA|WIT)\b")
_HAS_TIME = re.compile(r"\d{1,2}[:.]\d{2}")
_SHORT_DATE = re.compile(rf"(?:{_WEEKDAY}\s*)?\(\s*(\d{{1,2}})\s*/\s*(\d{{1,2}})\s*\)", re.I)


_SETTINGS = {"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first", "PREFER_DATES_FROM": "past",
             "RETURN_AS_TIMEZONE_AWARE": False}


@lru_cache(maxsize=1)
def _absolute_parser():
    """One dateparser for printed dates (Indonesian first, day before month); building one is slow."""
    from dateparser.date import DateDataParser
    return DateDataParser(languages=["id", "en"], settings={**_SETTINGS, "REQUIRE_PARTS": ["day", "month", "year"]})


def zone_named(text: str | None) -> timezone | None:
    m = _ZONE_WORD.search(text or "")
    return ZONES[m.group(1)] if m else None


def parse_date_text(text: str, *, fetched_at: datetime | None = None, zone: timezone | None = None) -> datetime | None:
    """An Indonesian (or English) date as printed, day first; relative ones count back from fetched_at."""
    text, named_zone = _normalise(text)
    zone = named_zone or zone or WIB
    try:
        if re.search(r"\blalu\b|\bago\b", text, re.I):     # "2 jam lalu": counted back from the fetch
            import dateparser
            base = (fetched_at or datetime.now(timezone.utc)).astimezone(zone).replace(tzinfo=None)
            value = dateparser.parse(text, languages=["id", "en"], settings={**_SETTINGS, "RELATIVE_BASE": base})
        else:
            value = _printed_date(text) or _dateparser_date(text)
    except (ValueError, OverflowError, TypeError):
        return None
    return value.replace(tzinfo=zone) if value else None


def _normalise(text: str) -> tuple[str, timezone | None]:
    """The printed date without weekday, "pukul" and zone word, and the zone it named."""
    text = re.sub(rf"^\s*{_WEEKDAY}\s*,?\s*", "", text.strip(), flags=re.I)
    text = re.sub(r"\b(pukul|pkl\.?|jam)\s+(?=\d)", "", text, flags=re.I)
    zone = zone_named(text)
    return _ZONE_WORD.sub("", text).strip(" ,|-–"), zone


def _dateparser_date(text: str) -> datetime | None:
    """dateparser's reading of an absolute date (naive); the reference the fast path must equal."""
    return _absolute_parser().get_date_data(text).date_obj


# Month names and abbreviations dateparser reads ("Ags" and "Agus" it does not: they stay with it).
_MONTHS = {name: number for number, names in enumerate((
    "januari january jan", "februari pebruari february feb peb", "maret march mar", "april apr",
    "mei may", "juni june jun", "juli july jul", "agustus august agu agt aug", "september sep sept",
    "oktober october okt oct", "november nopember nov nop", "desember december des dec"), start=1)
    for name in names.split()}
_CLOCK = r"(?:\s*[,|/\-–]\s*|\s+)(?P<hour>\d{1,2})(?::(?P<minute>\d{2})(?::(?P<second>\d{2}))?|\.(?P<minute_dot>\d{2}))"
_PRINTED = re.compile(
    r"(?:(?P<day>\d{1,2})\s+(?P<month>[a-z]+)\.?\s+(?P<year>\d{4})"            # 19 Juli 2023
    r"|(?P<month_first>[a-z]+)\.?\s+(?P<day_second>\d{1,2})(?:\s*,\s*|\s+)(?P<year_second>\d{4})"  # Jul 19, 2023
    r"|(?P<day_num>\d{1,2})/(?P<month_num>\d{1,2})/(?P<year_num>\d{4})"          # 19/07/2023
    r"|(?P<year_iso>\d{4})-(?P<month_iso>\d{2})-(?P<day_iso>\d{2}))"             # 2023-07-19
    rf"(?:{_CLOCK})?", re.I | re.ASCII)


def _printed_date(text: str) -> datetime | None:
    """The common printed shapes read without dateparser (same result, a hundred times faster); None for
    anything else, including impossible dates, which dateparser may still read another way."""
    m = _PRINTED.fullmatch(text)
    if not m:
        return None
    g = m.groupdict()
    if g["day"]:
        day, month, year = g["day"], _MONTHS.get(g["month"].lower()), g["year"]
    elif g["month_first"]:
        day, month, year = g["day_second"], _MONTHS.get(g["month_first"].lower()), g["year_second"]
    elif g["day_num"]:
        day, month, year = g["day_num"], int(g["month_num"]), g["year_num"]
    else:
        day, month, year = g["day_iso"], int(g["month_iso"]), g["year_iso"]
    if month is None:
        return None
    try:
        return datetime(int(year), month, int(day), int(g["hour"] or 0), int(g["minute"] or g["minute_dot"] or 0),
                        int(g["second"] or 0))
    except ValueError:
        return None


def parse_iso(value: str | None, *, zone: timezone | None = None) -> datetime | None:
    """A machine date from metadata, forgiving the malformed ones outlets write:
    "2015-11-05 T10:08:58Z", "2022-12-10T13-19-56Z", "2015-06-19T10:00:00+07:00Z", "2023-09-13"."""
    if not value:
        return None
    text = value.strip()
    text = re.sub(r"\s+T", "T", text)
    text = re.sub(r"(T\d{2})-(\d{2})-(\d{2})", r"\1:\2:\3", text)
    text = re.sub(r"([+-]\d{2}:?\d{2})Z$", r"\1", text)
    text = re.sub(r"\s+([+-]\d{2}:?\d{2})$", r"\1", text)
    text = re.sub(r"\.\d+(?=Z|[+-]\d{2}|$)", "", text)
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text.replace(" ", "T", 1) if re.match(r"\d{4}-\d{2}-\d{2} \d", text) else text)
    except ValueError:
        m = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
        if not m:
            printed = VISIBLE_DATE.search(re.sub(r"<[^>]+>", " ", value))
            return parse_date_text(printed.group(0), zone=zone) if printed else None
        try:
            parsed = datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone or WIB)
    return parsed


def resolve_short_date(text: str, published: datetime | date) -> date | None:
    """ "Selasa (20/1)" names a day without a year: the year is the publication's (the year before when
    that day would fall after the publication), never today's."""
    m = _SHORT_DATE.search(text)
    if not m:
        return None
    day, month = int(m.group(1)), int(m.group(2))
    ref = published.date() if isinstance(published, datetime) else published
    for year in (ref.year, ref.year - 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            return None
        if candidate <= ref + timedelta(days=1):
            return candidate
    return None


_URL_DAY = re.compile(r"/(20\d{2}|19\d{2})[/-](\d{1,2})[/-](\d{1,2})(?=/|-|$)")


def url_day(url: str | None) -> date | None:
    """ "https://x.com/2024/02/10/judul/" -> 2024-02-10 (four-digit year first only)."""
    m = _URL_DAY.search(url or "")
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def choose_published(*, machine: list[str], visible: list[str], date_hint: datetime | None = None,
                     guess: str | None = None, fetched_at: datetime | None = None,
                     indonesian: bool = True, url_day: date | None = None) -> datetime | None:
    """The publication time of a page from its candidates, in order of trust.

    machine: datePublished values from JSON-LD, then meta tags, then <time datetime>.
    visible: date strings the page prints in its byline or date elements, in page order.
    guess: htmldate's date (trafilatura), used only when nothing else is known.
    url_day: the day the article's URL names (/2024/02/10/), only to tell a local time labelled UTC.
    """
    latest = (fetched_at or datetime.now(timezone.utc)) + timedelta(days=1)

    def plausible(value: datetime | None) -> bool:
        return value is not None and EARLIEST <= value <= latest

    shown, shown_zone, shown_text = None, None, ""
    for text in visible[:3]:
        shown = parse_date_text(text, fetched_at=fetched_at)
        if plausible(shown):
            shown_zone, shown_text = zone_named(text), text
            break
        shown = None
    stated = _first_stated([v for v in (parse_iso(m) for m in machine) if plausible(v)])
    local = shown_zone or (WIB if indonesian else None)
    shown_has_time = _HAS_TIME.search(shown_text) is not None and not re.search(r"\blalu\b", shown_text, re.I)
    if stated is not None and local and stated.utcoffset() == timedelta(0):
        day = shown.date() if shown is not None else url_day
        if shown is not None and shown_has_time and (stated.hour, stated.minute) == (shown.hour, shown.minute):
            stated = stated.replace(tzinfo=local)             # the clock the page prints, written as "Z"
        elif day is not None and stated.date() == day != stated.astimezone(local).date():
            stated = stated.replace(tzinfo=local)             # a late-evening local time labelled UTC

    if stated is not None and shown is not None:
        if local:
            stated = stated.astimezone(local)
        if stated.date() != shown.date() and (shown_zone or shown_has_time or abs((stated.date() - shown.date()).days) > 1):
            return shown                                      # stale or shifted meta: the page says otherwise
        return stated
    if stated is not None:
        return stated.astimezone(local) if local and stated.utcoffset() == timedelta(0) else stated
    if date_hint is not None:
        hint = date_hint if date_hint.tzinfo else date_hint.replace(tzinfo=local or timezone.utc)
        if local:
            hint = hint.astimezone(local)
        return shown if shown is not None and shown.date() == hint.date() else hint
    if shown is not None:
        return shown
    value = parse_iso(guess, zone=local)
    return value if plausible(value) else None


def _first_stated(values: list[datetime]) -> datetime | None:
    """The first machine date; but when it says UTC and another says the same clock time with a local
    offset, the page wrote one local time twice and labelled one "Z": the local one is meant. (A true UTC
    value and its local twin show different clocks.)"""
    if not values:
        return None
    first = values[0]
    if first.utcoffset() == timedelta(0):
        for other in values[1:]:
            if other.utcoffset() != timedelta(0) and other.replace(tzinfo=None) == first.replace(tzinfo=None):
                return other
    return first
