"""The documented SQL views exist with their columns on both backends, and the three documented queries
(docs/analysts.md) run as written and answer what they say."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import text

from store.filters import Filters
from store.officials import refresh_merges
from store.queries import find_flags
from store.review import record_decision
from tests.support.analyst_articles import seeded_store_fixture

seeded = seeded_store_fixture()
DOC = Path(__file__).parent.parent / "docs" / "analysts.md"

VIEW_COLUMNS = {
    "flags_v": ["flag_id", "article_id", "category", "modality", "subject", "sentence", "sentence_start",
                "sentence_end", "fingerprint", "tagger_version", "flagged_at", "title", "url", "outlet", "source",
                "province", "regency", "published_at", "fetched_at", "article_type", "roles", "review_status",
                "reviewed_by", "reviewed_at", "review_note"],
    "review_queue_v": ["flag_id", "article_id", "category", "modality", "subject", "sentence", "fingerprint",
                       "tagger_version", "flagged_at", "title", "url", "outlet", "source", "province", "regency",
                       "published_at", "fetched_at", "article_type", "roles"],
    "officials_v": ["person_id", "person_name", "official_id", "official_name", "name_as_printed", "title",
                    "article_id", "article_title", "url", "outlet", "province", "regency", "published_at"],
    "reviews_v": ["review_id", "article_id", "fingerprint", "category", "decision", "note", "reviewer",
                  "decided_at", "sentence", "tagger_version", "current_flag_id", "article_title", "url", "outlet",
                  "province", "regency", "published_at"],
}


def _doc_queries() -> list[str]:
    section = DOC.read_text("utf-8").split("## Three real queries", 1)[1]
    return re.findall(r"```sql\n(.*?)```", section, re.S)


@pytest.fixture(scope="module")
def decided(seeded):
    store, ids = seeded
    with store.session() as s:
        refresh_merges(s)
        asn = find_flags(s, Filters(article_ids=[ids["bandung"]], modalities=["alleged"]))[0]
        kades = find_flags(s, Filters(article_ids=[ids["garut"]], categories=["party_attributes"]))[0]
    with store.session() as s:
        record_decision(s, kades["flag_id"], "confirmed", note="Foto salam dua jari dicek", reviewer="rina")
    with store.session() as s:
        record_decision(s, kades["flag_id"], "dismissed", note="Foto lama, sebelum masa kampanye", reviewer="budi")
    return store, ids, asn, kades


def test_views_have_the_documented_columns(decided):
    store = decided[0]
    with store.engine.connect() as conn:
        for view, columns in VIEW_COLUMNS.items():
            assert list(conn.execute(text(f"SELECT * FROM {view} LIMIT 1")).keys()) == columns
    doc = DOC.read_text("utf-8")
    for view, columns in VIEW_COLUMNS.items():
        assert f"`{view}`" in doc and all(c in doc for c in columns)


def test_views_content(decided):
    store, ids, asn, kades = decided
    with store.engine.connect() as conn:
        flags = {r.flag_id: r for r in conn.execute(text("SELECT * FROM flags_v"))}
        queue = {r.flag_id for r in conn.execute(text("SELECT flag_id FROM review_queue_v"))}
        reviews = conn.execute(text("SELECT * FROM reviews_v ORDER BY review_id")).all()
        people = conn.execute(text("SELECT DISTINCT person_name, name_as_printed FROM officials_v "
                                   "WHERE article_id = :a ORDER BY name_as_printed"), {"a": ids["garut"]}).all()
    assert flags[kades["flag_id"]].review_status == "dismissed" and flags[kades["flag_id"]].reviewed_by == "budi"
    assert flags[asn["flag_id"]].review_status == "pending"
    assert asn["flag_id"] in queue and kades["flag_id"] not in queue
    assert all(flags[f].modality == "alleged" for f in queue)
    assert [(r.decision, r.reviewer, r.current_flag_id) for r in reviews] == [
        ("confirmed", "rina", kades["flag_id"]), ("dismissed", "budi", kades["flag_id"])]
    assert ("Iron Sahroni", "Iron") in people and ("Iron Sahroni", "Iron Sahroni") in people


def test_the_three_documented_queries(decided):
    store, ids, asn, kades = decided
    pending_asn, titles, changed = _doc_queries()
    with store.engine.connect() as conn:
        assert [tuple(r) for r in conn.execute(text(pending_asn))] == [("JPNN", 1)]
        rows = conn.execute(text(titles)).all()
        assert [(r.title, r.articles) for r in rows] == [("Kepala Desa", 1), ("Kepala Desa Sukamaju", 1),
                                                         ("Kades", 1)]
        (row,) = conn.execute(text(changed)).all()
        assert (row.article_id, row.decisions) == (ids["garut"], 2)
