"""The long-lived crawl engine (crawler/engine.py, driven by scheduling/engine_client.py): a hundred outlets of the
local fleet simulator crawled side by side in one engine process, each at its own polite pace (checked at the
simulator, by request time); one outlet that hangs and one that answers HTTP 500 do not hold the others up; an
engine recycled every few crawls, or killed in the middle, loses and duplicates no article."""
from __future__ import annotations

import os
import signal
import time

from sqlmodel import func, select

from crawler.simulator.fleet import Fleet
from extract.urls import canonical_key
from scheduling.engine_client import EngineClient
from store import Store
from store.models import Article, CrawlRun

DELAY = 1.0
JITTER = 0.5                # crawler/settings.py DOWNLOAD_DELAY_JITTER: each wait is 0.5x to 1.5x the delay
NOISE = 0.1                 # seconds a request may take from the crawler to the simulator's clock under load


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
