"""Finding article URLs: RSS/Atom feeds, sitemaps (indexes, Google News), listing pages, a home page.
Pure functions on bytes and URLs (no Scrapy), so each rule can be tested on its own."""
from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from lxml import etree

from extract.data import links
from extract.urls import same_outlet
from ingest.paging import parse_html

MAX_XML_BYTES = 50 * 1024 * 1024

# Section, media and static-file vocabulary: extract/data/links.toml.
_LINKS = links()
NON_ARTICLE_PATH, MEDIA_SECTION, MEDIA_HOST = _LINKS.non_article_path, _LINKS.media_section, _LINKS.media_host
STATIC_FILE = _LINKS.static_file
DATE_PATH = re.compile(r"/(?:19|20)\d{2}/[01]?\d/[0-3]?\d/|/(?:19|20)\d{2}[01]\d[0-3]\d\d*/")
NUMERIC_ID = re.compile(r"(?:^|[/-])\d{5,}(?:[/.-]|$)")
WORDY_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+){3,}", re.I)

@dataclass
class Entry:
    """An article URL a feed or sitemap lists, with what it says about it."""
    url: str
    title: str | None = None
    published: datetime | None = None     # news:publication_date / pubDate: a date hint for extraction
    lastmod: datetime | None = None


@dataclass
class Sitemap:
    kind: str                              # index | urlset
    entries: list[Entry]


class NotXml(ValueError):
    """A feed or sitemap URL answered with something that is not XML (an HTML page, a challenge)."""


# --- feeds and sitemaps ---------------------------------------------------------------------------------------

def _xml_root(body: bytes):
    if body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)[:MAX_XML_BYTES]
    stripped = body.lstrip()[:200].lower()
    if not stripped.startswith(b"<") or stripped.startswith((b"<!doctype html", b"<html")):
        raise NotXml("not XML (an HTML page or a challenge)")
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=True)
    root = etree.fromstring(body, parser)
    if root is None:
        raise NotXml("unreadable XML")
    return root


def _local(tag) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _children(el, name: str):
    return [c for c in el if _local(c.tag) == name]


def _text(el, *path: str) -> str | None:
    for name in path:
        found = _children(el, name) if el is not None else []
        if not found:
            return None
        el = found[0]
    text = (el.text or "").strip() if el is not None else ""
    return text or None


def parse_feed(body: bytes, base_url: str) -> list[Entry]:
    """Items of an RSS 2.0, RSS 1.0 (RDF) or Atom feed. Raises NotXml."""
    root = _xml_root(body)
    kind = _local(root.tag)
    if kind not in ("rss", "feed", "rdf"):
        raise NotXml(f"not a feed (root element <{kind}>)")
    entries = []
    items = root.iter("{*}item") if kind != "feed" else root.iter("{*}entry")
    for item in items:
        url = None
        if kind == "feed":
            for link in _children(item, "link"):
                if link.get("rel", "alternate") == "alternate" and link.get("href"):
                    url = link.get("href")
                    break
            date = _text(item, "published") or _text(item, "updated")
        else:
            url = _text(item, "link") or item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
            guid = _children(item, "guid")
            if not url and guid and guid[0].get("isPermaLink", "true") == "true":
                url = (guid[0].text or "").strip()
            date = _text(item, "pubdate") or _text(item, "date")
        if url:
            entries.append(Entry(urljoin(base_url, url.strip()), _text(item, "title"), parse_date(date)))
    return entries


def parse_sitemap(body: bytes, base_url: str) -> Sitemap:
    """A sitemap index or urlset, keeping the Google News fields Scrapy's SitemapSpider drops. Raises NotXml."""
    root = _xml_root(body)
    kind = _local(root.tag)
    if kind == "sitemapindex":
        entries = [Entry(urljoin(base_url, loc), lastmod=parse_date(_text(sm, "lastmod")))
                   for sm in _children(root, "sitemap") if (loc := _text(sm, "loc"))]
        return Sitemap("index", entries)
    if kind != "urlset":
        raise NotXml(f"not a sitemap (root element <{kind}>)")
    entries = []
    for url in _children(root, "url"):
        loc = _text(url, "loc")
        if not loc:
            continue
        news = _children(url, "news")
        title = published = None
        if news:
            title = _text(news[0], "title")
            published = parse_date(_text(news[0], "publication_date"))
        entries.append(Entry(urljoin(base_url, loc), title, published, parse_date(_text(url, "lastmod"))))
    return Sitemap("urlset", entries)


def parse_date(value: str | None) -> datetime | None:
    """W3C (sitemaps, Atom) and RFC 822 (RSS) dates; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return parsed
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None


# --- article links --------------------------------------------------------------------------------------------

def path_of(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def is_article_url(url: str, base_url: str, allow: list[re.Pattern] | None = None,
                   deny: list[re.Pattern] | None = None) -> bool:
    """True for a link to one article of this outlet: allow/deny patterns first, else URL-shape heuristics."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not same_outlet(url, base_url):
        return False
    path = path_of(url)
    if STATIC_FILE.search(parts.path) or any(p.search(path) for p in deny or []):
        return False
    if allow:
        return any(p.search(path) for p in allow)
    if NON_ARTICLE_PATH.search(parts.path) or parts.path in ("", "/"):
        return False
    if MEDIA_SECTION.search(parts.path) or MEDIA_HOST.match(parts.hostname or ""):
        return False
    if re.search(r"[?&](page|paged|p)=\d+", parts.query) and not DATE_PATH.search(parts.path):
        return False
    last = [s for s in parts.path.split("/") if s]
    last = last[-1] if last else ""
    if DATE_PATH.search(parts.path) and last:
        return True
    if NUMERIC_ID.search(parts.path) and len(parts.path) > 12:
        return True
    return bool(WORDY_SLUG.fullmatch(re.sub(r"\.html?$", "", last)))


def page_links(body: bytes | str, url: str) -> list[tuple[str, str]]:
    """Every (absolute URL, anchor text) of a page, fragments dropped, in page order."""
    tree = parse_html(body)
    if tree is None:
        return []
    base = tree.xpath("//base/@href")
    base_url = urljoin(url, base[0]) if base else url
    links = []
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "whatsapp:")):
            continue
        links.append((urljoin(base_url, href).split("#")[0], " ".join(a.text_content().split())))
    return links


def article_links(body: bytes | str, url: str, base_url: str, allow=None, deny=None) -> list[str]:
    """Article URLs linked from a listing page, first occurrence order, no repeats."""
    found = dict.fromkeys(u for u, _ in page_links(body, url) if is_article_url(u, base_url, allow, deny))
    return list(found)


# --- a new outlet's home page -------------------------------------------------------------------------------------

@dataclass
class Discovered:
    feeds: list[str]
    sitemaps: list[str]


CONVENTIONAL_FEEDS, CONVENTIONAL_SITEMAPS = list(_LINKS.conventional_feeds), list(_LINKS.conventional_sitemaps)


def discover_home(body: bytes | str, url: str) -> Discovered:
    """Feeds the home page announces (<link rel=alternate>), else the platform's conventional ones."""
    tree = parse_html(body)
    feeds: list[str] = []
    if tree is not None:
        for link in tree.xpath('//link[@rel="alternate"][@href]'):
            kind = (link.get("type") or "").lower()
            href = urljoin(url, link.get("href").strip())
            if ("rss" in kind or "atom" in kind) and "comments" not in href and same_outlet(href, url):
                feeds.append(href)
    if not feeds:
        text = body if isinstance(body, str) else body.decode("utf-8", "replace")
        guesses = ["/feed/"] if "wp-content" in text else CONVENTIONAL_FEEDS
        feeds = [urljoin(url, g) for g in guesses]
    return Discovered(list(dict.fromkeys(feeds)), [urljoin(url, g) for g in CONVENTIONAL_SITEMAPS])


def robots_sitemaps(body: bytes, url: str) -> list[str]:
    """Sitemap: lines of a robots.txt."""
    out = []
    for line in body.decode("utf-8", "replace").splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() == "sitemap" and value.strip():
            out.append(urljoin(url, value.strip()))
    return out


SKIP_SITEMAP = _LINKS.skip_sitemap


def article_sitemap(url: str) -> bool:
    """Children of a sitemap index worth following (posts and news, not pages, tags or authors)."""
    return not SKIP_SITEMAP.search(urlsplit(url).path)
