"""The store keeps one row per article, whatever URL variant it arrives under, on SQLite and PostgreSQL."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import func, select

from extract.article import process_page
from extract.tagging import TAGGER_VERSION
from store import Store
from store.articles import article_json, get_article, save_article
from store.db import StoreError
from store.filters import Filters
from store.models import Article, Flag, Review, UrlAlias
from store.retag import retag
from tests.conftest import fixture_page

URL = "https://jabarekspres.com/berita/2023/09/13/bawaslu-temukan-camat-dan-tiga-asn-ikut-kampanye-caleg-di-cimahi/"
VARIANTS = [
    URL,
    URL + "?utm_source=facebook&utm_medium=social&utm_campaign=share",
    URL + "#komentar",
    URL + "amp/",
    URL.replace("https://jabarekspres.com", "https://m.jabarekspres.com"),
    URL.replace("https://jabarekspres.com", "http://www.jabarekspres.com"),
    URL + "?page=all",
]


def _count(store: Store, table) -> int:
    with store.session() as s:
        return s.exec(select(func.count()).select_from(table)).one()


def test_variants_of_one_url_make_one_row(store, tagger):
    html = fixture_page("wordpress-jabarekspres.html")
    ids = set()
    for variant in VARIANTS:
        processed = process_page(html, variant, tagger=tagger)
        with store.session() as s:
            ids.add(save_article(s, processed).article_id)
    assert len(ids) == 1
    assert _count(store, Article) == 1
    with store.session() as s:
        for variant in VARIANTS:
            assert get_article(s, variant).id in ids


def test_reingest_reports_unchanged_then_updated_when_text_changes(store, tagger):
    html = fixture_page("wordpress-jabarekspres.html")
    with store.session() as s:
        first = save_article(s, process_page(html, URL, tagger=tagger))
    with store.session() as s:
        again = save_article(s, process_page(html, URL, tagger=tagger))
    changed = html.replace(b"Kalau terbukti, tentu ada sanksi disiplin sesuai aturan",
                           b"Kalau terbukti, sanksi disiplin berat menanti mereka")
    with store.session() as s:
        third = save_article(s, process_page(changed, URL, tagger=tagger))
    assert (first.status, again.status, third.status) == ("new", "unchanged", "updated")
    assert first.article_id == again.article_id == third.article_id
    with store.session() as s:
        assert "sanksi disiplin berat menanti" in get_article(s, URL).text
    assert _count(store, Article) == 1


def test_a_flag_id_is_never_given_to_another_flag(store, tagger):
    """An analyst notes flag #N; after an edit of the article drops that flag, #N must not name a new one."""
    html = fixture_page("wordpress-jabarekspres.html")
    rule = b"Menurut Aan, ASN dilarang terlibat dalam politik praktis"
    edited = html.replace(rule, b"Menurut Aan, ASN semestinya menjadi teladan di tengah masyarakat")

    def flags() -> dict[int, str]:
        with store.session() as s:
            return {f.id: f.modality for f in s.exec(select(Flag))}

    def store_page(page: bytes) -> dict[int, str]:
        with store.session() as s:
            save_article(s, process_page(page, URL, tagger=tagger))
        return flags()

    first = store_page(html)
    [rule_id] = [i for i, m in first.items() if m == "prohibition"]
    assert rule_id == max(first)
    assert rule_id not in store_page(edited)
    now = store_page(html)
    [new_rule_id] = [i for i, m in now.items() if m == "prohibition"]
    assert new_rule_id > rule_id and set(now) - {new_rule_id} == set(first) - {rule_id}


def test_json_contract_fields_and_types(store, tagger):
    with store.session() as s:
        res = save_article(s, process_page(fixture_page("wordpress-jabarekspres.html"), URL, tagger=tagger))
    with store.session() as s:
        data = article_json(s, get_article(s, res.article_id))
    for field in ("id", "url", "canonical_url", "outlet", "title", "published_at", "author", "text", "language",
                  "relevant", "article_type", "roles", "officials", "flags", "mentions"):
        assert field in data
    assert data["title"] == "Bawaslu Temukan Camat dan Tiga ASN Ikut Kampanye Caleg di Cimahi"
    assert data["published_at"].startswith("2023-09-13T") and data["published_at"].endswith("+07:00")
    assert data["roles"] == sorted(data["roles"]) and {"ASN", "BAWASLU"} <= set(data["roles"])
    assert {"name": "Aan Sugiharto", "title": "Ketua Bawaslu Kota Cimahi"} in data["officials"]
    for flag in data["flags"]:
        assert data["text"][flag["start"]:flag["end"]] == flag["sentence"]
        assert flag["modality"] in ("alleged", "prohibition", "denied")
    assert any(f["category"] == "campaign_participation" and f["modality"] == "alleged" for f in data["flags"])


def test_retag_keeps_reviews_attached(store, tagger):
    with store.session() as s:
        res = save_article(s, process_page(fixture_page("wordpress-jabarekspres.html"), URL, tagger=tagger))
        flag = s.exec(select(Flag).where(Flag.article_id == res.article_id)).first()
        s.add(Review(article_id=res.article_id, fingerprint=flag.fingerprint, category=flag.category,
                     decision="confirmed", note="video dicek", reviewer="analis"))
    processed = process_page(fixture_page("wordpress-jabarekspres.html"), URL, tagger=tagger)
    processed.tagger_version = "next"
    with store.session() as s:
        assert save_article(s, processed).status == "updated"
        fingerprints = set(s.exec(select(Flag.fingerprint).where(Flag.article_id == res.article_id)).all())
        review = s.exec(select(Review)).one()
    assert review.fingerprint in fingerprints


def test_recrawl_after_retag_is_unchanged(store, tagger):
    """A page stored by an older tagger and retagged since is not "updated" by the next crawl."""
    html = fixture_page("wordpress-jabarekspres.html")
    older = process_page(html, URL, tagger=tagger)
    older.tagger_version = "rules-lama"
    with store.session() as s:
        article_id = save_article(s, older).article_id
    report = retag(store, tagger, Filters(), version=TAGGER_VERSION)
    assert (report.selected, report.retagged) == (1, 1)
    with store.session() as s:
        again = save_article(s, process_page(html, URL, tagger=tagger))
    assert (again.article_id, again.status) == (article_id, "unchanged")


def test_aliases_recorded_for_crawler_memory(store, tagger):
    with store.session() as s:
        save_article(s, process_page(fixture_page("wordpress-jabarekspres.html"), URL + "?utm_source=x", tagger=tagger))
    assert _count(store, UrlAlias) >= 1


def test_unreachable_database_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="cannot open database"):
        Store("postgresql+psycopg://nobody@127.0.0.1:1/none")
    with pytest.raises(StoreError, match="not a database URL"):
        Store("this is not a url")


def _open_at(url: str, start_at: float) -> str:
    import time
    time.sleep(max(0.0, start_at - time.time()))
    try:
        Store(url).dispose()
        return "ok"
    except Exception as exc:  # noqa: BLE001 - reported to the test
        return f"{type(exc).__name__}: {exc}"


def test_processes_opening_a_new_database_at_once_all_get_the_schema(db_url):
    """The daemon's crawl children, a CLI command and a worker may all open a brand-new database together:
    one migrates, the others wait and find it done."""
    import multiprocessing
    import time
    start_at = time.time() + 3.0                     # after every process has imported Pantau
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.starmap(_open_at, [(db_url, start_at)] * 4)
    assert results == ["ok"] * 4
    store = Store(db_url)
    with store.session() as s:
        assert s.exec(select(func.count()).select_from(Article)).one() == 0
    store.dispose()


def test_the_quick_schema_check_names_the_same_head_as_alembic():
    """Opening an up-to-date database reads the head revision without Alembic (a faster start); it must agree."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from store.db import script_heads
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).resolve().parent.parent / "store" / "migrations"))
    assert script_heads() == frozenset(ScriptDirectory.from_config(cfg).get_heads())


def test_an_older_sqlite_database_keeps_its_flags_through_the_flag_id_migration(tmp_path, tagger):
    """A database made before migration 0006 is upgraded in place: same flags, same ids, the views still read."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    url = f"sqlite:///{tmp_path / 'pantau.db'}"
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).resolve().parent.parent / "store" / "migrations"))
    engine = create_engine(url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0005")
    engine.dispose()
    old = Store(url, migrate=False)
    with old.session() as s:
        save_article(s, process_page(fixture_page("wordpress-jabarekspres.html"), URL, tagger=tagger))
        before = sorted((f.id, f.category, f.modality) for f in s.exec(select(Flag)))
    old.dispose()
    upgraded = Store(url)
    with upgraded.session() as s:
        assert sorted((f.id, f.category, f.modality) for f in s.exec(select(Flag))) == before
        assert s.connection().exec_driver_sql("SELECT count(*) FROM flags_v").scalar() == len(before)
        schema = s.connection().exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'flag'").scalar()
    assert "AUTOINCREMENT" in schema and len(before) == 3
