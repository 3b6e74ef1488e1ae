"""The daemon: every outlet crawled on its own schedule, in one long-lived crawl engine by default.

`pantau daemon` (or `python scheduler.py`) runs `Daemon(settings).serve()`. The scheduler only starts crawls and
records runs. APScheduler 3 keeps one job per source in the same database (table apscheduler_jobs);
a job names its function by text ("scheduler:run_source") and holds only the source name. Each slot is handed
to the crawl engine (`python -m crawler.engine`, one Twisted reactor in its own process group, recycled and
restarted by scheduling/engine_client.py); with `--process-per-crawl` each run is `python -m crawler.run ...
SOURCE` in a child process of its own (scheduling/launcher.py); with a broker it becomes a job on the queue.
Operations: docs/operations.md; the engine and the broker: docs/distributed.md.
"""
from __future__ import annotations

import logging
import os
import signal
import threading
import time
from datetime import timezone

from sqlalchemy.exc import SQLAlchemyError

from scheduling.jobs import (ConfigError, Settings, build_jobs, load_sources, record_sources, sources_path,
                             sync_jobs)
from scheduling.capacity import clear_scheduler_beat, scheduler_beat
from scheduling.launcher import Launcher
from store import Store
from store.history import (busy_run, check_no_other_daemon, clear_heartbeat, mark_stale_runs, prune_runs,
                           write_heartbeat)
from store.db import StoreError
from store.models import utcnow

log = logging.getLogger("pantau.scheduler")

_ACTIVE: "Daemon | None" = None


def run_source(name: str) -> None:
    """The scheduled job body (referenced by text from the job store)."""
    daemon = _ACTIVE
    if daemon is None:
        raise RuntimeError("run_source called outside a running daemon")
    daemon.crawl(name)


class Daemon:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store: Store | None = None
        self.launcher: Launcher | None = None
        self.scheduler = None
        self.started_at = utcnow()
        self._wake = threading.Event()
        self._signals = 0
        self._reload = False
        self.engine = None                       # EngineClient when settings.engine (crawls in one engine process)
        self.queue = None                        # CrawlQueue when settings.broker (crawls on workers anywhere)
        self.leader = None                       # LeaderLock with a broker: one active daemon, others stand by
        self.lost_lead = False                   # the lock went with its connection: exit 1 (systemd restarts us)

    def serve(self) -> int:
        """Run in the foreground until SIGTERM/SIGINT, then return 0. Raises ConfigError (the sources file
        is bad: nothing started) or StoreError (database unusable, or another daemon is alive on it)."""
        global _ACTIVE
        path = sources_path(self.settings)
        sources = load_sources(path)
        specs = build_jobs(sources, self.settings)
        self.store = Store(self.settings.db_url)
        self.launcher = Launcher(self.store, self.settings, "daemon")
        previous = {}
        try:
            previous = {s: signal.signal(s, self._on_signal) for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
            if self.settings.broker:
                if not self._lead():
                    return 0                     # stopped while standing by
            else:
                check_no_other_daemon(self.store)
            self.launcher.use_sources(sources, path)
            record_sources(self.store, sources)
            if not self.settings.broker:         # with workers elsewhere their runs are theirs to close
                stale = mark_stale_runs(self.store, self.launcher.max_run_seconds())
                if stale:
                    log.warning("marked %d runs left running by a previous daemon as interrupted: %s", len(stale),
                                ", ".join(map(str, stale)))
            self._start_crawling()
            self.scheduler = self._make_scheduler()
            _ACTIVE = self
            self.beat()
            self.scheduler.start(paused=True)
            changes = sync_jobs(self.scheduler, specs, self.settings)
            self.scheduler.resume()
            log.info("daemon started (pid %d): %d sources scheduled (%s), %s, database %s", os.getpid(),
                     len(specs), _describe(changes), self._mode(), self.store.safe_url)
            self._loop()
            self._stop()
        finally:
            if self.scheduler is not None and self.scheduler.running:   # only after an unexpected error
                self.launcher.kill_all()
                self.scheduler.shutdown(wait=False)
            for s, handler in previous.items():
                signal.signal(s, handler)
            _ACTIVE = None
            if self.scheduler is not None:
                self._clear_heartbeat()
            if self.engine is not None:
                self.engine.close(0)
            if self.queue is not None:
                self.queue.close()
            if self.leader is not None:
                self.leader.release()
            self.store.dispose()
        return 1 if self.lost_lead else 0

    def crawl(self, name: str) -> None:
        """One outlet's slot: a job on the queue, a crawl in the engine, or a crawl in a child process."""
        if self.queue is not None:
            self.queue.enqueue(name)
        elif self.engine is not None:
            if self.engine.has(name):
                log.warning("source %s: its last crawl is still waiting or running: this slot is skipped", name,
                            extra={"source": name})
                return
            try:
                other = busy_run(self.store, name, self.launcher.max_run_seconds())
            except (StoreError, SQLAlchemyError) as exc:
                log.error("source %s not crawled: the store is unavailable (%s)", name, exc, extra={"source": name})
                return
            if other is not None:
                log.warning("source %s: run %s (pid %s) is still going: this slot is skipped", name, other.id,
                            other.pid, extra={"source": name, "run_id": other.id})
                return
            future = self.engine.submit(name)
            if future is None:
                log.warning("source %s: its last crawl is still waiting or running: this slot is skipped", name,
                            extra={"source": name})
            else:
                future.add_done_callback(lambda f: log_outcome(f.result()))
        else:
            self.launcher.run(name)

    def _lead(self) -> bool:
        """Take the daemon lock on the broker, standing by while another daemon holds it. False if stopped first."""
        from scheduling.leader import LeaderLock
        self.leader = LeaderLock(self.settings.broker)
        said = False
        while not self.leader.try_acquire():
            if not said:
                log.info("standing by: another daemon schedules the crawls on this broker (pid %d waits)", os.getpid())
                said = True
            self._wake.wait(min(5.0, self.settings.heartbeat))
            self._wake.clear()
            if self._signals:
                return False
        log.info("this daemon (pid %d) now schedules the crawls", os.getpid())
        return True

    def _start_crawling(self) -> None:
        if self.settings.broker:
            from scheduling.queue import CrawlQueue
            self.queue = CrawlQueue(self.settings.broker).open()
        elif self.settings.engine:
            from scheduling.engine_client import EngineClient
            s = self.settings
            self.engine = EngineClient(self.store, self.launcher.sources_file, trigger="daemon",
                                       in_flight=s.in_flight,
                                       recycle_after=s.recycle_after, memory_mark=int(s.memory_mark_mb * 2**20),
                                       run_timeout=s.run_timeout, kill_grace=s.kill_grace)

    def _mode(self) -> str:
        if self.queue is not None:
            return "crawls on the workers of the broker"
        if self.engine is not None:
            return f"crawls in one crawl engine (at most {self.settings.in_flight} at once)"
        return f"each crawl in a child process ({self.settings.workers} at once)"

    def _make_scheduler(self):
        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
        from apscheduler.schedulers.background import BackgroundScheduler
        from apscheduler.schedulers.base import STATE_RUNNING

        class Scheduler(BackgroundScheduler):
            def _process_jobs(self):
                # APScheduler 3 hands out due jobs once more as it shuts down (to an executor already shut down,
                # logging a traceback per job and moving each job past its slot). Paused or stopping, nothing is
                # handed out: a slot due meanwhile stays due, and the next start runs it (within misfire grace).
                if self.state != STATE_RUNNING:
                    return None
                return super()._process_jobs()
        return Scheduler(jobstores={"default": SQLAlchemyJobStore(engine=self.store.engine)},
                                   executors={"default": ThreadPoolExecutor(self.settings.workers)},
                                   timezone=timezone.utc)

    def _on_signal(self, signum, _frame) -> None:
        # Only flags here; the main loop acts on them.
        if signum == signal.SIGHUP:
            self._reload = True
        else:
            self._signals += 1
            if self._signals > 1:
                self.launcher.stopping = True
        self._wake.set()

    def _loop(self) -> None:
        while not self._signals:
            self._wake.wait(self.settings.heartbeat)
            self._wake.clear()
            if self.leader is not None and not self.leader.held():
                log.error("lost the daemon lock on the broker (connection gone): stopping, so that only one "
                          "daemon schedules; restart it to stand by again")
                self._signals += 1
                self.lost_lead = True
                break
            if self._reload and not self._signals:
                self._reload = False
                self.reload()
            self.beat()

    def reload(self) -> None:
        """Re-read the sources file; on any error keep the running configuration and say why."""
        try:
            path = sources_path(self.settings)
            sources = load_sources(path)
            specs = build_jobs(sources, self.settings)
        except ConfigError as exc:
            log.error("reload failed, keeping the last good configuration: %s", exc)
            return
        try:
            self.launcher.use_sources(sources, path)
            if self.engine is not None:
                self.engine.use_sources(self.launcher.sources_file)
            record_sources(self.store, sources)
            changes = sync_jobs(self.scheduler, specs, self.settings)
        except (OSError, StoreError, SQLAlchemyError) as exc:
            log.error("reload failed half-way (%s): send SIGHUP again once it is fixed", exc)
            return
        log.info("reloaded the sources file: %s", _describe(changes))

    def _stop(self) -> None:
        self.scheduler.pause()
        with getattr(self.scheduler, "_jobstores_lock", threading.Lock()):
            pass                                  # a job hand-out already under way has finished
        grace = self.settings.shutdown_grace
        if self.engine is not None:
            log.info("stopping: no new crawls; the crawl engine gets %g s to end its %d crawls", grace,
                     len(self.engine.running()))
            self.engine.close(grace, now=lambda: self._signals > 1)
        else:
            running = self.launcher.terminate_all()
            log.info("stopping: no new crawls; %d running crawls get %g s to checkpoint and end", running, grace)
            deadline = time.monotonic() + grace
            while self.launcher.running() and time.monotonic() < deadline and self._signals < 2:
                time.sleep(0.1)
            if self.launcher.running():
                log.warning("ending the crawls still running now: %s", ", ".join(self.launcher.running()))
                self.launcher.kill_all()
        self.scheduler.shutdown(wait=True)
        log.info("daemon stopped")

    def beat(self) -> None:
        try:
            write_heartbeat(self.store, self.started_at)
            scheduler_beat(self)
        except (StoreError, SQLAlchemyError) as exc:
            log.warning("heartbeat not recorded: %s", exc)

    def _clear_heartbeat(self) -> None:
        try:
            clear_heartbeat(self.store)
            clear_scheduler_beat(self.store)
        except (StoreError, SQLAlchemyError) as exc:
            log.warning("heartbeat not cleared: %s", exc)


def log_outcome(o: dict) -> None:
    """One line per crawl done in the engine, as the launcher writes for a crawl in a child process."""
    level = logging.INFO if o.get("status") in ("ok", "skipped") else logging.WARNING
    log.log(level, "crawl %s %s (run %s): %s new, %s updated, %s errors%s", o["source"], o.get("status"),
            o.get("run_id"), o.get("new", 0), o.get("updated", 0), o.get("errors", 0),
            f" -- {o['message']}" if o.get("message") else "",
            extra={k: o.get(k) for k in ("source", "run_id", "status", "new", "updated", "errors")})


def _describe(changes: dict[str, list[str]]) -> str:
    return ", ".join(f"{k} {len(v)}" + (f" ({', '.join(v)})" if v and k != "kept" else "")
                     for k, v in changes.items() if v) or "no sources"


def prune_job() -> None:
    daemon = _ACTIVE
    if daemon is not None and daemon.settings.keep_runs_days:
        n = prune_runs(daemon.store, daemon.settings.keep_runs_days)
        log.info("pruned %d runs older than %g days", n, daemon.settings.keep_runs_days)


def digest_job() -> None:
    """The desk's digests, on PANTAU_DIGEST_CRON (docs/desk.md)."""
    from desk.digest import parse_since, send_digests
    daemon = _ACTIVE
    if daemon is not None:
        outcomes = send_digests(daemon.store, parse_since(daemon.settings.digest_since))
        log.info("digests: %s", "; ".join(f"{o.account} e-mail {o.email}, chat {o.notify}" for o in outcomes) or "no accounts")
