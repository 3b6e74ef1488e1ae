"""Crawls whose articles are extracted, tagged and stored in worker processes (INGEST_WORKERS): the same
articles as in one process, nothing lost when a worker or the whole crawl is killed, no orphans left."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlmodel import select

from crawler.ingest_worker import IngestWorkers, worker_count
from lab.simulator import Simulator
from extract.urls import canonical_key
from store import Store
from store.models import Article, CrawlRun, PageError
from store.processes import descendants
from tests.conftest import fixture_page

ROOT = Path(__file__).resolve().parent.parent


def crawl_command(sim: Simulator, tmp_path, db_url: str, *names: str, workers: int = 2, jobdir=None,
                  concurrency: int = 8) -> list[str]:
    sources = sim.write_sources(tmp_path / "sources.toml", concurrency=concurrency)
    cmd = [sys.executable, "-m", "crawler.run", "--db", db_url, "--sources", str(sources), "--log-level", "WARNING",
           "--ingest-workers", str(workers)]
    return cmd + (["--jobdir", str(jobdir)] if jobdir else []) + list(names or sim.source_names())


def stored(db_url: str) -> dict[str, Article]:
    store = Store(db_url)
    with store.session() as s:
        rows = {a.key: a for a in s.exec(select(Article))}
    store.dispose()
    return rows


def test_worker_processes_store_every_article_once_with_all_its_pages(tmp_path, db_url):
    with Simulator({"priangan": 6, "tribun": 3, "timex": 6}) as sim:
        done = subprocess.run(crawl_command(sim, tmp_path, db_url), cwd=ROOT, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
        rows = stored(db_url)
        timex, tribun = sim.sites["timex"], sim.sites["tribun"]
        broken = canonical_key(timex.base + timex.article_path(timex.broken))
        expected = set().union(*(map(canonical_key, s.expected_articles()) for s in sim.sites.values())) - {broken}
        assert set(rows) == expected
        for a in tribun.articles:                       # three pages each, merged in order
            row = rows[canonical_key(tribun.base + tribun.article_path(a))]
            assert row.pages == 3
            positions = [row.text.find(p[:60]) for p in a.paragraphs]
            assert -1 not in positions and positions == sorted(positions)
        assert all(r.tagger_version for r in rows.values())
    for line in ("sim-priangan: ok", "sim-tribun: ok", "sim-timex: ok"):
        assert line in done.stdout
    new = dict(re.findall(r"^(sim-\w+): .* new=(\d+) ", done.stdout, re.M))
    assert new == {"sim-priangan": "6", "sim-tribun": "3", "sim-timex": "5"}
    store = Store(db_url)
    with store.session() as s:
        errors = [e.url for e in s.exec(select(PageError))]
    store.dispose()
    assert any(canonical_key(u) == broken for u in errors)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads process children from /proc (Linux)")
def test_crawl_killed_hard_leaves_no_worker_behind_and_resumes_to_the_same_set(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'p.db'}"
    with Simulator({"priangan": 40}) as sim:
        site = sim.sites["priangan"]
        site.page_delay = 0.6                           # one page at a time: 24 s for all, more than a tagger load
        crawl = subprocess.Popen(crawl_command(sim, tmp_path, db_url, jobdir=tmp_path / "jobs", concurrency=1),
                                 cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 180
        while not (stored(db_url) if (tmp_path / "p.db").exists() else {}):
            assert crawl.poll() is None and time.monotonic() < deadline, "the crawl stored nothing"
            time.sleep(0.2)
        site.page_delay = 3.0                           # no more pages arrive before the kill
        workers = descendants(crawl.pid)
        assert workers
        crawl.send_signal(signal.SIGKILL)
        crawl.wait(10)
        before = set(stored(db_url))
        assert 0 < len(before) < 40
        deadline = time.monotonic() + 15
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(_alive(w) for w in workers), "worker processes outlived the killed crawl"
        site.page_delay = 0
        again = subprocess.run(crawl_command(sim, tmp_path, db_url, jobdir=tmp_path / "jobs"), cwd=ROOT,
                               capture_output=True, text=True, timeout=300)
        assert again.returncode == 0, again.stderr[-2000:]
        store = Store(db_url)
        with store.session() as s:
            keys = list(s.exec(select(Article.key)))
        store.dispose()
        assert len(keys) == len(set(keys))
        assert set(keys) == {canonical_key(u) for u in site.expected_articles()}


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="signals a process group (POSIX)")
def test_sigterm_to_the_crawls_process_group_loses_no_outcome(tmp_path):
    """The daemon stops a crawl by signalling its process group (fork server and workers included): the articles
    in hand are stored and counted, none is reported as failed."""
    db_url = f"sqlite:///{tmp_path / 'p.db'}"
    with Simulator({"priangan": 40}) as sim:
        site = sim.sites["priangan"]
        site.page_delay = 0.6
        crawl = subprocess.Popen(crawl_command(sim, tmp_path, db_url, concurrency=1), cwd=ROOT, start_new_session=True,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 180
        while not (stored(db_url) if (tmp_path / "p.db").exists() else {}):
            assert crawl.poll() is None and time.monotonic() < deadline, "the crawl stored nothing"
            time.sleep(0.2)
        os.killpg(crawl.pid, signal.SIGTERM)
        assert crawl.wait(60) == 0
    rows = stored(db_url)
    store = Store(db_url)
    with store.session() as s:
        run = s.exec(select(CrawlRun)).one()
        errors = [e.error for e in s.exec(select(PageError))]
    store.dispose()
    assert run.status == "interrupted" and 0 < len(rows) < 40
    assert run.new == len(rows) and not errors


def _article_payload(url: str, html: bytes) -> dict:
    return {"url": url, "parts": [(url, html, "utf-8")], "date_hint": None, "source": "jabarekspres",
            "province": "Jawa Barat", "regency": None}


def test_a_killed_worker_fails_only_the_articles_it_held(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'p.db'}"
    Store(db_url).dispose()                                   # migrated, as the crawl process does
    html = fixture_page("wordpress-jabarekspres.html")
    workers = IngestWorkers(1, db_url)
    try:
        first = workers.submit(_article_payload("https://jabarekspres.com/berita/2024/02/10/a/", html)).result(120)
        assert first.status == "new" and not first.errors
        for pid in list(workers._pool._processes):
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.5)
        outcomes = []
        for attempt in range(3):                              # the pool notices the death, then starts afresh
            try:
                outcomes.append(workers.submit(_article_payload(
                    f"https://jabarekspres.com/berita/2024/02/1{attempt + 1}/b/", html)).result(120))
            except Exception as exc:  # noqa: BLE001 - BrokenProcessPool for what the dead worker held
                outcomes.append(exc)
            if not isinstance(outcomes[-1], Exception):
                break
        assert outcomes[-1].status in ("new", "unchanged") and not outcomes[-1].errors
        assert len(outcomes) <= 2
    finally:
        workers.close()


def test_worker_count_setting(monkeypatch):
    monkeypatch.delenv("PANTAU_INGEST_WORKERS", raising=False)
    assert worker_count(None) == min(os.cpu_count() or 1, 4)
    assert worker_count("auto") == worker_count(None)
    assert worker_count(0) == 0 and worker_count("3") == 3
    monkeypatch.setenv("PANTAU_INGEST_WORKERS", "1")
    assert worker_count(None) == 1
    assert worker_count("2") == 2                             # an explicit setting wins over the environment
    for bad in ("-1", "many"):
        with pytest.raises(ValueError, match="ingest workers"):
            worker_count(bad)


def test_a_later_part_without_article_text_is_stored_without_it_and_recorded(store, tagger):
    from crawler.ingest_worker import ingest_item

    url = "https://kupang.tribunnews.com/2023/11/27/lurah-di-belu-dilaporkan-ke-bawaslu"
    empty = (b'<html><head><title>Lurah di Belu Dilaporkan ke Bawaslu karena Ikut Kampanye Caleg</title></head>'
             b'<body><nav><a href="/">Beranda</a></nav></body></html>')
    data = {"url": url, "parts": [(url, fixture_page("tribun-multipage-1.html"), "utf-8"), (url + "?page=2", empty, None)],
            "date_hint": None, "source": "tribun-kupang", "province": "Nusa Tenggara Timur", "regency": "Belu"}
    outcome = ingest_item(store, data, tagger)
    assert outcome.status == "new"
    assert outcome.errors == [(url + "?page=2", f"part of {url} has no article text; stored without it")]
    with store.session() as s:
        assert s.exec(select(Article)).one().pages == 1
