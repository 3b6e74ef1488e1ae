"""The item pipeline: every crawled article goes through ingest.pipeline.ingest (the one path from fetched pages
to a stored, tagged article; see crawler/ingest_worker.py), in INGEST_WORKERS worker processes ("auto": one per
CPU), or with INGEST_WORKERS = 0 in one thread of the crawl process, so downloads go on while it extracts and tags."""
from __future__ import annotations

import logging
import time

from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred
from twisted.python.threadpool import ThreadPool

from crawler.ingest_worker import IngestWorkers, Outcome, ingest_item, payload, shared_workers, worker_count
from crawler.items import ArticleItem
from store.runs import update_run

log = logging.getLogger(__name__)
SAVE_COUNTS_EVERY = 5.0    # seconds between saves of a running crawl's counts


class IngestPipeline:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.pool: ThreadPool | None = None
        self.workers: IngestWorkers | None = None
        self.shared = False                      # the engine's pool: it outlives this crawl
        self._saved_at = 0.0

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self) -> None:
        spider = self.crawler.spider
        shared = shared_workers()
        if shared is not None and spider.tagger is None:
            self.workers, self.shared = shared, True
            return
        n = worker_count(self.crawler.settings.get("INGEST_WORKERS"))
        if n and spider.tagger is None:          # a caller's own tagger is used in this process
            self.workers = IngestWorkers(n, self.crawler.pantau.store.url)     # started by the first article
        else:
            self.pool = ThreadPool(1, 1, name="pantau-ingest")
            self.pool.start()

    def close_spider(self) -> None:
        if self.workers is not None and not self.shared:
            self.workers.close()
        if self.pool is not None:
            self.pool.stop()

    async def process_item(self, item):
        if not isinstance(item, ArticleItem):
            return item
        spider = self.crawler.spider
        data = payload(item, spider.source)
        if self.workers is not None:
            outcome = await maybe_deferred_to_future(_deferred(self.workers.submit(data), item.url))
        else:
            from twisted.internet import reactor
            from twisted.internet.threads import deferToThreadPool
            outcome = await maybe_deferred_to_future(
                deferToThreadPool(reactor, self.pool, ingest_item, self.crawler.pantau.store, data, spider.tagger))
        self._record(outcome)
        return item

    def _record(self, outcome: Outcome) -> None:
        state = self.crawler.pantau
        for url, error in outcome.errors:
            state.page_error(url, error)
        if outcome.status is not None:
            state.count(**{"new" if outcome.status == "new" else
                           "updated" if outcome.status == "updated" else "skipped": 1})
            state.report(outcome.status)
        now = time.monotonic()
        if state.run_id is not None and now - self._saved_at > SAVE_COUNTS_EVERY:
            self._saved_at = now
            update_run(state.store, state.run_id, state.counts)


def _deferred(future, url: str) -> Deferred:
    """A Deferred fired in the reactor thread when a concurrent.futures Future is done. A worker that died
    fails the article it held (recorded as a page error), not the crawl."""
    from twisted.internet import reactor
    d: Deferred = Deferred()

    def done(f) -> None:
        try:
            result = f.result()
        except Exception as exc:  # noqa: BLE001 - BrokenProcessPool, cancelled at shutdown
            result = Outcome(None, [(url, f"ingest worker failed: {type(exc).__name__}: {exc}")])
        reactor.callFromThread(d.callback, result)
    future.add_done_callback(done)
    return d
