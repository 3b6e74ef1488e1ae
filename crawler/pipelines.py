"""The item pipeline: every crawled article goes through ingest.pipeline.ingest_many (the one path from fetched
pages to stored, tagged articles; see crawler/ingest_worker.py), in INGEST_WORKERS worker processes ("auto": one
per CPU), or with INGEST_WORKERS = 0 in one thread of the crawl process, so downloads go on while it extracts and
tags. Articles go in batches of up to INGEST_BATCH (one tagger pass and one transaction for a batch); a batch
leaves when it is full or INGEST_BATCH_WAIT seconds after its first article, so a small poll is not held up."""
from __future__ import annotations

import logging
import time

from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure
from twisted.python.threadpool import ThreadPool

from crawler.ingest_worker import IngestWorkers, Outcome, ingest_items, payload, shared_workers, worker_count
from crawler.items import ArticleItem
from store.runs import update_run

log = logging.getLogger(__name__)
SAVE_COUNTS_EVERY = 5.0    # seconds between saves of a running crawl's counts
INGEST_BATCH = 8           # articles per batch (a backfill: 8 tag in two thirds of the time of 8 alone)
INGEST_BATCH_WAIT = 0.2    # seconds a batch waits for more articles before it leaves


class IngestPipeline:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.pool: ThreadPool | None = None
        self.workers: IngestWorkers | None = None
        self.shared = False                      # the engine's pool: it outlives this crawl
        self._saved_at = 0.0
        self._batch: list[tuple[dict, Deferred]] = []
        self._unstarted: list[tuple[list[dict], Deferred]] = []     # batches waiting for the workers to start
        self._timer = None

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
            self.workers = IngestWorkers(n, self.crawler.pantau.store.url)     # started by the first article ...
            if self._first_crawl(spider.source.name):                          # ... or now, for a first crawl
                self._when_started([]).addErrback(lambda f: log.warning("ingest workers: %s", f.getErrorMessage()))
        else:
            self.pool = ThreadPool(1, 1, name="pantau-ingest")
            self.pool.start()

    def close_spider(self) -> None:
        self._flush()
        if self.workers is not None and not self.shared:
            self.workers.close()
        if self.pool is not None:
            self.pool.stop()

    async def process_item(self, item):
        if not isinstance(item, ArticleItem):
            return item
        done: Deferred = Deferred()
        self._batch.append((payload(item, self.crawler.spider.source), done))
        if len(self._batch) >= INGEST_BATCH:
            self._flush()
        elif self._timer is None:
            from twisted.internet import reactor
            self._timer = reactor.callLater(INGEST_BATCH_WAIT, self._flush)
        self._record(await maybe_deferred_to_future(done))
        return item

    def _flush(self) -> None:
        """Send the waiting articles off as one batch; each article's Deferred fires with its own Outcome."""
        if self._timer is not None and self._timer.active():
            self._timer.cancel()
        self._timer = None
        batch, self._batch = self._batch, []
        if not batch:
            return
        datas = [data for data, _ in batch]
        from twisted.internet import reactor
        from twisted.internet.threads import deferToThreadPool
        if self.workers is not None and self.workers.started:
            outcomes = _deferred(self.workers.submit_many(datas), [d["url"] for d in datas])
        elif self.workers is not None:
            outcomes = self._when_started(datas)
        else:
            outcomes = deferToThreadPool(reactor, self.pool, ingest_items, self.crawler.pantau.store, datas,
                                         self.crawler.spider.tagger)

        def failed(failure) -> list[Outcome]:
            return [Outcome(None, [(d["url"], f"ingest failed: {failure.getErrorMessage()}")]) for d in datas]

        def fire(results: list[Outcome]) -> None:
            for (_, done), outcome in zip(batch, results, strict=True):
                done.callback(outcome)
        outcomes.addErrback(failed).addCallback(fire)

    def _first_crawl(self, source: str) -> bool:
        """Nothing of this source is stored yet: its crawl will store articles, so the workers start with it (the
        fork server builds the tagger while Scrapy starts, on another core) instead of with its first article."""
        from store.articles import has_articles
        with self.crawler.pantau.store.session() as session:
            return not has_articles(session, source)

    def _when_started(self, datas: list[dict]) -> Deferred:
        """The first batch starts the workers, which waits for the fork server to build the tagger (seconds): in
        a thread, so downloads go on meanwhile; the batches that come until then wait for it here."""
        done: Deferred = Deferred()
        self._unstarted.append((datas, done))
        if len(self._unstarted) == 1:
            from twisted.internet.threads import deferToThread
            deferToThread(self.workers.start).addBoth(self._started)
        return done

    def _started(self, result) -> None:
        waiting, self._unstarted = self._unstarted, []
        for datas, done in waiting:
            if isinstance(result, Failure):
                done.errback(result)
            elif not datas:                                    # the early start of a first crawl
                done.callback([])
            else:
                _deferred(self.workers.submit_many(datas), [d["url"] for d in datas]).chainDeferred(done)

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


def _deferred(future, urls: list[str]) -> Deferred:
    """A Deferred fired in the reactor thread when a concurrent.futures Future of a batch is done. A worker that
    died fails the articles it held (each recorded as a page error), not the crawl."""
    from twisted.internet import reactor
    d: Deferred = Deferred()

    def done(f) -> None:
        try:
            result = f.result()
        except Exception as exc:  # noqa: BLE001 - BrokenProcessPool, cancelled at shutdown
            result = [Outcome(None, [(url, f"ingest worker failed: {type(exc).__name__}: {exc}")]) for url in urls]
        reactor.callFromThread(d.callback, result)
    future.add_done_callback(done)
    return d
