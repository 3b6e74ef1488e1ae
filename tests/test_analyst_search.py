"""Full-text search: one query language, the same answers on SQLite FTS5 and PostgreSQL."""
from __future__ import annotations

import pytest
from sqlalchemy import delete, update

from store.filters import Filters
from store.models import Article
from store.queries import find_articles
from store.search import SearchSyntaxError, highlight_spans, parse_search
from tests.support.analyst_articles import emptied_store_fixture, seed, seeded_store_fixture

seeded = seeded_store_fixture()
_backend, store = emptied_store_fixture()


def _ids(store, text: str, **kw) -> set[int]:
    with store.session() as s:
        return {r["article_id"] for r in find_articles(s, Filters(text=text, **kw), limit=None)}


@pytest.fixture
def corpus(store):
    return seed(store)


@pytest.mark.parametrize("query,expected", [
    ("kampanye", {"garut", "cirebon", "garut2"}),
    ("KAMPANYE caleg", {"garut", "garut2"}),                      # AND, case folded
    ('"salam dua jari"', {"garut"}),                              # phrase
    ('"dua salam"', set()),                                      # phrase order matters
    ("sembako OR unggahan", {"kupang", "bandung"}),              # OR
    ("kampanye -garut", {"cirebon"}),                             # exclusion (the title counts too)
    ("kampanye NOT garut", {"cirebon"}),
    ("kampanye*", {"garut", "cirebon", "garut2"}),                # prefix
    ("netral*", {"bandung", "cirebon", "garut2"}),                # netral, netralitas
    ("bagi-bagi", {"kupang"}),                                    # hyphenated word = phrase of its parts
    ("capres-cawapres", {"bandung"}),
    ("jpnn.com", {"bandung"}),                                    # punctuation splits words on both backends
    ("tidakada", set()),
])
def test_same_results_on_both_backends(seeded, query, expected):
    store, corpus = seeded
    assert _ids(store, query) == {corpus[name] for name in expected}


def test_search_combines_with_other_filters(seeded):
    store, corpus = seeded
    assert _ids(store, "kampanye", provinces=["jawa barat"], regencies=["Kabupaten Garut"]) == \
        {corpus["garut"], corpus["garut2"]}
    assert _ids(store, "caleg", provinces=["Nusa Tenggara Timur"]) == {corpus["kupang"]}


def test_index_follows_updates_and_deletes(store, corpus):
    assert _ids(store, "oesapa") == {corpus["kupang"]}
    with store.session() as s:
        s.execute(update(Article).where(Article.id == corpus["kupang"])
                  .values(text="KUPANG, TIMEX - Anggota PPS diduga membagikan beras kepada warga."))
    assert _ids(store, "oesapa") == set()
    assert _ids(store, "beras") == {corpus["kupang"]}
    with store.session() as s:
        s.execute(delete(Article).where(Article.id == corpus["bandung"]))
    assert _ids(store, "unggahan") == set()


def test_user_text_is_data_not_sql(seeded):
    store, corpus = seeded
    # Quotes, semicolons and FTS/tsquery operators in words are searched for, never executed.
    assert _ids(store, "kampanye'; DROP TABLE article; --") == set()
    # Backend operators are punctuation here: this is "kampanye caleg".
    assert _ids(store, "kampanye & !caleg | :*") == {corpus["garut"], corpus["garut2"]}
    assert len(_ids(store, "caleg")) == 4


@pytest.mark.parametrize("bad,hint", [
    ('"salam dua', "unclosed quote"),
    ("kampanye OR", "ends with an operator"),
    ("OR kampanye", "OR needs a word"),
    ("-kampanye", "at least one word that is not excluded"),
    ("(camat OR lurah) kampanye", "parentheses are not supported"),
    ("k*", "too short"),
    ("   ", "empty search"),
])
def test_syntax_errors_are_clear(bad, hint):
    with pytest.raises(SearchSyntaxError, match=hint):
        parse_search(bad)


def test_rendering_to_both_dialects():
    q = parse_search('camat OR lurah "salam dua jari" netral* -sosialisasi')
    assert q.fts5() == '(("camat" OR "lurah") AND ("salam dua jari") AND ("netral"*)) NOT "sosialisasi"'
    assert q.tsquery() == "('camat' | 'lurah') & (('salam' <-> 'dua' <-> 'jari')) & ('netral':*) & !'sosialisasi'"


def test_highlight_finds_whole_words_phrases_and_prefixes():
    pattern = parse_search('kampanye "dua jari" netral*').highlighter()
    text = "ASN dilarang berkampanye; kampanye dan salam dua-jari, netralitas dijaga."
    found = [text[s:e] for s, e in highlight_spans(text, pattern)]
    assert found == ["kampanye", "dua-jari", "netralitas"]
