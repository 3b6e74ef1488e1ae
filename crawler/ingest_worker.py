"""Ingest of crawled articles, in this process or in worker processes.

`ingest_items` is what the item pipeline does with a batch of crawled articles (each with all its parts):
ingest.pipeline.ingest_many, the one path from fetched pages to stored, tagged articles, plus what a crawl needs
around it (a later part with no text of its own is left out and recorded; a bad page fails only its article).
`IngestWorkers` runs it in N processes, forked from one that built the tagger, each with its own database
connection, so extraction and tagging use every core while the Scrapy process keeps downloading. Nothing that
crosses between processes is more than plain data: payload dicts in, Outcomes out.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

log = logging.getLogger(__name__)
ENV_WORKERS = "PANTAU_INGEST_WORKERS"
MAX_AUTO_WORKERS = 4
TURN_WAIT = 30.0          # seconds a worker waits for its turn to write before it writes anyway


@dataclass
class Outcome:
    status: str | None                  # new | updated | unchanged, None when nothing was stored
    errors: list[tuple[str, str]] = field(default_factory=list)   # (url, message) to record as page errors


def payload(item, source) -> dict:
    """The plain data a worker needs to ingest one crawled article."""
    return {"url": item.url, "parts": [(p.url, p.body, p.encoding) for p in item.parts],
            "date_hint": item.date_hint, "source": source.name, "province": source.province,
            "regency": source.regency}


def ingest_item(store, data: dict, tagger=None) -> Outcome:
    """Extract, tag and store one crawled article; never raises (a bad page is an error to record)."""
    return ingest_items(store, [data], tagger)[0]


def ingest_items(store, batch: list[dict], tagger=None, writing=None) -> list[Outcome]:
    """Extract, tag and store several crawled articles through ingest.pipeline.ingest_many (one tagger pass, one
    transaction); one Outcome per article, in order. Never raises: a bad page fails only its own article."""
    from extract.article import FetchedPage
    from extract.decode import UnreadableEncoding
    from extract.page import NoArticleText
    from ingest.pipeline import IngestTask, ingest_many

    tasks, outcomes, index = [], [Outcome(None) for _ in batch], []
    for i, data in enumerate(batch):
        try:
            parts = [FetchedPage(url=u, body=b, encoding=e) for u, b, e in data["parts"]]
            hint = datetime.fromisoformat(data["date_hint"]) if data.get("date_hint") else None
            tasks.append(IngestTask(parts, data["source"], data["province"], data["regency"], hint))
            index.append(i)
        except Exception as exc:  # noqa: BLE001 - a malformed payload fails only its article
            outcomes[i].errors.append((data.get("url", "?"), f"{type(exc).__name__}: {exc}"))
    results = ingest_many(store, tasks, tagger=tagger, writing=writing) if tasks else []
    for i, result in zip(index, results, strict=True):
        data, outcome = batch[i], outcomes[i]
        if isinstance(result, (NoArticleText, UnreadableEncoding)):
            outcome.errors.append((data["url"], f"not an article: {result}"))
        elif isinstance(result, Exception):
            log.error("ingest failed for %s", data["url"], exc_info=result)
            outcome.errors.append((data["url"], f"{type(result).__name__}: {result}"))
        else:
            outcome.status = result.status
            outcome.errors += [(url, f"part of {data['parts'][0][0]} has no article text; stored without it")
                               for url, _ in result.processed.dropped]
    return outcomes


def worker_count(setting) -> int:
    """INGEST_WORKERS as configured: a number (0 = ingest in the crawl process itself) or "auto"
    (one per CPU, at most MAX_AUTO_WORKERS)."""
    value = os.environ.get(ENV_WORKERS) if setting in (None, "") else setting
    if value in (None, "", "auto"):
        return min(os.cpu_count() or 1, MAX_AUTO_WORKERS)
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"ingest workers must be a number or 'auto', not {value!r}") from None
    if n < 0:
        raise ValueError(f"ingest workers must be 0 or more, not {n}")
    return n


class IngestWorkers:
    """A pool of worker processes, each ingesting into `db_url`. A worker that dies (killed, out of memory)
    fails only the articles it held (its batch); the pool is started again for the next ones."""

    def __init__(self, n: int, db_url: str) -> None:
        self.n, self.db_url = n, db_url
        self._pool: ProcessPoolExecutor | None = None
        self._starting = threading.Lock()

    @property
    def started(self) -> bool:
        return self._pool is not None

    def start(self) -> None:
        """Start every worker at once, each loading its tagger (not before the first article: a crawl that finds
        nothing new loads no tagger at all). Workers of one SQLite file take turns writing with a lock of their
        pool: one wakes the moment the other is done, where SQLite's own wait polls in sleeps of up to 100 ms.
        Returns once the fork server has built the tagger and forked them (seconds): call it from a thread where
        other work must go on meanwhile (crawler/pipelines.py does)."""
        with self._starting:
            if self._pool is None:
                ctx = _context()
                turns = ctx.Lock() if self.db_url.startswith("sqlite") else None     # a new pool, a new lock
                pool = ProcessPoolExecutor(self.n, mp_context=ctx, initializer=_start_worker,
                                           initargs=(self.db_url, os.getpid(), turns))
                for _ in range(self.n):
                    pool.submit(os.getpid)
                self._pool = pool

    def submit(self, data: dict) -> Future:
        """One article; the Future's result is its Outcome."""
        return self._submit(_work, data)

    def submit_many(self, batch: list[dict]) -> Future:
        """Several articles to one worker (one tagger pass, one transaction); the result is their Outcomes."""
        return self._submit(_work_many, batch)

    def _submit(self, fn, arg) -> Future:
        self.start()
        try:
            return self._pool.submit(fn, arg)
        except RuntimeError:                 # BrokenProcessPool (a RuntimeError): start a fresh pool
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
            return self._submit(fn, arg)

    def close(self) -> None:
        with self._starting:                 # a start under way (in a thread) ends first
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=False)
                self._pool = None


_worker: dict = {}
_shared: list[IngestWorkers] = []


def share_workers(workers: IngestWorkers | None) -> None:
    """A long-lived crawl engine (crawler/engine.py) hands one pool to every crawl it runs: the tagger is built
    once for the engine's life, not once per crawl. None: each crawl has its own pool again."""
    _shared[:] = [workers] if workers is not None else []


def shared_workers() -> IngestWorkers | None:
    return _shared[0] if _shared else None


def _context():
    """Workers are forked from a fork server that has built the tagger (crawler/ingest_preload.py): it is built
    once per crawl, not once per worker, and its memory is shared. Spawned where fork servers do not exist."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["crawler.ingest_preload"])
    return ctx


def _start_worker(db_url: str, crawl_pid: int, turns=None) -> None:
    import signal
    for sig in (signal.SIGINT, signal.SIGTERM):        # the crawl process decides when to stop
        signal.signal(sig, signal.SIG_IGN)
    threading.Thread(target=_exit_with_crawl, args=(crawl_pid,), daemon=True).start()
    from extract.tagging import get_tagger
    from store import Store
    _worker["store"] = Store(db_url, migrate=False)
    _worker["tagger"] = get_tagger()
    _worker["writing"] = _Turn(turns) if turns is not None else None


def _work(data: dict) -> Outcome:
    return _work_many([data])[0]


def _work_many(batch: list[dict]) -> list[Outcome]:
    return ingest_items(_worker["store"], batch, _worker["tagger"], _worker["writing"])


class _Turn:
    """Hold the pool's write lock while storing. Only a hint: a worker killed while holding it leaves it taken
    (its pool is replaced, with a new lock), and after TURN_WAIT seconds a worker writes anyway; SQLite's own
    locking keeps every write whole either way."""

    def __init__(self, lock) -> None:
        self.lock, self.held = lock, False

    def __enter__(self) -> None:
        self.held = self.lock.acquire(timeout=TURN_WAIT)

    def __exit__(self, *exc) -> None:
        if self.held:
            self.lock.release()
            self.held = False


def _exit_with_crawl(crawl_pid: int) -> None:
    """A crawl process killed hard (SIGKILL) leaves no orphaned workers behind. The crawl process is watched, not
    the parent: that is the fork server, which in turn lives as long as its workers do."""
    import time

    from store.processes import pid_alive
    while pid_alive(crawl_pid):
        time.sleep(1.0)
    os._exit(1)
