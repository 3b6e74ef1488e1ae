"""Discovery rules on their own: feeds, sitemaps (Google News fields), article links, pagination, bot walls,
the bounded duplicate filter."""
from __future__ import annotations

import gzip
import re
from datetime import datetime, timedelta, timezone

import pytest

from crawler.botwall import blocked_reason
from crawler.discovery import (NotXml, article_links, article_sitemap, discover_home,
                               is_article_url, parse_feed, parse_sitemap, robots_sitemaps)
from crawler.dupefilter import BoundedDupeFilter
from ingest.paging import PartWalk, article_paging, next_listing_url, same_part_title
from extract.fetched import FetchedPage
from tests.conftest import fixture_page

WIB = timezone(timedelta(hours=7))

NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
<url><loc>https://jambi.tribunnews.com/2024/11/19/bawaslu-batanghari-panggil-kades-yang-unggah-dukungan-ke-paslon</loc>
<news:news><news:publication><news:name>Tribunjambi.com</news:name><news:language>id</news:language></news:publication>
<news:publication_date>2024-11-19T14:05:00+07:00</news:publication_date>
<news:title>Bawaslu Batanghari Panggil Kades yang Unggah Dukungan ke Paslon</news:title></news:news>
<image:image><image:loc>https://asset-2.tstatic.net/jambi/foto/bank/images/bawaslu.jpg</image:loc></image:image></url>
<url><loc>https://jambi.tribunnews.com/2024/11/19/harga-pinang-di-tanjabbar-naik</loc><lastmod>2024-11-19T10:00:00+07:00</lastmod></url>
</urlset>"""


def test_news_sitemap_keeps_publication_date_and_title():
    """Scrapy's SitemapSpider keeps only direct children of <url>: news:publication_date is lost there."""
    from scrapy.utils.sitemap import Sitemap as ScrapySitemap
    scrapy_entries = list(ScrapySitemap(NEWS_SITEMAP))
    assert scrapy_entries[0]["news"] == "" and "2024-11-19T14:05" not in str(scrapy_entries[0])   # the trap
    sitemap = parse_sitemap(NEWS_SITEMAP, "https://jambi.tribunnews.com/sitemap_news.xml")
    assert sitemap.kind == "urlset" and len(sitemap.entries) == 2
    first, second = sitemap.entries
    assert first.published == datetime(2024, 11, 19, 14, 5, tzinfo=WIB)
    assert first.title == "Bawaslu Batanghari Panggil Kades yang Unggah Dukungan ke Paslon"
    assert second.published is None and second.lastmod == datetime(2024, 11, 19, 10, 0, tzinfo=WIB)


def test_sitemap_index_gzip_and_children_worth_following():
    index = b"""<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <sitemap><loc>https://jabarekspres.com/post-sitemap.xml</loc><lastmod>2024-11-20T09:30:00+07:00</lastmod></sitemap>
    <sitemap><loc>https://jabarekspres.com/post-sitemap2.xml</loc></sitemap>
    <sitemap><loc>https://jabarekspres.com/page-sitemap.xml</loc></sitemap>
    <sitemap><loc>https://jabarekspres.com/category-sitemap.xml</loc></sitemap>
    <sitemap><loc>https://jabarekspres.com/author-sitemap.xml</loc></sitemap></sitemapindex>"""
    parsed = parse_sitemap(gzip.compress(index), "https://jabarekspres.com/sitemap_index.xml.gz")
    assert parsed.kind == "index"
    followed = [e.url for e in parsed.entries if article_sitemap(e.url)]
    assert followed == ["https://jabarekspres.com/post-sitemap.xml", "https://jabarekspres.com/post-sitemap2.xml"]


def test_feeds_rss_and_atom():
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Timex</title>
    <item><title>Pj Bupati Malaka Minta ASN Netral</title><link>https://timex.fajar.co.id/2024/11/18/pj-bupati-malaka-minta-asn-netral/</link>
    <pubDate>Mon, 18 Nov 2024 08:15:00 +0800</pubDate></item>
    <item><title>Tanpa link</title><guid isPermaLink="true">https://timex.fajar.co.id/2024/11/18/kpu-kupang-tetapkan-dpt/</guid></item>
    </channel></rss>"""
    entries = parse_feed(rss, "https://timex.fajar.co.id/feed/")
    assert [e.url for e in entries] == ["https://timex.fajar.co.id/2024/11/18/pj-bupati-malaka-minta-asn-netral/",
                                        "https://timex.fajar.co.id/2024/11/18/kpu-kupang-tetapkan-dpt/"]
    assert entries[0].published == datetime(2024, 11, 18, 8, 15, tzinfo=timezone(timedelta(hours=8)))
    atom = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Antara Jabar</title>
    <entry><title>KPU Jabar</title><link rel="alternate" href="/berita/512345/kpu-jabar-siapkan-logistik"/>
    <published>2024-11-20T07:00:00Z</published></entry></feed>"""
    assert [e.url for e in parse_feed(atom, "https://jabar.antaranews.com/rss")] == \
        ["https://jabar.antaranews.com/berita/512345/kpu-jabar-siapkan-logistik"]
    with pytest.raises(NotXml):
        parse_feed(b"<!DOCTYPE html><html><body>Just a moment...</body></html>", "https://x.id/feed/")


@pytest.mark.parametrize("url,expected", [
    ("https://jabarekspres.com/berita/2023/09/13/bawaslu-temukan-camat-ikut-kampanye/", True),
    ("https://jambi.tribunnews.com/2024/11/19/bawaslu-batanghari-panggil-kades", True),
    ("https://www.jpnn.com/news/pj-gubernur-minta-asn-netral-saat-pilkada", True),
    ("https://jabar.antaranews.com/berita/512345/kpu-jabar-siapkan-logistik", True),
    ("https://radarcirebon.disway.id/read/654321/bawaslu-kota-cirebon-awasi-kampanye", True),
    ("https://jabarekspres.com/category/politik/", False),
    ("https://jabarekspres.com/tag/pilkada-2024/", False),
    ("https://jabarekspres.com/category/politik/page/2/", False),
    ("https://www.jpnn.com/indeks?page=2", False),
    ("https://jabarekspres.com/author/redaksi/", False),
    ("https://jabarekspres.com/pedoman-media-siber/", False),
    ("https://jabarekspres.com/wp-content/uploads/2024/11/foto-kampanye.jpg", False),
    ("https://jabarekspres.com/", False),
    ("https://www.facebook.com/sharer.php?u=https://jabarekspres.com/berita/2023/09/13/x/", False),
    ("https://m.jabarekspres.com/berita/2023/09/13/bawaslu-temukan-camat-ikut-kampanye/", True),
])
def test_article_url_heuristics(url, expected):
    assert is_article_url(url, "https://jabarekspres.com/" if "jabarekspres" in url or "facebook" in url
                          else url.split("/", 3)[0] + "//" + url.split("/")[2] + "/") is expected


def test_allow_and_deny_patterns_decide_first():
    allow = [re.compile(r"^/news/[a-z0-9-]+$")]
    deny = [re.compile(r"^/news/advertorial-")]
    base = "https://www.jpnn.com/"
    assert is_article_url("https://www.jpnn.com/news/kpu-tetapkan-dpt", base, allow, deny)
    assert not is_article_url("https://www.jpnn.com/news/advertorial-promo-hp", base, allow, deny)
    assert not is_article_url("https://www.jpnn.com/berita-lain/2024/11/19/a-b-c-d-e", base, allow, deny)


def test_listing_links_and_pagination():
    page = """<html><body><main>
    <article><h2><a href="/berita/2024/11/20/bawaslu-garut-temukan-asn-ikut-kampanye/">Bawaslu</a></h2></article>
    <article><h2><a href="/berita/2024/11/20/bawaslu-garut-temukan-asn-ikut-kampanye/#respond">Komentar</a></h2></article>
    <article><h2><a href="/berita/2024/11/19/pj-bupati-ciamis-minta-asn-netral/">Pj Bupati</a></h2></article>
    <a href="/category/politik/">Politik</a> <a href="/tag/pilkada/">Pilkada</a>
    <nav class="navigation pagination"><div class="nav-links"><span class="page-numbers current">1</span>
    <a class="page-numbers" href="/category/politik/page/2/">2</a>
    <a class="next page-numbers" href="/category/politik/page/2/">Berikutnya &raquo;</a></div></nav></main></body></html>"""
    url = "https://priangan.example.id/category/politik/"
    links = article_links(page, url, "https://priangan.example.id/")
    assert links == ["https://priangan.example.id/berita/2024/11/20/bawaslu-garut-temukan-asn-ikut-kampanye/",
                     "https://priangan.example.id/berita/2024/11/19/pj-bupati-ciamis-minta-asn-netral/"]
    assert next_listing_url(page, url) == "https://priangan.example.id/category/politik/page/2/"
    jpnn = """<ul class="pagination"><li class="active"><span>2</span></li><li><a href="/indeks?page=1">1</a></li>
    <li><a href="/indeks?page=3">3</a></li></ul>"""
    assert next_listing_url(jpnn, "https://www.jpnn.com/indeks?page=2") == "https://www.jpnn.com/indeks?page=3"
    assert next_listing_url("<p>Tidak ada halaman lain</p>", url) is None


ARTICLE = "https://jambi.tribunnews.com/2024/11/19/bawaslu-batanghari-panggil-kades"


def test_article_pagination_query_suffix_and_rel_next():
    tribun = f"""<h1>Judul</h1><div class="paging"><a class="active">1</a> <a href="{ARTICLE}?page=2">2</a>
    <a href="{ARTICLE}?page=3">3</a> <a href="{ARTICLE}?page=2">Halaman selanjutnya &rsaquo;</a></div>"""
    assert article_paging(tribun, ARTICLE).next_url == f"{ARTICLE}?page=2"
    assert article_paging(tribun, ARTICLE + "?page=2").next_url == f"{ARTICLE}?page=3"
    assert article_paging(tribun, ARTICLE + "?page=3").next_url is None
    wp = "https://timex.fajar.co.id/2024/11/18/pj-bupati-malaka-minta-asn-netral/"
    pages = f'<div class="page-links">Halaman: <span>1</span> <a href="{wp}2/">2</a> <a href="{wp}3/">3</a></div>'
    assert article_paging(pages, wp + "?utm_source=rss").next_url == wp + "2/"
    assert article_paging(pages, wp + "2/").next_url == wp + "3/"
    head = f'<html><head><link rel="next" href="{ARTICLE}?page=2"></head><body><p>isi</p></body></html>'
    assert article_paging(head, ARTICLE).next_url == f"{ARTICLE}?page=2"


def test_article_pagination_in_unquoted_or_encoded_links_and_none_in_self_links():
    wp = "https://timex.fajar.co.id/2024/11/18/pj-bupati-malaka-minta-asn-netral/"
    unquoted = f"<p>Isi berita.</p><div class=page-links>Halaman: <span>1</span> <a href={wp}2/>2</a></div>"
    assert article_paging(unquoted, wp).next_url == wp + "2/"
    shouting = f'<p>İSTANBUL - Isi berita.</p><DIV CLASS="page-links"><A HREF="{wp}2/">2</A></DIV>'
    assert article_paging(shouting, wp).next_url == wp + "2/"
    encoded = f'<div class="pages"><a href="{ARTICLE}?page=2&amp;utm_source=wa">Halaman selanjutnya</a></div>'
    assert article_paging(encoded, ARTICLE).next_url == f"{ARTICLE}?page=2&utm_source=wa"
    relative = '<div class="pagination"><a href="?page=2">2</a></div>'
    assert article_paging(relative, ARTICLE).next_url == f"{ARTICLE}?page=2"
    self_links = (f'<link rel="canonical" href="{wp}"><h1>Pj Bupati Malaka Minta ASN Netral</h1>'
                  f'<a href="{wp}">Pj Bupati Malaka Minta ASN Netral</a> <a href="{wp}#komentar">Komentar</a>'
                  f'<a href="https://www.facebook.com/sharer.php?u={wp}">Bagikan</a>')
    assert article_paging(self_links, wp) == article_paging("", wp)


def test_single_page_variant_and_load_more_trap():
    jpnn = "https://www.jpnn.com/news/kpu-tetapkan-dpt"
    page = f"""<div class="pagination-article"><span>1</span> <a href="{jpnn}?page=2">2</a> <a href="{jpnn}?page=2">Selanjutnya</a></div>
    <div class="single-page"><a href="{jpnn}?page=all">Baca dalam satu halaman</a></div>"""
    assert article_paging(page, jpnn).single_url == f"{jpnn}?page=all"
    trap = """<div class="page-content"><p>Isi berita.</p></div><div class="widget-terkini"><ul>
    <li><a href="/news/berita-lain">Berita lain</a></li></ul><div class="load-more-wrap">
    <a class="load-more" href="?page=2">Muat Lebih Banyak</a></div></div>"""
    paging = article_paging(trap, jpnn)
    assert paging.next_url is None and paging.single_url is None
    related = f'<div class="baca-juga"><a href="{jpnn}?page=2">2</a></div>'
    assert article_paging(related.replace("baca-juga", "related-posts"), jpnn).next_url is None


def test_continuation_title_check():
    assert same_part_title("Bawaslu Panggil Kades", "Bawaslu Panggil Kades - Halaman 2")
    assert not same_part_title("Bawaslu Panggil Kades", "Harga Cabai Naik Lagi")


def test_bot_walls_are_told_from_errors():
    challenge = b"<html><head><title>Just a moment...</title></head><body><script src='/cdn-cgi/challenge-platform/x'></script></body></html>"
    assert "challenge" in blocked_reason(503, challenge, {"server": "cloudflare"})
    assert blocked_reason(403, b"<html><body>Forbidden</body></html>", {"server": "cloudflare"})
    assert blocked_reason(202, b"", {})
    assert blocked_reason(200, challenge, {})
    assert blocked_reason(503, b"<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>", {}) is None
    assert blocked_reason(500, challenge, {}) is None
    assert blocked_reason(200, b"<html><body>" + b"<a href='/x'>x</a>" * 40 + b"captcha</body></html>", {}) is None


def test_home_page_discovery():
    home = """<html><head><link rel="alternate" type="application/rss+xml" href="https://indramayujeh.com/feed/">
    <link rel="alternate" type="application/rss+xml" href="https://indramayujeh.com/comments/feed/"></head></html>"""
    found = discover_home(home, "https://indramayujeh.com/")
    assert found.feeds == ["https://indramayujeh.com/feed/"]
    assert "https://indramayujeh.com/sitemap_index.xml" in found.sitemaps
    wp = discover_home("<html><body><img src='/wp-content/uploads/a.jpg'></body></html>", "https://x.co.id/")
    assert wp.feeds == ["https://x.co.id/feed/"]
    assert robots_sitemaps(b"User-agent: *\nDisallow: /wp-admin/\nSitemap: https://x.co.id/sitemap_index.xml\n",
                           "https://x.co.id/robots.txt") == ["https://x.co.id/sitemap_index.xml"]


def test_duplicate_filter_memory_is_bounded():
    from scrapy import Request
    from scrapy.utils.request import RequestFingerprinter
    seen = BoundedDupeFilter(RequestFingerprinter(), max_size=100)
    for i in range(5000):
        assert not seen.request_seen(Request(f"https://x.co.id/category/politik/page/{i}/"))
    assert len(seen) == 100
    assert seen.request_seen(Request("https://x.co.id/category/politik/page/4999/"))
    assert not seen.request_seen(Request("https://x.co.id/category/politik/page/1/"))   # forgotten: the store remembers articles


def test_a_real_tribun_article_names_its_next_page_and_whole_article_but_not_the_load_more_widget():
    belu = "https://kupang.tribunnews.com/2023/11/27/lurah-di-belu-dilaporkan-ke-bawaslu"
    first = article_paging(fixture_page("tribun-multipage-1.html"), belu)
    assert first.next_url == belu + "?page=2"                           # not LOAD MORE's ?page=3&widget=terkini
    assert first.single_url == belu + "?page=all"
    assert article_paging(fixture_page("tribun-multipage-2.html"), belu + "?page=2").next_url is None  # "Sebelumnya"


JPNN_SERIES = "https://www.jpnn.com/news/bawaslu-jambi-panggil-kades-yang-hadiri-kampanye"
JPNN_TITLE = "Bawaslu Jambi Panggil Kades yang Hadiri Kampanye"


def _jpnn_part(page: int, *, of: int = 3, title: str = JPNN_TITLE, whole: bool = True) -> bytes:
    pager = " ".join(f"<span>{i}</span>" if i == page else f'<a href="{JPNN_SERIES}?page={i}">{i}</a>'
                     for i in range(1, of + 1))
    if page < of:
        pager += f' <a href="{JPNN_SERIES}?page={page + 1}">Selanjutnya</a>'
    single = f'<div class="single-page"><a href="{JPNN_SERIES}?page=all">Baca dalam satu halaman</a></div>' if whole else ""
    return (f'<html><head><title>{title} - JPNN.com</title><meta property="og:title" content="{title}"></head>'
            f'<body><h1>{title}</h1><div class="page-content"><p>Bagian {page}: Bawaslu Provinsi Jambi memanggil '
            f'seorang kepala desa di Kabupaten Muaro Jambi.</p></div><div class="pagination-article">{pager}</div>'
            f'{single}</body></html>').encode()


def _walk(pages: dict[str, bytes | None], first: str = JPNN_SERIES) -> tuple[list[str], list[str]]:
    """Walk an article over `pages` (URL -> body, None for a failed fetch): (URLs asked, URLs of the pages kept)."""
    walk = PartWalk([FetchedPage(first, pages[first])])
    asked = []
    while (url := walk.next_url()):
        asked.append(url)
        body = pages.get(url)
        if not walk.received(FetchedPage(url, body) if body is not None else None):
            break
    return asked, [p.url for p in walk.pages]


def test_part_walk_prefers_the_single_page_variant_and_falls_back_to_the_parts():
    whole = _jpnn_part(1, of=1, whole=False).replace(b"Bagian 1", b"Bagian 1, 2 dan 3")
    parts = {JPNN_SERIES: _jpnn_part(1), f"{JPNN_SERIES}?page=2": _jpnn_part(2), f"{JPNN_SERIES}?page=3": _jpnn_part(3)}
    asked, kept = _walk({**parts, f"{JPNN_SERIES}?page=all": whole})
    assert asked == [f"{JPNN_SERIES}?page=all"] and kept == [f"{JPNN_SERIES}?page=all"]
    asked, kept = _walk({**parts, f"{JPNN_SERIES}?page=all": None})            # the variant failed: the parts
    assert kept == [JPNN_SERIES, f"{JPNN_SERIES}?page=2", f"{JPNN_SERIES}?page=3"]
    assert asked == [f"{JPNN_SERIES}?page=all", f"{JPNN_SERIES}?page=2", f"{JPNN_SERIES}?page=3"]
    other = _jpnn_part(1, of=1, title="Harga Cabai Merah di Pasar Angso Duo Naik Lagi", whole=False)
    assert _walk({**parts, f"{JPNN_SERIES}?page=all": other})[1] == [JPNN_SERIES]   # another story: page 1 alone


def test_part_walk_ends_the_article_at_a_failed_repeated_or_foreign_page():
    parts = {JPNN_SERIES: _jpnn_part(1, whole=False), f"{JPNN_SERIES}?page=2": _jpnn_part(2, whole=False),
             f"{JPNN_SERIES}?page=3": _jpnn_part(3, whole=False)}
    assert _walk({**parts, f"{JPNN_SERIES}?page=3": None}) == (
        [f"{JPNN_SERIES}?page=2", f"{JPNN_SERIES}?page=3"], [JPNN_SERIES, f"{JPNN_SERIES}?page=2"])
    repeated = {**parts, f"{JPNN_SERIES}?page=2": parts[JPNN_SERIES]}            # a site that ignores ?page=
    assert _walk(repeated)[1] == [JPNN_SERIES]
    foreign = {**parts, f"{JPNN_SERIES}?page=3": _jpnn_part(3, title="Jadwal Kereta Api Jambi Berubah", whole=False)}
    assert _walk(foreign)[1] == [JPNN_SERIES, f"{JPNN_SERIES}?page=2"]


def test_part_walk_does_not_fetch_a_single_page_variant_it_already_has():
    page = _jpnn_part(1, of=1).replace(b"</body>", f'<link rel="canonical" href="{JPNN_SERIES}"></body>'.encode())
    assert _walk({f"{JPNN_SERIES}?page=all": page}, first=f"{JPNN_SERIES}?page=all") == ([], [f"{JPNN_SERIES}?page=all"])
