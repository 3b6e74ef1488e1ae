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

from extract.urls import canonical_key
from store import Store, default_database_url
from store.articles import known_keys
from store.runs import RunCounts, feed_failed, feed_states, feed_succeeded, mark_feeds, record_page_error

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

    def keep_validators(self, url: str, kind: str, etag: str | None, modified: str | None) -> None:
        self.discovery_ok += 1
        self.validators[url] = (kind, etag, modified)

    def not_modified(self, url: str, kind: str) -> None:
        self.discovery_ok += 1
        feed_succeeded(self.store, url, self.source.name, kind, not_modified=True)

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
