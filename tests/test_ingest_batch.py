"""Ingest in batches (what the crawler's ingest workers do): one tagger pass and one transaction for several
articles, with the same stored result as one by one, and a bad page failing only its own article."""
from __future__ import annotations

import pytest
from sqlmodel import select

from crawler.ingest_worker import ingest_item, ingest_items
from ingest import pipeline
from store.articles import article_json
from store.models import Article
from tests.conftest import fixture_page

KOMPAS = ("https://regional.kompas.com/read/2024/02/10/223000678/"
          "camat-di-garut-dilaporkan-ke-bawaslu-karena-ajak-warga-pilih-caleg")
DETIK = "https://www.detik.com/jateng/berita/d-7186532/bawaslu-jateng-temukan-20-kades-ikut-kampanye-caleg-di-semarang"
JABAR = "https://jabarekspres.com/berita/2024/02/10/bawaslu-temukan-camat-ikut-kampanye/"
BROKEN = "https://jabarekspres.com/berita/2024/02/11/halaman-rusak/"
ERROR_PAGE = (b"<html><head><title>Terjadi Kesalahan - Jabar Ekspres</title></head><body><h1>Maaf</h1>"
              b"<p>Server sedang sibuk, silakan coba beberapa saat lagi.</p></body></html>")


def payload(url: str, html: bytes, source: str = "jabarekspres") -> dict:
    return {"url": url, "parts": [(url, html, "utf-8")], "date_hint": None, "source": source,
            "province": "Jawa Barat", "regency": None}


def batch() -> list[dict]:
    return [payload(KOMPAS, fixture_page("kompas-regional-garut.html"), "kompas"), payload(BROKEN, ERROR_PAGE),
            payload(DETIK, fixture_page("detik-jateng.html"), "detik"),
            payload(JABAR, fixture_page("wordpress-jabarekspres.html"))]


def stored_json(store) -> dict[str, dict]:
    with store.session() as s:
        return {a.url: {k: v for k, v in article_json(s, a).items() if k not in ("id", "fetched_at")}
                | {"flags": [{k: v for k, v in f.items() if k != "flag_id"} for f in article_json(s, a)["flags"]]}
                for a in s.exec(select(Article))}


def test_a_batch_with_one_broken_page_stores_the_others_and_records_the_one_error(store, tagger):
    outcomes = ingest_items(store, batch(), tagger)
    assert [o.status for o in outcomes] == ["new", None, "new", "new"]
    assert outcomes[1].errors == [(BROKEN, f"not an article: no article text found at {BROKEN}")]
    assert not any(o.errors for o in outcomes if o is not outcomes[1])
    assert set(stored_json(store)) == {KOMPAS, DETIK, JABAR}


def test_a_batch_stores_what_one_by_one_stores_and_again_is_unchanged(store, tagger, tmp_path):
    from store import Store
    alone = Store(f"sqlite:///{tmp_path / 'alone.db'}")
    for data in batch():
        ingest_item(alone, data, tagger)
    ingest_items(store, batch(), tagger)
    assert stored_json(store) == stored_json(alone)
    assert [o.status for o in ingest_items(store, batch(), tagger)] == ["unchanged", None, "unchanged", "unchanged"]
    with store.session() as s:
        assert len(s.exec(select(Article)).all()) == 3
    alone.dispose()


def test_an_article_that_cannot_be_written_fails_alone(store, tagger, monkeypatch):
    real = pipeline.save_article

    def save(session, processed, **kwargs):
        if processed.url == DETIK:
            raise ValueError("kolom terlalu panjang")
        return real(session, processed, **kwargs)
    monkeypatch.setattr(pipeline, "save_article", save)
    outcomes = ingest_items(store, batch(), tagger)
    assert [o.status for o in outcomes] == ["new", None, None, "new"]
    assert outcomes[2].errors == [(DETIK, "ValueError: kolom terlalu panjang")]
    assert set(stored_json(store)) == {KOMPAS, JABAR}


def test_a_text_the_tagger_chokes_on_fails_alone(store, tagger, monkeypatch):
    class Choking:
        version = tagger.version

        def tag_many(self, texts):
            if any("Semarang" in t for t in texts):
                raise RuntimeError("tagger crashed")
            return tagger.tag_many(texts)

        def tag(self, text):
            return self.tag_many([text])[0]
    outcomes = ingest_items(store, batch(), Choking())
    assert [o.status for o in outcomes] == ["new", None, None, "new"]
    assert outcomes[2].errors == [(DETIK, "RuntimeError: tagger crashed")]


def test_one_article_goes_the_same_path_and_raises_its_own_error(store, tagger):
    from extract.page import NoArticleText
    result = pipeline.ingest(store, [pipeline.FetchedPage(JABAR, fixture_page("wordpress-jabarekspres.html"))],
                             source="jabarekspres", tagger=tagger)
    assert result.status == "new"
    with pytest.raises(NoArticleText):
        pipeline.ingest(store, [pipeline.FetchedPage(BROKEN, ERROR_PAGE)], tagger=tagger)
