"""What one crawl of one source knows and counts while it runs, as a Scrapy extension (`crawler.pantau`).

The spider, the middlewares, the item pipeline and the RunRecorder read and write this, never each other:
the store and the run id, the counters (kept in `crawler.stats` under "pantau/"), the errors and blocks, and
the store-backed memory of what is known (stored article keys, feed validators, which listings were walked)."""
from __future__ import annotations

import logging
import threading
import uuid
from dataclasses import fields
from typing import Callable

from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError

from crawler import botwall, failures
from extract.urls import canonical_key
from ingest import http
from store import Store, default_database_url
from store.articles import known_keys
from store.runs import (RunCounts, feed_due, feed_failed, feed_states, feed_succeeded, mark_feeds,
                        record_page_error)

log = logging.getLogger(__name__)
_stores: dict[str, Store] = {}
_stores_lock = threading.Lock()

DISCOVERY_KINDS = ("feed", "sitemap", "listing", "home", "robots")
COUNTS = tuple(f.name for f in fields(RunCounts))
Progress = Callable[[str, RunCounts, str], None]     # (source, counts, what happened)


def get_store(url: str) -> Store:
    """One Store (engine, migrated once) per database URL per process."""
    with _stores_lock:
        if url not in _stores:
            _stores[url] = Store(url)
        return _stores[url]


class CrawlState:
    def __init__(self, crawler) -> None:
        spider = crawler.spider
        self.stats = crawler.stats
        self.source = spider.source
        self.refresh: bool = spider.refresh
        self.progress: Progress | None = spider.progress
        self.store = get_store(crawler.settings.get("PANTAU_DATABASE_URL") or default_database_url())
        self.run_id: int | None = None
        self.discovery_ok = 0                          # feeds/sitemaps/listings that answered (incl. 304)
        self.discovery_failed: list[str] = []
        self.blocked: list[str] = []
        self.notes: list[str] = []                     # partial problems worth a line in the summary
        self.robots_skipped = 0
        self.seen_keys: set[str] = set()               # article keys handled this run (bounded by one run)
        self.check_token = uuid.uuid4().hex             # marks requests this process found not stored
        self.validators: dict[str, tuple[str, str | None, str | None]] = {}   # url -> (kind, etag, last-mod)
        self.listing_failed: set[str] = set()
        self.final_status: str | None = None
        self.lock = threading.Lock()
        src = self.source
        self._states = feed_states(self.store, src.feed_urls + src.sitemap_urls + src.listing_urls)
        # pagination may stop at a page of known articles only if the previous walk of that listing finished
        self.listing_complete = {u: getattr(self._states.get(u), "last_status", "") == "ok" for u in src.listing_urls}
        crawler.pantau = self

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    # --- counters and progress ---------------------------------------------------------------------------------

    @property
    def counts(self) -> RunCounts:
        return RunCounts(**{name: self.stats.get_value(f"pantau/{name}", 0) for name in COUNTS})

    def count(self, **deltas: int) -> None:
        with self.lock:
            for name, delta in deltas.items():
                self.stats.inc_value(f"pantau/{name}", delta)

    def report(self, what: str) -> None:
        if self.progress is not None:
            try:
                self.progress(self.source.name, self.counts, what)
            except Exception:  # noqa: BLE001 - a display must never stop a crawl
                log.exception("progress display failed")

    def page_error(self, url: str, error: str, *, kind: str = "article", blocked: bool = False) -> None:
        """Record one failed page (never stops the crawl); feeds, sitemaps and listings also back off."""
        text = f"blocked: {error}" if blocked else error
        log.warning("%s: %s: %s", self.source.name, url, text)
        self.count(errors=1)
        if blocked:
            self.blocked.append(f"{kind} {url}: {error}")
        elif kind in DISCOVERY_KINDS:
            self.discovery_failed.append(f"{kind} {url}: {error}")
        try:
            record_page_error(self.store, self.run_id, url, text)
            if kind in ("feed", "sitemap", "listing"):
                feed_failed(self.store, url, self.source.name, kind, error, blocked=blocked)
        except Exception:  # noqa: BLE001 - keep crawling; the log has it
            log.exception("cannot record page error for %s", url)
        self.report("error")

    # --- what is known -------------------------------------------------------------------------------------------

    def feed_state(self, url: str):
        if url not in self._states:
            self._states.update(feed_states(self.store, [url]))
        return self._states.get(url)

    def known(self, keys: list[str]) -> set[str]:
        if self.refresh or not keys:
            return set()
        with self.store.session() as session:
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

    # --- what the outlet answered ------------------------------------------------------------------------------

    def backing_off(self, url: str, kind: str) -> bool:
        """A feed, sitemap or listing that failed lately and waits before it is asked again (noted)."""
        state = self.feed_state(url)
        if self.refresh or feed_due(state):
            return False
        log.info("%s: %s %s is backing off after %d failure(s) until %s", self.source.name, kind, url,
                 state.failures, state.next_attempt_at)
        note = f"{kind} {url}: backing off until {state.next_attempt_at:%Y-%m-%d %H:%M} UTC ({state.last_error})"
        (self.blocked if state.last_status == "blocked" else self.discovery_failed).append(note)
        if kind == "listing":
            self.listing_failed.add(url)
        return True

    def walled(self, response, kind: str, listing: str | None = None) -> bool:
        """A bot wall or challenge page: recorded as blocked."""
        return self._blocked(response, kind, listing,
                             botwall.blocked_reason(response.status, response.body, botwall.headers_of(response)))

    def went_dark(self, response, kind: str, links: int, listing: str | None = None) -> bool:
        """No article links where the last crawl found some: recorded as blocked."""
        previous = self.feed_state(failures.first_url(response))
        return self._blocked(response, kind, listing,
                             botwall.went_dark(links, previous.last_status if previous else None))

    def _blocked(self, response, kind: str, listing: str | None, reason: str | None) -> bool:
        if reason:
            if listing:
                self.listing_failed.add(listing)
            self.page_error(failures.first_url(response), reason, kind=kind, blocked=True)
        return bool(reason)

    def answered(self, response, kind: str) -> bool:
        """A feed or sitemap to parse: not a 304 (recorded as such) and not a wall (recorded as blocked)."""
        if response.status == 304:
            self.discovery_ok += 1
            feed_succeeded(self.store, failures.first_url(response), self.source.name, kind, not_modified=True)
            return False
        return not self.walled(response, kind)

    def parsed(self, response, kind: str) -> None:
        """A feed or sitemap was read: its validators are saved when the run finishes."""
        self.discovery_ok += 1
        etag, modified = response.headers.get(b"ETag"), response.headers.get(b"Last-Modified")
        self.validators[failures.first_url(response)] = (kind, etag.decode("latin-1") if etag else None,
                                                         modified.decode("latin-1") if modified else None)

    def not_xml(self, response, kind: str, exc: Exception) -> None:
        if response.meta.get("pantau_guess"):
            log.debug("%s: %s is not a %s", self.source.name, response.url, kind)
            return
        self.page_error(failures.first_url(response), f"not a {kind}: {exc}", kind=kind)

    def html(self, response) -> bool:
        """An article answer that is an HTML page (else recorded as a page error)."""
        ctype = response.headers.get(b"Content-Type")
        if not http.is_html(ctype):
            self.page_error(response.url, http.not_html(ctype))
            return False
        return True

    def failed(self, failure) -> None:
        """A request that failed (an errback): recorded in the crawl's words, unless it is no failure at all
        (robots.txt, already stored, a guessed URL that does not exist)."""
        request = failure.request
        kind = request.meta.get("pantau_kind", "article")
        url = failures.first_url(request)
        listing = request.cb_kwargs.get("listing") if kind == "listing" else None
        if listing:
            self.listing_failed.add(listing)
        guess = request.meta.get("pantau_guess")
        if failure.check(HttpError):          # (a subclass of IgnoreRequest: check it first)
            response = failure.value.response
            if self.walled(response, kind, listing) or (guess and response.status in (404, 410)):
                return
        elif failure.check(IgnoreRequest):
            message = str(failure.value)
            if "robots.txt" in message:
                self.robots_skipped += 1
                log.info("%s: %s disallowed by robots.txt", self.source.name, request.url)
                return
            if message.startswith("already stored"):
                return
        if request.meta.get("pantau_cut"):     # cut off by the crawl engine at the run's timeout (crawler/engine.py)
            log.info("%s: %s %s cut off at the crawl's timeout", self.source.name, kind, url)
            return
        error = failures.describe(failure)
        if guess and kind in ("feed", "sitemap", "robots"):
            log.debug("%s: guessed %s %s: %s", self.source.name, kind, url, error)
            return
        self.page_error(url, error, kind=kind if kind != "robots" else "article")

    # --- the run's ends -----------------------------------------------------------------------------------------

    def opened(self) -> None:
        walked = [u for u, complete in self.listing_complete.items() if complete]
        mark_feeds(self.store, walked, self.source.name, "listing", "incomplete")

    def closed(self, reason: str) -> None:
        if reason != "finished":
            return   # keep the old validators: the next run re-reads what this one did not finish
        for url, (kind, etag, modified) in self.validators.items():
            feed_succeeded(self.store, url, self.source.name, kind, etag=etag, last_modified=modified)
        done = [u for u in self.source.listing_urls if u not in self.listing_failed]
        if done:
            mark_feeds(self.store, done, self.source.name, "listing", "ok")
