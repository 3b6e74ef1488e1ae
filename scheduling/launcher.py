"""One crawl of one source in a child process (`python -m crawler.run ... --run-id N SOURCE`), in its own
process group: its output goes to our log, a timeout ends it (SIGTERM, then SIGKILL), and its run record
is closed whatever happened to it. Also `run_once`, the job body for cron users."""
from __future__ import annotations

import logging
import os
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from store.history import busy_run, join_notes
from store.runs import start_run
from scheduling.child_output import StartupOnce, records
from scheduling.jobs import ConfigError, Settings, load_sources, record_sources, sources_path
from store import Store
from store.db import StoreError
from store.models import CrawlRun, utcnow

log = logging.getLogger("pantau.scheduler")


@dataclass
class RunOutcome:
    source: str
    run_id: int | None
    status: str
    new: int = 0
    updated: int = 0
    errors: int = 0
    seconds: float = 0.0
    message: str = ""


@dataclass
class _Child:
    proc: subprocess.Popen
    run_id: int
    reason: str | None = None                # timeout | shutdown: why we signalled it
    tail: deque = field(default_factory=lambda: deque(maxlen=20))


class Launcher:
    """Runs one source at a time per source, each in a child process with a timeout, and records the run."""

    def __init__(self, store: Store, settings: Settings, trigger: str) -> None:
        self.store, self.settings, self.trigger = store, settings, trigger
        self.sources: dict[str, object] = {}
        self.sources_file: Path | None = None        # what children read: the last good configuration
        self.stopping = False
        self._lock = threading.Lock()
        self._children: dict[str, _Child] = {}
        self._claimed: set[str] = set()

    def use_sources(self, sources: list, path: Path) -> None:
        """Adopt a validated configuration. Children read a snapshot of the file as it was loaded, so a
        later edit reaches them only once it has been reloaded and accepted."""
        state = self.settings.resolved_state_dir()
        state.mkdir(parents=True, exist_ok=True)
        snapshot = state / f"sources.{self.trigger}.toml"
        tmp = snapshot.with_name(snapshot.name + ".tmp")
        shutil.copyfile(path, tmp)
        os.replace(tmp, snapshot)
        self.sources_file = snapshot
        self.sources = {s.name: s for s in sources}

    def max_run_seconds(self) -> float:
        longest = max([self.timeout_for(n) for n in self.sources] or [self.settings.run_timeout])
        return longest + self.settings.kill_grace + 60

    def timeout_for(self, name: str) -> float:
        return float(getattr(self.sources.get(name), "timeout", None) or self.settings.run_timeout)

    def running(self) -> list[str]:
        with self._lock:
            return list(self._claimed)

    def run(self, name: str) -> RunOutcome:
        with self._lock:
            if self.stopping:
                return RunOutcome(name, None, "skipped", message="shutting down")
            if name in self._claimed:
                return RunOutcome(name, None, "skipped", message="already running")
            self._claimed.add(name)
        try:
            return self._run(name)
        finally:
            with self._lock:
                self._claimed.discard(name)
                self._children.pop(name, None)

    def _run(self, name: str) -> RunOutcome:
        if name not in self.sources:
            log.warning("source %s is not in the sources file any more: not crawled", name, extra={"source": name})
            return RunOutcome(name, None, "skipped", message="not in the sources file")
        try:
            other = busy_run(self.store, name, self.max_run_seconds())
            run_id = None if other else start_run(self.store, name, trigger=self.trigger)
        except (StoreError, SQLAlchemyError) as exc:
            log.error("source %s not crawled: the store is unavailable (%s)", name, exc, extra={"source": name})
            return RunOutcome(name, None, "failed", message=f"store unavailable: {exc}")
        if other is not None:
            log.warning("source %s: run %s (pid %s) is still going: this slot is skipped", name, other.id,
                        other.pid, extra={"source": name, "run_id": other.id})
            return RunOutcome(name, other.id, "skipped", message=f"run {other.id} still going")
        timeout = self.timeout_for(name)
        started = time.monotonic()
        log.info("crawl %s started (run %d, timeout %g s)", name, run_id, timeout,
                 extra={"source": name, "run_id": run_id})
        try:
            child = self._spawn(name, run_id)
        except OSError as exc:
            self._finish(name, run_id, None, None, [f"cannot start the crawler: {exc}"])
            return self._outcome(name, run_id, started)
        with self._lock:
            self._children[name] = child
            late_stop = self.stopping
        if late_stop:
            self._signal(child, signal.SIGTERM, "shutdown")
        reader = threading.Thread(target=_forward_output, args=(child, name, run_id), daemon=True)
        reader.start()
        # The crawler ends itself at its timeout (recorded 'timeout'); we step in kill_grace later if it has not.
        deadline, kill_at = started + timeout + self.settings.kill_grace, None
        while child.proc.poll() is None:
            now = time.monotonic()
            if kill_at is None and now > deadline:
                log.warning("crawl %s (run %d) passed its %g s timeout: stopping it", name, run_id, timeout,
                            extra={"source": name, "run_id": run_id})
                self._signal(child, signal.SIGTERM, "timeout")
                kill_at = now + self.settings.kill_grace
            elif kill_at is not None and now > kill_at:
                self._signal(child, signal.SIGKILL, "timeout")
            try:
                child.proc.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                pass
        reader.join(timeout=5)
        self._finish(name, run_id, child, child.proc.returncode, list(child.tail))
        return self._outcome(name, run_id, started)

    def ingest_workers(self) -> int:
        """Ingest processes per crawl when $PANTAU_INGEST_WORKERS does not say: the CPUs shared among the
        crawls that may run at once (at least one each)."""
        return max(1, (os.cpu_count() or 1) // max(1, self.settings.workers))

    def _spawn(self, name: str, run_id: int) -> _Child:
        base = shlex.split(self.settings.crawler_command) or [sys.executable, "-m", "crawler.run"]
        db_url, env = _url_for_child(self.store.url)
        jobdir = self.settings.resolved_state_dir() / "jobs"           # the crawler keeps JOBDIR/SOURCE
        jobdir.mkdir(parents=True, exist_ok=True)
        cmd = [*base, "--db", db_url, "--sources", str(self.sources_file), "--trigger", self.trigger,
               "--run-id", str(run_id), "--jobdir", str(jobdir), name]
        env = {"PANTAU_INGEST_WORKERS": str(self.ingest_workers()), **os.environ, **env, "PYTHONUNBUFFERED": "1"}
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                env=env,
                                start_new_session=True)    # its own process group: only we signal it
        try:
            with self.store.session() as session:
                run = session.get(CrawlRun, run_id)
                if run is not None and run.pid is None:
                    run.pid = proc.pid
                    session.add(run)
        except (StoreError, SQLAlchemyError) as exc:     # the crawler records its pid itself
            log.warning("run %d: pid %d not recorded yet (%s)", run_id, proc.pid, exc)
        return _Child(proc, run_id)

    def _signal(self, child: _Child, sig: int, reason: str) -> None:
        if child.reason != "timeout":
            child.reason = reason
        try:
            os.killpg(child.proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass

    def terminate_all(self) -> int:
        """Stop taking runs and ask every running crawl to checkpoint and end (SIGTERM)."""
        with self._lock:
            self.stopping = True
            children = list(self._children.values())
        for child in children:
            self._signal(child, signal.SIGTERM, "shutdown")
        return len(children)

    def kill_all(self) -> None:
        with self._lock:
            self.stopping = True
            children = list(self._children.values())
        for child in children:
            self._signal(child, signal.SIGKILL, "shutdown")

    def _finish(self, name: str, run_id: int, child: _Child | None, returncode: int | None,
                tail: list[str]) -> None:
        """Close the run the child may have left open: timeout, interrupted, or failed with the reason."""
        reason = child.reason if child else None
        last_line = next((line for line in reversed(tail) if line.strip()), "")
        for attempt in range(5):
            try:
                with self.store.session() as session:
                    run = session.get(CrawlRun, run_id)
                    if run is None:
                        return
                    if reason == "timeout":
                        run.status = "timeout"
                        run.message = join_notes(f"killed after its {self.timeout_for(name):g} s timeout", run.message)
                    elif run.status == "running":
                        run.status, run.message = _exit_status(reason, returncode, last_line)
                    run.ended_at = run.ended_at or utcnow()
                    session.add(run)
                break
            except (StoreError, SQLAlchemyError) as exc:
                log.warning("cannot record the end of run %d yet (%s); retrying", run_id, exc)
                time.sleep(min(30, 2 ** attempt))

    def _outcome(self, name: str, run_id: int, started: float) -> RunOutcome:
        seconds = time.monotonic() - started
        try:
            with self.store.session() as session:
                run = session.get(CrawlRun, run_id)
        except (StoreError, SQLAlchemyError):
            run = None
        if run is None:
            return RunOutcome(name, run_id, "unknown", seconds=seconds)
        level = logging.INFO if run.status == "ok" else logging.WARNING
        log.log(level, "crawl %s %s (run %d): %d new, %d updated, %d errors, %.1f s%s", name, run.status, run_id,
                run.new, run.updated, run.errors, seconds, f" -- {run.message}" if run.message else "",
                extra={"source": name, "run_id": run_id, "status": run.status, "new": run.new,
                       "updated": run.updated, "errors": run.errors})
        return RunOutcome(name, run_id, run.status, run.new, run.updated, run.errors, seconds, run.message)


def _exit_status(reason: str | None, returncode: int | None, last_line: str) -> tuple[str, str]:
    if returncode is None:
        return "failed", last_line or "the crawler did not start"
    if reason == "shutdown":
        return "interrupted", "stopped by the daemon's shutdown"
    if returncode == 0:
        return "failed", "the crawler exited without recording its result"
    if returncode < 0:
        sig = signal.Signals(-returncode).name if -returncode in signal.Signals._value2member_map_ else -returncode
        return "failed", join_notes(f"the crawler was killed by {sig}", last_line)
    return "failed", join_notes(f"the crawler exited with status {returncode}", last_line)


_STARTUP = StartupOnce()     # Scrapy's banner: logged for the first crawl of this process only


def _forward_output(child: _Child, name: str, run_id: int) -> None:
    """The child's output goes to our log, one record per event (multi-line messages joined), tagged with the
    source; Scrapy's start-up banner only once per daemon."""
    crawl_log = logging.getLogger("pantau.crawl")
    lines = (raw.decode("utf-8", "replace").rstrip() for raw in iter(child.proc.stdout.readline, b""))
    for record in records(lines):
        child.tail.append(record)
        if _STARTUP.keep(record):
            crawl_log.info("[%s] %s", name, record, extra={"source": name, "run_id": run_id})
    child.proc.stdout.close()


def _url_for_child(url: str) -> tuple[str, dict[str, str]]:
    """The database URL for the child's argv without its password (argv shows in `ps`); a PostgreSQL
    password goes by PGPASSWORD instead, which libpq reads."""
    from sqlalchemy.engine import URL, make_url
    parsed = make_url(url)
    if parsed.password is None or parsed.get_backend_name() != "postgresql":
        return url, {"PANTAU_DATABASE_URL": url}
    bare = URL.create(parsed.drivername, parsed.username, None, parsed.host, parsed.port, parsed.database,
                      parsed.query).render_as_string(hide_password=False)
    return bare, {"PGPASSWORD": str(parsed.password), "PANTAU_DATABASE_URL": url}


def run_once(settings: Settings, names: list[str] | None = None, trigger: str = "run-once") -> list[RunOutcome]:
    """The scheduled job body, once per source (all enabled ones by default), for cron users.
    SIGTERM/SIGINT stop the crawls gracefully; a second signal kills them."""
    from crawler.sources import SourcesError, select_sources
    path = sources_path(settings)
    sources = load_sources(path)
    try:
        chosen = [s.name for s in select_sources(sources, names)]
    except SourcesError as exc:
        raise ConfigError(str(exc)) from exc
    store = Store(settings.db_url)
    launcher = Launcher(store, settings, trigger)
    launcher.use_sources(sources, path)
    record_sources(store, sources)
    signals = []

    def on_signal(signum, _frame):
        signals.append(signum)
        launcher.stopping = True

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        with ThreadPoolExecutor(max_workers=max(1, settings.workers)) as pool:
            futures = [pool.submit(launcher.run, name) for name in chosen]
            handled = 0
            while not all(f.done() for f in futures):
                if len(signals) > handled:
                    handled = len(signals)
                    if handled == 1:
                        launcher.terminate_all()
                    else:
                        launcher.kill_all()
                time.sleep(0.1)
            return [f.result() for f in futures]
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        store.dispose()
