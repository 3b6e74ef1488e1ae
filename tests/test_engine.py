"""The long-lived crawl engine (crawler/engine.py, driven by scheduling/engine_client.py): a hundred outlets of the
local fleet simulator crawled side by side in one engine process, each at its own polite pace (checked at the
simulator, by request time); one outlet that hangs and one that answers HTTP 500 do not hold the others up; an
engine recycled every few crawls, or killed in the middle, loses and duplicates no article."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlmodel import func, select

from lab.simulator.fleet import Fleet
from extract.urls import canonical_key
from scheduling.engine_client import EngineClient
from store import Store
from store.models import Article, CrawlRun

ROOT = Path(__file__).resolve().parent.parent
DELAY = 1.0
JITTER = 0.5                # crawler/settings.py DOWNLOAD_DELAY_JITTER: each wait is 0.5x to 1.5x the delay
NOISE = 0.25                # seconds a request may reach the simulator late on a loaded 2-core machine


def _stored(store: Store) -> list[str]:
    with store.session() as s:
        return list(s.exec(select(Article.key)).all())


def _runs(store: Store) -> list[CrawlRun]:
    with store.session() as s:
        return list(s.exec(select(CrawlRun).order_by(CrawlRun.id)).all())


def test_a_hundred_outlets_side_by_side_each_at_its_own_pace(tmp_path):
    with Fleet(100, articles=2, hang=("o37",), error=("o64",), hang_seconds=120) as fleet:
        sources = fleet.write_sources(tmp_path / "sources.toml", delay=DELAY, concurrency=1, download_timeout=8)
        store = Store(f"sqlite:///{tmp_path / 'pantau.db'}")
        client = EngineClient(store, sources, in_flight=200, ingest_workers=1)
        try:
            started = time.time()
            futures = {name: client.submit(f"fleet-{name}") for name in fleet.outlets}
            outcomes = {name: f.result(280) for name, f in futures.items()}
        finally:
            client.close(30)
        good = [n for n in fleet.outlets if n not in ("o37", "o64")]

        # Every article of every answering outlet is stored, once.
        assert sorted(_stored(store)) == sorted(map(canonical_key, fleet.expected_articles(good)))
        assert {outcomes[n]["status"] for n in good} == {"ok"}
        assert outcomes["o37"]["status"] == "failed" and "timed out" in outcomes["o37"]["message"]
        assert outcomes["o64"]["status"] == "failed" and "HTTP 500" in outcomes["o64"]["message"]
        runs = _runs(store)
        assert len(runs) == 100 and len({r.pid for r in runs}) == 1        # one engine process crawled them all

        # Politeness per outlet, at the simulator: no two requests to one outlet closer than its delay allows.
        gaps = [b[0] - a[0] for n in good for a, b in zip(fleet.requests(n), fleet.requests(n)[1:])]
        assert len(gaps) == 98 * 2 and min(gaps) >= DELAY * (1 - JITTER) - NOISE, sorted(gaps)[:10]
        assert sum(gaps) / len(gaps) >= DELAY

        # Side by side: the answering outlets were done while the hung one was still waiting for its answer.
        last_good = max(fleet.requests(n)[-1][0] for n in good)
        hung = next(r for r in runs if r.source == "fleet-o37")
        assert last_good - started < 60
        assert hung.ended_at.timestamp() > last_good + 5
        assert len(fleet.requests("o37")) == 3                             # the feed, tried three times


def test_recycled_or_killed_engine_loses_and_duplicates_nothing(tmp_path):
    with Fleet(24, articles=2) as fleet:
        sources = fleet.write_sources(tmp_path / "sources.toml", delay=0.2, concurrency=1, download_timeout=8)
        store = Store(f"sqlite:///{tmp_path / 'pantau.db'}")
        client = EngineClient(store, sources, in_flight=6, recycle_after=5, ingest_workers=1)
        try:
            futures = [client.submit(f"fleet-{name}") for name in fleet.outlets]
            first = [f.result(280) for f in futures]
            assert {o["status"] for o in first} == {"ok"}
            assert client.recycled >= 4

            # Round two: one new article per outlet; the engine in charge is killed hard in the middle.
            for outlet in fleet.outlets.values():
                outlet.publish(1)
            futures = [client.submit(f"fleet-{name}") for name in fleet.outlets]
            deadline, victim = time.time() + 120, None
            while victim is None and time.time() < deadline:
                with client._lock:
                    busy = [e for e in client.engines if any(r is not None for r in e.crawls.values())]
                    if busy and client.done >= 24 + 3:
                        victim = busy[0].proc.pid
                time.sleep(0.02)
            os.kill(victim, signal.SIGKILL)
            second = [f.result(280) for f in futures]
        finally:
            client.close(30)

    expected = sorted(map(canonical_key, fleet.expected_articles()))
    assert sorted(_stored(store)) == expected                           # 3 per outlet, each once
    runs = _runs(store)
    assert sum(r.new for r in runs) <= len(expected)     # none stored as new twice (a killed run saved no counts)
    assert len({r.pid for r in runs}) >= 6                              # several engine processes took part
    killed = [r for r in runs if r.pid == victim and r.status == "interrupted"]
    assert killed and all("the crawl engine died" in r.message for r in killed)
    assert {o["status"] for o in second} == {"ok"}                      # each outlet's last run: complete
    with store.session() as s:
        assert s.exec(select(func.count()).select_from(CrawlRun).where(CrawlRun.status == "running")).one() == 0


def _status(db_url: str, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pantau.cli", "status", "--db", db_url, *args], cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=60)


def _daemon(db_url: str, sources: Path, tmp_path: Path, *args: str) -> subprocess.Popen:
    """`pantau daemon` on a 3-second schedule minute, its output captured."""
    return subprocess.Popen(
        [sys.executable, "-m", "pantau.cli", "daemon", "--db", db_url, "--sources", str(sources),
         "--state-dir", str(tmp_path / "state"), "--minute-seconds", "3", "--jitter", "0", "--heartbeat", "1", *args],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), "PANTAU_INGEST_WORKERS": "1"},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_daemon_with_the_engine_crawls_on_schedule_and_status_shows_it(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'pantau.db'}"
    with Fleet(6, articles=1) as fleet:
        sources = fleet.write_sources(tmp_path / "sources.toml", delay=0.1, concurrency=1, interval=1)
        daemon = _daemon(db_url, sources, tmp_path, "--engine")
        store = Store(db_url, migrate=False)
        try:
            deadline = time.time() + 180
            while time.time() < deadline:
                time.sleep(1)
                try:
                    runs = [r for r in _runs(store) if r.status == "ok"]
                except Exception:  # noqa: BLE001 - the daemon is still creating the database
                    continue
                if all(sum(r.source == f"fleet-{n}" for r in runs) >= 2 for n in fleet.outlets):
                    break
            time.sleep(1.5)                                             # one more beat after the last crawl
            shown = json.loads(_status(db_url, "--json").stdout)
            text = _status(db_url).stdout
        finally:
            daemon.send_signal(signal.SIGTERM)
            out = daemon.communicate(timeout=120)[0]
        assert daemon.returncode == 0, out[-3000:]
        assert sorted(_stored(store)) == sorted(map(canonical_key, fleet.expected_articles()))
        assert len({r.pid for r in _runs(store)}) == 1                  # every crawl in the one engine process

    scheduler, workers = shown["engine"]["scheduler"], shown["engine"]["workers"]
    assert scheduler["mode"] == "engine" and scheduler["outlets"] == 6 and scheduler["overdue_count"] == 0
    assert [w["role"] for w in workers] == ["engine"] and workers[0]["alive"]
    assert workers[0]["jobs_done"] >= 12 and workers[0]["memory"] > 50 * 2**20
    assert "crawls (engine):" in text and "0 of 6 outlets overdue" in text
    assert "crawl fleet-o1 ok" in out
    after = json.loads(_status(db_url, "--json").stdout)["engine"]
    assert after == {"scheduler": None, "workers": []}                  # a clean stop clears its beats


def test_outlets_not_crawled_for_longer_than_their_interval_are_overdue(tmp_path):
    from datetime import timedelta

    from store.capacity import overdue
    from store.models import utcnow
    store = Store(f"sqlite:///{tmp_path / 'pantau.db'}")
    now = utcnow()
    with store.session() as s:
        s.add(CrawlRun(source="radar-garut", status="ok", started_at=now - timedelta(minutes=100)))
        s.add(CrawlRun(source="radar-garut", status="ok", started_at=now - timedelta(minutes=70)))
        s.add(CrawlRun(source="priangan", status="ok", started_at=now - timedelta(minutes=20)))
    intervals = {"radar-garut": 1800.0, "priangan": 1800.0, "timex": 600.0}
    late = overdue(store, intervals, since=now - timedelta(hours=2), now=now)
    assert [r["source"] for r in late] == ["timex", "radar-garut"]     # never crawled in 2 h of 10 min slots first
    assert late[1]["late_s"] == 40 * 60
    assert overdue(store, intervals, since=now - timedelta(minutes=5), now=now)[0]["source"] == "radar-garut"


def test_worker_without_a_usable_broker_says_so_in_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PANTAU_BROKER_URL"} | {"PYTHONPATH": str(ROOT)}
    for args, words in ((["worker"], "no broker: give --broker"),
                        (["worker", "--broker", "sqlite:///x.db"], "must be a PostgreSQL URL"),
                        (["worker", "--broker", "postgresql://pantau@127.0.0.1:1/pantau"], "cannot open the crawl queue")):
        done = subprocess.run([sys.executable, "-m", "pantau.cli", *args], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 2 and words in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_an_engine_above_its_memory_mark_hands_over_to_a_fresh_one(tmp_path):
    with Fleet(6, articles=1) as fleet:
        sources = fleet.write_sources(tmp_path / "sources.toml", delay=0.1, concurrency=1)
        store = Store(f"sqlite:///{tmp_path / 'pantau.db'}")
        client = EngineClient(store, sources, in_flight=2, memory_mark=50 * 2**20, ingest_workers=1)
        try:
            outcomes = [f.result(200) for f in [client.submit(f"fleet-{n}") for n in fleet.outlets]]
        finally:
            client.close(30)
    assert {o["status"] for o in outcomes} == {"ok"} and all(o["memory"] > 50 * 2**20 for o in outcomes)
    assert client.recycled >= 3                                     # every engine passed 50 MB with its tagger
    assert sorted(_stored(store)) == sorted(map(canonical_key, fleet.expected_articles()))
    assert len({r.pid for r in _runs(store)}) >= 3


def test_status_on_one_machine_leaves_the_runs_of_workers_elsewhere_running(tmp_path):
    from store.history import source_status
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()                                                       # a pid with no process on this machine
    store = Store(f"sqlite:///{tmp_path / 'pantau.db'}")
    with store.session() as s:
        s.add(CrawlRun(source="radar-garut", trigger="worker", status="running", pid=gone.pid))
        s.add(CrawlRun(source="priangan", trigger="cli", status="running", pid=gone.pid))
    rows = {r["source"]: r["last_run"]["status"] for r in source_status(store)}
    assert rows == {"radar-garut": "running", "priangan": "interrupted"}


def test_a_second_sigterm_ends_the_engines_crawls_at_once_and_records_them(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'pantau.db'}"
    with Fleet(2, articles=1, hang=("o1",), hang_seconds=120) as fleet:
        sources = fleet.write_sources(tmp_path / "sources.toml", delay=0.1, concurrency=1, interval=1,
                                      download_timeout=100)
        daemon = _daemon(db_url, sources, tmp_path, "--shutdown-grace", "60")      # the engine is the default
        store = Store(db_url, migrate=False)
        try:
            deadline = time.time() + 180
            while time.time() < deadline:
                time.sleep(0.5)
                try:
                    status = {r.source: r.status for r in _runs(store)}
                except Exception:  # noqa: BLE001 - the daemon is still creating the database
                    continue
                if status.get("fleet-o1") == "running" and status.get("fleet-o2") == "ok":
                    break
            started = time.monotonic()
            daemon.send_signal(signal.SIGTERM)
            time.sleep(1)
            daemon.send_signal(signal.SIGTERM)
            out = daemon.communicate(timeout=60)[0]
        finally:
            if daemon.poll() is None:
                daemon.kill()
        assert daemon.returncode == 0 and time.monotonic() - started < 15, out[-3000:]   # not the 60 s grace
        assert "crawls in one crawl engine" in out
        hung = [r for r in _runs(store) if r.source == "fleet-o1"]
        assert [r.status for r in hung] == ["interrupted"] and "shutdown" in hung[0].message
        engine_pid = hung[0].pid
    gone_by = time.monotonic() + 15                          # the engine's ingest workers went with it
    while subprocess.run(["pgrep", "-g", str(engine_pid)], capture_output=True).returncode == 0:
        assert time.monotonic() < gone_by, "processes of the killed engine's group are still running"
        time.sleep(0.2)


def test_crawler_command_with_the_engine_says_so_in_one_line(tmp_path):
    done = subprocess.run([sys.executable, "-m", "pantau.cli", "daemon", "--engine", "--crawler-command", "nice python",
                           "--db", f"sqlite:///{tmp_path / 'p.db'}"], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert done.returncode == 2 and "--process-per-crawl" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
