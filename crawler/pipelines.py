"""The item pipeline: every crawled article goes through pantau.ingest.ingest (the one path from fetched
pages to a stored, tagged article), in one worker thread so downloads go on while it extracts and tags."""
from __future__ import annotations

import logging
import time
from datetime import datetime

from scrapy.utils.defer import maybe_deferred_to_future
from twisted.python.threadpool import ThreadPool

from crawler.items import ArticleItem
from extract.article import FetchedPage
from extract.decode import UnreadableEncoding
from extract.page import NoArticleText
from pantau.ingest import ingest
from store.runs import update_run

log = logging.getLogger(__name__)
SAVE_COUNTS_EVERY = 5.0    # seconds between saves of a running crawl's counts


class IngestPipeline:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.pool: ThreadPool | None = None
        self._saved_at = 0.0

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self) -> None:
        self.pool = ThreadPool(1, 1, name="pantau-ingest")
        self.pool.start()

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.stop()

    async def process_item(self, item):
        if not isinstance(item, ArticleItem):
            return item
        from twisted.internet import reactor
        from twisted.internet.threads import deferToThreadPool
        await maybe_deferred_to_future(deferToThreadPool(reactor, self.pool, self._ingest, item))
        return item

    @staticmethod
    def _ingest_parts(state, source, parts: list[FetchedPage], hint, tagger):
        """ingest(); a later part with no text of its own (a last page of one short paragraph) is left out
        and recorded, rather than losing the whole article."""
        while True:
            try:
                return ingest(state.store, parts, source=source.name, province=source.province,
                              regency=source.regency, date_hint=hint, tagger=tagger)
            except NoArticleText as exc:
                bad = [p for p in parts[1:] if str(exc).endswith(p.url)]
                if not bad:
                    raise
                parts = [p for p in parts if p is not bad[0]]
                state.page_error(bad[0].url, f"part of {parts[0].url} has no article text; stored without it")

    def _ingest(self, item: ArticleItem) -> None:
        spider = self.crawler.spider
        state, source = spider.pantau, spider.source
        parts = [FetchedPage(url=p["url"], body=p["body"], encoding=p.get("encoding")) for p in item.parts]
        hint = datetime.fromisoformat(item.date_hint) if item.date_hint else None
        try:
            result = self._ingest_parts(state, source, parts, hint, spider.tagger)
        except (NoArticleText, UnreadableEncoding) as exc:
            state.page_error(item.url, f"not an article: {exc}")
            return
        except Exception as exc:  # noqa: BLE001 - one bad page must not stop the crawl
            log.exception("ingest failed for %s", item.url)
            state.page_error(item.url, f"{type(exc).__name__}: {exc}")
            return
        state.count(**{"new" if result.status == "new" else
                       "updated" if result.status == "updated" else "skipped": 1})
        state.report(result.status)
        now = time.monotonic()
        if state.run_id is not None and now - self._saved_at > SAVE_COUNTS_EVERY:
            self._saved_at = now
            update_run(state.store, state.run_id, state.counts)
