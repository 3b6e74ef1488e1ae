"""The local news-site simulator serves its outlets in their real shapes and counts what was asked."""
from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request

from crawler.discovery import parse_feed, parse_sitemap
from lab.simulator import Simulator


def get(url: str, headers: dict | None = None):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {})) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_sites_serve_their_shapes_and_count_hits():
    with Simulator({"priangan": 12, "tribun": 2, "jpnn": 20, "timex": 6, "tembok": 1}) as sim:
        wp, tribun = sim.sites["priangan"], sim.sites["tribun"]
        status, headers, body = get(wp.base + "/feed/")
        assert status == 200 and len(parse_feed(body, wp.base)) == 10
        again = get(wp.base + "/feed/", {"If-None-Match": headers["ETag"]})
        assert again[0] == 304
        index = parse_sitemap(get(wp.base + "/sitemap_index.xml")[2], wp.base)
        assert index.kind == "index" and index.entries[0].url.endswith("/post-sitemap.xml")
        news = parse_sitemap(get(tribun.base + "/sitemap_news.xml")[2], tribun.base)
        assert all(e.published and e.title for e in news.entries)
        a = tribun.articles[0]
        page2 = get(tribun.base + tribun.article_path(a) + "?page=2")[2].decode()
        assert "Halaman selanjutnya" in page2 and a.paragraphs[4][:40].replace('"', "&quot;") in page2
        assert "Disallow: /advertorial/" in get(sim.sites["timex"].base + "/robots.txt")[2].decode()
        status, headers, body = get(sim.sites["tembok"].base + "/feed/")
        assert status == 503 and b"Just a moment..." in body and headers["Server"] == "cloudflare"
        assert wp.hits_of("feed") == ["/feed/", "/feed/"] and tribun.hits_of("part") == [tribun.article_path(a) + "?page=2"]
        assert get(wp.base + "/berita/2020/01/01/tidak-ada/")[0] == 404


def test_articles_are_indonesian_news_with_datelines():
    with Simulator({"priangan": 30}) as sim:
        articles = sim.sites["priangan"].articles
    assert len({a.slug for a in articles}) == 30
    assert articles == sorted(articles, key=lambda a: a.published, reverse=True)
    for a in articles:
        assert a.paragraphs[0].split(" - ")[0].isupper()
        assert len(a.text.split()) > 120
    assert any("Bawaslu" in a.text for a in articles) and any("Banjir" in a.title for a in articles)


def test_runs_as_a_module_and_writes_a_sources_file(tmp_path):
    out = tmp_path / "sim.toml"
    proc = subprocess.Popen([sys.executable, "-m", "lab.simulator", "--sites", "priangan,jpnn",
                             "--articles", "priangan=5", "--sources", str(out)], stdout=subprocess.PIPE, text=True)
    try:
        lines = [proc.stdout.readline() for _ in range(3)]
        assert lines[0].startswith("priangan") and "(5 articles)" in lines[0]
        base = lines[0].split()[1]
        deadline = time.monotonic() + 10
        while not out.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert 'name = "sim-jpnn"' in out.read_text()
        assert get(base + "feed/")[0] == 200
    finally:
        proc.terminate()
        proc.wait(10)


def test_heavy_pages_weigh_what_real_outlets_serve_and_hold_the_same_article():
    from extract.page import extract_page
    with Simulator({"priangan": 30}, heavy=["priangan"]) as sim:
        site = sim.sites["priangan"]
        url = site.base + site.article_path(site.articles[4])
        heavy = get(url)[2]
        site.heavy = False
        light = get(url)[2]
    assert 60 * 1024 <= len(heavy) <= 150 * 1024 and len(light) < 10 * 1024
    page = heavy.decode()
    assert 'application/ld+json' in page and "Berita Terkait" in page and "googletag.defineSlot" in page
    assert extract_page(heavy, url) == extract_page(light, url)
