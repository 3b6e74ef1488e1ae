"""Crawl sources in this process (one Twisted reactor: once per process), recording one CrawlRun per source.

    python -m crawler.run --db URL [--sources FILE] [--trigger daemon|cli|run-once] [--run-id N]
                          [--jobdir DIR] [--refresh] [--max-articles N] [--ingest-workers N|auto] SOURCE...

Exit status: 0 when every source ran (a failed or blocked source is recorded, not an exit error); 2 on bad
arguments or sources file; 1 on a crash before the runs were recorded. SIGTERM / SIGINT stop gracefully
(articles being processed finish, the runs are recorded as interrupted; with --jobdir the next run resumes).
"""
from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from crawler.sources import SourceConfig, SourcesError, load_sources, select_sources
from store.runs import RunCounts

log = logging.getLogger(__name__)
CLEAN_MARK = ".pantau-clean"      # written when a crawl with a JOBDIR stopped in order


@dataclass
class SourceRun:
    source: str
    run_id: int | None
    status: str
    counts: RunCounts
    message: str = ""


def crawl(sources: list[SourceConfig], *, db_url: str, trigger: str = "cli", run_id: int | None = None,
          jobdir: str | Path | None = None, refresh: bool = False, max_articles: int | None = None,
          discover: bool = False, progress: Callable | None = None, settings: dict | None = None,
          log_level: str = "INFO", tagger=None) -> list[SourceRun]:
    """Crawl the sources concurrently in this process and return one SourceRun each. Starts the reactor:
    call it once per process (a long-lived process runs this in a child: `python -m crawler.run`)."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from crawler.spiders.news import NewsSpider
    from crawler.state import get_store

    if run_id is not None and len(sources) != 1:
        raise ValueError("--run-id takes exactly one source")
    get_store(db_url)                       # migrate (and fail on a bad URL) before the reactor starts
    scrapy_settings = Settings()
    scrapy_settings.setmodule("crawler.settings", priority="project")
    scrapy_settings.set("PANTAU_DATABASE_URL", db_url, "cmdline")
    scrapy_settings.set("LOG_LEVEL", log_level, "cmdline")
    for key, value in (settings or {}).items():
        scrapy_settings.set(key, value, "cmdline")
    process = CrawlerProcess(scrapy_settings)
    crawlers = []
    for source in sources:
        if jobdir:
            _prepare_jobdir(Path(jobdir) / source.name)
        crawler = process.create_crawler(NewsSpider)
        process.crawl(crawler, source=source, refresh=refresh, max_articles=max_articles, discover=discover,
                      run_id=run_id, trigger=trigger, tagger=tagger, progress=progress,
                      jobdir=str(jobdir) if jobdir else None)
        crawlers.append((source, crawler))
    process.start()
    results = []
    store = get_store(db_url)
    for source, crawler in crawlers:
        result = crawl_result(store, source, crawler, trigger=trigger, run_id=run_id)
        results.append(result)
        if jobdir and result.status in ("ok", "partial", "blocked", "failed", "interrupted", "timeout"):
            (Path(jobdir) / source.name / CLEAN_MARK).touch()
    return results


def crawl_result(store, source: SourceConfig, crawler, *, trigger: str, run_id: int | None = None) -> SourceRun:
    """The recorded outcome of one finished crawl; a crawl that never started or never closed is recorded too."""
    from store.runs import finish_run, get_run, start_run
    state = getattr(crawler, "pantau", None)
    if state is None or state.run_id is None:     # the crawl could not even start: still record it
        rid = start_run(store, source.name, trigger=trigger, pid=os.getpid(), run_id=run_id)
        finish_run(store, rid, "failed", RunCounts(), "the crawl did not start (see the log)")
        return SourceRun(source.name, rid, "failed", RunCounts(), "the crawl did not start")
    run = get_run(store, state.run_id)
    status = run.status if run is not None else (state.final_status or "failed")
    if status == "running":                    # the engine never closed the spider (crash in shutdown)
        finish_run(store, state.run_id, "failed", state.counts, "the crawl ended without closing")
        status = "failed"
    return SourceRun(source.name, state.run_id, status, state.counts, run.message if run else "")


def start_crawl_child(sources: list[SourceConfig], **kwargs):
    """Run crawl() in a forked child (a fresh reactor each time; the parent's loaded tagger is shared, so
    articles are ingested in the child itself unless settings say INGEST_WORKERS).
    Returns (process, queue): the queue gets the list of SourceRun when the child ends in order."""
    import multiprocessing
    kwargs["settings"] = {"INGEST_WORKERS": 0, **(kwargs.get("settings") or {})}
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    process = ctx.Process(target=_child, args=(queue, sources, kwargs), daemon=True)
    process.start()
    return process, queue


def crawl_in_child(sources: list[SourceConfig], *, wait: float = 600, **kwargs) -> list[SourceRun]:
    """crawl() in a child process, for callers that crawl more than once in their life (tests, scripts)."""
    import queue as queue_module
    process, queue = start_crawl_child(sources, **kwargs)
    try:
        results = queue.get(timeout=wait)
    except queue_module.Empty:
        process.kill()
        raise RuntimeError(f"the crawl child did not finish in {wait} s (exit code {process.exitcode})") from None
    finally:
        process.join(30)
    if isinstance(results, BaseException):
        raise results
    return results


def _child(queue, sources, kwargs) -> None:
    from crawler import state
    for store in state._stores.values():        # never share the parent's pooled connections
        store.engine.dispose(close=False)
    state._stores.clear()
    try:
        queue.put(crawl(sources, **kwargs))
    except BaseException as exc:  # noqa: BLE001 - hand it to the parent
        queue.put(RuntimeError(f"{type(exc).__name__}: {exc}"))


def _prepare_jobdir(path: Path) -> None:
    """A JOBDIR left by a crawl killed hard may hold a half-written queue: start that source afresh
    (the store still knows every stored article, so nothing is fetched twice)."""
    if path.exists() and any(path.iterdir()) and not (path / CLEAN_MARK).exists():
        log.warning("job directory %s was not closed cleanly; starting that crawl afresh", path)
        shutil.rmtree(path)
    path.mkdir(parents=True, exist_ok=True)
    (path / CLEAN_MARK).unlink(missing_ok=True)


def site_source(url: str, *, feeds=(), sitemaps=(), listings=(), max_articles: int | None = None,
                delay: float = 1.0, name: str | None = None) -> SourceConfig:
    """A source for an outlet that is not in the sources file (`pantau crawl --site URL`)."""
    from urllib.parse import urlsplit
    import re
    parts = urlsplit(url if "://" in url else f"https://{url}")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SourcesError(f"--site: not an http(s) URL: {url!r}")
    host = re.sub(r"^(www\d?|m)\.", "", parts.hostname)
    base = f"{parts.scheme}://{parts.netloc}{parts.path or '/'}"
    slug = re.sub(r"[^a-z0-9.-]+", "-", f"{host}-{parts.port}" if parts.port else host)
    return SourceConfig(name=name or slug, base_url=base, feeds=list(feeds), sitemaps=list(sitemaps),
                        listings=list(listings), max_articles=max_articles, delay=delay, timeout=None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="+", metavar="SOURCE", help="source names from the sources file")
    parser.add_argument("--db", required=True, help="database URL")
    parser.add_argument("--sources", dest="sources_file", help="sources file (default: $PANTAU_SOURCES or the shipped one)")
    parser.add_argument("--trigger", default="cli", choices=["daemon", "cli", "run-once", "demo"])
    parser.add_argument("--run-id", type=int, help="a CrawlRun row created by the caller (one source only)")
    parser.add_argument("--jobdir", help="keep each source's pending requests in DIR/SOURCE (resumable)")
    parser.add_argument("--refresh", action="store_true", help="download stored articles again")
    parser.add_argument("--max-articles", type=int, help="article pages per source at most")
    parser.add_argument("--ingest-workers", help="processes that extract, tag and store articles: a number, "
                        "0 (this process) or auto (one per CPU, at most 4; default: $PANTAU_INGEST_WORKERS or auto)")
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    args = parser.parse_args(argv)
    try:
        chosen = select_sources(load_sources(args.sources_file), args.sources)
        if args.run_id is not None and len(chosen) != 1:
            raise SourcesError("--run-id takes exactly one source")
    except SourcesError as exc:
        print(f"crawler.run: error: {exc}", file=sys.stderr)
        return 2
    from crawler.ingest_worker import worker_count
    from store.db import StoreError
    try:
        settings = {"INGEST_WORKERS": worker_count(args.ingest_workers)}
    except ValueError as exc:
        print(f"crawler.run: error: {exc}", file=sys.stderr)
        return 2
    try:
        results = crawl(chosen, db_url=args.db, trigger=args.trigger, run_id=args.run_id, jobdir=args.jobdir,
                        refresh=args.refresh, max_articles=args.max_articles, log_level=args.log_level,
                        settings=settings)
    except (StoreError, ValueError) as exc:
        print(f"crawler.run: error: {exc}", file=sys.stderr)
        return 1
    for r in results:
        c = r.counts
        print(f"{r.source}: {r.status} run={r.run_id} pages={c.pages} new={c.new} updated={c.updated} "
              f"skipped={c.skipped} errors={c.errors}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
