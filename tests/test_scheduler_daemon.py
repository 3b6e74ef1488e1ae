"""The daemon for real: a subprocess (`python scheduler.py`, then `pantau daemon`) against the crawler's
local site simulator, with a schedule of seconds, on SQLite and on the real PostgreSQL server, crawling in its
default crawl engine; and once more on SQLite with `--process-per-crawl` (a child process per crawl).

One scenario per database, shared by the tests below (each crawl child loads the tagger, which costs
seconds): daemon 1 crawls three outlets (one slow, one quick, one whose server never answers) and is
stopped by SIGTERM in the middle of the slow outlet's crawl; daemon 2 starts on the same database and
runs until every outlet has been crawled repeatedly; then it is stopped too."""
from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlmodel import func, select

from store.history import next_runs

from tests.conftest import PG_SKIP, PG_URL, fresh_postgres_url
from lab.simulator import Simulator
from lab.simulator.sites import WordPressSite
from extract.urls import canonical_key
from store import Store
from store.models import Article, CrawlRun

ROOT = Path(__file__).resolve().parent.parent
SLOW, QUICK, HUNG = "sim-priangan", "sim-tribun", "kabarsumbawa"
WAIT = 240          # seconds at most for any phase (a loaded 2-core machine; normally far less)
SLOW_ARTICLES = 22


class GatedPriangan(WordPressSite):
    """Priangan Ekspres that serves its first article pages, then holds the next one until the gate opens:
    a crawl that is certainly still going when the test stops the daemon. On SIGTERM Scrapy still
    downloads what its downloader holds (at most CONCURRENT_REQUESTS = 16), so the site has more."""
    served_before_gate = 2

    def __init__(self, count: int) -> None:
        super().__init__(count)
        self.gate, self.held = threading.Event(), threading.Event()
        self.articles_served = 0

    def handle(self, raw_path, headers):
        reply = super().handle(raw_path, headers)
        if reply.kind == "article":
            with self.lock:
                self.articles_served += 1
                hold = self.articles_served > self.served_before_gate
            if hold and not self.gate.is_set():
                self.held.set()
                self.gate.wait(120)
        return reply


class HangingServer:
    """An outlet whose server accepts connections and never answers."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.conns: list[socket.socket] = []
        self.stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _accept(self) -> None:
        while not self.stopped:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)

    def close(self) -> None:
        self.stopped = True
        self.sock.close()
        for conn in self.conns:
            conn.close()


def toml_entry(entry: dict) -> str:
    # JSON strings, numbers, booleans and arrays of them are valid TOML values.
    return "[[source]]\n" + "".join(f"{k} = {json.dumps(v, ensure_ascii=False)}\n" for k, v in entry.items())


def write_sources(path: Path, sim: Simulator, hung: HangingServer) -> Path:
    # Intervals in seconds (the daemon runs with a one-second schedule minute).
    entries = [
        {"name": SLOW, "base_url": sim.sites["priangan"].base + "/", **sim.sites["priangan"].source_entry(),
         "regency": "Kabupaten Garut", "interval": 2},
        {"name": QUICK, "base_url": sim.sites["tribun"].base + "/", **sim.sites["tribun"].source_entry(),
         "interval": 15},
        {"name": HUNG, "base_url": hung.base + "/", "feeds": ["/feed/"], "province": "Nusa Tenggara Barat",
         "regency": "Kabupaten Sumbawa", "interval": 15, "timeout": 3, "download_timeout": 120,
         "notes": "server accepts connections and never answers"},
    ]
    head = "[defaults]\ndelay = 0.0\nconcurrency = 1\ndownload_timeout = 10\ninterval = 2\ntimeout = 200\n\n"
    path.write_text(head + "\n".join(toml_entry(e) for e in entries), encoding="utf-8")
    return path


def daemon_cmd(entry: str, db_url: str, sources: Path, state: Path, mode: tuple[str, ...] = ()) -> list[str]:
    if entry == "scheduler.py":
        base = [sys.executable, str(ROOT / "scheduler.py")]
    else:
        script = shutil.which("pantau", path=str(Path(sys.executable).parent))
        base = [script, "daemon"] if script else [sys.executable, "-c", "from pantau.cli import app; app()", "daemon"]
    # A schedule minute of one second: `interval = 2` means every 2 s.
    return [*base, "--db", db_url, "--sources", str(sources), "--state-dir", str(state), "--minute-seconds", "1",
            "--workers", "3", "--heartbeat", "0.5", "--kill-grace", "1", "--shutdown-grace", "30", *mode]


class Daemon:
    def __init__(self, cmd: list[str], log_path: Path) -> None:
        self.log_path = log_path
        self.log = open(log_path, "ab")
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=self.log, cwd=ROOT)

    def stop(self, timeout: float = 60, signal_it: bool = True) -> int:
        if signal_it:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        finally:
            self.log.close()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.log.close()

    def text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def runs(store: Store, source: str | None = None) -> list[CrawlRun]:
    with store.session() as session:
        query = select(CrawlRun).order_by(CrawlRun.id)
        if source:
            query = query.where(CrawlRun.source == source)
        return list(session.exec(query).all())


def stored_keys(store: Store, source: str) -> list[str]:
    with store.session() as session:
        return list(session.exec(select(Article.key).where(Article.source == source)).all())


def wait_for(what: str, condition, daemon: Daemon, timeout: float = WAIT) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return
        if daemon.proc.poll() is not None:
            pytest.fail(f"the daemon exited ({daemon.proc.returncode}) before {what}:\n{daemon.text()[-4000:]}")
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}:\n{daemon.text()[-4000:]}")


@pytest.fixture(scope="module", params=["sqlite", "sqlite-process-per-crawl",
                                        pytest.param("postgres", marks=pytest.mark.postgres)])
def scenario(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(f"daemon-{request.param}")
    drop = None
    mode = ("--process-per-crawl",) if request.param.endswith("process-per-crawl") else ()
    if request.param.startswith("sqlite"):
        db_url = f"sqlite:///{tmp / 'pantau.db'}"
    elif not PG_URL:
        pytest.skip(PG_SKIP)
    else:
        db_url, drop = fresh_postgres_url()
    sim = Simulator({"priangan": SLOW_ARTICLES, "tribun": 4})
    sim.sites["priangan"] = slow = GatedPriangan(SLOW_ARTICLES)
    sim.start()
    hung = HangingServer()
    sources = write_sources(tmp / "sources.toml", sim, hung)
    store = Store(db_url)
    result = {"store": store, "sim": sim, "tmp": tmp, "mode": mode}
    first = second = None
    try:
        # Daemon 1: SIGTERM while the slow outlet's crawl waits for a page, after it has stored a few.
        first = Daemon(daemon_cmd("scheduler.py", db_url, sources, tmp / "state", mode), tmp / "daemon1.log")
        wait_for("the slow outlet's crawl to store articles and wait for more",
                 lambda: slow.held.is_set() and len(stored_keys(store, SLOW)) >= 2, first)
        started = time.monotonic()
        first.proc.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        slow.gate.set()                           # the page in flight arrives; the crawl stops after it
        result["exit1"] = first.stop(signal_it=False)
        result["stop_seconds"] = time.monotonic() - started
        result["runs_after_1"] = runs(store)

        # Daemon 2: until each outlet has been crawled repeatedly (and the hung one timed out twice).
        second = Daemon(daemon_cmd("pantau", db_url, sources, tmp / "state", mode), tmp / "daemon2.log")

        expected = {canonical_key(u) for u in slow.expected_articles()}

        def done() -> bool:
            # (on a loaded machine a page may time out in one run; the next run of the outlet fetches it)
            by = {s: [r for r in runs(store, s) if r.status != "running"] for s in (SLOW, QUICK, HUNG)}
            return (sum(r.status == "ok" for r in by[SLOW]) >= 2 and sum(r.status == "ok" for r in by[QUICK]) >= 2
                    and sum(r.status == "timeout" for r in by[HUNG]) >= 2
                    and set(stored_keys(store, SLOW)) >= expected)
        wait_for("two finished runs of every outlet", done, second)
        result["exit2"] = second.stop()
        result["log1"], result["log2"] = first.text(), second.text()
        yield result
    finally:
        for daemon in (first, second):
            if daemon is not None:
                daemon.kill()
        hung.close()
        sim.stop()
        store.dispose()
        if drop:
            drop()


def test_sigterm_stops_gracefully_and_records_the_interrupted_run(scenario):
    assert scenario["exit1"] == 0, scenario["log1"][-3000:]
    assert scenario["stop_seconds"] < 30
    slow_runs = [r for r in scenario["runs_after_1"] if r.source == SLOW]
    assert [r.status for r in slow_runs] == ["interrupted"]
    assert slow_runs[0].trigger == "daemon" and slow_runs[0].ended_at is not None
    assert 2 <= slow_runs[0].new <= GatedPriangan.served_before_gate + 16 < SLOW_ARTICLES    # cut short
    assert not [r for r in scenario["runs_after_1"] if r.status == "running"]
    assert "stopping: no new crawls" in scenario["log1"] and "daemon stopped" in scenario["log1"]
    # The crawl engine unless --process-per-crawl is given.
    mode = "each crawl in a child process" if scenario["mode"] else "crawls in one crawl engine"
    assert mode in scenario["log1"] and mode in scenario["log2"]


def test_after_restart_the_stored_set_equals_a_clean_runs(scenario):
    store, sim = scenario["store"], scenario["sim"]
    for source, site in ((SLOW, sim.sites["priangan"]), (QUICK, sim.sites["tribun"])):
        keys = stored_keys(store, source)
        assert len(keys) == len(set(keys))
        assert set(keys) == {canonical_key(u) for u in site.expected_articles()}, source
        # Each article was new exactly once, across the interrupted run and the ones after it.
        assert sum(r.new for r in runs(store, source)) == len(keys)
    with store.session() as session:
        assert session.exec(select(func.count()).select_from(Article)).one() == SLOW_ARTICLES + 4


def test_each_source_runs_repeatedly_never_twice_at_once(scenario):
    store = scenario["store"]
    assert scenario["exit2"] == 0, scenario["log2"][-3000:]
    for source in (SLOW, QUICK, HUNG):
        history = runs(store, source)
        assert len(history) >= 2
        assert all(r.trigger == "daemon" and r.status != "running" and r.ended_at for r in history)
        for earlier, later in zip(history, history[1:]):
            assert earlier.ended_at <= later.started_at, f"{source}: runs {earlier.id} and {later.id} overlap"
    # The quick outlet's later runs found nothing new: stored once, not once per run.
    quick = runs(store, QUICK)
    finished = [r for r in quick if r.status == "ok"]      # (the last run may be cut by the final SIGTERM)
    assert sum(r.new for r in quick) == 4 and len(finished) >= 2 and finished[-1].new == 0


def test_a_hung_outlet_is_killed_at_its_timeout_and_retried_while_others_complete(scenario):
    store = scenario["store"]
    hung = [r for r in runs(store, HUNG) if r.status == "timeout"]
    assert len(hung) >= 2                                    # retried on its next slot
    for r in hung:
        assert "3 s timeout" in r.message
        assert (r.ended_at - r.started_at).total_seconds() < 3 + 1 + 1 + 5
    assert [r.status for r in runs(store, QUICK)].count("ok") >= 2


# ---------------------------------------------------------------- a malformed sources file

GOOD = """
[defaults]
cron = "0 3 * * *"

[[source]]
name = "jabarekspres"
base_url = "https://jabarekspres.com/"
province = "Jawa Barat"
feeds = ["/feed/"]

[[source]]
name = "timex"
base_url = "https://timex.fajar.co.id/"
province = "Nusa Tenggara Timur"
sitemaps = ["/sitemap_index.xml"]
"""
BAD = GOOD.replace('base_url = "https://timex.fajar.co.id/"', 'base_url = "timex.fajar.co.id"')
MORE = GOOD + """
[[source]]
name = "tribun-jambi"
base_url = "https://jambi.tribunnews.com/"
province = "Jambi"
sitemaps = ["/sitemap_news.xml"]
"""


def scheduled(db_url: str) -> set[str]:
    """Sources with a next run in the daemon's job store (what `pantau status` shows)."""
    store = Store(db_url)
    try:
        return {name for name, at in next_runs(store).items() if at}
    finally:
        store.dispose()


def test_malformed_sources_refuse_start_and_reload_keeps_the_last_good(db_url, tmp_path):
    sources = tmp_path / "sources.toml"
    sources.write_text(BAD, encoding="utf-8")
    cmd = daemon_cmd("scheduler.py", db_url, sources, tmp_path / "state")
    refused = subprocess.run(cmd, capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert refused.returncode == 2
    assert "not starting" in refused.stderr and "source #2 'timex'" in refused.stderr and "base_url" in refused.stderr

    sources.write_text(GOOD, encoding="utf-8")
    daemon = Daemon(cmd, tmp_path / "daemon.log")
    try:
        wait_for("the daemon to start", lambda: "daemon started" in daemon.text(), daemon, 60)
        assert scheduled(db_url) == {"jabarekspres", "timex"}

        sources.write_text(BAD, encoding="utf-8")
        daemon.proc.send_signal(signal.SIGHUP)
        wait_for("the reload to fail", lambda: "reload failed" in daemon.text(), daemon, 30)
        assert "keeping the last good configuration" in daemon.text() and "'timex'" in daemon.text()
        assert scheduled(db_url) == {"jabarekspres", "timex"}
        # Crawls read the last good file, not the broken one on disk.
        assert "timex.fajar.co.id/" in (tmp_path / "state" / "sources.daemon.toml").read_text()

        sources.write_text(MORE, encoding="utf-8")
        daemon.proc.send_signal(signal.SIGHUP)
        wait_for("the reload", lambda: "reloaded the sources file" in daemon.text(), daemon, 30)
        assert scheduled(db_url) == {"jabarekspres", "timex", "tribun-jambi"}
        assert daemon.proc.poll() is None
        assert daemon.stop() == 0
    finally:
        daemon.kill()
    assert not runs_started(db_url)


def runs_started(db_url: str) -> list[CrawlRun]:
    store = Store(db_url)
    try:
        return runs(store)
    finally:
        store.dispose()
