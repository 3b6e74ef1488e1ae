"""The one spider: crawls a source's feeds, sitemaps and listing pages (or discovers them from its home page),
follows new article links, fetches every page of multi-page articles and yields one ArticleItem per article.

    scrapy crawl news -a source=jabarekspres [-a sources=FILE] [-a refresh=1] -s PANTAU_DATABASE_URL=URL
"""
from __future__ import annotations

import logging
import re
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import urljoin

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TCPTimedOutError, TimeoutError

from crawler.discovery import (NotXml, article_sitemap, blocked_reason, discover_home, is_article_url,
                               page_links, parse_feed, parse_sitemap, path_of, robots_sitemaps, same_outlet)
from crawler.items import ArticleItem
from crawler.pagination import PartWalk, next_listing_url
from crawler.sources import SourceConfig, load_sources, select_sources
from crawler.state import CrawlState, get_store
from extract.fetched import FetchedPage
from extract.urls import canonical_key
from store import default_database_url
from store.articles import known_keys
from store.runs import feed_due, feed_states, feed_succeeded, mark_feeds

log = logging.getLogger(__name__)
HTML_TYPES = (b"text/html", b"application/xhtml+xml")
PRIORITY = {"article": 10, "part": 20}


def _truthy(value) -> bool:
    return str(value).lower() in ("1", "true", "yes", "on") if not isinstance(value, bool) else value


def apply_source_settings(settings, source: SourceConfig, jobdir: str | None) -> None:
    """Per-source politeness and limits, set before the crawl's settings freeze."""
    settings.set("DOWNLOAD_DELAY", source.delay, "spider")
    settings.set("AUTOTHROTTLE_START_DELAY", max(source.delay, 0.01), "spider")
    settings.set("AUTOTHROTTLE_TARGET_CONCURRENCY", float(source.concurrency), "spider")
    settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", source.concurrency, "spider")
    settings.set("DOWNLOAD_TIMEOUT", source.download_timeout, "spider")
    if source.user_agent:
        settings.set("USER_AGENT", source.user_agent, "spider")
    if source.timeout and not settings.getint("CLOSESPIDER_TIMEOUT"):
        settings.set("CLOSESPIDER_TIMEOUT", source.timeout, "spider")
    if jobdir:
        settings.set("JOBDIR", str(Path(jobdir) / source.name), "spider")


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
        spider = super().from_crawler(crawler, *args, **kwargs)
        db_url = crawler.settings.get("PANTAU_DATABASE_URL") or default_database_url()
        spider.pantau = CrawlState(source.name, get_store(db_url), progress=kwargs.get("progress"))
        spider.load_feed_states()
        return spider

    def __init__(self, source: SourceConfig, sources: str | None = None, refresh=False, max_articles=None,
                 discover=False, run_id=None, trigger: str = "cli", tagger=None, progress=None, **kwargs):
        super().__init__(name=None, **kwargs)
        self.source = source
        self.refresh = _truthy(refresh)
        self.discover = _truthy(discover)
        self.max_articles = int(max_articles) if max_articles not in (None, "") else source.max_articles
        self.run_id = int(run_id) if run_id not in (None, "") else None
        self.trigger, self.tagger = trigger, tagger
        self.allow = [re.compile(p) for p in source.allow]
        self.deny = [re.compile(p) for p in source.deny]
        self.seen_keys: set[str] = set()           # article keys handled this run (bounded by one run)
        self.check_token = uuid.uuid4().hex         # marks requests this process found not stored
        self.scheduled = 0
        self.validators: dict[str, tuple[str, str | None, str | None]] = {}   # url -> (kind, etag, last-mod)
        self.listing_failed: set[str] = set()
        self.final_status: str | None = None
        self.pantau: CrawlState

    # --- store-backed memory ------------------------------------------------------------------------------------

    def load_feed_states(self) -> None:
        src = self.source
        self._states = feed_states(self.pantau.store, src.feed_urls + src.sitemap_urls + src.listing_urls)
        # pagination may stop at a page of known articles only if the previous walk of that listing finished
        self.listing_complete = {u: getattr(self._states.get(u), "last_status", "") == "ok" for u in src.listing_urls}

    def feed_state(self, url: str):
        if url not in self._states:
            self._states.update(feed_states(self.pantau.store, [url]))
        return self._states.get(url)

    def known(self, keys: list[str]) -> set[str]:
        if self.refresh or not keys:
            return set()
        with self.pantau.store.session() as session:
            return known_keys(session, keys)

    def checked(self, url: str) -> str:
        """The mark of a request to `url` that this process has just found not stored: the known-article
        middleware need not ask again. A redirect (another URL) or a resumed queue (another process) is asked."""
        return f"{self.check_token} {url}"

    def is_known(self, url: str) -> bool:
        try:
            return bool(self.known([canonical_key(url)]))
        except ValueError:
            return False

    def run_opened(self) -> None:
        walked = [u for u, complete in self.listing_complete.items() if complete]
        mark_feeds(self.pantau.store, walked, self.source.name, "listing", "incomplete")

    def run_closed(self, reason: str) -> None:
        if reason != "finished":
            return   # keep the old validators: the next run re-reads what this one did not finish
        for url, (kind, etag, modified) in self.validators.items():
            feed_succeeded(self.pantau.store, url, self.source.name, kind, etag=etag, last_modified=modified)
        done = [u for u in self.source.listing_urls if u not in self.listing_failed]
        if done:
            mark_feeds(self.pantau.store, done, self.source.name, "listing", "ok")

    # --- start -------------------------------------------------------------------------------------------------

    async def start(self):
        for request in self.first_requests():
            yield request

    def first_requests(self):
        src = self.source
        endpoints = ([(u, "feed") for u in src.feed_urls] + [(u, "sitemap") for u in src.sitemap_urls]
                     + [(u, "listing") for u in src.listing_urls])
        if self.discover or not endpoints:
            yield scrapy.Request(src.base_url, callback=self.parse_home, errback=self.on_error,
                                 meta={"pantau_kind": "home"})
            yield scrapy.Request(urljoin(src.base_url, "/robots.txt"), callback=self.parse_robots,
                                 errback=self.on_error, meta={"pantau_kind": "robots", "pantau_guess": True})
        for url, kind in endpoints:
            if not self.refresh and not feed_due(self._states.get(url)):
                state = self._states[url]
                log.info("%s: %s %s is backing off after %d failure(s) until %s", src.name, kind, url,
                         state.failures, state.next_attempt_at)
                note = f"{kind} {url}: backing off until {state.next_attempt_at:%Y-%m-%d %H:%M} UTC ({state.last_error})"
                (self.pantau.blocked if state.last_status == "blocked" else self.pantau.discovery_failed).append(note)
                if kind == "listing":
                    self.listing_failed.add(url)
                continue
            yield self.discovery_request(url, kind)

    def discovery_request(self, url: str, kind: str, *, listing: str | None = None, depth: int = 1,
                          guess: bool = False) -> scrapy.Request:
        callback = {"feed": self.parse_feed, "sitemap": self.parse_sitemap, "listing": self.parse_listing}[kind]
        meta = {"pantau_kind": kind, "pantau_guess": guess}
        if kind in ("feed", "sitemap"):
            meta["handle_httpstatus_list"] = [304]
        cb_kwargs = {"listing": listing or url, "depth": depth} if kind == "listing" else {}
        return scrapy.Request(url, callback=callback, errback=self.on_error, meta=meta, cb_kwargs=cb_kwargs)

    # --- discovery callbacks --------------------------------------------------------------------------------------

    def parse_home(self, response):
        if self._blocked(response, "home"):
            return
        self.pantau.discovery_ok += 1
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
        if not self._discovery_answered(response, "feed"):
            return
        try:
            entries = parse_feed(response.body, response.url)
        except NotXml as exc:
            self._not_xml(response, "feed", exc)
            return
        self._keep_validators(response, "feed")
        yield from self.article_requests([(e.url, e.published) for e in entries], listed=True)

    def parse_sitemap(self, response):
        if not self._discovery_answered(response, "sitemap"):
            return
        try:
            sitemap = parse_sitemap(response.body, response.url)
        except (NotXml, OSError, EOFError) as exc:
            self._not_xml(response, "sitemap", exc)
            return
        self._keep_validators(response, "sitemap")
        if sitemap.kind == "index":
            state = self.feed_state(_first_url(response))
            since = None if self.refresh or state is None else state.last_success_at
            children = sorted((e for e in sitemap.entries if article_sitemap(e.url)),
                              key=lambda e: e.lastmod.timestamp() if e.lastmod else float("inf"), reverse=True)
            for child in children:
                if since and child.lastmod and child.lastmod.tzinfo and child.lastmod < since - timedelta(days=1):
                    continue   # unchanged since the last complete crawl of this index
                yield self.discovery_request(child.url, "sitemap")
            return
        yield from self.article_requests([(e.url, e.published) for e in sitemap.entries], listed=True)

    def parse_listing(self, response, listing: str, depth: int):
        if self._blocked(response, "listing", listing):
            return
        links = page_links(response.body, response.url)
        if sum(1 for u, _ in links if same_outlet(u, self.source.base_url)) < 3:
            self.listing_failed.add(listing)
            self.pantau.page_error(response.url, "listing page with no links (JS challenge or empty page)",
                                  kind="listing", blocked=True)
            return
        self.pantau.discovery_ok += 1
        candidates = [(u, None) for u, _ in links]
        requests, total, known = self._article_requests(candidates, listed=False)
        yield from requests
        if total and known == total and self.listing_complete.get(listing):
            log.info("%s: %s: every article on page %d is stored; stopping there", self.source.name, listing, depth)
            return
        if depth < self.source.listing_depth and not self._capped():
            next_url = next_listing_url(response.body, response.url)
            if next_url:
                yield self.discovery_request(next_url, "listing", listing=listing, depth=depth + 1)

    # --- articles ---------------------------------------------------------------------------------------------

    def article_requests(self, candidates, listed: bool):
        requests, _, _ = self._article_requests(candidates, listed)
        return requests

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
            if not ok:
                continue
            try:
                key = canonical_key(url)
            except ValueError:
                continue
            fresh.setdefault(key, (url, hint))
        stored = self.known(list(fresh))
        requests = []
        for key, (url, hint) in fresh.items():
            if key in self.seen_keys:
                continue
            self.seen_keys.add(key)
            if key in stored:
                self.pantau.count(skipped=1)
                continue
            if self._capped():
                continue
            self.scheduled += 1
            requests.append(scrapy.Request(
                url, callback=self.parse_article, errback=self.on_error, dont_filter=True,
                priority=PRIORITY["article"], meta={"pantau_kind": "article", "pantau_part": 1,
                                                     "pantau_checked": self.checked(url)},
                cb_kwargs={"date_hint": hint.isoformat() if hint else None}))
        if stored:
            self.pantau.report("skipped")
        return requests, len(fresh), len(stored)

    def _capped(self) -> bool:
        return self.max_articles is not None and self.scheduled >= self.max_articles

    def parse_article(self, response, date_hint=None, walk: PartWalk | None = None):
        failed = self._blocked(response, "article") or not self._html(response)
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

    def _html(self, response) -> bool:
        ctype = response.headers.get(b"Content-Type", b"").split(b";")[0].strip().lower()
        if ctype and ctype not in HTML_TYPES:
            self.pantau.page_error(response.url, f"not an HTML page ({ctype.decode(errors='replace')})")
            return False
        return True

    # --- errors and blocks ------------------------------------------------------------------------------------

    def on_error(self, failure):
        request = failure.request
        kind = request.meta.get("pantau_kind", "article")
        url = _first_url(request)
        listing = request.cb_kwargs.get("listing") if kind == "listing" else None
        if listing:
            self.listing_failed.add(listing)
        if failure.check(HttpError):          # (a subclass of IgnoreRequest: check it first)
            response = failure.value.response
            if self._blocked(response, kind, listing):
                return
            if request.meta.get("pantau_guess") and response.status in (404, 410):
                log.debug("%s: no %s at %s", self.source.name, kind, url)
                return
            error = f"HTTP {response.status}"
        elif failure.check(IgnoreRequest):
            message = str(failure.value)
            if "robots.txt" in message:
                self.pantau.robots_skipped += 1
                log.info("%s: %s disallowed by robots.txt", self.source.name, request.url)
                return
            if message.startswith("already stored"):
                return
            error = "too many redirects (redirect loop?)" if "redirect" in message else message or "ignored"
        elif failure.check(TimeoutError, TCPTimedOutError, *_scrapy_errors("DownloadTimeoutError")):
            error = "timed out"
        elif failure.check(DNSLookupError, *_scrapy_errors("CannotResolveHostError")):
            error = "host not found"
        elif failure.check(ConnectionRefusedError, *_scrapy_errors("DownloadConnectionRefusedError")):
            error = "connection refused"
        else:
            error = f"{failure.type.__name__}: {failure.getErrorMessage()}"
        if request.meta.get("pantau_guess") and kind in ("feed", "sitemap", "robots"):
            log.debug("%s: guessed %s %s: %s", self.source.name, kind, url, error)
            return
        self.pantau.page_error(url, error, kind=kind if kind != "robots" else "article")

    def _blocked(self, response, kind: str, listing: str | None = None) -> bool:
        reason = blocked_reason(response.status, response.body, {k.decode("latin-1").lower(): v[0].decode("latin-1")
                                                                  for k, v in response.headers.items() if v})
        if reason:
            if listing:
                self.listing_failed.add(listing)
            self.pantau.page_error(_first_url(response), reason, kind=kind, blocked=True)
        return bool(reason)

    def _discovery_answered(self, response, kind: str) -> bool:
        """304: nothing new, recorded now. A bot wall: recorded as blocked. Else go on parsing."""
        if response.status == 304:
            self.pantau.discovery_ok += 1
            feed_succeeded(self.pantau.store, _first_url(response), self.source.name, kind, not_modified=True)
            return False
        return not self._blocked(response, kind)

    def _keep_validators(self, response, kind: str) -> None:
        self.pantau.discovery_ok += 1
        etag = response.headers.get(b"ETag")
        modified = response.headers.get(b"Last-Modified")
        self.validators[_first_url(response)] = (kind, etag.decode("latin-1") if etag else None,
                                                 modified.decode("latin-1") if modified else None)

    def _not_xml(self, response, kind: str, exc: Exception) -> None:
        if response.meta.get("pantau_guess"):
            log.debug("%s: %s is not a %s", self.source.name, response.url, kind)
            return
        self.pantau.page_error(_first_url(response), f"not a {kind}: {exc}", kind=kind)


def _scrapy_errors(*names: str) -> tuple[type, ...]:
    """Scrapy >= 2.14 wraps Twisted's download errors in its own classes."""
    import scrapy.exceptions
    return tuple(getattr(scrapy.exceptions, n) for n in names if hasattr(scrapy.exceptions, n))


def _first_url(obj) -> str:
    """The URL as first requested (before redirects): feed state and errors are kept under it."""
    return (obj.meta.get("redirect_urls") or [obj.url])[0]


def _fetched(response) -> FetchedPage:
    return FetchedPage(url=response.url, body=response.body, encoding=_charset(response))


def _charset(response) -> str | None:
    ctype = response.headers.get(b"Content-Type", b"").decode("latin-1")
    for piece in ctype.split(";")[1:]:
        key, _, value = piece.strip().partition("=")
        if key.strip().lower() == "charset" and value:
            return value.strip().strip('"')
    return None
