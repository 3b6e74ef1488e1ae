"""Bot walls are recognised by what they are, never by a count of links: a short last listing page is normal, a
challenge page is blocked, and a listing that had articles on the last crawl and now shows none is a wall.
`pantau crawl` exits non-zero only when a source could not be crawled at all, and says which."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlmodel import select

from lab.simulator import Simulator
from lab.simulator.sites import HTML, Reply, template
from store import Store
from store.models import Article, CrawlRun, PageError


def listing_only_sources(sim: Simulator, path: Path) -> Path:
    """The WordPress outlet read only through one category listing, whose second and last page holds its two
    oldest articles."""
    site = sim.sites["priangan"]
    category = max({a.category for a in site.articles}, key=lambda c: sum(a.category == c for a in site.articles))
    site.per_page = sum(a.category == category for a in site.articles) - 2
    path.write_text(f"""
[defaults]
delay = 0.0
concurrency = 8
download_timeout = 10

[[source]]
name = "sim-priangan"
base_url = "{site.base}/"
province = "Jawa Barat"
listings = ["/category/{category}/"]
listing_depth = 5
allow = ['^/berita/\\d{{4}}/\\d{{2}}/\\d{{2}}/[^/]+/?$']
""", encoding="utf-8")
    return path


def crawl(path: Path, db_url: str, *extra: str) -> subprocess.CompletedProcess:
    pantau = str(Path(sys.executable).parent / "pantau")
    return subprocess.run([pantau, "crawl", "--sources", str(path), "--db", db_url, *extra], capture_output=True,
                          text=True, timeout=240, env={**os.environ, "COLUMNS": "160", "PYTHONUNBUFFERED": "1"})


def runs_and_errors(db_url: str) -> tuple[list[CrawlRun], list[str]]:
    store = Store(db_url)
    with store.session() as s:
        runs = list(s.exec(select(CrawlRun).order_by(CrawlRun.id)).all())
        errors = [e.error for e in s.exec(select(PageError)).all()]
        stored = len(s.exec(select(Article.id)).all())
    store.dispose()
    return runs, errors + [f"stored={stored}"]


def test_a_two_page_listing_whose_last_page_holds_two_articles_is_not_a_bot_wall(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'p.db'}"
    with Simulator({"priangan": 12}) as sim:
        path = listing_only_sources(sim, tmp_path / "sources.toml")
        first = crawl(path, db_url)
        again = crawl(path, db_url)
        site = sim.sites["priangan"]
        listing_hits = site.hits_of("home", "listing")
    runs, errors = runs_and_errors(db_url)
    assert first.returncode == 0, first.stdout + first.stderr
    assert again.returncode == 0, again.stdout + again.stderr
    assert [r.status for r in runs] == ["ok", "ok"] and not any("blocked" in (r.message or "") for r in runs)
    assert errors == [f"stored={site.per_page + 2}"]        # every article of the listing, no page error
    assert any("/page/2/" in h for h in listing_hits)       # the short last page was read


def test_a_challenge_on_a_listing_that_had_links_last_time_is_blocked(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'p.db'}"
    with Simulator({"priangan": 12}) as sim:
        site = sim.sites["priangan"]
        path = listing_only_sources(sim, tmp_path / "sources.toml")
        assert crawl(path, db_url).returncode == 0
        route = site.route

        def walled(p, query, headers):               # from now on the outlet sits behind a JS challenge
            if p.startswith("/category/"):
                body = template("challenge.html").substitute(host=site.base.split("//")[1]).encode()
                return Reply(503, body, {"Content-Type": HTML, "Server": "cloudflare"}, "challenge")
            return route(p, query, headers)
        site.route = walled
        second = crawl(path, db_url)
    runs, errors = runs_and_errors(db_url)
    assert second.returncode == 1
    assert "sim-priangan (blocked)" in second.stderr and "could not be crawled" in second.stderr
    assert runs[-1].status == "blocked" and "challenge page" in runs[-1].message
    assert any(e.startswith("blocked: HTTP 503: challenge page") for e in errors)


def test_a_listing_that_had_articles_and_now_shows_none_is_a_wall_but_a_new_empty_one_is_not(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'p.db'}"
    empty = ("<html><head><title>Priangan Ekspres</title></head><body><div id='app'></div>"
             "<a href='/redaksi/'>Redaksi</a></body></html>").encode()
    with Simulator({"priangan": 12}) as sim:
        site = sim.sites["priangan"]
        path = listing_only_sources(sim, tmp_path / "sources.toml")
        route = site.route
        site.route = lambda p, q, h: (Reply(200, empty, {"Content-Type": HTML}, "listing") if p.startswith("/category/")
                                      else route(p, q, h))
        never_had = crawl(path, db_url)               # a quiet outlet on its first crawl: nothing to compare with
        site.route = route
        assert crawl(path, db_url).returncode == 0     # now it lists its articles
        site.route = lambda p, q, h: (Reply(200, empty, {"Content-Type": HTML}, "listing") if p.startswith("/category/")
                                      else route(p, q, h))
        dark = crawl(path, db_url)
    runs, errors = runs_and_errors(db_url)
    assert never_had.returncode == 0 and runs[0].status == "ok"
    assert dark.returncode == 1 and runs[-1].status == "blocked"
    assert "no article links where the last crawl found some" in runs[-1].message
