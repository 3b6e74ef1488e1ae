"""RunRecorder: one CrawlRun per crawl of a source, from spider_opened to spider_closed, with its counts and a
status: ok | failed | blocked | interrupted | timeout."""
from __future__ import annotations

import logging
import os

from scrapy import signals

from store.runs import finish_run, start_run

log = logging.getLogger(__name__)

CLOSE_REASONS = {"shutdown": "interrupted", "closespider_timeout": "timeout", "cancelled": "interrupted"}


class RunRecorder:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        crawler.signals.connect(self.opened, signals.spider_opened)
        crawler.signals.connect(self.closed, signals.spider_closed)
        crawler.signals.connect(self.response, signals.response_received)
        crawler.signals.connect(self.spider_error, signals.spider_error)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def opened(self, spider) -> None:
        state = spider.pantau
        state.run_id = start_run(state.store, spider.source.name, trigger=spider.trigger, pid=os.getpid(),
                                 run_id=spider.run_id)
        spider.run_opened()
        state.report("start")

    def response(self, response, request, spider) -> None:
        spider.pantau.count(pages=1)
        spider.pantau.report("page")

    def spider_error(self, failure, response, spider) -> None:
        spider.pantau.page_error(response.url, f"internal error: {failure.getErrorMessage()}",
                                kind=response.meta.get("pantau_kind", "article"))

    def closed(self, spider, reason) -> None:
        state = spider.pantau
        status, message = run_status(state, reason)
        try:
            spider.run_closed(reason)
        except Exception:  # noqa: BLE001 - the run must still be recorded
            log.exception("%s: cannot save feed state", spider.source.name)
        if state.run_id is not None:
            finish_run(state.store, state.run_id, status, state.counts, message)
        spider.final_status = status
        state.report(f"done:{status}")


def run_status(state, reason: str) -> tuple[str, str]:
    notes = []
    if state.blocked:
        notes.append(f"blocked: {'; '.join(state.blocked[:5])}")
    if state.discovery_failed:
        notes.append(f"failed: {'; '.join(state.discovery_failed[:5])}")
    if state.robots_skipped:
        notes.append(f"{state.robots_skipped} URL(s) disallowed by robots.txt")
    if reason in CLOSE_REASONS:
        status = CLOSE_REASONS[reason]
        notes.insert(0, f"stopped: {reason}")
    elif reason != "finished":
        status = "failed"
        notes.insert(0, f"stopped: {reason}")
    elif state.blocked and (state.discovery_ok == 0 or any(not b.startswith("article") for b in state.blocked)
                            or state.counts.new + state.counts.updated == 0):
        status = "blocked"
    elif state.discovery_ok == 0 and state.discovery_failed:
        status = "failed"
    else:
        status = "ok"
    return status, " | ".join(notes)
