"""Publication dates as Indonesian outlets print and tag them."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

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
