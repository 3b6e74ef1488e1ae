"""More machines, for real: the crawl queue on the PostgreSQL server (procrastinate), two `pantau worker` processes
with state folders of their own standing in for two machines, sixty outlets of the fleet simulator. Every article is
stored once; no outlet is crawled by two workers at once (checked at the simulator: the connections of one outlet
never overlap in time); a worker killed with SIGKILL in the middle of its crawls, engine and all, has its jobs
delivered again and the stored set ends exactly as a clean run's; the active daemon killed, the standby takes over
and no slot runs twice."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import psycopg
import pytest
from sqlmodel import select

from lab.simulator.fleet import Fleet
from extract.urls import canonical_key
from scheduling.queue import CrawlQueue, conninfo
from store import Store
from store.models import Article, CrawlRun
from store.processes import descendants
from tests.conftest import PG_SKIP, PG_URL, fresh_postgres_url

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parent.parent
OUTLETS = 60
WAIT = 240


@pytest.fixture
def pg_url():
    if not PG_URL:
        pytest.skip(PG_SKIP)
    url, drop = fresh_postgres_url()
    yield url
    drop()


def _env(home: Path) -> dict:
    home.mkdir(parents=True, exist_ok=True)
    return {**os.environ, "PYTHONPATH": str(ROOT), "XDG_DATA_HOME": str(home), "HOME": str(home),
            "PANTAU_INGEST_WORKERS": "1", "PYTHONUNBUFFERED": "1"}


def _pantau(*args, home: Path, log: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pantau.cli", *args], cwd=home, env=_env(home),
                            stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)


def _worker(url: str, sources: Path, home: Path) -> subprocess.Popen:
    return _pantau("worker", "--broker", url, "--db", url, "--sources", str(sources), "--in-flight", "30",
                   "--heartbeat", "1", "--stalled-after", "4", "--shutdown-grace", "10", home=home,
                   log=home / "worker.log")


def _kill_machine(proc: subprocess.Popen) -> None:
    """SIGKILL a worker with its engine and ingest processes, as a machine that loses power."""
    for pid in [proc.pid, *descendants(proc.pid)]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait(10)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            _kill_machine(proc)


def _jobs(url: str) -> list[tuple]:
    with psycopg.connect(conninfo(url)) as conn:
        return conn.execute("SELECT id, status, args FROM procrastinate_jobs ORDER BY id").fetchall()


def _wait(condition, what: str, timeout: float = WAIT) -> None:
    deadline = time.time() + timeout
    while not condition():
        assert time.time() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def _overlaps(fleet: Fleet) -> list[str]:
    """Per outlet, the span of each TCP connection (one connection belongs to one crawl; concurrency 1): two spans
    that overlap are two crawls of the outlet at the same time."""
    found = []
    for name in fleet.outlets:
        spans: dict[int, list[float]] = {}
        for at, _path, port in fleet.requests(name):
            spans.setdefault(port, [at, at])[1] = at
        ordered = sorted(spans.values())
        found += [f"{name}: {a} and {b}" for a, b in zip(ordered, ordered[1:]) if b[0] < a[1]]
    return found


def test_two_workers_one_killed_mid_crawl_store_exactly_a_clean_run(tmp_path, pg_url):
    with Fleet(OUTLETS, articles=2) as fleet:
        sources = fleet.write_sources(tmp_path / "sources.toml", delay=0.3, concurrency=1, download_timeout=8)
        Store(pg_url).dispose()                                   # the schema, before two processes race for it
        queue = CrawlQueue(pg_url).open()
        workers = [_worker(pg_url, sources, tmp_path / f"machine{i}") for i in (1, 2)]
        try:
            for name in fleet.outlets:
                assert queue.enqueue(f"fleet-{name}") is not None
            # Kill machine 1 while it is crawling: some of its jobs are being crawled, none of them done yet.
            _wait(lambda: sum(1 for _, status, _ in _jobs(pg_url) if status == "doing") >= 10, "crawls under way")
            _wait(lambda: sum(len(fleet.requests(n)) for n in fleet.outlets) >= 20, "article requests")
            _kill_machine(workers[0])
            killed_at = time.time()
            _wait(lambda: {status for _, status, _ in _jobs(pg_url)} == {"succeeded"}, "every job done")
            with Store(pg_url).session() as s:
                runs = list(s.exec(select(CrawlRun)))
                keys = list(s.exec(select(Article.key)))
            assert workers[1].poll() is None
        finally:
            queue.close()
            for w in workers:
                _stop(w)
    log = (tmp_path / "machine2" / "worker.log").read_text()

    assert sorted(keys) == sorted(map(canonical_key, fleet.expected_articles()))       # a clean run's set, once each
    assert not _overlaps(fleet), _overlaps(fleet)
    interrupted = [r for r in runs if r.status == "interrupted"]
    assert interrupted and all("stopped beating" in r.message for r in interrupted)
    assert "back on the queue" in log
    crawled_again = {r.source for r in interrupted}
    later = [r for r in runs if r.source in crawled_again and r.status == "ok"]
    assert {r.source for r in later} == crawled_again
    assert all(r.started_at.timestamp() > killed_at for r in later)
    assert {r.status for r in runs} <= {"ok", "interrupted"}
    assert len({r.pid for r in runs}) >= 2                                # both machines crawled


def test_standby_daemon_takes_over_and_no_slot_runs_twice(tmp_path, pg_url):
    interval = 3.0                                                    # seconds (one "minute" of 3 s)
    with Fleet(5, articles=1) as fleet:
        sources = fleet.write_sources(tmp_path / "sources.toml", delay=0.1, concurrency=1, interval=1)
        Store(pg_url).dispose()
        CrawlQueue(pg_url).open().close()
        worker = _worker(pg_url, sources, tmp_path / "machine0")
        daemon_args = ["daemon", "--broker", pg_url, "--db", pg_url, "--sources", str(sources), "--jitter", "0",
                       "--minute-seconds", str(interval), "--heartbeat", "1"]
        homes = [tmp_path / "machine1", tmp_path / "machine2"]
        active = _pantau(*daemon_args, "--state-dir", str(homes[0] / "state"), home=homes[0],
                         log=homes[0] / "daemon.log")
        try:
            _wait(lambda: len(_jobs(pg_url)) >= 5, "the first daemon's first jobs", 120)
            standby = _pantau(*daemon_args, "--state-dir", str(homes[1] / "state"), home=homes[1],
                              log=homes[1] / "daemon.log")
            _wait(lambda: "standing by" in (homes[1] / "daemon.log").read_text(), "the standby", 60)
            time.sleep(3 * interval)
            _kill_machine(active)
            killed_at = time.time()
            _wait(lambda: "now schedules" in (homes[1] / "daemon.log").read_text(), "the takeover", 60)
            time.sleep(4 * interval)
            _stop(standby)
            _wait(lambda: not any(status in ("todo", "doing") for _, status, _ in _jobs(pg_url)), "the last crawls")
        finally:
            _stop(active)
            _stop(worker)

    jobs = [json.loads(a) if isinstance(a, str) else a for _, _, a in _jobs(pg_url)]
    host = socket.gethostname()
    first, second = f"{host}:{active.pid}", f"{host}:{standby.pid}"
    assert {j["by"] for j in jobs} == {first, second}                # the first daemon, then the standby
    slot = {id(j): datetime.fromisoformat(j["slot"]).timestamp() for j in jobs}
    assert max(slot[id(j)] for j in jobs if j["by"] == first) < killed_at
    assert min(slot[id(j)] for j in jobs if j["by"] == second) > killed_at
    for source in {j["source"] for j in jobs}:
        times = sorted(slot[id(j)] for j in jobs if j["source"] == source)
        assert len(times) >= 4
        gaps = [b - a for a, b in zip(times, times[1:])]
        assert min(gaps) >= interval * 0.5, (source, gaps)           # no slot handed out twice
