"""Scrapy settings of the Pantau crawler, and each source's own politeness on top of them
(`apply_source_settings`, called by the spider before the crawl's settings freeze)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ingest.http import USER_AGENT as PANTAU_USER_AGENT

BOT_NAME = "pantau"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Politeness: identify ourselves, obey robots.txt, adapt to the outlet's speed, few parallel requests.
USER_AGENT = PANTAU_USER_AGENT
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.5        # ±50% around DOWNLOAD_DELAY
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 5 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

# Retries with exponential backoff (crawler.middlewares.BackoffRetryMiddleware replaces Scrapy's).
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
PANTAU_RETRY_BACKOFF = 2.0          # seconds before the first retry, doubling
PANTAU_RETRY_BACKOFF_MAX = 60.0

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
    "crawler.middlewares.KnownArticleMiddleware": 560,
    "crawler.middlewares.ConditionalRequestMiddleware": 570,
    "crawler.middlewares.RetryDelayMiddleware": 580,
}
ITEM_PIPELINES = {"crawler.pipelines.IngestPipeline": 300}
# Processes that extract, tag and store articles: a number, 0 (in the crawl process), or "auto" (one per CPU,
# at most 4). None: $PANTAU_INGEST_WORKERS, else "auto".
INGEST_WORKERS = None
EXTENSIONS = {"crawler.state.CrawlState": 50, "crawler.extensions.RunRecorder": 100}

# The store remembers which articles are known; the in-run filter is bounded (see crawler/dupefilter.py).
DUPEFILTER_CLASS = "crawler.dupefilter.BoundedDupeFilter"
PANTAU_DUPEFILTER_MAX = 20_000
SCHEDULER_PRIORITY_QUEUE = "scrapy.pqueues.ScrapyPriorityQueue"

LOG_LEVEL = "INFO"
# Scrapy re-reads a callback's source with ast on every response to warn about `return value` in generators
# (its cache is keyed by the bound method, new each time): some 5% of the crawl process's time, for a lint.
WARN_ON_GENERATOR_RETURN_VALUE = False
# Responses being processed, in bytes, above which Scrapy stops downloading (default 5 MB): articles wait for the
# ingest workers while they start (seconds: the tagger is built), and 5 MB is only some 60 pages of real weight.
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 64 * 1024 * 1024
# Scrapy starts this many asyncio tasks for every response to work through its output. An article's response
# yields one item or request (a sitemap's, many requests that take microseconds each): 100 tasks per article
# were a tenth of the crawl process's time in a backfill (bench/bench_backfill.py).
CONCURRENT_ITEMS = 4
# PANTAU_DATABASE_URL: the store (default $PANTAU_DATABASE_URL, else the embedded SQLite file)
# PANTAU_SOURCES: the sources file (default $PANTAU_SOURCES, else crawler/sources.toml)

if TYPE_CHECKING:
    from crawler.sources import SourceConfig


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
