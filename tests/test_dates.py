"""Publication dates as Indonesian outlets print and tag them."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from extract import dates
from extract.dates import WIB, WIT, WITA, choose_published, parse_date_text, parse_iso, resolve_short_date

FETCHED = datetime(2024, 2, 10, 5, 0, tzinfo=timezone.utc)      # 12:00 WIB


@pytest.mark.parametrize("text,expected", [
    ("Rabu, 19 Juli 2023 14:30 WIB", datetime(2023, 7, 19, 14, 30, tzinfo=WIB)),
    ("19/07/2023", datetime(2023, 7, 19, tzinfo=WIB)),
    ("12/08/2024", datetime(2024, 8, 12, tzinfo=WIB)),                     # 12 August, never 8 December
    ("5 Agu 2023 - 13:20 WIB", datetime(2023, 8, 5, 13, 20, tzinfo=WIB)),
    ("Selasa, 12 Des 2023 | 08:15 WITA", datetime(2023, 12, 12, 8, 15, tzinfo=WITA)),
    ("Jumat, 16 Februari 2024 pukul 09.12 WIT", datetime(2024, 2, 16, 9, 12, tzinfo=WIT)),
    ("Kamis, 05/11/2015 09:25 WIB", datetime(2015, 11, 5, 9, 25, tzinfo=WIB)),
    ("2 jam lalu", datetime(2024, 2, 10, 10, 0, tzinfo=WIB)),              # counted back from the fetch
    ("30 menit yang lalu", datetime(2024, 2, 10, 11, 30, tzinfo=WIB)),
])
def test_printed_dates(text, expected):
    value = parse_date_text(text, fetched_at=FETCHED)
    assert value == expected and value.utcoffset() == expected.utcoffset()


def test_malformed_machine_dates_outlets_write():
    assert parse_iso("2015-11-05 T10:08:58Z") == datetime(2015, 11, 5, 10, 8, 58, tzinfo=timezone.utc)
    assert parse_iso("2022-12-10T13-19-56Z") == datetime(2022, 12, 10, 13, 19, 56, tzinfo=timezone.utc)
    assert parse_iso("2015-06-19T10:00:00+07:00Z") == datetime(2015, 6, 19, 10, tzinfo=WIB)
    assert parse_iso("2023-09-13") == datetime(2023, 9, 13, tzinfo=WIB)
    assert parse_iso("kemarin sore") is None


def test_structured_date_first_with_its_offset():
    value = choose_published(machine=["2023-09-13T10:15:00+07:00"], visible=["Rabu, 13 September 2023 10:15 WIB"])
    assert value == datetime(2023, 9, 13, 10, 15, tzinfo=WIB) and value.utcoffset() == timedelta(hours=7)


def test_utc_metadata_is_shown_in_local_time():
    value = choose_published(machine=["2016-02-15T23:30:00Z"], visible=[])
    assert value == datetime(2016, 2, 16, 6, 30, tzinfo=WIB) and value.utcoffset() == timedelta(hours=7)


def test_local_time_labelled_z_takes_the_printed_zone():
    # detik writes its WIB clock time with a "Z"; the page prints the same clock time with WIB
    value = choose_published(machine=["2022-12-10T13-19-56Z"], visible=["Sabtu, 10 Des 2022 13:19 WIB"])
    assert value == datetime(2022, 12, 10, 13, 19, 56, tzinfo=WIB)


def test_stale_metadata_loses_to_the_printed_date():
    value = choose_published(machine=["2014-07-13T00:00:00+07:00"], visible=["Kamis, 9 Juli 2020 07:30 WIB"])
    assert value == datetime(2020, 7, 9, 7, 30, tzinfo=WIB)


def test_sitemap_hint_when_the_page_states_nothing_and_never_a_future_date():
    hint = datetime(2024, 1, 20, 3, 0, tzinfo=timezone.utc)
    assert choose_published(machine=[], visible=[], date_hint=hint) == hint
    assert choose_published(machine=["2031-01-01T00:00:00+07:00"], visible=[], date_hint=hint, fetched_at=FETCHED) == hint
    assert choose_published(machine=[], visible=[]) is None


def test_htmldate_guess_is_the_last_resort():
    assert choose_published(machine=[], visible=[], guess="2023-08-05") == datetime(2023, 8, 5, tzinfo=WIB)


@pytest.mark.parametrize("text,published,expected", [
    ("Selasa (20/1)", date(2026, 1, 22), date(2026, 1, 20)),
    ("Selasa (30/12)", date(2026, 1, 2), date(2025, 12, 30)),                # the year before, not the future
    ("pada Rabu (13/9) lalu", datetime(2023, 9, 14, 8, tzinfo=WIB), date(2023, 9, 13)),
    ("tanpa tanggal", date(2024, 1, 1), None),
])
def test_day_without_a_year_takes_the_publication_year(text, published, expected):
    assert resolve_short_date(text, published) == expected


# Bylines as outlets print them (detik, Kompas, Tribun, CNN Indonesia, Liputan6, JPNN, Fajar, English sites), filled
# in every layout with every month spelling the fast path knows, days from 1 to 31, times from 0.00 to 23:59.
_BYLINES = ("Rabu, {d} {m} {y} {t} WIB", "{d} {m} {y}", "{d} {m} {y} | {t} WITA", "Kamis, {d} {m} {y} - {t} WIT",
            "Selasa {d} {m} {y}, pukul {t} WIB", "Jum'at, {d} {m} {y} – {t}", "{m} {d}, {y}", "{m} {d}, {y}, {t}",
            "Wednesday, {m} {d}, {y} {t}", "{dd}/{mm}/{y}, {t} WIB", "{dd}/{mm}/{y}", "Senin, {d}/{mm}/{y} {t} WIB",
            "{y}-{mm}-{dd}", "{y}-{mm}-{dd} {t}", "{d} {m} {y} / {t} WIB")
_MONTH_SPELLINGS = {1: "Januari Jan Jan. January JANUARI", 2: "Februari Pebruari Feb Peb February", 3: "Maret Mar March",
                    4: "April Apr APR", 5: "Mei May MEI", 6: "Juni Jun June", 7: "Juli Jul Jul. July",
                    8: "Agustus Agu Agt Aug August", 9: "September Sep Sept Sept.", 10: "Oktober Okt Oct October",
                    11: "November Nopember Nov Nop NOV", 12: "Desember Des Dec December"}


def _bylines() -> list[str]:
    printed, n = [], 0
    for month, spellings in _MONTH_SPELLINGS.items():
        for name in spellings.split():
            for layout in _BYLINES:
                day, hour, minute = 1 + n * 7 % 31, n * 5 % 24, n * 13 % 60
                day = min(day, 28) if month == 2 else min(day, 30) if month in (4, 6, 9, 11) else day
                clock = f"{hour:02d}:{minute:02d}" if n % 3 else f"{hour}.{minute:02d}"
                printed.append(layout.format(d=day, dd=f"{day:02d}", m=name, mm=f"{month:02d}", y=2015 + n % 11,
                                             t=clock))
                n += 1
    return printed


def _dateparser_only(text: str) -> datetime | None:
    """parse_date_text as it was before the fast path: every printed date through dateparser."""
    clean, zone = dates._normalise(text)
    value = dates._dateparser_date(clean)
    return value.replace(tzinfo=zone or WIB) if value else None


def test_common_bylines_skip_dateparser_and_read_exactly_as_dateparser_does():
    printed = _bylines()
    assert len(printed) == 48 * len(_BYLINES)
    for text in printed:
        assert dates._printed_date(dates._normalise(text)[0]) is not None, text      # the fast path took it
        value = parse_date_text(text)
        assert value == _dateparser_only(text) and value.utcoffset() == _dateparser_only(text).utcoffset(), text


@pytest.mark.parametrize("text", [
    "11/19/2019",                         # an American order: dateparser swaps day and month
    "2023-13-01",                         # likewise
    "31 Februari 2024", "29 Feb 2023",    # no such day
    "19 Juli 2023 14.30.15",              # dateparser does not read dotted seconds
    "19 Juli 2023 24:00", "5 Ags 2023", "5 Agus 2023",     # not dates to dateparser either
    "19 Juli 23", "Kamis, 5 November 2015 - 15:56 wib", "Nov 19 20197:05",
    "Diperbarui 19 Juli 2023 14:30 WIB", "pkl.14.30 19/07/2023",
])
def test_other_shapes_still_go_to_dateparser(text):
    assert dates._printed_date(dates._normalise(text)[0]) is None
    assert parse_date_text(text) == _dateparser_only(text)
