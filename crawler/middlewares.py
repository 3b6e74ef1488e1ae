"""Downloader middlewares (they read the crawl's state, crawler.pantau, never the spider): conditional requests for feeds and sitemaps (ETag / Last-Modified from the store),
retries with exponential backoff (never retrying a bot wall), and the skip of article URLs already stored."""
from __future__ import annotations

import logging

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future

from crawler.botwall import blocked_reason, headers_of
from store.models import FeedState

log = logging.getLogger(__name__)
CONDITIONAL_KINDS = ("feed", "sitemap")


class _ReadsCrawlState:
    """A middleware that reads the crawl's state (`self.crawler.pantau`)."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)


class ConditionalRequestMiddleware(_ReadsCrawlState):
    """Adds If-None-Match / If-Modified-Since to feed and sitemap requests; skips ones backing off."""

    def process_request(self, request):
        kind = request.meta.get("pantau_kind")
        crawl = self.crawler.pantau
        if kind not in CONDITIONAL_KINDS or crawl.refresh or request.meta.get("retry_times"):
            return None
        state: FeedState | None = crawl.feed_state(request.url)
        if state is None:
            return None
        if state.etag and b"If-None-Match" not in request.headers:
            request.headers[b"If-None-Match"] = state.etag
        if state.last_modified and b"If-Modified-Since" not in request.headers:
            request.headers[b"If-Modified-Since"] = state.last_modified
        return None


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries (5xx, timeouts, connection errors) with a growing wait before each new attempt.
    A bot wall (503 challenge) is not retried: it is recorded as blocked."""

    def __init__(self, settings) -> None:
        super().__init__(settings)
        self.base = settings.getfloat("PANTAU_RETRY_BACKOFF", 2.0)
        self.max_delay = settings.getfloat("PANTAU_RETRY_BACKOFF_MAX", 60.0)

    def process_response(self, request, response, spider=None):
        if response.status in self.retry_http_codes and blocked_reason(response.status, response.body,
                                                                        headers_of(response)):
            return response
        result = super().process_response(request, response)
        return self._delayed(result, response)

    def process_exception(self, request, exception, spider=None):
        return self._delayed(super().process_exception(request, exception))

    def _delayed(self, result, response=None):
        from scrapy import Request
        if isinstance(result, Request):
            tries = result.meta.get("retry_times", 1)
            delay = min(self.base * (2 ** (tries - 1)), self.max_delay)
            retry_after = response.headers.get(b"Retry-After") if response is not None else None
            if retry_after and retry_after.strip().isdigit():
                delay = min(max(delay, float(retry_after)), self.max_delay)
            result.meta["pantau_retry_delay"] = delay
        return result


class RetryDelayMiddleware:
    """Waits the backoff a retried request carries, without holding a download slot."""

    async def process_request(self, request):
        delay = request.meta.pop("pantau_retry_delay", 0)
        if delay > 0:
            from twisted.internet import reactor
            from twisted.internet.task import deferLater
            await maybe_deferred_to_future(deferLater(reactor, delay, lambda: None))
        return None


class KnownArticleMiddleware(_ReadsCrawlState):
    """Last guard before the network: an article page whose canonical key is stored is not downloaded
    (the spider already filters links in batches; this catches redirects and resumed JOBDIR queues)."""

    def process_request(self, request):
        crawl = self.crawler.pantau
        if request.meta.get("pantau_kind") != "article" or request.meta.get("pantau_part", 1) > 1:
            return None
        if crawl.refresh or request.meta.get("pantau_checked") == crawl.checked(request.url):
            return None
        if crawl.is_known(request.url):
            crawl.count(skipped=1)
            raise IgnoreRequest(f"already stored: {request.url}")
        return None

