"""The long-lived crawl engine: one process, one Twisted reactor, one Scrapy crawl per outlet as it falls due
(Scrapy's CrawlerRunner runs many crawls side by side in one reactor), and one pool of ingest workers that built
the tagger once, shared by every crawl. Each crawl keeps its outlet's own politeness (delay, concurrency,
robots.txt, download timeout: crawler/settings.py apply_source_settings) and its own timeout, so a hung outlet
ends alone while the others go on.

    python -m crawler.engine --db URL --sources FILE [--trigger daemon|worker] [--run-timeout S]
                             [--kill-grace S] [--ingest-workers N|auto] [--log-level LEVEL]

A crawl past its timeout closes itself (Scrapy's CLOSESPIDER_TIMEOUT, recorded as `timeout`). One whose close
waits on downloads that never answer (a hung server) has those downloads cut off `--kill-grace` seconds later,
as a child process would be killed: it ends alone, recorded as `timeout` with the limit named.

It is driven over JSON lines (scheduling/engine_client.py is the other end):
  stdin:  {"crawl": NAME}          start a crawl of NAME (one at a time per outlet)
          {"sources": FILE}        use this sources file from now on (a reload)
          {"drain": true}          start no more crawls; exit 0 once the running ones have ended
          {"stop": true}           stop every crawl now (runs recorded as interrupted), then exit
  stdout: {"event": "ready", "pid": N}
          {"event": "started", "source": NAME, "run_id": N}
          {"event": "done", "source": NAME, "run_id": N, "status": ..., "new": N, "updated": N, "errors": N,
           "message": ..., "memory": BYTES}          (memory: PSS of the engine and its ingest workers)
stdin closing (the daemon or worker is gone) stops the engine as {"stop": true} does. Each run is recorded in
store/runs.py like any crawl: an outlet crawled again after a recycle or a crash finds its stored articles known.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os
import signal
import sys
import threading
import time

from crawler.sources import SourcesError, load_sources

log = logging.getLogger(__name__)
STOP_GRACE = 30.0           # seconds, once its downloads were cut off, before the engine gives up waiting for a
                            # crawl (recorded as timeout, reported done)
WATCH_EVERY = 0.5           # seconds between looks at the crawls' deadlines


def track_downloads() -> bool:
    """Keep each crawl's downloads in flight on its crawler (`crawler.pantau_downloads`), so that a crawl past its
    timeout can have them end now, as if their download timeout had passed (Scrapy's HTTP/1.1 agent keeps that
    timeout as a DelayedCall). False when this Scrapy has no such agent: a hung crawl then ends on its download
    timeout, or is given up on STOP_GRACE after its timeout."""
    try:
        from scrapy.core.downloader.handlers.http11 import _ScrapyAgent
    except ImportError:
        return False
    original = getattr(_ScrapyAgent, "download_request", None)
    if original is None or getattr(original, "pantau_tracked", False):
        return original is not None

    def download_request(self, request):
        d = original(self, request)
        crawler = getattr(self, "_crawler", None)
        live = getattr(crawler, "pantau_downloads", None)
        if getattr(crawler, "pantau_cut", False):      # its crawl is past its timeout: no new waits either
            _cut(self, request)
        elif live is not None:
            live.add((self, request))

            def done(result):
                live.discard((self, request))
                return result
            d.addBoth(done)
        return d
    download_request.pantau_tracked = True
    _ScrapyAgent.download_request = download_request
    return True


def cut_downloads(crawler) -> int:
    """End this crawl's downloads in flight now, each as a download timeout, and any it starts from now on (a
    robots.txt cut off lets the request that waited on it go to the downloader). Returns how many were cut."""
    crawler.pantau_cut = True
    return sum(_cut(agent, request) for agent, request in list(getattr(crawler, "pantau_downloads", ())))


def _cut(agent, request) -> bool:
    call = getattr(agent, "_timeout_cl", None)
    if call is None or not call.active():
        return False
    request.meta["dont_retry"] = True                 # a cut-off download is not tried again, and is no failure
    request.meta["pantau_cut"] = True                 # of the outlet's (no backoff): the run is a timeout
    call.reset(0)
    return True


class Engine:
    def __init__(self, *, db_url: str, sources_file: str, trigger: str, run_timeout: float,
                 kill_grace: float = 15.0, log_level: str = "WARNING") -> None:
        from scrapy.crawler import CrawlerRunner
        from scrapy.settings import Settings

        from crawler.state import get_store
        self.db_url, self.trigger, self.run_timeout, self.kill_grace = db_url, trigger, run_timeout, kill_grace
        self.store = get_store(db_url)
        self.sources = {s.name: s for s in load_sources(sources_file)}
        settings = Settings()
        settings.setmodule("crawler.settings", priority="project")
        settings.set("PANTAU_DATABASE_URL", db_url, "cmdline")
        settings.set("LOG_LEVEL", log_level, "cmdline")
        self.runner = CrawlerRunner(settings)
        self.active: dict[str, dict] = {}           # source -> {"crawler", "deadline", "stop_sent"}
        self.draining = self.stopping = False
        self._out = threading.Lock()

    # --- commands ----------------------------------------------------------------------------------------------

    def handle(self, message: dict) -> None:
        if "crawl" in message:
            self.start_crawl(str(message["crawl"]))
        elif "sources" in message:
            try:
                self.sources = {s.name: s for s in load_sources(message["sources"])}
            except SourcesError as exc:
                log.error("engine: keeping the sources it has: %s", exc)
        elif message.get("drain"):
            self.draining = True
            self._exit_when_idle()
        elif message.get("stop"):
            self.stop()

    def start_crawl(self, name: str) -> None:
        from crawler.spiders.news import NewsSpider
        if self.draining or self.stopping:
            self.emit("done", source=name, run_id=None, status="skipped", message="the engine is shutting down")
            return
        if name in self.active:
            self.emit("done", source=name, run_id=None, status="skipped", message="already running")
            return
        source = self.sources.get(name)
        if source is None:
            self.emit("done", source=name, run_id=None, status="skipped", message="not in the sources file")
            return
        source = dataclasses.replace(source, timeout=source.timeout or int(self.run_timeout))
        crawler = self.runner.create_crawler(NewsSpider)
        crawler.pantau_downloads = set()
        self.active[name] = {"crawler": crawler, "deadline": time.monotonic() + source.timeout + self.kill_grace,
                             "stop_sent": False, "source": source}
        from scrapy import signals
        from twisted.internet import reactor
        # Connected before the RunRecorder: the run id is there once every spider_opened receiver has run.
        crawler.signals.connect(lambda spider: reactor.callLater(0, self._started, name, crawler),
                                signal=signals.spider_opened, weak=False)
        d = self.runner.crawl(crawler, source=source, trigger=self.trigger)
        d.addBoth(self._finished, name, crawler)

    def _started(self, name: str, crawler) -> None:
        state = getattr(crawler, "pantau", None)
        if name in self.active and self.active[name]["crawler"] is crawler:
            self.emit("started", source=name, run_id=state.run_id if state else None)

    def _finished(self, failure, name: str, crawler) -> None:
        from crawler.run import crawl_result
        entry = self.active.get(name)
        if entry is None or entry["crawler"] is not crawler:        # given up on earlier (see watch)
            return
        del self.active[name]
        if failure is not None and hasattr(failure, "getErrorMessage"):
            log.error("engine: crawl of %s failed: %s", name, failure.getErrorMessage())
        try:
            result = crawl_result(self.store, entry["source"], crawler, trigger=self.trigger)
            status, message = result.status, result.message
            if entry["stop_sent"] and result.run_id is not None:
                # Past its timeout and stopped here: a timeout whatever the crawl made of its cut-off downloads.
                from store.history import join_notes
                from store.runs import finish_run
                limit = f"stopped after its {entry['source'].timeout} s timeout"
                status = "timeout"
                message = join_notes(limit, entry.get("cut", ""),
                                     message.replace(limit, "").strip(" |") if message else "")
                finish_run(self.store, result.run_id, status, result.counts, message)
            self._report(name, result.run_id, status, result.counts, message)
        except Exception as exc:  # noqa: BLE001 - the engine goes on with the other outlets
            log.exception("engine: cannot record the end of %s", name)
            self.emit("done", source=name, run_id=None, status="failed", message=f"not recorded: {exc}")
        self._exit_when_idle()

    def _report(self, name, run_id, status, counts, message) -> None:
        from store.processes import tree_pss
        self.emit("done", source=name, run_id=run_id, status=status, new=counts.new, updated=counts.updated,
                  errors=counts.errors, message=message, memory=tree_pss(os.getpid()))

    def watch(self) -> None:
        """Twice a second: a crawl `kill_grace` seconds past its timeout is stopped and its downloads still in
        flight are cut off (a hung server); one that still does not end STOP_GRACE later is recorded as timed out
        and reported, so nothing waits on it."""
        from scrapy.utils.defer import deferred_from_coro

        from store.runs import RunCounts, finish_run
        now = time.monotonic()
        for name, entry in list(self.active.items()):
            if entry["stop_sent"]:
                cut_downloads(entry["crawler"])
            if now < entry["deadline"]:
                continue
            crawler = entry["crawler"]
            if not entry["stop_sent"]:
                log.warning("engine: %s passed its %d s timeout: stopping it", name, entry["source"].timeout)
                entry["stop_sent"], entry["deadline"] = True, now + STOP_GRACE
                cut = cut_downloads(crawler)
                if cut:
                    entry["cut"] = f"{cut} download(s) still waiting were cut off"
                deferred_from_coro(crawler.stop_async())
                continue
            del self.active[name]
            state = getattr(crawler, "pantau", None)
            run_id = state.run_id if state else None
            counts = state.counts if state else RunCounts()
            message = (f"stopped after its {entry['source'].timeout} s timeout; the crawl did not end "
                       f"{self.kill_grace + STOP_GRACE:g} s after it")
            if run_id is not None:
                finish_run(self.store, run_id, "timeout", counts, message)
            self._report(name, run_id, "timeout", counts, message)
        self._exit_when_idle()

    def stop(self) -> None:
        """Stop every crawl gracefully (each run records itself as interrupted), then leave."""
        from twisted.internet import reactor
        if self.stopping:
            return
        self.stopping = self.draining = True
        d = self.runner.stop()
        d.addBoth(lambda _: reactor.callLater(0, self._leave))
        reactor.callLater(2 * STOP_GRACE, self._leave)

    def _exit_when_idle(self) -> None:
        if self.draining and not self.active:
            from twisted.internet import reactor
            reactor.callLater(0, self._leave)

    def _leave(self) -> None:
        from twisted.internet import reactor
        from twisted.internet.error import ReactorNotRunning
        try:
            reactor.stop()
        except ReactorNotRunning:            # asked twice: the drain and the stop both ended
            pass

    def emit(self, event: str, **fields) -> None:
        line = json.dumps({"event": event, **fields}, ensure_ascii=False, default=str)
        with self._out:
            try:
                sys.stdout.write(line + "\n")
                sys.stdout.flush()
            except (BrokenPipeError, ValueError):           # nobody listens any more
                pass


def _read_commands(engine: Engine) -> None:
    """stdin, one JSON object per line, handed to the reactor; its end stops the engine."""
    from twisted.internet import reactor
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            message = json.loads(line)
        except ValueError:
            log.error("engine: not a JSON command, ignored: %.200s", line)
            continue
        reactor.callFromThread(engine.handle, message)
    reactor.callFromThread(engine.stop)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.engine", description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="database URL")
    parser.add_argument("--sources", required=True, help="sources file")
    parser.add_argument("--trigger", default="daemon", choices=["daemon", "worker", "cli", "run-once"])
    parser.add_argument("--run-timeout", type=float, default=3600.0, help="seconds a crawl may take when its "
                        "source sets no timeout")
    parser.add_argument("--kill-grace", type=float, default=15.0, help="seconds past a crawl's timeout before its "
                        "downloads still in flight are cut off")
    parser.add_argument("--ingest-workers", help="processes that extract, tag and store articles for every crawl: "
                        "a number, 0 (this process) or auto (default: $PANTAU_INGEST_WORKERS or auto)")
    parser.add_argument("--log-level", default="WARNING", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from scrapy.utils.reactor import install_reactor
    install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")   # before anything imports one
    from crawler.ingest_worker import IngestWorkers, share_workers, worker_count
    from store.db import StoreError
    try:
        workers = worker_count(args.ingest_workers)
        engine = Engine(db_url=args.db, sources_file=args.sources, trigger=args.trigger,
                        run_timeout=args.run_timeout, kill_grace=args.kill_grace, log_level=args.log_level)
    except (ValueError, SourcesError, StoreError) as exc:
        print(f"crawler.engine: error: {exc}", file=sys.stderr)
        return 2
    pool = IngestWorkers(workers, args.db) if workers else None
    share_workers(pool)
    from twisted.internet import reactor, task
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: reactor.callFromThread(engine.stop))
    track_downloads()
    watcher = task.LoopingCall(engine.watch)
    watcher.start(WATCH_EVERY, now=False)
    threading.Thread(target=_read_commands, args=(engine,), name="engine-stdin", daemon=True).start()
    reactor.callWhenRunning(engine.emit, "ready", pid=os.getpid())
    reactor.run(installSignalHandlers=False)
    if pool is not None:
        pool.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
