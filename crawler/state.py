"""What one crawl of one source knows while it runs: its store, CrawlRun id, counts, errors, blocks.
Shared by the spider, the item pipeline, the middlewares and the RunRecorder extension."""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Callable

from store import Store
from store.runs import RunCounts, feed_failed, record_page_error

log = logging.getLogger(__name__)
_stores: dict[str, Store] = {}
_stores_lock = threading.Lock()

DISCOVERY_KINDS = ("feed", "sitemap", "listing", "home", "robots")
Progress = Callable[[str, RunCounts, str], None]     # (source, counts, what happened)


def get_store(url: str) -> Store:
    """One Store (engine, migrated once) per database URL per process."""
    with _stores_lock:
        if url not in _stores:
            _stores[url] = Store(url)
        return _stores[url]


@dataclass
class CrawlState:
    source: str
    store: Store
    run_id: int | None = None
    counts: RunCounts = field(default_factory=RunCounts)
    progress: Progress | None = None
    discovery_ok: int = 0                 # feeds/sitemaps/listings that answered (incl. 304)
    discovery_failed: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    robots_skipped: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def report(self, what: str) -> None:
        if self.progress is not None:
            try:
                self.progress(self.source, self.counts, what)
            except Exception:  # noqa: BLE001 - a display must never stop a crawl
                log.exception("progress display failed")

    def count(self, **deltas: int) -> None:
        with self.lock:
            for name, delta in deltas.items():
                setattr(self.counts, name, getattr(self.counts, name) + delta)

    def page_error(self, url: str, error: str, *, kind: str = "article", blocked: bool = False) -> None:
        """Record one failed page (never stops the crawl); feeds, sitemaps and listings also back off."""
        text = f"blocked: {error}" if blocked else error
        log.warning("%s: %s: %s", self.source, url, text)
        self.count(errors=1)
        if blocked:
            self.blocked.append(f"{kind} {url}: {error}")
        elif kind in DISCOVERY_KINDS:
            self.discovery_failed.append(f"{kind} {url}: {error}")
        try:
            record_page_error(self.store, self.run_id, url, text)
            if kind in ("feed", "sitemap", "listing"):
                feed_failed(self.store, url, self.source, kind, error, blocked=blocked)
        except Exception:  # noqa: BLE001 - keep crawling; the log has it
            log.exception("cannot record page error for %s", url)
        self.report("error")
