"""The crawler end to end against the simulated outlets on 127.0.0.1: what it discovers, fetches, merges,
skips, records; each crawl runs in a forked child (one reactor per process), the tagger is loaded once."""
from __future__ import annotations

import json
from datetime import timezone
from urllib.parse import urlsplit

import pytest
from sqlmodel import func, select

from crawler.run import crawl_in_child, site_source
from lab.simulator import Simulator
from lab.simulator.sites import split_parts
from crawler.sources import load_sources, select_sources
from extract.urls import canonical_key
from store import Store
from store.models import Article, CrawlRun, FeedState, PageError, UrlAlias

FAST = {"PANTAU_RETRY_BACKOFF": 0.05, "AUTOTHROTTLE_ENABLED": False}


def run(sim: Simulator, tmp_path, db_url: str, names: list[str] | None = None, **kwargs):
    path = sim.write_sources(tmp_path / "sources.toml")
    sources = select_sources(load_sources(path), names or sim.source_names())
    results = crawl_in_child(sources, db_url=db_url, log_level="WARNING", settings=FAST, **kwargs)
    return {r.source: r for r in results}


def stored_keys(db_url: str, source: str | None = None) -> list[str]:
    store = Store(db_url)
    with store.session() as s:
        query = select(Article.key)
        if source:
            query = query.where(Article.source == source)
        keys = list(s.exec(query).all())
    store.dispose()
    return keys


def article_paths(site, *kinds: str) -> set[str]:
    return {h.split("?")[0] for h in site.hits_of(*kinds)}


def keys_of(urls) -> set[str]:
    return {canonical_key(u) for u in urls}


@pytest.fixture(scope="module")
def first_crawl(tmp_path_factory, tagger):
    """All simulated outlets crawled once into a fresh SQLite store."""
    tmp = tmp_path_factory.mktemp("crawl")
    db_url = f"sqlite:///{tmp / 'pantau.db'}"
    with Simulator({"priangan": 8, "tribun": 4, "jpnn": 20, "timex": 10, "tembok": 1}) as sim:
        sim.sites["jpnn"].per_page = 5          # 4 index pages, listing_depth 3: the 15 newest
        results = run(sim, tmp, db_url)
        yield sim, db_url, results


def test_discovers_exactly_the_article_urls_of_each_site(first_crawl):
    sim, _, _ = first_crawl
    for name in ("priangan", "tribun", "jpnn", "timex"):
        site = sim.sites[name]
        expected = {urlsplit(u).path for u in site.expected_articles()}
        assert article_paths(site, "article") == expected, name
    # JPNN: 20 articles, 5 per index page, listing_depth 3: the 15 newest, no more
    assert len(article_paths(sim.sites["jpnn"], "article")) == 15
    assert not sim.sites["tembok"].hits_of("article")


def test_stores_every_discovered_article_once(first_crawl):
    sim, db_url, results = first_crawl
    timex = sim.sites["timex"]
    for name in ("priangan", "tribun", "jpnn", "timex"):
        site = sim.sites[name]
        expected = keys_of(site.expected_articles())
        if name == "timex":      # its broken article answers 500 every time
            expected -= {canonical_key(timex.base + timex.article_path(timex.broken))}
        keys = stored_keys(db_url, f"sim-{name}")
        assert len(keys) == len(set(keys))
        assert set(keys) == expected, name
        assert results[f"sim-{name}"].counts.new == len(expected)
    store = Store(db_url)
    with store.session() as s:
        assert s.exec(select(func.count(func.distinct(Article.key)))).one() == s.exec(select(func.count()).select_from(Article)).one()
        regions = {k: (p, r) for k, p, r in s.exec(select(Article.key, Article.province, Article.regency)
                                                   .where(Article.source.in_(["sim-timex", "sim-jpnn"]))).all()}
    store.dispose()
    # each article is stored under the region it is about (its dateline and text), not its outlet's:
    # Timor Express (Kota Kupang) reports from several NTT regencies, JPNN from six provinces
    for name in ("timex", "jpnn"):
        site = sim.sites[name]
        for a in site.articles:
            key = canonical_key(site.base + site.article_path(a))
            if key in regions:
                assert regions[key] == (dict(site.regencies)[a.tags[0]], a.tags[0]), key
    assert len({p for p, _ in regions.values()}) >= 3


def test_three_page_articles_are_merged_in_order(first_crawl):
    sim, db_url, _ = first_crawl
    store = Store(db_url)
    for name in ("tribun", "timex"):
        site = sim.sites[name]
        multi = [a for a in site.articles if name == "tribun" or site.parts_of(a) == 3]
        multi = [a for a in multi if name != "timex" or a not in (site.broken, site.broken_part)]
        assert multi
        for a in multi:
            with store.session() as s:
                row = s.exec(select(Article).where(Article.key == canonical_key(site.base + site.article_path(a)))).one()
            assert row.pages == 3, (name, a.slug)
            positions = [row.text.find(p[:60]) for p in a.paragraphs]
            assert -1 not in positions, (name, a.slug)
            assert positions == sorted(positions), (name, a.slug)
        parts = [h for h in site.hits_of("part") if name != "timex" or not h.startswith(site.article_path(site.broken_part))]
        assert len(parts) == 2 * len(multi), name
    store.dispose()


def test_an_article_whose_later_page_fails_is_stored_with_the_pages_before_it(first_crawl):
    sim, db_url, results = first_crawl
    timex = sim.sites["timex"]
    article, path = timex.broken_part, timex.article_path(timex.broken_part)
    store = Store(db_url)
    with store.session() as s:
        row = s.exec(select(Article).where(Article.key == canonical_key(timex.base + path))).one()
        errors = {e.url: e.error for e in s.exec(select(PageError).where(PageError.run_id == results["sim-timex"].run_id))}
    store.dispose()
    assert row.pages == 2
    one, two, three = split_parts(article.paragraphs, 3)
    positions = [row.text.find(p[:60]) for p in one + two]
    assert -1 not in positions and positions == sorted(positions)
    assert not [p for p in three if p[:60] in row.text]
    assert errors[timex.base + path + "3/"] == "HTTP 500"


def test_single_page_variant_is_preferred_and_load_more_is_not_followed(first_crawl):
    sim, db_url, _ = first_crawl
    jpnn = sim.sites["jpnn"]
    hits = jpnn.hits_of("article", "part")
    two_page = [a for a in jpnn.articles[:15] if jpnn.parts_of(a) == 2]
    assert two_page
    for a in two_page:
        assert jpnn.article_path(a) + "?page=all" in hits
    # the "Muat Lebih Banyak" widget links ?page=2 on every article: never fetched
    assert not [h for h in hits if h.endswith("?page=2")]
    store = Store(db_url)
    with store.session() as s:
        row = s.exec(select(Article).where(Article.key == canonical_key(jpnn.base + jpnn.article_path(two_page[0])))).one()
    store.dispose()
    assert all(p[:60] in row.text for p in two_page[0].paragraphs)


def test_news_sitemap_date_reaches_the_article(first_crawl):
    """Scrapy's SitemapSpider drops news:publication_date; the Tribun-like pages print no date at all."""
    sim, db_url, _ = first_crawl
    tribun = sim.sites["tribun"]
    store = Store(db_url)
    with store.session() as s:
        for a in tribun.articles:
            row = s.exec(select(Article).where(Article.key == canonical_key(tribun.base + tribun.article_path(a)))).one()
            assert row.published_at is not None, a.slug
            assert row.published_at.astimezone(timezone.utc) == a.published.astimezone(timezone.utc)
    store.dispose()


def test_robots_txt_is_obeyed(first_crawl):
    sim, db_url, results = first_crawl
    timex = sim.sites["timex"]
    assert timex.hits_of("robots")
    assert not [h for h in timex.hits if h.path.startswith("/advertorial/")]
    assert "disallowed by robots.txt" in results["sim-timex"].message


def test_page_errors_are_recorded_and_the_crawl_goes_on(first_crawl):
    sim, db_url, results = first_crawl
    timex = sim.sites["timex"]
    run = results["sim-timex"]
    assert run.status == "ok"
    store = Store(db_url)
    with store.session() as s:
        errors = {e.url.split("?")[0]: e.error for e in s.exec(select(PageError).where(PageError.run_id == run.run_id))}
        stored = set(s.exec(select(Article.key).where(Article.source == "sim-timex")).all())
    store.dispose()
    assert errors[timex.base + timex.article_path(timex.broken)] == "HTTP 500"
    assert "redirect" in errors[timex.base + timex.LOOP]
    assert errors[timex.base + timex.article_path(timex.broken_part) + "3/"] == "HTTP 500"
    assert run.counts.errors == len(errors) == 3
    # the flaky page (503 once) was retried, the slow one waited for: both stored
    for a in (timex.flaky, timex.slow):
        assert canonical_key(timex.base + timex.article_path(a)) in stored
    assert len([h for h in timex.hits if h.path.startswith(timex.article_path(timex.broken))]) == 3   # 1 + 2 retries


def test_tracking_parameter_duplicates_are_one_article(first_crawl):
    sim, db_url, _ = first_crawl
    timex = sim.sites["timex"]
    dup = timex.articles[4]
    fetched = [h for h in timex.hits_of("article") if h.startswith(timex.article_path(dup))]
    assert len(fetched) == 1
    store = Store(db_url)
    with store.session() as s:
        rows = s.exec(select(Article).where(Article.key == canonical_key(timex.base + timex.article_path(dup)))).all()
    store.dispose()
    assert len(rows) == 1


def test_bot_wall_is_recorded_as_blocked(first_crawl):
    sim, db_url, results = first_crawl
    run = results["sim-tembok"]
    assert run.status == "blocked" and run.counts.new == 0
    assert "challenge" in run.message
    store = Store(db_url)
    with store.session() as s:
        state = s.get(FeedState, sim.sites["tembok"].base + "/feed/")
        recorded = s.get(CrawlRun, run.run_id)
    store.dispose()
    assert state.last_status == "blocked" and state.failures == 1 and state.next_attempt_at is not None
    assert recorded.status == "blocked"


def test_runs_are_recorded_with_counts(first_crawl):
    _, db_url, results = first_crawl
    store = Store(db_url)
    with store.session() as s:
        runs = {r.source: r for r in s.exec(select(CrawlRun))}
    store.dispose()
    assert set(runs) == set(results)
    for name, result in results.items():
        row = runs[name]
        assert (row.status, row.new, row.pages, row.errors) == (result.status, result.counts.new, result.counts.pages,
                                                                 result.counts.errors)
        assert row.ended_at is not None and row.pid and row.trigger == "cli"


def test_second_run_downloads_no_article_page_and_finds_new_ones(tmp_path, db_url, tagger):
    with Simulator({"priangan": 5, "tribun": 2, "jpnn": 8}) as sim:
        sim.sites["jpnn"].per_page = 5
        first = run(sim, tmp_path, db_url)
        assert sum(r.counts.new for r in first.values()) == 5 + 2 + 8
        before = {n: len(s.hits_of("article", "part")) for n, s in sim.sites.items()}
        second = run(sim, tmp_path, db_url)
        assert {n: len(s.hits_of("article", "part")) for n, s in sim.sites.items()} == before
        assert all(r.status == "ok" and r.counts.new == 0 and r.counts.updated == 0 for r in second.values())
        # feeds and sitemaps answered 304 to conditional requests
        store = Store(db_url)
        with store.session() as s:
            states = {st.url: st.last_status for st in s.exec(select(FeedState))}
        store.dispose()
        assert states[sim.sites["priangan"].base + "/feed/"] == "not-modified"
        assert states[sim.sites["tribun"].base + "/sitemap_news.xml"] == "not-modified"
        # JPNN's index: page 1 is all known, so pagination stops there
        jpnn_listing = [h for h in sim.sites["jpnn"].hits_of("listing")]
        assert jpnn_listing[-1] == "/indeks"
        new = sim.sites["priangan"].publish(2)
        third = run(sim, tmp_path, db_url)
        fetched = sim.sites["priangan"].hits_of("article")[before["priangan"]:]
        assert sorted(fetched) == sorted(sim.sites["priangan"].article_path(a) for a in new)
        assert third["sim-priangan"].counts.new == 2
    keys = stored_keys(db_url)
    assert len(keys) == len(set(keys)) == 5 + 2 + 8 + 2


def test_refresh_downloads_stored_articles_again(tmp_path, tagger):
    db_url = f"sqlite:///{tmp_path / 'p.db'}"
    with Simulator({"tribun": 2}) as sim:
        run(sim, tmp_path, db_url)
        again = run(sim, tmp_path, db_url, refresh=True)
        assert len(sim.sites["tribun"].hits_of("article")) == 4
        assert again["sim-tribun"].counts.new == 0
        assert again["sim-tribun"].counts.skipped == 2      # re-read, unchanged


def test_site_mode_discovers_feed_and_sitemaps_from_the_home_page(tmp_path, tagger):
    db_url = f"sqlite:///{tmp_path / 'p.db'}"
    with Simulator({"priangan": 6}) as sim:
        site = sim.sites["priangan"]
        source = site_source(site.base + "/", delay=0)
        results = crawl_in_child([source], db_url=db_url, discover=True, log_level="WARNING", settings=FAST)
        assert results[0].status == "ok"
        assert "/feed/" in site.hits_of("feed") and "/sitemap_index.xml" in site.hits_of("sitemap")
        assert set(stored_keys(db_url)) == keys_of(site.expected_articles())
        limited = crawl_in_child([site_source(site.base + "/", delay=0, max_articles=2)],
                                 db_url=f"sqlite:///{tmp_path / 'q.db'}", discover=True, log_level="WARNING",
                                 settings=FAST)
        assert limited[0].counts.new == 2


def test_crawl_cli_prints_progress_and_summary(tmp_path):
    """`pantau crawl` as a user runs it (its own process: one reactor per process)."""
    import subprocess
    db_url = f"sqlite:///{tmp_path / 'p.db'}"
    with Simulator({"tribun": 2, "tembok": 1}) as sim:
        path = sim.write_sources(tmp_path / "sources.toml")
        proc = subprocess.run([_pantau(), "crawl", "--sources", str(path), "--db", db_url],
                              capture_output=True, text=True, timeout=240, env=_env())
    out = proc.stdout
    assert proc.returncode == 1, proc.stderr         # one source is blocked
    assert "sim-tribun" in out and "sim-tembok" in out and "blocked" in out
    assert "total" in out
    assert len(stored_keys(db_url)) == 2
    from typer.testing import CliRunner

    from pantau.cli import app
    bad = CliRunner().invoke(app, ["crawl", "nope", "--sources", str(path), "--db", db_url])
    assert bad.exit_code == 2 and "unknown source(s): nope" in bad.output


def _env():
    import os
    return {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "120"}


def test_stored_article_json_has_the_crawl_provenance(first_crawl):
    sim, db_url, _ = first_crawl
    from store.articles import article_json, get_article
    site = sim.sites["priangan"]
    store = Store(db_url)
    with store.session() as s:
        data = article_json(s, get_article(s, site.base + site.article_path(site.articles[0]) + "?utm_source=wa"))
        aliases = s.exec(select(func.count()).select_from(UrlAlias)).one()
    store.dispose()
    assert data["source"] == "sim-priangan" and data["title"] == site.articles[0].title
    assert json.dumps(data, ensure_ascii=False)
    assert aliases >= len(stored_keys(db_url))


def _pantau() -> str:
    import sys
    from pathlib import Path
    return str(Path(sys.executable).parent / "pantau")
