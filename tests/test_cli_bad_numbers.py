"""Ids, limits and names out of what the database can hold: one line, non-zero exit, nothing recorded.
(SQLite's integers stop at 2^63, PostgreSQL's integer id columns at 2^31.)"""
from __future__ import annotations

import pytest

from store import Store
from tests.support.analyst_articles import seeded_store_fixture
from tests.support.cli import error_line, pantau, snapshot

seeded = seeded_store_fixture()

HUGE = str(2**63)
OVER_PG = str(2**31)


@pytest.mark.parametrize("args, words", [
    (["review", "show", HUGE], "Invalid value for 'flag_id'"),
    (["review", "history", OVER_PG], "Invalid value for 'flag_id'"),
    (["review", "confirm", "1", OVER_PG, "--note", "dicek ke Bawaslu"], "Invalid value for 'flag_ids'"),
    (["review", "dismiss", HUGE, "--note", "bukan pelanggaran"], "Invalid value for 'flag_ids'"),
    (["query", "--limit", HUGE], "Invalid value for '--limit'"),
    (["query", "--offset", OVER_PG], "Invalid value for '--offset'"),
    (["review", "--offset", HUGE], "Invalid value for '--offset'"),
    (["export", "flags", "-n", OVER_PG], "Invalid value for '--limit'"),
    (["stats", "--article", HUGE], "Invalid value for '--article'"),
    (["officials", "--limit", OVER_PG], "Invalid value for '--limit'"),
])
def test_a_number_out_of_range_is_one_line_naming_the_option(seeded, args, words):
    store, _ = seeded
    before = snapshot(store)
    result = pantau(*args, "--db", store.url)
    line = error_line(result)
    assert result.returncode == 2
    assert words in line and "less than or equal to 2147483647" in line and "--help" in line
    assert snapshot(store) == before


@pytest.mark.parametrize("ref", [HUGE, OVER_PG, "99999999999999999999999"])
def test_showing_an_article_id_no_database_can_hold_says_there_is_none(seeded, ref):
    store, _ = seeded
    result = pantau("show", ref, "--db", store.url)
    assert result.returncode == 1
    assert error_line(result) == f"pantau: error: no stored article '{ref}'"


def test_a_reviewer_name_of_120_kb_is_refused_and_nothing_is_recorded(seeded):
    store, _ = seeded
    flag_id = _some_flag(store)
    before = snapshot(store)
    result = pantau("review", "confirm", str(flag_id), "--note", "dicek ke Bawaslu Garut", "--by", "Asep " * 24_000,
                    "--db", store.url)
    line = error_line(result)
    assert "reviewer name of 120,000 characters" in line and "at most 200" in line
    assert snapshot(store) == before


def _some_flag(store: Store) -> int:
    from sqlmodel import select

    from store.models import Flag
    with store.session() as session:
        return session.exec(select(Flag.id).order_by(Flag.id)).first()
