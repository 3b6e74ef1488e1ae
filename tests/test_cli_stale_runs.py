"""A `pantau crawl` killed with -9 leaves a run `running`; the next command that reads run state (status, sources
list) marks it interrupted, saying why, so it never looks like a crawl still going."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from sqlmodel import select

from lab.simulator import Simulator
from store import Store
from store.models import CrawlRun
from tests.support.cli import ROOT, pantau


def _running_run(url: str, proc: subprocess.Popen, timeout: float = 180) -> CrawlRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
        try:
            store = Store(url, migrate=False)
            with store.session() as session:
                run = session.exec(select(CrawlRun).where(CrawlRun.status == "running", CrawlRun.pages > 0)).first()
            store.dispose()
        except Exception:  # noqa: BLE001 - the crawl may still be creating the schema
            run = None
        if run is not None:
            return run
        time.sleep(0.2)
    raise AssertionError("the crawl never recorded a running run with pages")


def test_a_crawl_killed_hard_is_shown_interrupted_not_running(db_url, tmp_path):
    Store(db_url).dispose()
    with Simulator({"priangan": 12}) as sim:
        sim.sites["priangan"].page_delay = 0.5
        sources = sim.write_sources(tmp_path / "sources.toml", concurrency=1)
        proc = subprocess.Popen([sys.executable, "-m", "pantau.cli", "crawl", "sim-priangan", "--sources",
                                 str(sources), "--ingest-workers", "0", "--db", db_url], cwd=ROOT,
                                env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, start_new_session=True)
        try:
            run = _running_run(db_url, proc)
            assert run.pid == proc.pid
        finally:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(30)
    status = pantau("status", "--json", "--db", db_url)
    assert status.returncode == 0, status.stderr
    last = {row["source"]: row["last_run"] for row in json.loads(status.stdout)["sources"]}["sim-priangan"]
    assert last["id"] == run.id and last["status"] == "interrupted"
    assert f"its crawl process (pid {proc.pid}) ended without finishing the run" in last["message"]
    assert last["ended_at"] is not None
    listed = pantau("sources", "list", "--sources", str(sources), "--db", db_url)
    assert listed.returncode == 0 and b"running" not in listed.stdout
