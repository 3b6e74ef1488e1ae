"""Simulated outlets in the shapes of real Indonesian news sites. Each site answers paths with a Reply and
says which kind of page it served (article, feed, sitemap, listing, ...), so tests can count requests."""
from __future__ import annotations

import hashlib
import html
import threading
from datetime import timezone
from dataclasses import dataclass, field
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from string import Template
from urllib.parse import parse_qs

from lab.simulator.chrome import LIGHT, article_chrome
from lab.simulator.content import WIB, WITA, Article, long_date, make_articles, slugify

TEMPLATES = Path(__file__).parent / "templates"
HTML = "text/html; charset=UTF-8"
XML = "application/xml; charset=UTF-8"
RSS = "application/rss+xml; charset=UTF-8"


def template(name: str) -> Template:
    return Template((TEMPLATES / name).read_text(encoding="utf-8"))


@dataclass
class Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    kind: str = "other"            # article | part | feed | sitemap | listing | home | robots | page | other
    delay: float = 0.0


@dataclass
class Hit:
    path: str
    kind: str
    status: int


def e(text: str) -> str:
    return html.escape(text, quote=True)


def paragraphs_html(paragraphs: list[str]) -> str:
    return "\n".join(f"<p>{e(p)}</p>" for p in paragraphs)


def split_parts(paragraphs: list[str], n: int) -> list[list[str]]:
    """n parts as even as the paragraphs allow (10 -> 4, 3, 3)."""
    size, extra = divmod(len(paragraphs), n)
    out, start = [], 0
    for i in range(n):
        end = start + size + (1 if i < extra else 0)
        out.append(paragraphs[start:end])
        start = end
    return out


class Site:
    """Base: robots.txt, conditional XML replies, hit counting, publishing new articles."""
    name = "site"
    outlet = "Situs"
    tagline = ""
    regencies: list[tuple[str, str]] = []
    tz = WIB
    zone = "WIB"
    robots_txt = "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n"
    page_delay = 0.0                 # seconds before every article page (to test a crawl killed midway)
    heavy = False                    # article pages of real weight (lab/simulator/chrome.py; WordPress shapes)

    def __init__(self, count: int = 20) -> None:
        self.base = ""                      # set by the server once it has a port
        self.articles: list[Article] = make_articles(count, seed=self.name, regencies=self.regencies, tz=self.tz)
        self.hits: list[Hit] = []
        self.lock = threading.Lock()
        self._index()

    def _index(self) -> None:
        self.articles.sort(key=lambda a: a.published, reverse=True)
        self.by_path = {self.article_path(a): a for a in self.articles}
        self.position = {id(a): i for i, a in enumerate(self.articles)}      # list.index, without the scan

    def publish(self, count: int) -> list[Article]:
        """New articles, newer than all the others (the next crawl should fetch exactly these)."""
        with self.lock:
            first = min(a.number for a in self.articles) - 1
            new = make_articles(count, seed=self.name, regencies=self.regencies, tz=self.tz, start=first - count)
            self.articles.extend(new)
            self._index()
        return new

    # --- to override ----------------------------------------------------------------------------------------
    def article_path(self, a: Article) -> str:
        raise NotImplementedError

    def route(self, path: str, query: dict[str, list[str]], headers) -> Reply:
        raise NotImplementedError

    def source_entry(self) -> dict:
        raise NotImplementedError

    def expected_articles(self) -> set[str]:
        """Article URLs (first pages) a crawl of source_entry() must discover."""
        return {self.base + self.article_path(a) for a in self.articles}

    # --- shared -----------------------------------------------------------------------------------------------
    def handle(self, raw_path: str, headers) -> Reply:
        path, _, qs = raw_path.partition("?")
        query = parse_qs(qs, keep_blank_values=True)
        if path == "/robots.txt":
            reply = Reply(200, (self.robots_txt + self.robots_extra()).encode(), {"Content-Type": "text/plain"}, "robots")
        else:
            reply = self.route(path, query, headers) or self.not_found()
            if reply.kind in ("article", "part") and self.page_delay:
                reply.delay = max(reply.delay, self.page_delay)
        with self.lock:
            self.hits.append(Hit(raw_path, reply.kind, reply.status))
        return reply

    def robots_extra(self) -> str:
        return ""

    def hits_of(self, *kinds: str) -> list[str]:
        with self.lock:
            return [h.path for h in self.hits if h.kind in kinds]

    def not_found(self) -> Reply:
        body = (f"<html><head><title>Halaman tidak ditemukan - {self.outlet}</title></head><body>"
                f"<h1>404</h1><p>Maaf, halaman yang Anda cari tidak ditemukan.</p>"
                f"<a href='{self.base}/'>Kembali ke beranda</a></body></html>")
        return Reply(404, body.encode(), {"Content-Type": HTML}, "missing")

    def html_reply(self, text: str, kind: str, status: int = 200) -> Reply:
        return Reply(status, text.encode("utf-8"), {"Content-Type": HTML}, kind)

    def xml_reply(self, text: str, kind: str, headers, content_type: str = XML) -> Reply:
        """Feeds and sitemaps carry ETag and Last-Modified and answer 304 to a matching conditional request."""
        body = text.encode("utf-8")
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        newest = max(a.published for a in self.articles)
        modified = format_datetime(newest.astimezone(timezone.utc), usegmt=True)
        reply_headers = {"Content-Type": content_type, "ETag": etag, "Last-Modified": modified}
        if headers.get("If-None-Match") == etag:
            return Reply(304, b"", reply_headers, kind)
        since = headers.get("If-Modified-Since")
        if since and not headers.get("If-None-Match"):
            try:
                if parsedate_to_datetime(since) >= newest.replace(microsecond=0):
                    return Reply(304, b"", reply_headers, kind)
            except (TypeError, ValueError):
                pass
        return Reply(200, body, reply_headers, kind)

    def rss(self, articles: list[Article], title: str) -> str:
        items = "".join(
            f"<item><title>{e(a.title)}</title><link>{e(self.feed_link(a))}</link>"
            f"<dc:creator><![CDATA[{a.author}]]></dc:creator><pubDate>{format_datetime(a.published)}</pubDate>"
            f"<category><![CDATA[{a.category.title()}]]></category>"
            f"<guid isPermaLink=\"false\">{self.base}/?p={a.number}</guid>"
            f"<description><![CDATA[{a.paragraphs[0][:200]}...]]></description></item>\n" for a in articles)
        newest = max(a.published for a in self.articles)
        return (f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
                f'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
                f'xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>{e(title)}</title>'
                f'<atom:link href="{self.base}/feed/" rel="self" type="application/rss+xml"/>'
                f"<link>{self.base}/</link><description>{e(self.tagline)}</description>"
                f"<lastBuildDate>{format_datetime(newest)}</lastBuildDate><language>id</language>\n{items}</channel></rss>")

    def feed_link(self, a: Article) -> str:
        return self.base + self.article_path(a)

    def recent_html(self, exclude: Article | None = None, n: int = 5) -> str:
        return "".join(f'<li><a href="{self.base}{self.article_path(a)}">{e(a.title)}</a></li>'
                       for a in self.articles[:n + 1] if a is not exclude)[:4000]

    def tag_links(self, a: Article, prefix: str = "/tag/") -> str:
        return " ".join(f'<a href="{self.base}{prefix}{slugify(t)}/" rel="tag">{e(t)}</a>' for t in a.tags)

    def static_page(self, title: str) -> Reply:
        body = (f"<html><head><title>{title} - {self.outlet}</title></head><body><h1>{title}</h1>"
                f"<p>{self.outlet} adalah media daring yang berbadan hukum dan terverifikasi Dewan Pers.</p>"
                f"<a href='{self.base}/'>Beranda</a></body></html>")
        return self.html_reply(body, "page")


# --- WordPress regional portal (Jabar Ekspres / Indramayujeh shape) ---------------------------------------------

class WordPressSite(Site):
    name = "priangan"
    outlet = "Priangan Ekspres"
    tagline = "Berita Terkini Priangan dan Jawa Barat"
    regencies = [("Kabupaten Garut", "Jawa Barat"), ("Kabupaten Tasikmalaya", "Jawa Barat"),
                 ("Kabupaten Ciamis", "Jawa Barat"), ("Kabupaten Sumedang", "Jawa Barat"),
                 ("Kota Banjar", "Jawa Barat"), ("Kabupaten Cianjur", "Jawa Barat")]
    per_page = 10
    per_sitemap = 1000
    category_base = "/category/"
    date_prefix = "/berita"

    def robots_extra(self) -> str:
        return f"\nSitemap: {self.base}/sitemap_index.xml\n"

    def article_path(self, a: Article) -> str:
        return f"{self.date_prefix}/{a.published:%Y/%m/%d}/{a.slug}/"

    def source_entry(self) -> dict:
        return {"feeds": ["/feed/"], "sitemaps": ["/sitemap_index.xml"], "listings": ["/category/politik/"],
                "allow": [r"^/berita/\d{4}/\d{2}/\d{2}/[^/]+/?$"], "province": "Jawa Barat"}

    def route(self, path, query, headers):
        if path == "/feed/":
            return self.xml_reply(self.rss(self.articles[:10], self.outlet), "feed", headers, RSS)
        if path == "/sitemap_index.xml":
            return self.xml_reply(self.sitemap_index(), "sitemap", headers)
        if path.startswith("/post-sitemap") and path.endswith(".xml"):
            n = path[len("/post-sitemap"):-4]
            return self.post_sitemap(int(n) if n else 1, headers)
        if path in ("/page-sitemap.xml", "/category-sitemap.xml"):
            return self.xml_reply(self.other_sitemap(path), "sitemap", headers)
        if path == "/":
            return self.listing(None, 1, kind="home")
        if path.startswith(self.category_base):
            rest = path[len(self.category_base):].strip("/").split("/")
            page = int(rest[2]) if len(rest) == 3 and rest[1] == "page" and rest[2].isdigit() else 1
            return self.listing(rest[0], page)
        if path in ("/redaksi/", "/pedoman-media-siber/", "/kontak/"):
            return self.static_page(path.strip("/").replace("-", " ").title())
        return self.article(path, query)

    def sitemap_index(self) -> str:
        chunks = max(1, -(-len(self.articles) // self.per_sitemap))
        entries = []
        for i in range(chunks):
            newest = self.articles[i * self.per_sitemap].published
            loc = f"{self.base}/post-sitemap{'' if i == 0 else i + 1}.xml"
            entries.append(f"<sitemap><loc>{loc}</loc><lastmod>{newest.isoformat()}</lastmod></sitemap>")
        entries.append(f"<sitemap><loc>{self.base}/page-sitemap.xml</loc><lastmod>2024-01-10T08:00:00+07:00</lastmod></sitemap>")
        entries.append(f"<sitemap><loc>{self.base}/category-sitemap.xml</loc></sitemap>")
        return ('<?xml version="1.0" encoding="UTF-8"?><?xml-stylesheet type="text/xsl" href="/main-sitemap.xsl"?>\n'
                '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' + "".join(entries) + "</sitemapindex>")

    def post_sitemap(self, n: int, headers) -> Reply:
        chunk = self.articles[(n - 1) * self.per_sitemap:n * self.per_sitemap]
        if not chunk:
            return self.not_found()
        urls = "".join(f"<url><loc>{self.base}{self.article_path(a)}</loc><lastmod>{a.published.isoformat()}</lastmod>"
                       f"<image:image><image:loc>{self.base}/wp-content/uploads/foto-{a.number}.jpg</image:loc></image:image></url>\n"
                       for a in chunk)
        return self.xml_reply('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                              'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">' + urls + "</urlset>",
                              "sitemap", headers)

    def other_sitemap(self, path: str) -> str:
        locs = ["/redaksi/", "/pedoman-media-siber/"] if path.startswith("/page") else ["/category/politik/", "/category/daerah/"]
        return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                + "".join(f"<url><loc>{self.base}{p}</loc></url>" for p in locs) + "</urlset>")

    def listing(self, category: str | None, page: int, kind: str = "listing") -> Reply:
        pool = [a for a in self.articles if category is None or a.category == category]
        items = pool[(page - 1) * self.per_page:page * self.per_page]
        if not items:
            return self.not_found()
        last = -(-len(pool) // self.per_page)
        root = f"{self.category_base}{category}/" if category else "/"
        def page_url(n):
            return f"{self.base}{root}" if n == 1 else f"{self.base}{root}page/{n}/"
        articles = "\n".join(
            f'<article class="post type-post"><h2 class="entry-title"><a href="{self.base}{self.listing_link(a)}" '
            f'rel="bookmark">{e(a.title)}</a></h2><div class="entry-meta"><time datetime="{a.published.isoformat()}">'
            f'{long_date(a.published, self.zone)}</time></div><div class="entry-summary"><p>{e(a.paragraphs[0][:180])}'
            f' [&hellip;]</p></div><a class="more-link" href="{self.base}{self.listing_link(a)}">Baca selengkapnya</a></article>'
            for a in items)
        pager = "".join(f'<span aria-current="page" class="page-numbers current">{n}</span>' if n == page else
                        f'<a class="page-numbers" href="{page_url(n)}">{n}</a>' for n in range(1, min(last, 5) + 1))
        if page < last:
            pager += f'<a class="next page-numbers" href="{page_url(page + 1)}">Berikutnya &raquo;</a>'
        heading = category.title() if category else self.outlet
        return self.html_reply(template("wp_listing.html").substitute(
            outlet=e(self.outlet), tagline=e(self.tagline), base=self.base, heading=e(heading), items=articles,
            pager=pager, head_extra="", body_class="archive category" if category else "home blog"), kind)

    def listing_link(self, a: Article) -> str:
        return self.article_path(a)

    def parts_of(self, a: Article) -> int:
        return 1

    def article(self, path: str, query) -> Reply | None:
        a = self.by_path.get(path if path.endswith("/") else path + "/")
        part = 1
        if a is None:
            head, _, tail = path.rstrip("/").rpartition("/")
            a = self.by_path.get(head + "/") if tail.isdigit() else None
            part = int(tail) if a else 1
            if a is None or part > self.parts_of(a):
                return None
        return self.render_article(a, part)

    def render_article(self, a: Article, part: int) -> Reply:
        n = self.parts_of(a)
        chunks = split_parts(a.paragraphs, n)
        body = chunks[part - 1][:]
        if len(body) > 3 and n == 1:
            other = self.articles[(self.position[id(a)] + 1) % len(self.articles)]
            body.insert(3, None)
        html_body = "\n".join(
            f'<p><strong>Baca Juga:</strong> <a href="{self.base}{self.article_path(other)}">{e(other.title)}</a></p>'
            if p is None else f"<p>{e(p)}</p>" for p in body)
        canonical = self.base + self.article_path(a)
        page_links = ""
        if n > 1:
            links = " ".join(f"<span class=\"post-page-numbers current\">{i}</span>" if i == part else
                             f'<a href="{canonical}{"" if i == 1 else f"{i}/"}" class="post-page-numbers">{i}</a>'
                             for i in range(1, n + 1))
            nxt = f' <a href="{canonical}{part + 1}/" class="post-page-numbers next">Selanjutnya</a>' if part < n else ""
            page_links = f'<div class="page-links">Halaman: {links}{nxt}</div>'
        older = self.articles[(self.position[id(a)] + 1) % len(self.articles)]
        return self.html_reply(template("wp_article.html").substitute(
            title=e(a.title), title_page=e(a.title + (f" - Halaman {part}" if part > 1 else "")),
            outlet=e(self.outlet), tagline=e(self.tagline), base=self.base, canonical=canonical,
            iso=a.published.isoformat(), date_text=long_date(a.published, self.zone), author=e(a.author),
            author_slug=slugify(a.author), number=a.number, category=a.category, category_label=a.category.title(),
            body=html_body, page_links=page_links, tag_links=self.tag_links(a), recent=self.recent_html(a),
            post_nav=f'<div class="nav-previous"><a href="{self.base}{self.article_path(older)}" rel="prev">{e(older.title)}</a></div>',
            **(article_chrome(self, a, canonical) if self.heavy else LIGHT)), "article" if part == 1 else "part")


# --- Fajar network / Timor Express shape: WordPress, /2/ pages, robots, faults, tracking duplicates --------------

class FaultyWordPressSite(WordPressSite):
    name = "timex"
    outlet = "Timor Pos Ekspres"
    tagline = "Koran Pagi Nusa Tenggara Timur"
    regencies = [("Kota Kupang", "Nusa Tenggara Timur"), ("Kabupaten Kupang", "Nusa Tenggara Timur"),
                 ("Kabupaten Timor Tengah Selatan", "Nusa Tenggara Timur"), ("Kabupaten Belu", "Nusa Tenggara Timur"),
                 ("Kabupaten Malaka", "Nusa Tenggara Timur"), ("Kabupaten Alor", "Nusa Tenggara Timur")]
    tz = WITA
    zone = "WITA"
    date_prefix = ""
    robots_txt = "User-agent: *\nDisallow: /wp-admin/\nDisallow: /advertorial/\n"
    slow_seconds = 1.0
    LOOP = "/2024/11/18/pemkot-kupang-gelar-rapat-koordinasi-pengamanan-pilkada-berputar/"

    def __init__(self, count: int = 16) -> None:
        super().__init__(count)
        self.advertorials = make_articles(2, seed="timex-adv", regencies=self.regencies, tz=self.tz, start=3)
        self.flaky_left = 1

    def article_path(self, a: Article) -> str:
        if a in getattr(self, "advertorials", []):
            return f"/advertorial/{a.published:%Y/%m/%d}/{a.slug}/"
        return f"/{a.published:%Y/%m/%d}/{a.slug}/"

    def _index(self) -> None:
        super()._index()
        for a in getattr(self, "advertorials", []):
            self.by_path[self.article_path(a)] = a

    def parts_of(self, a: Article) -> int:
        return 3 if a.number % 3 == 0 else 1

    @property
    def broken(self) -> Article:        # always HTTP 500
        return self.articles[1]

    @property
    def flaky(self) -> Article:         # 503 once, then fine (a retry gets it)
        return self.articles[2]

    @property
    def slow(self) -> Article:
        return self.articles[3]

    @property
    def broken_part(self) -> Article | None:    # three pages, the third always HTTP 500
        return self.articles[8] if len(self.articles) > 8 else None

    def source_entry(self) -> dict:
        return {"feeds": ["/feed/"], "listings": ["/category/politik/", "/category/daerah/"], "listing_depth": 2,
                "province": "Nusa Tenggara Timur", "regency": "Kota Kupang"}

    def expected_articles(self) -> set[str]:
        return {self.base + self.article_path(a) for a in self.articles}

    def feed_link(self, a: Article) -> str:
        return f"{self.base}{self.article_path(a)}?utm_source=rss&utm_medium=rss&utm_campaign={a.slug[:40]}"

    def rss(self, articles, title):
        self._index()
        return super().rss(articles[:9] + self.advertorials[:1], title)

    def listing(self, category, page, kind="listing"):
        reply = super().listing(category, page, kind)
        if reply.status == 200 and page == 1 and category == "politik":
            extra = "".join(f'<li><a href="{self.base}{self.article_path(a)}">{e(a.title)}</a></li>' for a in self.advertorials)
            dup = self.articles[4]
            tracked = (f'<li><a href="{self.base}{self.article_path(dup)}?utm_source=facebook&amp;utm_medium=social">{e(dup.title)}</a></li>'
                       f'<li><a href="{self.base}{self.article_path(dup)}?fbclid=IwAR0sim">{e(dup.title)}</a></li>'
                       f'<li><a href="{self.base}{self.article_path(dup)}#komentar">Komentar</a></li>'
                       f'<li><a href="{self.base}{self.LOOP}">Pemkot Kupang Gelar Rapat Koordinasi Pengamanan Pilkada</a></li>')
            text = reply.body.decode().replace("</main>", f'<section class="widget"><h2>Pilihan Redaksi</h2><ul>{tracked}'
                                                          f'</ul><h2>Advertorial</h2><ul>{extra}</ul></section></main>')
            reply.body = text.encode()
        return reply

    def route(self, path, query, headers):
        if path.rstrip("/") == self.LOOP.rstrip("/"):
            return Reply(302, b"", {"Location": self.base + self.LOOP.rstrip("/") + "-2/"}, "loop")
        if path.rstrip("/") == self.LOOP.rstrip("/") + "-2":
            return Reply(302, b"", {"Location": self.base + self.LOOP}, "loop")
        reply = super().route(path, query, headers)
        if reply is None or reply.kind not in ("article", "part"):
            return reply
        if path == self.article_path(self.broken):
            return Reply(500, b"<html><body><h1>500 Internal Server Error</h1></body></html>", {"Content-Type": HTML}, "article")
        if path == self.article_path(self.flaky):
            with self.lock:
                if self.flaky_left > 0:
                    self.flaky_left -= 1
                    return Reply(503, b"<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>",
                                 {"Content-Type": HTML}, "article")
        if self.broken_part and path == self.article_path(self.broken_part) + "3/":
            return Reply(500, b"<html><body><h1>500 Internal Server Error</h1></body></html>", {"Content-Type": HTML}, "part")
        if path == self.article_path(self.slow):
            reply.delay = self.slow_seconds
        return reply


# --- Tribun network shape: Google News sitemap, three-page articles, no date in the page ------------------------

class TribunSite(Site):
    name = "tribun"
    outlet = "Tribun Batanghari"
    tagline = "Berita Jambi Terkini"
    regencies = [("Kabupaten Batanghari", "Jambi"), ("Kabupaten Muaro Jambi", "Jambi"),
                 ("Kabupaten Tanjung Jabung Timur", "Jambi"), ("Kabupaten Merangin", "Jambi"),
                 ("Kabupaten Kerinci", "Jambi"), ("Kota Jambi", "Jambi")]
    parts = 3

    def __init__(self, count: int = 9) -> None:
        super().__init__(count)

    def article_path(self, a: Article) -> str:
        return f"/{a.published:%Y/%m/%d}/{a.slug}"

    def source_entry(self) -> dict:
        return {"sitemaps": ["/sitemap_news.xml"], "allow": [r"^/\d{4}/\d{2}/\d{2}/[a-z0-9-]+$"],
                "province": "Jambi"}

    def robots_extra(self) -> str:
        return f"\nSitemap: {self.base}/sitemap_news.xml\n"

    def route(self, path, query, headers):
        if path == "/sitemap_news.xml":
            return self.xml_reply(self.news_sitemap(), "sitemap", headers)
        if path == "/":
            links = "".join(f'<li><a href="{self.base}{self.article_path(a)}">{e(a.title)}</a></li>' for a in self.articles[:10])
            return self.html_reply(f"<html><head><title>{self.outlet}</title></head><body><ul>{links}</ul></body></html>", "home")
        if path.startswith("/amp/"):
            return self.html_reply("<html><body>AMP</body></html>", "amp")
        a = self.by_path.get(path)
        if a is None:
            return None
        page = query.get("page", ["1"])[0]
        if page == "all":
            return self.render(a, None)
        part = int(page) if page.isdigit() else 1
        return self.render(a, part) if 1 <= part <= self.parts else None

    def news_sitemap(self) -> str:
        urls = "".join(
            f"<url><loc>{self.base}{self.article_path(a)}</loc><news:news><news:publication>"
            f"<news:name>{e(self.outlet)}</news:name><news:language>id</news:language></news:publication>"
            f"<news:publication_date>{a.published.isoformat()}</news:publication_date>"
            f"<news:title>{e(a.title)}</news:title><news:keywords>{e(', '.join(a.tags))}</news:keywords>"
            f"</news:news><image:image><image:loc>{self.base}/foto/{a.number}.jpg</image:loc></image:image></url>\n"
            for a in self.articles)
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9" '
                'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">\n' + urls + "</urlset>")

    def render(self, a: Article, part: int | None) -> Reply:
        chunks = split_parts(a.paragraphs, self.parts)
        body = a.paragraphs if part is None else chunks[part - 1]
        url = self.base + self.article_path(a)
        paging = ""
        if part is not None:
            nums = " ".join(f'<a class="active">{i}</a>' if i == part else f'<a href="{url}?page={i}">{i}</a>'
                            for i in range(1, self.parts + 1))
            nxt = f' <a href="{url}?page={part + 1}" class="next">Halaman selanjutnya &rsaquo;</a>' if part < self.parts else ""
            paging = f'<div class="pages">Halaman: {nums}{nxt}</div>'
        title_page = a.title + (f" - Halaman {part}" if part and part > 1 else "")
        return self.html_reply(template("tribun_article.html").substitute(
            title=e(a.title), title_page=e(title_page), outlet=e(self.outlet), base=self.base, canonical=url,
            amp=f"{self.base}/amp{self.article_path(a)}", description=e(a.paragraphs[0][:150]),
            author=e(a.author), author_slug=slugify(a.author), editor="Redaksi", category=a.category,
            category_label=a.category.title(), body=paragraphs_html(body), paging=paging,
            tag_links=" ".join(f'<a href="{self.base}/tag/{slugify(t)}">{e(t)}</a>' for t in a.tags),
            recent=self.recent_html(a), head_extra=""), "article" if part in (1, None) else "part")


# --- JPNN shape: /indeks?page=N, /news/slug, ?page=all, a "Muat Lebih Banyak" widget --------------------------------

class JpnnSite(Site):
    name = "jpnn"
    outlet = "JPN Nusantara"
    tagline = "Jaringan Berita Nusantara"
    regencies = [("Kabupaten Bogor", "Jawa Barat"), ("Kota Medan", "Sumatera Utara"), ("Kabupaten Gowa", "Sulawesi Selatan"),
                 ("Kabupaten Lombok Timur", "Nusa Tenggara Barat"), ("Kota Samarinda", "Kalimantan Timur"),
                 ("Kabupaten Banyumas", "Jawa Tengah")]
    per_page = 15
    depth = 3

    def __init__(self, count: int = 50) -> None:
        super().__init__(count)

    def article_path(self, a: Article) -> str:
        return f"/news/{a.slug}"

    def parts_of(self, a: Article) -> int:
        return 2 if a.number % 4 == 0 else 1

    def source_entry(self) -> dict:
        return {"listings": ["/indeks"], "listing_depth": self.depth, "allow": [r"^/news/[a-z0-9-]+$"]}

    def expected_articles(self) -> set[str]:
        return {self.base + self.article_path(a) for a in self.articles[:self.per_page * self.depth]}

    def route(self, path, query, headers):
        page = query.get("page", ["1"])[0]
        if path == "/indeks":
            return self.listing(int(page) if page.isdigit() else 1)
        if path in ("/redaksi", "/pedoman-media-siber"):
            return self.static_page(path.strip("/").title())
        a = self.by_path.get(path)
        if a is None:
            return None
        if page == "all":
            return self.render(a, None)
        part = int(page) if page.isdigit() else 1
        if part > self.parts_of(a):
            part = 1             # like many CMSes, an unknown page number shows the article again
        return self.render(a, part, kind="article" if page == "1" or not page.isdigit() else "part")

    def listing(self, page: int) -> Reply:
        items = self.articles[(page - 1) * self.per_page:page * self.per_page]
        if not items:
            return self.not_found()
        last = -(-len(self.articles) // self.per_page)
        rows = "\n".join(f'<li><span class="time">{long_date(a.published)}</span> <a class="kanal" href="{self.base}/kanal/{a.category}">'
                         f'{a.category.title()}</a> <a href="{self.base}{self.article_path(a)}">{e(a.title)}</a></li>'
                         for a in items)
        pager = "".join(f'<li class="active"><span>{n}</span></li>' if n == page else
                        f'<li><a href="{self.base}/indeks?page={n}">{n}</a></li>' for n in range(1, last + 1))
        if page < last:
            pager += f'<li><a href="{self.base}/indeks?page={page + 1}">Next &rsaquo;</a></li>'
        return self.html_reply(template("jpnn_listing.html").substitute(
            outlet=e(self.outlet), base=self.base, heading="Indeks Berita", items=rows, pager=pager, head_extra=""),
            "listing")

    def render(self, a: Article, part: int | None, kind: str = "article") -> Reply:
        n = self.parts_of(a)
        body = a.paragraphs if part is None or n == 1 else split_parts(a.paragraphs, n)[part - 1]
        url = self.base + self.article_path(a)
        paging = ""
        if n > 1 and part is not None:
            nums = " ".join(f"<span>{i}</span>" if i == part else f'<a href="{url}?page={i}">{i}</a>' for i in range(1, n + 1))
            nxt = f' <a href="{url}?page={part + 1}">Selanjutnya</a>' if part < n else ""
            paging = (f'<div class="pagination-article">{nums}{nxt}</div>'
                      f'<div class="single-page"><a href="{url}?page=all">Baca dalam satu halaman</a></div>')
        return self.html_reply(template("jpnn_article.html").substitute(
            title=e(a.title), title_page=e(a.title), outlet=e(self.outlet), base=self.base, canonical=url,
            description=e(a.paragraphs[0][:150]), iso=a.published.isoformat(), date_text=long_date(a.published),
            author=e(a.author), category=a.category, category_label=a.category.title(), body=paragraphs_html(body),
            paging=paging, tag_links=" ".join(f'<a href="{self.base}/tag/{slugify(t)}">{e(t)}</a>' for t in a.tags),
            recent=self.recent_html(a, 8), head_extra=""), kind if part in (1, None) else "part")


# --- An outlet behind a bot wall (Cloudflare-style JS challenge) --------------------------------------------------

class WalledSite(Site):
    name = "tembok"
    outlet = "Kabar Tertutup"
    regencies = [("Kota Surabaya", "Jawa Timur")]

    def __init__(self, count: int = 3) -> None:
        super().__init__(count)

    def article_path(self, a: Article) -> str:
        return f"/read/{a.number}/{a.slug}"

    def source_entry(self) -> dict:
        return {"feeds": ["/feed/"], "listings": ["/"]}

    def expected_articles(self) -> set[str]:
        return set()

    def route(self, path, query, headers):
        host = self.base.split("//", 1)[-1]
        body = template("challenge.html").substitute(host=host).encode()
        return Reply(503, body, {"Content-Type": HTML, "Server": "cloudflare", "cf-mitigated": "challenge"}, "challenge")


SITES = {cls.name: cls for cls in (WordPressSite, TribunSite, JpnnSite, FaultyWordPressSite, WalledSite)}
