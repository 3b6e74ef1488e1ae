"""The one spider: turns a source's feeds, sitemaps and listing pages (or its home page) into requests for new
articles, follows every page of a multi-page article, and yields one ArticleItem per article. What the crawl knows
and counts is in its state (crawler.state.CrawlState, `self.crawler.pantau`); failures are worded by
crawler.failures, bot walls recognised by crawler.botwall, both recorded by the state.

    scrapy crawl news -a source=jabarekspres [-a sources=FILE] [-a refresh=1] -s PANTAU_DATABASE_URL=URL
"""
from __future__ import annotations

import logging
import re
from datetime import timedelta
from urllib.parse import urljoin

import scrapy

from crawler import failures
from crawler.discovery import (NotXml, article_sitemap, discover_home, is_article_url, page_links, parse_feed,
                               parse_sitemap, path_of, robots_sitemaps)
from crawler.items import ArticleItem
from crawler.settings import apply_source_settings
from crawler.sources import SourceConfig, load_sources, select_sources
from extract.fetched import FetchedPage
from extract.urls import canonical_key, same_outlet
from ingest import http
from ingest.paging import PartWalk, next_listing_url

log = logging.getLogger(__name__)
PRIORITY = {"article": 10, "part": 20}


def _truthy(value) -> bool:
    return str(value).lower() in ("1", "true", "yes", "on") if not isinstance(value, bool) else value


class NewsSpider(scrapy.Spider):
    name = "news"

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        source = kwargs.get("source")
        if not isinstance(source, SourceConfig):
            if not source:
                raise ValueError("which source? scrapy crawl news -a source=NAME [-a sources=FILE]")
            path = kwargs.get("sources") or crawler.settings.get("PANTAU_SOURCES")
            source = select_sources(load_sources(path), [source])[0]
        kwargs["source"] = source
        apply_source_settings(crawler.settings, source, kwargs.pop("jobdir", None))
        return super().from_crawler(crawler, *args, **kwargs)

    def __init__(self, source: SourceConfig, sources: str | None = None, refresh=False, max_articles=None,
                 discover=False, run_id=None, trigger: str = "cli", tagger=None, progress=None, **kwargs):
        super().__init__(name=None, **kwargs)
        self.source, self.progress = source, progress
        self.refresh, self.discover = _truthy(refresh), _truthy(discover)
        self.max_articles = int(max_articles) if max_articles not in (None, "") else source.max_articles
        self.run_id = int(run_id) if run_id not in (None, "") else None
        self.trigger, self.tagger = trigger, tagger
        self.allow = [re.compile(p) for p in source.allow]
        self.deny = [re.compile(p) for p in source.deny]
        self.scheduled = 0

    @property
    def state(self):
        return self.crawler.pantau

    # --- start -------------------------------------------------------------------------------------------------

    async def start(self):
        src = self.source
        endpoints = ([(u, "feed") for u in src.feed_urls] + [(u, "sitemap") for u in src.sitemap_urls]
                     + [(u, "listing") for u in src.listing_urls])
        if self.discover or not endpoints:
            yield scrapy.Request(src.base_url, callback=self.parse_home, errback=self.on_error,
                                 meta={"pantau_kind": "home"})
            yield scrapy.Request(urljoin(src.base_url, "/robots.txt"), callback=self.parse_robots,
                                 errback=self.on_error, meta={"pantau_kind": "robots", "pantau_guess": True})
        for url, kind in endpoints:
            if not self.state.backing_off(url, kind):
                yield self.discovery_request(url, kind)

    def discovery_request(self, url: str, kind: str, *, listing: str | None = None, depth: int = 1,
                          guess: bool = False) -> scrapy.Request:
        callback = {"feed": self.parse_feed, "sitemap": self.parse_sitemap, "listing": self.parse_listing}[kind]
        meta = {"pantau_kind": kind, "pantau_guess": guess}
        if kind in ("feed", "sitemap"):
            meta["handle_httpstatus_list"] = [304]
        cb_kwargs = {"listing": listing or url, "depth": depth} if kind == "listing" else {}
        return scrapy.Request(url, callback=callback, errback=self.on_error, meta=meta, cb_kwargs=cb_kwargs)

    # --- discovery ------------------------------------------------------------------------------------------------

    def parse_home(self, response):
        if self.state.walled(response, "home"):
            return
        self.state.discovery_ok += 1
        found = discover_home(response.body, response.url)
        for url in found.feeds:
            yield self.discovery_request(url, "feed", guess=True)
        for url in found.sitemaps:
            yield self.discovery_request(url, "sitemap", guess=True)
        yield from self.parse_listing(response, listing=response.url, depth=1)

    def parse_robots(self, response):
        for url in robots_sitemaps(response.body, response.url):
            if same_outlet(url, self.source.base_url):
                yield self.discovery_request(url, "sitemap")

    def parse_feed(self, response):
        if not self.state.answered(response, "feed"):
            return
        try:
            entries = parse_feed(response.body, response.url)
        except NotXml as exc:
            self.state.not_xml(response, "feed", exc)
            return
        if self.state.went_dark(response, "feed", len(entries)):
            return
        self.state.parsed(response, "feed")
        yield from self._article_requests([(e.url, e.published) for e in entries], listed=True)[0]

    def parse_sitemap(self, response):
        if not self.state.answered(response, "sitemap"):
            return
        try:
            sitemap = parse_sitemap(response.body, response.url)
        except (NotXml, OSError, EOFError) as exc:
            self.state.not_xml(response, "sitemap", exc)
            return
        self.state.parsed(response, "sitemap")
        if sitemap.kind == "index":
            state = self.state.feed_state(failures.first_url(response))
            since = None if self.refresh or state is None else state.last_success_at
            children = sorted((e for e in sitemap.entries if article_sitemap(e.url)),
                              key=lambda e: e.lastmod.timestamp() if e.lastmod else float("inf"), reverse=True)
            for child in children:
                if since and child.lastmod and child.lastmod.tzinfo and child.lastmod < since - timedelta(days=1):
                    continue   # unchanged since the last complete crawl of this index
                yield self.discovery_request(child.url, "sitemap")
            return
        yield from self._article_requests([(e.url, e.published) for e in sitemap.entries], listed=True)[0]

    def parse_listing(self, response, listing: str, depth: int):
        if self.state.walled(response, "listing", listing):
            return
        links = [(u, None) for u, _ in page_links(response.body, response.url)]
        requests, total, known = self._article_requests(links, listed=False)
        if depth == 1 and self.state.went_dark(response, "listing", total, listing):
            return
        self.state.discovery_ok += 1
        yield from requests
        if not total:
            log.info("%s: %s: no article links on page %d; the walk ends there", self.source.name, listing, depth)
            return
        if known == total and self.state.listing_complete.get(listing):
            log.info("%s: %s: every article on page %d is stored; stopping there", self.source.name, listing, depth)
            return
        if depth < self.source.listing_depth and not self._capped():
            next_url = next_listing_url(response.body, response.url)
            if next_url:
                yield self.discovery_request(next_url, "listing", listing=listing, depth=depth + 1)

    # --- articles ---------------------------------------------------------------------------------------------

    def _article_requests(self, candidates, listed: bool) -> tuple[list[scrapy.Request], int, int]:
        """Requests for the article links not stored yet. Returns (requests, links, links already stored)."""
        base = self.source.base_url
        fresh: dict[str, tuple[str, object]] = {}
        for url, hint in candidates:
            if listed:
                path = path_of(url)
                ok = (same_outlet(url, base) and not any(p.search(path) for p in self.deny)
                      and (not self.allow or any(p.search(path) for p in self.allow)))
            else:
                ok = is_article_url(url, base, self.allow, self.deny)
            try:
                key = canonical_key(url) if ok else None
            except ValueError:
                key = None
            if key:
                fresh.setdefault(key, (url, hint))
        stored = self.state.known(list(fresh))
        requests = []
        for key, (url, hint) in fresh.items():
            if key in self.state.seen_keys:
                continue
            self.state.seen_keys.add(key)
            if key in stored:
                self.state.count(skipped=1)
                continue
            if self._capped():
                continue
            self.scheduled += 1
            requests.append(scrapy.Request(
                url, callback=self.parse_article, errback=self.on_error, dont_filter=True,
                priority=PRIORITY["article"], meta={"pantau_kind": "article", "pantau_part": 1,
                                                     "pantau_checked": self.state.checked(url)},
                cb_kwargs={"date_hint": hint.isoformat() if hint else None}))
        if stored:
            self.state.report("skipped")
        return requests, len(fresh), len(stored)

    def _capped(self) -> bool:
        return self.max_articles is not None and self.scheduled >= self.max_articles

    def parse_article(self, response, date_hint=None, walk: PartWalk | None = None):
        failed = self.state.walled(response, "article") or not self.state.html(response)
        if walk is None:                    # page 1
            if failed:
                return
            walk = PartWalk([_fetched(response)])
        elif not walk.received(None if failed else _fetched(response)):
            yield self._item(walk, date_hint)
            return
        yield from self._follow(walk, date_hint)

    def _follow(self, walk: PartWalk, date_hint):
        """Ask for the article's next page, or hand the article over when it is complete."""
        url = walk.next_url()
        if url is None:
            yield self._item(walk, date_hint)
            return
        yield scrapy.Request(url, callback=self.parse_article, errback=self.on_part_error, dont_filter=True,
                             priority=PRIORITY["part"],
                             meta={"pantau_kind": "article", "pantau_part": len(walk.pages) + 1},
                             cb_kwargs={"date_hint": date_hint, "walk": walk})

    def _item(self, walk: PartWalk, date_hint) -> ArticleItem:
        return ArticleItem(url=walk.pages[0].url, parts=walk.pages, date_hint=date_hint)

    def on_part_error(self, failure):
        """A later page failed: the article is stored with the pages it has (a failed single-page variant falls
        back to following the parts)."""
        walk = failure.request.cb_kwargs["walk"]
        if walk.whole:
            log.info("%s: single-page variant %s failed; following the pages", self.source.name, failure.request.url)
        else:
            self.on_error(failure)
        if walk.received(None):
            yield from self._follow(walk, failure.request.cb_kwargs.get("date_hint"))
        else:
            yield self._item(walk, failure.request.cb_kwargs.get("date_hint"))

    def on_error(self, failure):
        self.state.failed(failure)


def _fetched(response) -> FetchedPage:
    return FetchedPage(url=response.url, body=response.body,
                       encoding=http.charset(response.headers.get(b"Content-Type")))
