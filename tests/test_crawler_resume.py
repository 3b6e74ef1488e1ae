"""A crawl stopped midway (killed hard, or SIGTERM) resumes without losing or duplicating articles."""
from __future__ import annotations

import os
import signal
import time

from sqlmodel import select

from crawler.run import CLEAN_MARK, start_crawl_child
from lab.simulator import Simulator
from crawler.sources import load_sources, select_sources
from store import Store
from store.models import CrawlRun
from tests.test_crawler import FAST, keys_of, run, stored_keys

SLOW = {**FAST, "CONCURRENT_REQUESTS": 2}     # few pages in flight when the stop comes


def _start(sim, tmp_path, db_url, **kwargs):
    Store(db_url).dispose()     # schema first: the test polls the database while the child crawls
    sources = select_sources(load_sources(sim.write_sources(tmp_path / "sources.toml", concurrency=2)), ["sim-priangan"])
    return start_crawl_child(sources, db_url=db_url, log_level="WARNING", settings=SLOW, **kwargs)


def _wait_for_articles(db_url: str, n: int, process, queue, timeout: float = 180) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process.is_alive():
            result = queue.get(timeout=5) if not queue.empty() else None
            raise AssertionError(f"the crawl child ended early (exit code {process.exitcode}): {result!r}")
        try:
            keys = stored_keys(db_url)
        except Exception:  # noqa: BLE001 - the child may still be creating the schema
            keys = []
        if len(keys) >= n:
            return keys
        time.sleep(0.2)
    raise AssertionError(f"fewer than {n} articles stored after {timeout} s")


def _runs(db_url: str) -> list[CrawlRun]:
    store = Store(db_url)
    with store.session() as s:
        runs = list(s.exec(select(CrawlRun).order_by(CrawlRun.id)))
    store.dispose()
    return runs


def test_crawl_killed_hard_resumes_to_the_same_set(tmp_path, tagger):
    db_url = f"sqlite:///{tmp_path / 'p.db'}"
    with Simulator({"priangan": 12}) as sim:
        site = sim.sites["priangan"]
        site.page_delay = 0.4
        process, queue = _start(sim, tmp_path, db_url)
        _wait_for_articles(db_url, 2, process, queue)
        os.kill(process.pid, signal.SIGKILL)
        process.join(10)
        before = set(stored_keys(db_url))
        assert 0 < len(before) < 12
        site.page_delay = 0
        fetched_before = {path: site.hits_of("article").count(path) for path in set(site.hits_of("article"))}
        results = run(sim, tmp_path, db_url, ["sim-priangan"])
    keys = stored_keys(db_url)
    assert len(keys) == len(set(keys))
    assert set(keys) == keys_of(site.expected_articles())
    assert results["sim-priangan"].counts.skipped >= len(before)
    # what the killed crawl had stored was not downloaded again
    stored_paths = {k.split("/", 3)[3] for k in before}
    for path, count in fetched_before.items():
        if path.strip("/") in stored_paths or path.lstrip("/").rstrip("/") in stored_paths:
            assert site.hits_of("article").count(path) == count, path
    runs = _runs(db_url)
    assert [r.status for r in runs] == ["running", "ok"]      # a hard kill leaves "running" for the scheduler


def test_sigterm_stops_gracefully_and_the_jobdir_resumes(tmp_path, tagger):
    db_url = f"sqlite:///{tmp_path / 'p.db'}"
    jobdir = tmp_path / "jobs"
    with Simulator({"priangan": 12}) as sim:
        site = sim.sites["priangan"]
        site.page_delay = 1.5   # downloads slower than processing: the stop finds pages pending
        process, queue = _start(sim, tmp_path, db_url, jobdir=jobdir, trigger="daemon")
        _wait_for_articles(db_url, 2, process, queue)
        os.kill(process.pid, signal.SIGTERM)
        results = queue.get(timeout=120)
        process.join(30)
        assert process.exitcode == 0
        assert results[0].status == "interrupted"
        assert (jobdir / "sim-priangan" / CLEAN_MARK).exists()
        partial = stored_keys(db_url)
        assert len(partial) < 12
        site.page_delay = 0
        resumed = run(sim, tmp_path, db_url, ["sim-priangan"], jobdir=jobdir)
    assert resumed["sim-priangan"].status == "ok"
    keys = stored_keys(db_url)
    assert len(keys) == len(set(keys))
    assert set(keys) == keys_of(site.expected_articles())
    runs = _runs(db_url)
    assert [(r.status, r.trigger) for r in runs] == [("interrupted", "daemon"), ("ok", "cli")]
    assert runs[0].new == len(partial) and runs[0].ended_at is not None
