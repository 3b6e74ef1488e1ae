"""`pantau query` filters compose, and every one means the same on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from store.date_bounds import parse_when
from store.filters import FilterError, Filters
from store.queries import find_articles, find_flags, stats
from store.review import record_decision
from tests.support.analyst_articles import seeded_store_fixture

seeded = seeded_store_fixture()


def _flags(store, **kw) -> list[dict]:
    with store.session() as s:
        return find_flags(s, Filters(**kw), limit=None)


def _articles(store, **kw) -> set[int]:
    with store.session() as s:
        return {r["article_id"] for r in find_articles(s, Filters(**kw), limit=None)}


def test_the_analysts_question(seeded):
    """Which ASN/KADES in Jawa Barat were reported for campaigning in January 2024, by which outlets?"""
    store, ids = seeded
    rows = _flags(store, roles=["KADES"], categories=["campaign_participation"], modalities=["alleged"],
                  provinces=["Jawa Barat"], published_since=parse_when("2024-01"),
                  published_until=parse_when("2024-01", end=True))
    assert [(r["article_id"], r["outlet"]) for r in rows] == [(ids["garut2"], "Tribun Jabar"),
                                                              (ids["garut"], "Tribun Jabar")]   # newest first
    assert all(r["status"] == "pending" for r in rows)
    first = rows[1]
    assert "kedapatan ikut kampanye" in first["sentence"]
    assert first["published_at"].isoformat() == "2024-01-10T14:20:00+07:00"
    assert first["roles"] == ["BAWASLU", "KADES"]


@pytest.mark.parametrize("kw,expected", [
    ({"roles": ["asn"]}, {"bandung", "cirebon", "indramayu"}),
    ({"roles": ["PPS", "KADES"]}, {"garut", "kupang", "indramayu", "garut2"}),      # repeated = any of
    ({"categories": ["money_politics"]}, {"kupang"}),
    ({"modalities": ["denied"]}, {"indramayu"}),
    ({"article_types": ["advisory", "sanction"]}, {"cirebon", "garut2"}),
    ({"outlets": ["tribun jabar"]}, {"garut", "garut2"}),                            # case-insensitive
    ({"outlets": ["timorexpress"]}, {"kupang"}),                                     # source name works too
    ({"provinces": ["Nusa Tenggara Timur"]}, {"kupang"}),
    ({"regencies": ["kota bandung"]}, {"bandung"}),
    ({"official": "Iron"}, {"garut", "garut2"}),
    ({"official": "sahroni"}, {"garut", "garut2"}),       # "Iron" is merged with "Iron Sahroni" once refreshed
    ({"official": "Dadang Kusnadi"}, {"garut", "garut2"}),
    ({"article_ids": []}, {"garut", "bandung", "cirebon", "kupang", "indramayu", "garut2"}),
])
def test_each_filter(seeded, kw, expected):
    from store.officials import refresh_merges
    store, ids = seeded
    with store.session() as s:
        refresh_merges(s)
    assert _articles(store, **kw) == {ids[n] for n in expected}


def test_date_bounds_are_days_in_wib(seeded):
    store, ids = seeded
    # Kupang's article: 2024-01-20 19:30 WITA = 18:30 WIB, the 20th in WIB as well.
    assert _articles(store, published_since=parse_when("2024-01-20"),
                     published_until=parse_when("2024-01-20", end=True)) == {ids["kupang"]}
    # The Garut article is 2024-01-10 14:20 WIB = 07:20 UTC: on the 10th, not the 9th.
    assert ids["garut"] not in _articles(store, published_until=parse_when("2024-01-09", end=True))
    assert parse_when("2024-01-10") == datetime(2024, 1, 9, 17, 0, tzinfo=timezone.utc)
    assert parse_when("2024-12", end=True) == datetime(2024, 12, 31, 17, 0, tzinfo=timezone.utc)
    assert parse_when("7d", now=datetime(2024, 2, 20, 3, 0, tzinfo=timezone.utc)) == \
        datetime(2024, 2, 12, 17, 0, tzinfo=timezone.utc)


def test_fetched_range_and_sorting(seeded):
    store, ids = seeded
    assert len(_articles(store, fetched_since=parse_when("2024-02-20"))) == 6
    assert _articles(store, fetched_until=parse_when("2024-02-19", end=True)) == set()
    with store.session() as s:
        oldest = find_articles(s, Filters(provinces=["Jawa Barat"]), sort="oldest", limit=2)
        best = find_articles(s, Filters(text="kampanye kades"), sort="relevance", limit=10)
    assert [r["article_id"] for r in oldest] == [ids["garut"], ids["bandung"]]
    assert {r["article_id"] for r in best} == {ids["garut"], ids["garut2"]}


def test_review_status_filter(seeded):
    store, ids = seeded
    garut = _flags(store, article_ids=[ids["garut"]], modalities=["alleged"])
    with store.session() as s:
        record_decision(s, garut[0]["flag_id"], "confirm", note="Video dicek", reviewer="rina")
        record_decision(s, garut[1]["flag_id"], "confirm", note="Foto dicek", reviewer="rina")
    with store.session() as s:
        record_decision(s, garut[1]["flag_id"], "dismiss", note="Bukan salam dua jari", reviewer="budi")
    try:
        assert {r["flag_id"] for r in _flags(store, statuses=["confirmed"])} == {garut[0]["flag_id"]}
        assert {r["flag_id"] for r in _flags(store, statuses=["dismissed"])} == {garut[1]["flag_id"]}
        assert {r["flag_id"] for r in _flags(store, statuses=["reviewed"])} == {garut[0]["flag_id"],
                                                                               garut[1]["flag_id"]}
        pending = _flags(store, statuses=["pending"], article_ids=[ids["garut"]])
        assert [r["modality"] for r in pending] == ["prohibition"]
        dismissed = _flags(store, statuses=["dismissed"])[0]
        assert (dismissed["status"], dismissed["reviewer"], dismissed["note"]) == \
            ("dismissed", "budi", "Bukan salam dua jari")
        with store.session() as s:
            by_category = {r["category"]: r for r in stats(s, Filters(), ["category"])["category"]}
        assert by_category["campaign_participation"]["confirmed"] == 1
        assert by_category["party_attributes"]["dismissed"] == 1
    finally:
        from sqlalchemy import delete

        from store.models import Review
        with store.session() as s:
            s.execute(delete(Review))


@pytest.mark.parametrize("kw,message", [
    ({"roles": ["camat"]}, "unknown role 'camat'; choose from: KPPS"),
    ({"categories": ["kampanye"]}, "unknown category"),
    ({"statuses": ["done"]}, "unknown review status"),
    ({"provinces": ["Jabar"]}, "no stored article has province 'Jabar'"),
    ({"provinces": ["Jawa Barta"]}, "did you mean: Jawa Barat"),
    ({"outlets": ["Kompas"]}, "no stored article has outlet 'Kompas'"),
    ({"official": "Siti Nurhaliza"}, "no official named 'Siti Nurhaliza'"),
    ({"text": '"kampanye'}, "unclosed quote"),
])
def test_bad_values_are_clear_errors(seeded, kw, message):
    store, _ = seeded
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        _flags(store, **kw)


def test_date_errors():
    with pytest.raises(FilterError, match="cannot read date"):
        parse_when("kemarin")
    with pytest.raises(FilterError, match="date range is empty"):
        Filters(published_since=parse_when("2024-02-01"), published_until=parse_when("2024-01", end=True)).normalised()


def test_stats_by_region_role_and_week(seeded):
    store, ids = seeded
    with store.session() as s:
        result = stats(s, Filters())
        asn_only = stats(s, Filters(roles=["ASN"]), ["role"])
    regions = {(r["province"], r["regency"]): r for r in result["region"]}
    assert regions[("Jawa Barat", "Kabupaten Garut")]["articles"] == 2
    assert regions[("Jawa Barat", "Kabupaten Garut")]["alleged"] == 3
    assert regions[("Nusa Tenggara Timur", "Kota Kupang")]["flags"] == 1
    roles = {r["role"]: r for r in result["role"]}
    assert roles["BAWASLU"]["articles"] == 5 and roles["ASN"]["articles"] == 3
    assert [r["role"] for r in asn_only["role"]] == ["ASN"]
    weeks = {r["week"]: r["articles"] for r in result["week"]}
    # Weeks start on Monday in the article's own time zone: Indramayu's 2024-02-05 06:10 WIB is still
    # Sunday in UTC, but counts in the week of Monday 02-05.
    assert weeks == {"2024-01-08": 1, "2024-01-15": 2, "2024-01-22": 1, "2024-01-29": 1, "2024-02-05": 1}
