"""RunRecorder: one CrawlRun per crawl of a source, from spider_opened to spider_closed, with its counts and a
status: ok | partial | failed | blocked | interrupted | timeout (see run_status)."""
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
        state = self.crawler.pantau
        state.run_id = start_run(state.store, state.source.name, trigger=spider.trigger, pid=os.getpid(),
                                 run_id=spider.run_id)
        state.opened()
        state.report("start")

    def response(self, response, request, spider) -> None:
        self.crawler.pantau.count(pages=1)
        self.crawler.pantau.report("page")

    def spider_error(self, failure, response, spider) -> None:
        self.crawler.pantau.page_error(response.url, f"internal error: {failure.getErrorMessage()}",
                                       kind=response.meta.get("pantau_kind", "article"))

    def closed(self, spider, reason) -> None:
        state = self.crawler.pantau
        status, message = run_status(state, reason)
        try:
            state.closed(reason)
        except Exception:  # noqa: BLE001 - the run must still be recorded
            log.exception("%s: cannot save feed state", state.source.name)
        if state.run_id is not None:
            finish_run(state.store, state.run_id, status, state.counts, message)
        state.final_status = status
        state.report(f"done:{status}")


def run_status(state, reason: str) -> tuple[str, str]:
    """ok, or partial (the outlet answered, some feed, listing or page was blocked or failed: listed in the
    notes), blocked or failed (nothing of the outlet could be read), interrupted or timeout."""
    articles_in = state.counts.new + state.counts.updated
    articles_walled = any(b.startswith("article") for b in state.blocked)
    if reason in CLOSE_REASONS:
        status = CLOSE_REASONS[reason]
    elif reason != "finished":
        status = "failed"
    elif state.blocked and (state.discovery_ok == 0 or (articles_walled and articles_in == 0)):
        status = "blocked"
    elif state.discovery_ok == 0 and state.discovery_failed:
        status = "failed"
    elif state.blocked or state.discovery_failed:
        status = "partial"
    else:
        status = "ok"
    if reason == "closespider_timeout":
        timeout = getattr(state.source, "timeout", None)
        notes = [f"stopped after its {timeout:g} s timeout" if timeout else "stopped at its timeout"]
    else:
        notes = [f"stopped: {reason}"] if reason != "finished" else []
    if state.blocked:
        notes.append(f"blocked: {'; '.join(state.blocked[:5])}")
    if state.discovery_failed:
        notes.append(f"failed: {'; '.join(state.discovery_failed[:5])}")
    if state.robots_skipped:
        notes.append(f"{state.robots_skipped} URL(s) disallowed by robots.txt")
    return status, " | ".join(notes)
